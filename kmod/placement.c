// SPDX-License-Identifier: GPL-2.0
/*
 * Eager placement for round-4k and round-1g, as Xen does it.
 *
 * A module cannot give QEMU's mapping a memory policy, but a page is
 * allocated on the node of the CPU that faults it in.  So, for each
 * allowed node N in turn, a worker bound to a CPU of N walks N's share of
 * guest RAM with get_user_pages_remote(): pages not yet present are
 * faulted in there, on N; pages already present elsewhere are queued for
 * kvmnumad, which moves them with move_pages(2) (see moves.c).
 *
 * Every policy or node change bumps a generation number; a walk that sees
 * it change stops, and the newly queued walk starts from the current
 * policy.  Queued moves of the old layout are cancelled first.  Only
 * placement's own orders are counted in vm->place.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "../common/layout.h"
#include "backing.h"
#include "kvmnuma.h"
#include "moves.h"
#include "placement.h"
#include "ram.h"

/* Contiguous frames faulted per get_user_pages_remote() call. */
#define GUP_BATCH 64

static struct workqueue_struct *placement_wq;

/* One node's share of the walk. */
struct node_walk {
	struct kvmnuma_vm *vm;
	struct mm_struct *mm;
	struct kvmnuma_ram ram;
	int policy;
	int generation;
	int node;
	unsigned int index;
	unsigned int nr_nodes;
	/* The run of wrongly placed pages being gathered into one order. */
	unsigned long move_hva;
	u64 move_npages;
	struct page *pages[GUP_BATCH];
};

/* A move order of placement's, with the VM it accounts to. */
struct placement_move {
	struct kvmnuma_move move;
	struct kvmnuma_vm *vm;		/* referenced */
	char who[40];
};

static bool walk_cancelled(struct node_walk *w)
{
	return atomic_read(&w->vm->place.generation) != w->generation;
}

static void placement_move_done(struct kvmnuma_move *m, u64 moved,
				bool cancelled)
{
	struct placement_move *pm = container_of(m, struct placement_move, move);
	struct kvmnuma_placement *place = &pm->vm->place;

	atomic64_sub(m->rec.npages, &place->moves_pending);
	if (!cancelled) {
		atomic64_add(moved, &place->pages_moved);
		atomic64_add(m->rec.npages - moved, &place->pages_move_failed);
	}
	kvmnuma_vm_put(pm->vm);
	kfree(pm);
}

static void flush_move_run(struct node_walk *w)
{
	struct kvmnuma_vm *vm = w->vm;
	struct placement_move *pm;

	if (!w->move_npages)
		return;
	pm = kzalloc(sizeof(*pm), GFP_KERNEL);
	if (!pm) {
		atomic64_add(w->move_npages, &vm->place.pages_move_failed);
		w->move_npages = 0;
		return;
	}
	kvmnuma_vm_get(vm);
	pm->vm = vm;
	snprintf(pm->who, sizeof(pm->who), "VM %s", vm->id);
	pm->move.rec.pid = vm->pid;
	pm->move.mm = vm->kvm->mm;
	pm->move.rec.node = w->node;
	pm->move.rec.start = w->move_hva;
	pm->move.rec.npages = w->move_npages;
	pm->move.owner = vm->place.owner;
	pm->move.who = pm->who;
	pm->move.done = placement_move_done;
	atomic64_add(w->move_npages, &vm->place.moves_pending);
	kvmnuma_moves_queue(&pm->move);
	w->move_npages = 0;
}

static void note_misplaced(struct node_walk *w, unsigned long hva)
{
	atomic64_inc(&w->vm->place.pages_to_move);
	if (w->move_npages &&
	    w->move_hva + (w->move_npages << PAGE_SHIFT) == hva) {
		w->move_npages++;
		return;
	}
	flush_move_run(w);
	w->move_hva = hva;
	w->move_npages = 1;
}

static void note_page_size(struct kvmnuma_placement *place, struct page *page)
{
	unsigned int shift = ilog2(folio_size(page_folio(page)));

	if (shift > READ_ONCE(place->largest_page_shift))
		WRITE_ONCE(place->largest_page_shift, shift);
}

/* Faults in, or checks, @n frames from @hva; all belong to w->node. */
static void place_frames(struct node_walk *w, unsigned long hva, long n)
{
	struct kvmnuma_placement *place = &w->vm->place;
	const struct kvmnuma_backing_ops *kind;
	long got = -EFAULT, i;

	mmap_read_lock(w->mm);
	if (kvmnuma_backing_vma(w->mm, hva, &kind))
		got = kind->populate(w->mm, hva, n, w->pages);
	mmap_read_unlock(w->mm);
	if (got <= 0) {
		atomic64_add(n, &place->pages_unplaceable);
		return;
	}
	for (i = 0; i < got; i++) {
		note_page_size(place, w->pages[i]);
		if (page_to_nid(w->pages[i]) == w->node)
			atomic64_inc(&place->pages_placed);
		else
			note_misplaced(w, hva + (i << PAGE_SHIFT));
		put_page(w->pages[i]);
	}
	if (got < n)
		atomic64_add(n - got, &place->pages_unplaceable);
}

/* Runs on a CPU of w->node (work_on_cpu), so faults allocate there. */
static long walk_node(void *arg)
{
	struct node_walk *w = arg;
	unsigned int s;

	for (s = 0; s < w->ram.nr_slots; s++) {
		const struct kvmnuma_ram_slot *slot = &w->ram.slots[s];
		u64 end = slot->base_gfn + slot->npages;
		u64 gfn = kvmnuma_layout_next(w->policy, slot->base_gfn, end,
					      w->index, w->nr_nodes);

		while (gfn < end) {
			u64 n = min_t(u64, kvmnuma_layout_run(w->policy, gfn, end),
				      GUP_BATCH);

			place_frames(w, slot->hva + ((gfn - slot->base_gfn) << PAGE_SHIFT), n);
			gfn = kvmnuma_layout_next(w->policy, gfn + n, end,
						  w->index, w->nr_nodes);
			cond_resched();
			if (walk_cancelled(w))
				return -ECANCELED;
		}
	}
	flush_move_run(w);
	return 0;
}

static void reset_counters(struct kvmnuma_placement *place, u64 total)
{
	atomic64_set(&place->pages_total, total);
	atomic64_set(&place->pages_placed, 0);
	atomic64_set(&place->pages_to_move, 0);
	atomic64_set(&place->pages_moved, 0);
	atomic64_set(&place->pages_move_failed, 0);
	atomic64_set(&place->pages_unplaceable, 0);
	WRITE_ONCE(place->largest_page_shift, PAGE_SHIFT);
}

static void walk_all_nodes(struct kvmnuma_vm *vm, struct node_walk *w,
			   const nodemask_t *nodes)
{
	int node;

	w->index = 0;
	for_each_node_mask(node, *nodes) {
		int cpu = cpumask_any_and(cpumask_of_node(node), cpu_online_mask);

		w->node = node;
		w->move_npages = 0;
		/* A node without CPUs: fault anywhere, kvmnumad moves. */
		if (cpu < nr_cpu_ids)
			work_on_cpu(cpu, walk_node, w);
		else
			walk_node(w);
		if (walk_cancelled(w))
			return;
		w->index++;
	}
}

static void placement_work_fn(struct work_struct *work)
{
	struct kvmnuma_placement *place =
		container_of(work, struct kvmnuma_placement, work);
	struct kvmnuma_vm *vm = container_of(place, struct kvmnuma_vm, place);
	struct node_walk *w;
	nodemask_t nodes;

	w = kzalloc(sizeof(*w), GFP_KERNEL);
	if (!w)
		return;
	w->vm = vm;
	w->generation = atomic_read(&place->generation);
	mutex_lock(&vm->policy_lock);
	w->policy = vm->policy;
	nodes = vm->nodes;
	mutex_unlock(&vm->policy_lock);
	w->nr_nodes = nodes_weight(nodes);

	/* Moves queued for an earlier layout are moot. */
	kvmnuma_moves_cancel(place->owner);
	if (kvmnuma_layout_index(w->policy, 0, w->nr_nodes) < 0)
		goto idle;

	if (kvmnuma_ram_snapshot(vm->kvm, &w->ram))
		goto idle;
	reset_counters(place, w->ram.total_pages);
	w->mm = vm->kvm->mm;
	if (!mmget_not_zero(w->mm)) {
		kvmnuma_ram_release(&w->ram);
		goto idle;
	}
	walk_all_nodes(vm, w, &nodes);
	mmput(w->mm);
	kvmnuma_ram_release(&w->ram);
	if (!walk_cancelled(w)) {
		WRITE_ONCE(place->phase, KVMNUMA_PLACEMENT_DONE);
		pr_info("VM %s: %s over nodes %*pbl: %lld pages in place, %lld to move\n",
			vm->id, kvmnuma_policy_name(w->policy),
			nodemask_pr_args(&nodes),
			atomic64_read(&place->pages_placed),
			atomic64_read(&place->pages_to_move));
	}
	kfree(w);
	return;
idle:
	if (!walk_cancelled(w))
		WRITE_ONCE(place->phase, KVMNUMA_PLACEMENT_IDLE);
	kfree(w);
}

void kvmnuma_placement_vm_init(struct kvmnuma_vm *vm)
{
	INIT_WORK(&vm->place.work, placement_work_fn);
	vm->place.owner = kvmnuma_moves_new_owner();
	vm->place.phase = KVMNUMA_PLACEMENT_IDLE;
	vm->place.largest_page_shift = PAGE_SHIFT;
}

void kvmnuma_placement_start(struct kvmnuma_vm *vm)
{
	atomic_inc(&vm->place.generation);
	if (kvmnuma_policy_mechanisms(READ_ONCE(vm->policy)) &
	    (KVMNUMA_MECH_ROUND_4K | KVMNUMA_MECH_ROUND_1G))
		WRITE_ONCE(vm->place.phase, KVMNUMA_PLACEMENT_RUNNING);
	queue_work(placement_wq, &vm->place.work);
}

void kvmnuma_placement_stop(struct kvmnuma_vm *vm)
{
	atomic_inc(&vm->place.generation);
	cancel_work_sync(&vm->place.work);
	kvmnuma_moves_cancel(vm->place.owner);
}

const char *kvmnuma_placement_state_name(struct kvmnuma_vm *vm)
{
	switch (READ_ONCE(vm->place.phase)) {
	case KVMNUMA_PLACEMENT_RUNNING:
		return "running";
	case KVMNUMA_PLACEMENT_DONE:
		if (!atomic64_read(&vm->place.moves_pending))
			return "done";
		return kvmnuma_moves_daemon_connected() ? "moving" :
							  "waiting-for-kvmnumad";
	default:
		return "idle";
	}
}

int kvmnuma_placement_init(void)
{
	/* Unbound: each job mostly waits for its per-node walks. */
	placement_wq = alloc_workqueue("kvmnuma_placement", WQ_UNBOUND, 0);
	return placement_wq ? 0 : -ENOMEM;
}

void kvmnuma_placement_exit(void)
{
	destroy_workqueue(placement_wq);
}
