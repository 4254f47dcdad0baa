// SPDX-License-Identifier: GPL-2.0
/*
 * The kinds of memory behind guest RAM and how each is given back:
 *
 *  - private anonymous RAM: unmapped and freed like MADV_DONTNEED;
 *  - shared memfd/shmem RAM: a hole is punched in the file, which also
 *    unmaps it from every process;
 *  - hugetlbfs (and memfd-hugetlb) RAM: never discarded.  Punching a hole
 *    gives the VM's huge-page reservation for the range back to the pool;
 *    if another process then takes those huge pages, the guest's next
 *    touch cannot be backed (SIGBUS to QEMU, or a vCPU re-faulting
 *    forever);
 *  - a private file mapping: left alone (discarding would expose the
 *    file's data).
 *
 * Every kind is populated the same way: a page is allocated on the node
 * of the CPU that faults it in.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hugetlb.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/sched/mm.h>
#include <linux/userfaultfd_k.h>

#include "backing.h"
#include "ram.h"

static void anon_discard(struct vm_area_struct *vma, unsigned long start,
			 unsigned long end, struct kvmnuma_punch *punch,
			 struct kvmnuma_discard_result *res)
{
	punch->file = NULL;
	kvmnuma_ram_zap(vma, start, end);
	res->discarded += (end - start) >> PAGE_SHIFT;
}

/* A private file mapping: discarding would expose the file's data. */
static void keep_discard(struct vm_area_struct *vma, unsigned long start,
			 unsigned long end, struct kvmnuma_punch *punch,
			 struct kvmnuma_discard_result *res)
{
	punch->file = NULL;
	res->not_discardable += (end - start) >> PAGE_SHIFT;
}

/*
 * Queues a punch of [start, end) of a shared file mapping.  Only whole
 * pages of the mapping's page size are dropped: partial ones at either end
 * are counted as not discardable.
 */
static void file_discard(struct vm_area_struct *vma, unsigned long start,
			 unsigned long end, struct kvmnuma_punch *punch,
			 struct kvmnuma_discard_result *res)
{
	unsigned long page_size = vma_kernel_pagesize(vma);
	unsigned long first = ALIGN(start, page_size);
	unsigned long last = ALIGN_DOWN(end, page_size);

	if (first >= last) {
		res->not_discardable += (end - start) >> PAGE_SHIFT;
		punch->file = NULL;
		return;
	}
	res->not_discardable += ((first - start) + (end - last)) >> PAGE_SHIFT;
	punch->file = get_file(vma->vm_file);
	punch->offset = ((loff_t)vma->vm_pgoff << PAGE_SHIFT) +
			(first - vma->vm_start);
	punch->len = last - first;
}

static long fault_in(struct mm_struct *mm, unsigned long hva, unsigned long n,
		     struct page **pages)
{
	return kvmnuma_ram_gup_remote(mm, hva, n, FOLL_WRITE, pages);
}

static const struct kvmnuma_backing_ops anon_ops = {
	.name = "anonymous",
	.unmap_keeps_data = false,
	.discard = anon_discard,
	.populate = fault_in,
};

static const struct kvmnuma_backing_ops shmem_ops = {
	.name = "memfd",
	.unmap_keeps_data = true,
	.discard = file_discard,
	.populate = fault_in,
};

static const struct kvmnuma_backing_ops hugetlbfs_ops = {
	.name = "hugetlbfs",
	.unmap_keeps_data = false,
	/* Never punched: that would give the reservation away. */
	.discard = keep_discard,
	.populate = fault_in,
};

static const struct kvmnuma_backing_ops private_file_ops = {
	.name = "private-file",
	.unmap_keeps_data = false,
	.discard = keep_discard,
	.populate = fault_in,
};

static const char * const block_reasons[KVMNUMA_DISCARD_NR] = {
	[KVMNUMA_DISCARD_ALLOWED] = "",
	[KVMNUMA_DISCARD_HUGETLB] =
		"guest RAM is hugetlbfs: a discard would release its huge-page reservation",
	[KVMNUMA_DISCARD_UFFD] =
		"userfaultfd on guest RAM (postcopy or background snapshot)",
	[KVMNUMA_DISCARD_MLOCK] =
		"guest RAM is mlocked (-overcommit mem-lock=on)",
	[KVMNUMA_DISCARD_PINNED_VM] =
		"the VMM has pinned pages for DMA (vhost-vdpa, RDMA pin-all)",
};

const char *kvmnuma_backing_block_reason(int block)
{
	if (block < 0 || block >= KVMNUMA_DISCARD_NR)
		return "?";
	return block_reasons[block];
}

int kvmnuma_backing_vma_block(struct vm_area_struct *vma)
{
	if (is_vm_hugetlb_page(vma))
		return KVMNUMA_DISCARD_HUGETLB;
	/*
	 * A discarded page under userfaultfd raises a MISSING fault that
	 * postcopy would serve with the source's stale copy; under
	 * write-protection, background snapshot would save the zeros.
	 */
	if (userfaultfd_armed(vma))
		return KVMNUMA_DISCARD_UFFD;
	if (vma->vm_flags & VM_LOCKED)
		return KVMNUMA_DISCARD_MLOCK;
	return KVMNUMA_DISCARD_ALLOWED;
}

bool kvmnuma_backing_may_unmap(struct vm_area_struct *vma)
{
	return !(vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_IO | VM_MIXEDMAP)) &&
	       kvmnuma_backing_vma_block(vma) == KVMNUMA_DISCARD_ALLOWED;
}

int kvmnuma_backing_ram_block(struct kvm *kvm)
{
	int block = KVMNUMA_DISCARD_ALLOWED;
	struct mm_struct *mm = kvm->mm;
	struct kvmnuma_ram ram;
	unsigned int i;

	/* Long-term pins (vhost-vdpa, RDMA) are accounted here. */
	if (atomic64_read(&mm->pinned_vm))
		return KVMNUMA_DISCARD_PINNED_VM;
	if (kvmnuma_ram_snapshot(kvm, &ram))
		return KVMNUMA_DISCARD_ALLOWED;
	if (!mmget_not_zero(mm))
		goto out;
	mmap_read_lock(mm);
	for (i = 0; i < ram.nr_slots && !block; i++) {
		unsigned long addr = ram.slots[i].hva;
		unsigned long end = addr + (ram.slots[i].npages << PAGE_SHIFT);

		while (addr < end && !block) {
			struct vm_area_struct *vma = find_vma(mm, addr);

			if (!vma || vma->vm_start >= end)
				break;
			block = kvmnuma_backing_vma_block(vma);
			addr = vma->vm_end;
		}
	}
	mmap_read_unlock(mm);
	mmput(mm);
out:
	kvmnuma_ram_release(&ram);
	return block;
}

const struct kvmnuma_backing_ops *kvmnuma_backing_of(struct vm_area_struct *vma)
{
	if (vma_is_anonymous(vma))
		return &anon_ops;
	if (!vma->vm_file || !(vma->vm_flags & VM_SHARED))
		return &private_file_ops;
	return is_vm_hugetlb_page(vma) ? &hugetlbfs_ops : &shmem_ops;
}

struct vm_area_struct *kvmnuma_backing_vma(struct mm_struct *mm,
					   unsigned long hva,
					   const struct kvmnuma_backing_ops **kind)
{
	struct vm_area_struct *vma = find_vma(mm, hva);

	if (!vma || vma->vm_start > hva)
		return NULL;
	*kind = kvmnuma_backing_of(vma);
	return vma;
}

const struct kvmnuma_backing_ops *kvmnuma_backing_of_ram(struct kvm *kvm,
							 unsigned int *page_shift)
{
	const struct kvmnuma_backing_ops *ops = NULL, *kind;
	struct mm_struct *mm = kvm->mm;
	struct kvmnuma_ram ram;
	unsigned int i;

	*page_shift = PAGE_SHIFT;
	if (kvmnuma_ram_snapshot(kvm, &ram))
		return NULL;
	if (!ram.nr_slots || !mmget_not_zero(mm))
		goto out;
	mmap_read_lock(mm);
	/* Every VMA of every slot: one huge-page slot is enough to say so. */
	for (i = 0; i < ram.nr_slots; i++) {
		unsigned long addr = ram.slots[i].hva;
		unsigned long end = addr + (ram.slots[i].npages << PAGE_SHIFT);

		while (addr < end) {
			struct vm_area_struct *vma = kvmnuma_backing_vma(mm, addr,
									 &kind);

			if (!vma)
				break;
			if (!i && addr == ram.slots[0].hva)
				ops = kind;
			*page_shift = max_t(unsigned int, *page_shift,
					    ilog2(vma_kernel_pagesize(vma)));
			addr = vma->vm_end;
		}
	}
	mmap_read_unlock(mm);
	mmput(mm);
out:
	kvmnuma_ram_release(&ram);
	return ops;
}
