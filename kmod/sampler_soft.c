// SPDX-License-Identifier: GPL-2.0
/*
 * The software sampler.  Each period it unmaps a random set of guest
 * pages from QEMU's page tables without freeing them (memfd/shmem RAM:
 * the page stays in the page cache), which makes KVM drop their TDP
 * entries; the guest's next access to such a page faults, and the
 * kvm_page_fault probe records which vCPU touched it, from which host
 * node, and whether it wrote.  RAM whose pages do not survive unmapping
 * (anonymous, hugetlbfs) cannot be sampled this way.
 *
 * A page is seen at most once per period (the re-fault re-maps it), so
 * the migrate rule's "two samples" becomes one.
 *
 * Memory pressure: a page on a host node below its low watermark is not
 * unmapped.  Reclaim takes unmapped page-cache pages first (to swap, for
 * shmem), and the guest's next touch would then fault the page in again,
 * on a node that cannot hold it; the sampler backs off such nodes until
 * they recover (counted in carrefour/status, sampler_pressure_skips).
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/bitmap.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "../common/gfnmap.h"
#include "backing.h"
#include "moves.h"
#include "ram.h"
#include "sampler.h"

static unsigned int cf_sample_pages = 1024;
module_param(cf_sample_pages, uint, 0644);
MODULE_PARM_DESC(cf_sample_pages,
		 "Software sampler: guest pages unmapped per period (default 1024)");

static unsigned int cf_soft_gate_samples = 32;
module_param(cf_soft_gate_samples, uint, 0644);
MODULE_PARM_DESC(cf_soft_gate_samples,
		 "Software sampler: re-touched pages per period that make a VM memory-intensive (default 32)");

/* Caller holds mmap_lock.  Every VMA of [hva, hva + len) may be zapped. */
static bool range_samplable(struct mm_struct *mm, unsigned long hva,
			    unsigned long len)
{
	unsigned long addr = hva, end = hva + len;

	while (addr < end) {
		const struct kvmnuma_backing_ops *kind;
		struct vm_area_struct *vma = kvmnuma_backing_vma(mm, addr, &kind);

		if (!vma || !kind->unmap_keeps_data ||
		    !kvmnuma_backing_may_unmap(vma))
			return false;
		addr = vma->vm_end;
	}
	return true;
}

/* All of guest RAM, not just its first slot, must keep data when unmapped. */
static bool soft_supports(struct kvm *kvm)
{
	struct mm_struct *mm = kvm->mm;
	struct kvmnuma_ram ram;
	bool ok = true;
	unsigned int i;

	if (kvmnuma_ram_snapshot(kvm, &ram))
		return false;
	if (!ram.nr_slots || !mmget_not_zero(mm)) {
		kvmnuma_ram_release(&ram);
		return false;
	}
	mmap_read_lock(mm);
	for (i = 0; i < ram.nr_slots && ok; i++)
		ok = range_samplable(mm, ram.slots[i].hva,
				     ram.slots[i].npages << PAGE_SHIFT);
	mmap_read_unlock(mm);
	mmput(mm);
	kvmnuma_ram_release(&ram);
	return ok;
}

/*
 * priv: the frames unmapped by the sampler and not re-touched yet, one
 * bit per page of the RAM slots at start (map), not per gfn up to the
 * highest one: a slot high in the physical address space costs its own
 * pages only.
 */
struct soft_state {
	struct kvmnuma_gfnmap *map;
	unsigned long *armed;
};

static void soft_free(struct soft_state *st)
{
	if (!st)
		return;
	kvfree(st->armed);
	kvfree(st->map);
	kfree(st);
}

static int soft_get(struct kvmnuma_sampling *s)
{
	struct soft_state *st;
	struct kvmnuma_ram ram;
	u64 pages = 0;

	st = kzalloc(sizeof(*st), GFP_KERNEL_ACCOUNT);
	if (st && !kvmnuma_ram_snapshot(s->kvm, &ram)) {
		pages = ram.total_pages;
		st->map = kvmnuma_ram_gfnmap(&ram);
		kvmnuma_ram_release(&ram);
	}
	if (st && st->map)
		st->armed = kvcalloc(BITS_TO_LONGS(st->map->nr_bits) ?: 1,
				     sizeof(long), GFP_KERNEL_ACCOUNT);
	if (!st || !st->armed) {
		pr_err("software sampler: no memory for the bitmap of %llu RAM pages (%llu KiB): not sampling\n",
		       pages, DIV_ROUND_UP(pages, 8 * 1024));
		soft_free(st);
		return -ENOMEM;
	}
	s->priv = st;
	return 0;
}

static void soft_put(struct kvmnuma_sampling *s)
{
	soft_free(s->priv);
	s->priv = NULL;
}

/* Unmaps random guest pages, keeping their contents. */
static void soft_arm(struct kvmnuma_sampling *s, const struct kvmnuma_ram *ram,
		     struct mm_struct *mm)
{
	struct soft_state *st = s->priv;
	nodemask_t pressure = NODE_MASK_NONE;
	u64 bit;
	unsigned int i;
	int nid;

	if (!ram->total_pages)
		return;
	for_each_node_state(nid, N_MEMORY)
		if (kvmnuma_moves_node_pressure(nid))
			node_set(nid, pressure);
	mmap_read_lock(mm);
	for (i = 0; i < READ_ONCE(cf_sample_pages); i++) {
		u64 gfn = kvmnuma_ram_nth_gfn(ram, get_random_u64() %
						   ram->total_pages);
		unsigned long hva = kvmnuma_ram_gfn_to_hva(ram, gfn);
		const struct kvmnuma_backing_ops *kind;
		struct vm_area_struct *vma;

		vma = hva ? kvmnuma_backing_vma(mm, hva, &kind) : NULL;
		/* The same VMA filter as the discard path (discard.c). */
		if (!vma || !kind->unmap_keeps_data || gfn >= s->nr_gfns ||
		    !kvmnuma_gfnmap_bit(st->map, gfn, &bit) ||
		    !kvmnuma_backing_may_unmap(vma))
			continue;
		if (!nodes_empty(pressure)) {
			nid = kvmnuma_ram_page_node(mm, hva);
			if (nid >= 0 && node_isset(nid, pressure)) {
				WRITE_ONCE(s->pressure_skips, s->pressure_skips + 1);
				continue;
			}
		}
		set_bit(bit, st->armed);
		kvmnuma_ram_zap(vma, hva, hva + PAGE_SIZE);
	}
	mmap_read_unlock(mm);
}

/* kvm_page_fault probe, atomic: the first touch of an armed page. */
static void soft_fault(struct kvmnuma_sampling *s, struct kvm_vcpu *vcpu,
		       u64 gfn, u64 error_code)
{
	struct soft_state *st = s->priv;
	u64 bit;

	if (gfn >= s->nr_gfns || !kvmnuma_gfnmap_bit(st->map, gfn, &bit) ||
	    !test_bit(bit, st->armed) || !test_and_clear_bit(bit, st->armed))
		return;
	kvmnuma_sampling_add(s, gfn, vcpu->vcpu_id, numa_node_id(),
			     (error_code & PFERR_WRITE_MASK) ? KVMNUMA_CF_WRITE : 0);
}

/* Enough re-touched pages stand for a memory-intensive period. */
static u64 soft_estimate(u32 nr, u64 period_us, u32 maptu_min)
{
	return nr >= READ_ONCE(cf_soft_gate_samples) ?
	       (u64)maptu_min * period_us : 1;
}

const struct kvmnuma_sampler_ops kvmnuma_soft_sampler = {
	.name = "software",
	.sees_page_once = true,
	.unmaps = true,
	.supports = soft_supports,
	.get = soft_get,
	.put = soft_put,
	.arm = soft_arm,
	.fault = soft_fault,
	.estimate = soft_estimate,
};
