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
 * Room before moves: before each batch the walker asks how many pages
 * the node can still take above its high watermark (less the moves it
 * has already ordered there).  A batch that does not fit is not faulted
 * in (the fault would silently fall back to another node) and no move is
 * ordered for it (move_pages(2) to a full node only fails, with an
 * allocation-failure warning); its pages are only looked at, and those
 * not already on the node are counted unplaceable for "no-room".  The
 * walk therefore always ends, in "done" or "degraded"; writing the policy
 * again retries.
 *
 * Memory pressure: a node below its low watermark is being reclaimed, and
 * a fault meant for it falls back to another node.  Before each batch the
 * walker of such a node waits (placement/paused says why) in steps of
 * PRESSURE_STEP_MS, for at most place_pressure_wait_ms per walk, then
 * goes on: a transient pressure only delays the walk, a lasting one ends
 * in the room check above.
 *
 * Bounded orders: a VM has at most kvmnuma_moves_cap() move orders
 * outstanding (placement's and Carrefour's).  At the cap the walk pauses
 * between batches (placement/paused = orders-cap; the state reads
 * waiting-for-kvmnumad while no kvmnumad is connected) until kvmnumad has
 * answered half of them; a batch adds at most GUP_BATCH orders, so a VM
 * never holds more than cap + GUP_BATCH of placement's.  Orders are
 * charged to QEMU's memory cgroup.
 *
 * Every policy or node change bumps a generation number; a walk that sees
 * it change stops, and the newly queued walk starts from the current
 * policy.  Queued moves of the old layout are cancelled first, and the
 * answers to orders of an older walk are not counted.  Only placement's
 * own pages and orders are counted, in vm->place.tally (common/tally.h),
 * whose sums always hold.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/delay.h>
#include <linux/kvm_host.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched/mm.h>
#include <linux/wait.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "../common/layout.h"
#include "backing.h"
#include "kvmnuma.h"
#include "moves.h"
#include "placement.h"
#include "ram.h"
#include "trace.h"

/* Contiguous frames faulted per get_user_pages_remote() call. */
#define GUP_BATCH 64

/* One back-off step under memory pressure. */
#define PRESSURE_STEP_MS 100

static unsigned int place_pressure_wait_ms = 30000;
module_param(place_pressure_wait_ms, uint, 0644);
MODULE_PARM_DESC(place_pressure_wait_ms,
		 "Placement: ms a walk may wait, in all, for nodes below their low watermark (default 30000; 0: no wait)");

static struct workqueue_struct *placement_wq;

/* One node's share of the walk. */
struct node_walk {
	struct kvmnuma_vm *vm;
	struct mm_struct *mm;
	struct mem_cgroup *memcg;	/* QEMU's: charged for the orders */
	struct kvmnuma_ram ram;
	int policy;
	int generation;
	int node;
	unsigned int index;
	unsigned int nr_nodes;
	/* The run of wrongly placed pages being gathered into one order. */
	unsigned long move_hva;
	u64 move_npages;
	/* Pages ordered to w->node by this walk: they will take its room. */
	u64 committed;
	/* Time this walk has waited for memory pressure to go, all nodes. */
	u64 pressure_waited_ms;
	/* What the current batch found, added to the tally in one go. */
	struct kvmnuma_tally_visit visit;
	struct page *pages[GUP_BATCH];
};

/* A move order of placement's, with the VM it accounts to. */
struct placement_move {
	struct kvmnuma_move move;
	struct kvmnuma_vm *vm;		/* referenced */
	int generation;			/* of the walk that ordered it */
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

	spin_lock(&place->lock);
	/* An answer for an older walk: its counters are gone. */
	if (place->tally_gen == pm->generation)
		kvmnuma_tally_answer(&place->tally, m->rec.npages, moved,
				     m->error == -ENOMEM, cancelled);
	spin_unlock(&place->lock);
	trace_kvmnuma_move_done(pm->vm, "placement", m->rec.id, m->rec.npages,
				moved, NUMA_NO_NODE, m->rec.node, cancelled);
	atomic_dec(&pm->vm->orders);
	wake_up(&place->orders_wq);
	kvmnuma_vm_put(pm->vm);
	kfree(pm);
}

/* Adds what the walk found since the last call to the VM's tally. */
static void flush_visit(struct node_walk *w)
{
	struct kvmnuma_placement *place = &w->vm->place;

	spin_lock(&place->lock);
	if (place->tally_gen == w->generation)
		kvmnuma_tally_visit(&place->tally, &w->visit);
	spin_unlock(&place->lock);
	memset(&w->visit, 0, sizeof(w->visit));
}

static void flush_move_run(struct node_walk *w)
{
	struct kvmnuma_vm *vm = w->vm;
	struct placement_move *pm;

	if (!w->move_npages)
		return;
	pm = kzalloc(sizeof(*pm), GFP_KERNEL_ACCOUNT);
	if (!pm) {
		/* Cannot even order the move: the pages stay where they are. */
		w->visit.unplaceable_by[KVMNUMA_UNPLACEABLE_FAULT] += w->move_npages;
		w->move_npages = 0;
		return;
	}
	kvmnuma_vm_get(vm);
	pm->vm = vm;
	pm->generation = w->generation;
	snprintf(pm->who, sizeof(pm->who), "VM %s", vm->id);
	pm->move.rec.pid = vm->pid;
	pm->move.mm = vm->kvm->mm;
	pm->move.rec.node = w->node;
	pm->move.rec.start = w->move_hva;
	pm->move.rec.npages = w->move_npages;
	pm->move.owner = vm->place.owner;
	pm->move.who = pm->who;
	pm->move.done = placement_move_done;
	/* Pending before queued: the answer may come at once. */
	w->visit.ordered += w->move_npages;
	w->committed += w->move_npages;
	flush_visit(w);
	atomic_inc(&vm->orders);
	trace_kvmnuma_move_queued(vm, "placement", w->move_npages,
				  NUMA_NO_NODE, w->node);
	kvmnuma_moves_queue(&pm->move);
	w->move_npages = 0;
}

static void note_misplaced(struct node_walk *w, unsigned long hva)
{
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

/*
 * The node has no room for @n frames from @hva: only looks (no fault, no
 * move).  Frames already on w->node are placed, the others unplaceable.
 * Caller holds mmap_lock.
 */
static void look_at_frames(struct node_walk *w, unsigned long hva, long n)
{
	long i = 0, got, k;

	while (i < n) {
		got = kvmnuma_ram_gup_remote(w->mm, hva + (i << PAGE_SHIFT),
					     n - i, FOLL_NOFAULT, w->pages);
		if (got <= 0) {
			/* Absent (or unmapped): it would have to be faulted in. */
			w->visit.unplaceable_by[KVMNUMA_UNPLACEABLE_NO_ROOM]++;
			i++;
			continue;
		}
		for (k = 0; k < got; k++) {
			if (page_to_nid(w->pages[k]) == w->node)
				w->visit.placed++;
			else
				w->visit.unplaceable_by[KVMNUMA_UNPLACEABLE_NO_ROOM]++;
			put_page(w->pages[k]);
		}
		i += got;
	}
}

/*
 * Waits while w->node is under memory pressure, within the walk's budget
 * (see kvmnuma_pressure_backoff()); a cancelled walk stops waiting at
 * once.  Sleeps; holds no lock.
 */
static void back_off_under_pressure(struct node_walk *w)
{
	struct kvmnuma_placement *place = &w->vm->place;

	while (!walk_cancelled(w) &&
	       kvmnuma_pressure_backoff(kvmnuma_moves_node_pressure(w->node),
					w->pressure_waited_ms,
					READ_ONCE(place_pressure_wait_ms)) ==
	       KVMNUMA_BACKOFF_WAIT) {
		WRITE_ONCE(place->paused, KVMNUMA_PLACEMENT_PAUSED_PRESSURE);
		atomic64_inc(&place->pressure_waits);
		msleep(PRESSURE_STEP_MS);
		w->pressure_waited_ms += PRESSURE_STEP_MS;
	}
	WRITE_ONCE(place->paused, KVMNUMA_PLACEMENT_NOT_PAUSED);
}

/*
 * Waits, between batches (no page held), while the VM's orders are at the
 * cap: until kvmnumad answered half of them, or the walk is cancelled.
 * The 100 ms timeout also catches answers to Carrefour's orders, which do
 * not wake this queue.  Sleeps; holds no lock.
 */
static void wait_for_order_room(struct node_walk *w)
{
	struct kvmnuma_vm *vm = w->vm;
	struct kvmnuma_placement *place = &vm->place;
	unsigned int cap = kvmnuma_moves_cap();

	if (kvmnuma_orders_may_queue(atomic_read(&vm->orders), cap))
		return;
	WRITE_ONCE(place->paused, KVMNUMA_PLACEMENT_PAUSED_ORDERS);
	atomic64_inc(&place->orders_pauses);
	while (!walk_cancelled(w) &&
	       !kvmnuma_orders_may_resume(atomic_read(&vm->orders), cap))
		wait_event_timeout(place->orders_wq, walk_cancelled(w) ||
				   kvmnuma_orders_may_resume(atomic_read(&vm->orders), cap),
				   HZ / 10);
	WRITE_ONCE(place->paused, KVMNUMA_PLACEMENT_NOT_PAUSED);
}

/* Faults in, or checks, @n frames from @hva; all belong to w->node. */
static void place_frames(struct node_walk *w, unsigned long hva, long n)
{
	struct kvmnuma_placement *place = &w->vm->place;
	const struct kvmnuma_backing_ops *kind;
	long got = -EFAULT, i;

	wait_for_order_room(w);
	back_off_under_pressure(w);
	if (walk_cancelled(w))
		return;

	/*
	 * Room for the whole batch, whether it is faulted in here or moved
	 * here later: both take free pages of w->node.
	 */
	if (kvmnuma_moves_node_room(w->node, w->committed + w->move_npages) < n) {
		mmap_read_lock(w->mm);
		look_at_frames(w, hva, n);
		mmap_read_unlock(w->mm);
		flush_visit(w);
		return;
	}
	mmap_read_lock(w->mm);
	if (kvmnuma_backing_vma(w->mm, hva, &kind))
		got = kind->populate(w->mm, hva, n, w->pages);
	mmap_read_unlock(w->mm);
	if (got <= 0) {
		w->visit.unplaceable_by[KVMNUMA_UNPLACEABLE_FAULT] += n;
		flush_visit(w);
		return;
	}
	for (i = 0; i < got; i++) {
		note_page_size(place, w->pages[i]);
		if (page_to_nid(w->pages[i]) == w->node)
			w->visit.placed++;
		else
			note_misplaced(w, hva + (i << PAGE_SHIFT));
		put_page(w->pages[i]);
	}
	if (got < n)
		w->visit.unplaceable_by[KVMNUMA_UNPLACEABLE_FAULT] += n - got;
	flush_visit(w);
}

/* Runs on a CPU of w->node (work_on_cpu), so faults allocate there. */
static long walk_node(void *arg)
{
	struct node_walk *w = arg;
	struct mem_cgroup *old_memcg;
	unsigned int s;
	long ret = 0;

	/* Orders (GFP_KERNEL_ACCOUNT) are charged to QEMU, not to a kworker. */
	old_memcg = set_active_memcg(w->memcg);
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
			if (walk_cancelled(w)) {
				ret = -ECANCELED;
				goto out;
			}
		}
	}
	flush_move_run(w);
out:
	set_active_memcg(old_memcg);
	return ret;
}

static void reset_tally(struct node_walk *w, u64 total)
{
	struct kvmnuma_placement *place = &w->vm->place;

	spin_lock(&place->lock);
	kvmnuma_tally_start(&place->tally, total);
	place->tally_gen = w->generation;
	spin_unlock(&place->lock);
	WRITE_ONCE(place->largest_page_shift, PAGE_SHIFT);
}

/* Tracepoint kvmnuma_placement_progress; the tally only when it is on. */
static void trace_progress(struct kvmnuma_vm *vm, int node)
{
	struct kvmnuma_tally t;

	if (!trace_kvmnuma_placement_progress_enabled())
		return;
	kvmnuma_placement_tally(vm, &t);
	trace_kvmnuma_placement_progress(vm, node, &t);
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
		w->committed = 0;
		/* A node without CPUs: fault anywhere, kvmnumad moves. */
		if (cpu < nr_cpu_ids)
			work_on_cpu(cpu, walk_node, w);
		else
			walk_node(w);
		if (walk_cancelled(w))
			return;
		trace_progress(vm, node);
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
	reset_tally(w, w->ram.total_pages);
	w->mm = vm->kvm->mm;
	if (!mmget_not_zero(w->mm)) {
		kvmnuma_ram_release(&w->ram);
		goto idle;
	}
	w->memcg = get_mem_cgroup_from_mm(w->mm);
	walk_all_nodes(vm, w, &nodes);
	mem_cgroup_put(w->memcg);
	mmput(w->mm);
	kvmnuma_ram_release(&w->ram);
	if (!walk_cancelled(w)) {
		struct kvmnuma_tally t;

		WRITE_ONCE(place->phase, KVMNUMA_PLACEMENT_DONE);
		kvmnuma_placement_tally(vm, &t);
		trace_kvmnuma_placement_progress(vm, NUMA_NO_NODE, &t);
		pr_info("VM %s: %s over nodes %*pbl: %llu pages in place, %llu to move, %llu unplaceable (%llu without room)\n",
			vm->id, kvmnuma_policy_name(w->policy),
			nodemask_pr_args(&nodes), t.placed, t.to_move,
			kvmnuma_tally_unplaceable(&t),
			t.unplaceable_by[KVMNUMA_UNPLACEABLE_NO_ROOM]);
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
	spin_lock_init(&vm->place.lock);
	init_waitqueue_head(&vm->place.orders_wq);
	vm->place.phase = KVMNUMA_PLACEMENT_IDLE;
	vm->place.largest_page_shift = PAGE_SHIFT;
}

void kvmnuma_placement_start(struct kvmnuma_vm *vm)
{
	atomic_inc(&vm->place.generation);
	wake_up(&vm->place.orders_wq);
	if (kvmnuma_policy_mechanisms(READ_ONCE(vm->policy)) &
	    (KVMNUMA_MECH_ROUND_4K | KVMNUMA_MECH_ROUND_1G))
		WRITE_ONCE(vm->place.phase, KVMNUMA_PLACEMENT_RUNNING);
	queue_work(placement_wq, &vm->place.work);
}

void kvmnuma_placement_stop(struct kvmnuma_vm *vm)
{
	atomic_inc(&vm->place.generation);
	wake_up(&vm->place.orders_wq);
	cancel_work_sync(&vm->place.work);
	kvmnuma_moves_cancel(vm->place.owner);
}

void kvmnuma_placement_tally(struct kvmnuma_vm *vm, struct kvmnuma_tally *t)
{
	spin_lock(&vm->place.lock);
	*t = vm->place.tally;
	spin_unlock(&vm->place.lock);
}

const char *kvmnuma_placement_paused_name(struct kvmnuma_vm *vm)
{
	switch (READ_ONCE(vm->place.paused)) {
	case KVMNUMA_PLACEMENT_PAUSED_PRESSURE:
		return "memory-pressure";
	case KVMNUMA_PLACEMENT_PAUSED_ORDERS:
		return "orders-cap";
	default:
		return "no";
	}
}

const char *kvmnuma_placement_state_name(struct kvmnuma_vm *vm)
{
	struct kvmnuma_tally t;

	switch (READ_ONCE(vm->place.phase)) {
	case KVMNUMA_PLACEMENT_RUNNING:
		/* Stopped at the cap, with nobody to answer. */
		if (READ_ONCE(vm->place.paused) == KVMNUMA_PLACEMENT_PAUSED_ORDERS &&
		    !kvmnuma_moves_daemon_connected())
			return "waiting-for-kvmnumad";
		return "running";
	case KVMNUMA_PLACEMENT_DONE:
		kvmnuma_placement_tally(vm, &t);
		return kvmnuma_tally_state_name(kvmnuma_tally_state(&t, true,
					kvmnuma_moves_daemon_connected()));
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
