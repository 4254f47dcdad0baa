// SPDX-License-Identifier: GPL-2.0
/*
 * first-touch: serving the guest's batches of page events.
 *
 * The guest keeps its queue locked while this runs, so no page of the
 * batch can be reused and written before it is discarded here.  The batch
 * is copied out of guest memory once and only the copy is used: the guest
 * cannot change it under us.  Every entry is validated before anything is
 * done, so a bad batch changes nothing.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/bitmap.h>
#include <linux/kvm_host.h>
#include <linux/slab.h>
#include <linux/timekeeping.h>
#include <linux/topology.h>

#include "../common/batch.h"
#include "../common/gfnmap.h"
#include "backing.h"
#include "discard.h"
#include "firsttouch.h"
#include "kvmnuma.h"
#include "ram.h"
#include "trace.h"

/*
 * Per-VM state, created by the first batch served.  The bitmap has one
 * bit per page of the RAM slots of that moment (map): its size follows
 * the RAM, not the highest gfn.  Frames of slots added later are not
 * tracked for re-faults (they are still discarded).
 */
struct kvmnuma_ft {
	struct kvmnuma_gfnmap *map;
	unsigned long *discarded;	/* frames discarded, not yet re-faulted */
};

struct flush_buffers {
	u64 raw[KVMNUMA_MAX_BATCH];
	struct kvmnuma_entry entries[KVMNUMA_MAX_BATCH];
	struct kvmnuma_range ranges[KVMNUMA_MAX_BATCH];
	struct kvmnuma_batch_scratch scratch;
};

/* Records whether the bitmap could be allocated; loud when it could not. */
static void set_nomem(struct kvmnuma_vm *vm, bool nomem, u64 pages)
{
	if (xchg(&vm->ft_nomem, nomem) == nomem)
		return;
	if (nomem)
		pr_err("VM %s: first-touch disabled: no memory for the re-fault bitmap of %llu RAM pages (%llu KiB); retried at each batch\n",
		       vm->id, pages, DIV_ROUND_UP(pages, 8 * 1024));
	else
		pr_info("VM %s: first-touch re-fault bitmap allocated\n", vm->id);
}

static void ft_free(struct kvmnuma_ft *ft)
{
	if (!ft)
		return;
	kvfree(ft->discarded);
	kvfree(ft->map);
	kfree(ft);
}

/* Caller holds kvm->srcu. */
static struct kvmnuma_ft *ft_state(struct kvmnuma_vm *vm, struct kvm *kvm)
{
	struct kvmnuma_ft *ft = READ_ONCE(vm->ft);
	struct kvmnuma_ram ram;
	u64 pages;

	if (ft)
		return ft;
	/* Only writable RAM is ever discarded: the bitmap covers it. */
	if (kvmnuma_ram_snapshot(kvm, &ram)) {
		set_nomem(vm, true, 0);
		return NULL;
	}
	pages = ram.total_pages;
	ft = kzalloc(sizeof(*ft), GFP_KERNEL_ACCOUNT);
	if (ft)
		ft->map = kvmnuma_ram_gfnmap(&ram);
	kvmnuma_ram_release(&ram);
	if (ft && ft->map)
		ft->discarded = kvcalloc(BITS_TO_LONGS(ft->map->nr_bits) ?: 1,
					 sizeof(long), GFP_KERNEL_ACCOUNT);
	if (!ft || !ft->discarded) {
		ft_free(ft);
		set_nomem(vm, true, pages);
		return NULL;
	}
	set_nomem(vm, false, pages);
	/* Another vCPU may have won the race; publish only one. */
	if (cmpxchg_release(&vm->ft, NULL, ft))
		ft_free(ft);
	return READ_ONCE(vm->ft);
}

void kvmnuma_ft_release(struct kvmnuma_vm *vm)
{
	ft_free(vm->ft);
	vm->ft = NULL;
}

/* Caller holds kvm->srcu.  Guest RAM only: no ROM, MMIO or KVM-private slot. */
static bool gfns_are_ram(struct kvm *kvm, u64 gfn, u64 npages)
{
	struct kvm_memory_slot *slot = gfn_to_memslot(kvm, gfn);

	return slot && kvmnuma_ram_slot_is_ram(slot) &&
	       gfn + npages <= slot->base_gfn + slot->npages;
}

/* Caller holds kvm->srcu.  A range may span adjacent memslots. */
static void discard_gfn_range(struct kvmnuma_vm *vm, struct kvm *kvm,
			      struct kvmnuma_ft *ft, u64 gfn, u64 npages,
			      struct kvmnuma_discard_result *res)
{
	while (npages) {
		struct kvm_memory_slot *slot = gfn_to_memslot(kvm, gfn);
		u64 n = min(npages, slot->base_gfn + slot->npages - gfn);
		u64 before = res->discarded, bit;

		kvmnuma_discard_hva_range(kvm->mm, gfn_to_hva_memslot(slot, gfn),
					  n << PAGE_SHIFT, res);
		if (res->discarded != before)
			trace_kvmnuma_discard(vm, gfn, res->discarded - before,
					      res->kind);
		/*
		 * Track re-faults only when the whole piece went back.  Other
		 * vCPUs set and the fault probe clears bits of the same words:
		 * atomic bit operations only (bitmap_set() is not atomic).
		 */
		if (res->discarded - before == n &&
		    kvmnuma_gfnmap_run(ft->map, gfn, n, &bit)) {
			u64 b;

			for (b = bit; b < bit + n; b++)
				set_bit(b, ft->discarded);
		}
		gfn += n;
		npages -= n;
	}
}

/* Records @block; one log line when it changes. */
static void set_block(struct kvmnuma_vm *vm, int block)
{
	int old = xchg(&vm->ft_block, block);

	if (old == block)
		return;
	if (block)
		pr_info("VM %s: first-touch disabled: %s (policy %s stays)\n",
			vm->id, kvmnuma_backing_block_reason(block),
			kvmnuma_policy_name(READ_ONCE(vm->policy)));
	else
		pr_info("VM %s: first-touch enabled again\n", vm->id);
}

int kvmnuma_ft_check_discards(struct kvmnuma_vm *vm)
{
	int block = kvmnuma_backing_ram_block(vm->kvm);

	set_block(vm, block);
	return block;
}

int kvmnuma_ft_state(struct kvmnuma_vm *vm, char *buf, size_t size)
{
	int block = READ_ONCE(vm->ft_block);

	if (!kvmnuma_vm_has(vm, KVMNUMA_MECH_FIRST_TOUCH))
		return scnprintf(buf, size, "off\n");
	if (kvm_arch_has_assigned_device(vm->kvm))
		return scnprintf(buf, size, "disabled: the VM has an assigned device\n");
	if (block)
		return scnprintf(buf, size, "disabled: %s\n",
				 kvmnuma_backing_block_reason(block));
	if (READ_ONCE(vm->ft_nomem))
		return scnprintf(buf, size, "disabled: no memory for the re-fault bitmap\n");
	return scnprintf(buf, size, "on\n");
}

static long reject_batch(struct kvmnuma_vm *vm, long code, const char *why,
			 unsigned long count, u32 index)
{
	atomic64_inc(&vm->stats.bad_batches);
	trace_kvmnuma_batch(vm, count, 0, 0, code);
	pr_info_ratelimited("VM %s: batch rejected: %s (entry %u)\n",
			    vm->id, why, index);
	return code;
}

static long serve_batch(struct kvmnuma_vm *vm, struct kvm *kvm,
			struct flush_buffers *buf, unsigned long gpa, u32 count)
{
	struct kvmnuma_discard_result res = { };
	struct kvmnuma_batch_result result;
	struct kvmnuma_ft *ft;
	u32 i, bad = 0;
	int ret;

	if (kvm_read_guest(kvm, gpa, buf->raw, count * sizeof(u64)))
		return reject_batch(vm, KVMNUMA_RES_EFAULT,
				    "array not in guest memory", count, 0);
	ret = kvmnuma_batch_decode(buf->raw, count, buf->entries, &bad);
	if (ret)
		return reject_batch(vm, ret, "malformed entry", count, bad);
	for (i = 0; i < count; i++)
		if (!gfns_are_ram(kvm, buf->entries[i].gfn,
				  1ULL << buf->entries[i].order))
			return reject_batch(vm, KVMNUMA_RES_EINVAL,
					    "pages outside guest RAM", count, i);
	ret = kvmnuma_batch_free_ranges(buf->entries, count, &buf->scratch,
					buf->ranges, &result);
	if (ret)
		return reject_batch(vm, ret, "inconsistent batch", count, 0);

	ft = ft_state(vm, kvm);
	if (!ft)
		return KVMNUMA_RES_EFAULT;	/* no memory: nothing discarded */

	atomic64_inc(&vm->stats.batches);
	atomic64_add(count, &vm->stats.entries);
	trace_kvmnuma_batch(vm, count, result.freed_pages,
			    result.allocated_pages, 0);
	kvmnuma_discard_delay();
	for (i = 0; i < result.nr_ranges; i++)
		discard_gfn_range(vm, kvm, ft, buf->ranges[i].gfn,
				  buf->ranges[i].npages, &res);
	atomic64_add(res.discarded, &vm->stats.pages_discarded);
	atomic64_add(res.not_discardable, &vm->stats.pages_not_discardable);
	atomic64_add(res.pinned, &vm->stats.pages_dma_pinned);
	atomic64_add(res.failures, &vm->stats.discard_failures);
	if (res.blocked) {
		/* Pieces elsewhere may have gone; none of these did. */
		set_block(vm, res.blocked);
		atomic64_inc(&vm->stats.disabled_batches);
		return KVMNUMA_RES_DISABLED;
	}
	return KVMNUMA_RES_OK;
}

long kvmnuma_ft_flush(struct kvmnuma_vm *vm, struct kvm_vcpu *vcpu,
		      unsigned long gpa, unsigned long count)
{
	struct kvm *kvm = vcpu->kvm;
	struct flush_buffers *buf;
	u64 start;
	long ret;
	int idx;

	if (!kvmnuma_vm_has(vm, KVMNUMA_MECH_FIRST_TOUCH)) {
		atomic64_inc(&vm->stats.disabled_batches);
		return KVMNUMA_RES_DISABLED;
	}
	/*
	 * A device behind an IOMMU may DMA into pinned guest pages: a
	 * discarded page would be replaced behind the device's back.
	 */
	if (kvm_arch_has_assigned_device(kvm)) {
		pr_info_once("VM %s: has an assigned device, first-touch off\n",
			     vm->id);
		atomic64_inc(&vm->stats.disabled_batches);
		return KVMNUMA_RES_DISABLED;
	}
	/*
	 * Where QEMU itself disables RAM discards, so do we.  Long-term pins
	 * are one atomic read; the rest is known from the last batch or
	 * policy change, and looked at again when the paused guest asks
	 * (FLUSH of 0 entries).
	 */
	if (atomic64_read(&kvm->mm->pinned_vm))
		set_block(vm, KVMNUMA_DISCARD_PINNED_VM);
	else if (READ_ONCE(vm->ft_block) && !count)
		kvmnuma_ft_check_discards(vm);
	if (READ_ONCE(vm->ft_block)) {
		atomic64_inc(&vm->stats.disabled_batches);
		return KVMNUMA_RES_DISABLED;
	}
	if (count > KVMNUMA_MAX_BATCH)
		return reject_batch(vm, KVMNUMA_RES_E2BIG, "too many entries",
				    count, 0);
	if (!IS_ALIGNED(gpa, sizeof(u64)) || gpa + count * sizeof(u64) < gpa)
		return reject_batch(vm, KVMNUMA_RES_EINVAL, "bad array address",
				    count, 0);
	if (!count)
		return KVMNUMA_RES_OK;

	start = ktime_get_ns();
	buf = kvmalloc(sizeof(*buf), GFP_KERNEL);
	if (!buf)
		return KVMNUMA_RES_EFAULT;
	idx = srcu_read_lock(&kvm->srcu);
	ret = serve_batch(vm, kvm, buf, gpa, count);
	srcu_read_unlock(&kvm->srcu, idx);
	kvfree(buf);
	atomic64_add(ktime_get_ns() - start, &vm->stats.flush_ns);
	return ret;
}

/*
 * A TDP fault on a frame we discarded is the guest's first touch after
 * reuse; count it on the node of the CPU the faulting vCPU runs on, which
 * is where the host page fault that follows will allocate.
 */
void kvmnuma_ft_tdp_fault(struct kvmnuma_vm *vm, u64 gfn)
{
	/* Pairs with the cmpxchg_release() that published it. */
	struct kvmnuma_ft *ft = smp_load_acquire(&vm->ft);
	u64 bit;

	if (!ft || !kvmnuma_gfnmap_bit(ft->map, gfn, &bit) ||
	    !test_bit(bit, ft->discarded))
		return;
	if (test_and_clear_bit(bit, ft->discarded)) {
		int node = numa_node_id();

		atomic64_inc(&vm->stats.refaults);
		atomic64_inc(&vm->stats.refaults_node[node]);
		trace_kvmnuma_refault(vm, gfn, node);
	}
}
