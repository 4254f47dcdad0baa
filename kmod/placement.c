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
 * policy.  Queued moves of the old layout are cancelled first.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/hugetlb.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/version.h>
#include <linux/workqueue.h>

#include "../common/layout.h"
#include "kvmnuma.h"
#include "moves.h"
#include "placement.h"

/* Contiguous frames faulted per get_user_pages_remote() call. */
#define GUP_BATCH 64

static struct workqueue_struct *placement_wq;

/* One node's share of the walk. */
struct node_walk {
	struct kvmnuma_vm *vm;
	struct mm_struct *mm;
	const struct kvmnuma_ram_slot *slots;
	unsigned int nr_slots;
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

long kvmnuma_gup_remote(struct mm_struct *mm, unsigned long addr,
			unsigned long n, unsigned int flags, struct page **pages)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 5, 0)
	return get_user_pages_remote(mm, addr, n, flags, pages, NULL);
#else
	return get_user_pages_remote(mm, addr, n, flags, pages, NULL, NULL);
#endif
}

static bool walk_cancelled(struct node_walk *w)
{
	return atomic_read(&w->vm->place.generation) != w->generation;
}

static void flush_move_run(struct node_walk *w)
{
	if (!w->move_npages)
		return;
	if (kvmnuma_moves_queue(w->vm, w->move_hva, w->move_npages, w->node))
		atomic64_add(w->move_npages, &w->vm->place.pages_move_failed);
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
	long got, i;

	mmap_read_lock(w->mm);
	got = kvmnuma_gup_remote(w->mm, hva, n, FOLL_WRITE, w->pages);
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

	for (s = 0; s < w->nr_slots; s++) {
		const struct kvmnuma_ram_slot *slot = &w->slots[s];
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

/*
 * Guest RAM as QEMU maps it, read once under kvm->srcu.  Read-only slots
 * (ROMs, and the BIOS area below 1 MiB QEMU maps read-only) are left out:
 * they are not RAM the guest uses, and their pages, written by QEMU at
 * start, would otherwise wait for kvmnumad.
 */
struct kvmnuma_ram_slot *kvmnuma_ram_snapshot(struct kvm *kvm, unsigned int *nr,
					      u64 *total)
{
	struct kvm_memory_slot *slot;
	struct kvmnuma_ram_slot *slots;
	unsigned int n = 0, max;
	int idx, bkt;

	*total = 0;
	idx = srcu_read_lock(&kvm->srcu);
	max = 0;
	kvm_for_each_memslot(slot, bkt, kvm_memslots(kvm))
		max++;
	slots = kvmalloc_array(max ?: 1, sizeof(*slots), GFP_KERNEL);
	if (slots) {
		kvm_for_each_memslot(slot, bkt, kvm_memslots(kvm)) {
			if (slot->id >= KVM_USER_MEM_SLOTS ||
			    (slot->flags & KVM_MEM_READONLY) || n == max)
				continue;
			slots[n].base_gfn = slot->base_gfn;
			slots[n].npages = slot->npages;
			slots[n].hva = slot->userspace_addr;
			*total += slot->npages;
			n++;
		}
	}
	srcu_read_unlock(&kvm->srcu, idx);
	*nr = n;
	return slots;
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
	u64 total = 0;

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
	kvmnuma_moves_cancel_vm(vm);
	if (kvmnuma_layout_index(w->policy, 0, w->nr_nodes) < 0)
		goto idle;

	w->slots = kvmnuma_ram_snapshot(vm->kvm, &w->nr_slots, &total);
	if (!w->slots)
		goto idle;
	reset_counters(place, total);
	w->mm = vm->kvm->mm;
	if (!mmget_not_zero(w->mm)) {
		kvfree(w->slots);
		goto idle;
	}
	walk_all_nodes(vm, w, &nodes);
	mmput(w->mm);
	kvfree(w->slots);
	if (!walk_cancelled(w)) {
		WRITE_ONCE(place->state, KVMNUMA_PLACEMENT_DONE);
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
		WRITE_ONCE(place->state, KVMNUMA_PLACEMENT_IDLE);
	kfree(w);
}

u64 kvmnuma_ram_end_gfn(const struct kvmnuma_ram_slot *slots, unsigned int nr)
{
	u64 end = 0;
	unsigned int i;

	for (i = 0; i < nr; i++)
		end = max(end, slots[i].base_gfn + slots[i].npages);
	return end;
}

/*
 * Calls @fn on the VMA that backs the VM's first RAM slot in QEMU, with
 * mmap_lock held; returns false, without calling it, if there is none.
 */
static bool inspect_ram_vma(struct kvmnuma_vm *vm,
			    void (*fn)(struct vm_area_struct *vma, void *arg),
			    void *arg)
{
	struct mm_struct *mm = vm->kvm->mm;
	struct kvmnuma_ram_slot *slots;
	struct vm_area_struct *vma;
	unsigned long hva = 0;
	bool found = false;
	unsigned int nr;
	u64 total;

	slots = kvmnuma_ram_snapshot(vm->kvm, &nr, &total);
	if (slots && nr)
		hva = slots[0].hva;
	kvfree(slots);
	if (!hva || !mmget_not_zero(mm))
		return false;
	mmap_read_lock(mm);
	vma = find_vma(mm, hva);
	if (vma && vma->vm_start <= hva) {
		fn(vma, arg);
		found = true;
	}
	mmap_read_unlock(mm);
	mmput(mm);
	return found;
}

static void note_shared_file(struct vm_area_struct *vma, void *arg)
{
	*(bool *)arg = vma->vm_file && (vma->vm_flags & VM_SHARED) &&
		       !is_vm_hugetlb_page(vma);
}

bool kvmnuma_ram_is_shared_file(struct kvmnuma_vm *vm)
{
	bool shared = false;

	inspect_ram_vma(vm, note_shared_file, &shared);
	return shared;
}

static void note_page_shift(struct vm_area_struct *vma, void *arg)
{
	*(unsigned int *)arg = ilog2(vma_kernel_pagesize(vma));
}

unsigned int kvmnuma_ram_page_shift(struct kvmnuma_vm *vm)
{
	unsigned int shift = PAGE_SHIFT;

	inspect_ram_vma(vm, note_page_shift, &shift);
	return shift;
}

void kvmnuma_placement_vm_init(struct kvmnuma_vm *vm)
{
	INIT_WORK(&vm->place.work, placement_work_fn);
	vm->place.state = KVMNUMA_PLACEMENT_IDLE;
	vm->place.largest_page_shift = PAGE_SHIFT;
}

void kvmnuma_placement_start(struct kvmnuma_vm *vm)
{
	atomic_inc(&vm->place.generation);
	if (kvmnuma_policy_mechanisms(READ_ONCE(vm->policy)) &
	    (KVMNUMA_MECH_ROUND_4K | KVMNUMA_MECH_ROUND_1G))
		WRITE_ONCE(vm->place.state, KVMNUMA_PLACEMENT_RUNNING);
	queue_work(placement_wq, &vm->place.work);
}

void kvmnuma_placement_stop(struct kvmnuma_vm *vm)
{
	atomic_inc(&vm->place.generation);
	cancel_work_sync(&vm->place.work);
	kvmnuma_moves_cancel_vm(vm);
}

const char *kvmnuma_placement_state(struct kvmnuma_vm *vm)
{
	switch (READ_ONCE(vm->place.state)) {
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
