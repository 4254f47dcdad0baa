/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kind of memory behind guest RAM, as an operations table: private
 * anonymous memory, a shared memfd/shmem file, a shared hugetlbfs file, or
 * a private file mapping.
 */
#ifndef KVMNUMA_BACKING_H
#define KVMNUMA_BACKING_H

#include <linux/types.h>

struct file;
struct kvm;
struct mm_struct;
struct page;
struct vm_area_struct;

/*
 * Why guest RAM may not be discarded at all; the configurations in which
 * QEMU itself disables RAM discards (ram_block_discard_disable()), and
 * hugetlbfs, whose reservation a punched hole gives away.
 */
enum kvmnuma_discard_block {
	KVMNUMA_DISCARD_ALLOWED,
	KVMNUMA_DISCARD_HUGETLB,	/* hugetlbfs / memfd-hugetlb RAM */
	KVMNUMA_DISCARD_UFFD,		/* userfaultfd: postcopy, snapshot */
	KVMNUMA_DISCARD_MLOCK,		/* VM_LOCKED: -overcommit mem-lock=on */
	KVMNUMA_DISCARD_PINNED_VM,	/* mm->pinned_vm: vhost-vdpa, RDMA */
	KVMNUMA_DISCARD_NR,
};

/* What a discard did, in 4 KiB pages. */
struct kvmnuma_discard_result {
	u64 discarded;		/* pages given back to the host */
	u64 not_discardable;	/* locked, pinned, private file, partial huge page */
	u64 pinned;		/* of which: in a folio maybe pinned for DMA */
	u64 failures;		/* punch-hole errors */
	int blocked;		/* enum kvmnuma_discard_block met, if any */
	const char *kind;	/* backing ops name of the last piece discarded */
};

/* A hole to punch in @file once mmap_lock is dropped (file NULL: none). */
struct kvmnuma_punch {
	struct file *file;	/* referenced */
	loff_t offset;
	loff_t len;
};

/**
 * struct kvmnuma_backing_ops - one kind of memory behind guest RAM
 * @name: "anonymous", "memfd", "hugetlbfs" or "private-file"
 * @unmap_keeps_data: unmapping a page from QEMU leaves its contents in
 *	place (the software sampler may unmap it)
 * @discard: gives [start, end) of @vma back to the host, or queues in
 *	@punch the hole to punch after mmap_lock is dropped (fallocate takes
 *	locks that rank above it); counts into @res.  Caller holds mmap_lock.
 * @populate: faults in @n pages from @hva for writing, which allocates
 *	them on the node of the calling CPU; returns the pages got (their
 *	references in @pages) or a negative errno.  Caller holds mmap_lock.
 */
struct kvmnuma_backing_ops {
	const char *name;
	bool unmap_keeps_data;
	void (*discard)(struct vm_area_struct *vma, unsigned long start,
			unsigned long end, struct kvmnuma_punch *punch,
			struct kvmnuma_discard_result *res);
	long (*populate)(struct mm_struct *mm, unsigned long hva,
			 unsigned long n, struct page **pages);
};

/* One line, no newline: "hugetlbfs RAM: ...", or "" for ALLOWED. */
const char *kvmnuma_backing_block_reason(int block);
/*
 * Whether nothing about @vma forbids discarding (or, for the software
 * sampler, unmapping) guest RAM in it: KVMNUMA_DISCARD_ALLOWED, or the
 * reason.  Caller holds mmap_lock (userfaultfd registration takes it for
 * writing, so the answer holds until it is dropped).
 */
int kvmnuma_backing_vma_block(struct vm_area_struct *vma);
/*
 * The filter every path that discards or unmaps guest RAM applies:
 * kvmnuma_backing_vma_block() allows it and @vma is not locked, PFN- or
 * I/O-mapped.  Caller holds mmap_lock.
 */
bool kvmnuma_backing_may_unmap(struct vm_area_struct *vma);
/*
 * The same for every VMA behind the VM's RAM slots, and mm->pinned_vm;
 * may sleep.  KVMNUMA_DISCARD_ALLOWED also when the VMM's mm is gone.
 */
int kvmnuma_backing_ram_block(struct kvm *kvm);

/* The kind of @vma. */
const struct kvmnuma_backing_ops *kvmnuma_backing_of(struct vm_area_struct *vma);
/*
 * The VMA that maps @hva in @mm and its kind in *@kind, or NULL (*@kind
 * untouched) if nothing maps @hva.  Caller holds mmap_lock.
 */
struct vm_area_struct *kvmnuma_backing_vma(struct mm_struct *mm,
					   unsigned long hva,
					   const struct kvmnuma_backing_ops **kind);

/*
 * The kind of the VMA behind the VM's first RAM slot and, in @page_shift,
 * log2 of the largest page size behind any of its RAM slots (PAGE_SHIFT if
 * there is none); NULL if the first RAM slot has no VMA.  May sleep.
 */
const struct kvmnuma_backing_ops *kvmnuma_backing_of_ram(struct kvm *kvm,
							 unsigned int *page_shift);

#endif /* KVMNUMA_BACKING_H */
