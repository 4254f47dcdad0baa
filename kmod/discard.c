// SPDX-License-Identifier: GPL-2.0
/*
 * Giving guest pages back to the host, by the kind of memory behind them:
 *
 *  - private anonymous RAM: unmapped and freed like MADV_DONTNEED;
 *  - shared file RAM (memfd/shmem, hugetlbfs): a hole is punched in the
 *    file, which also unmaps it from every process;
 *  - anything else (private file mappings would expose file data, locked
 *    or PFN-mapped memory): left alone and counted.
 *
 * KVM's MMU notifier drops the TDP entries of whatever we unmap, so the
 * guest's next touch faults and the host allocates a fresh zeroed page on
 * the node of the faulting vCPU.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/delay.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/falloc.h>
#include <linux/hugetlb.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/version.h>

#include "discard.h"

/*
 * For testing only: widens the window between the guest's decision that a
 * page may go and the moment it is gone, so that a test which races an
 * allocation against a discard hits the race every time instead of once
 * in a while.  Applied once per batch, in the vCPU thread, before any
 * page of the batch is touched; 0 (the default) costs nothing.
 */
#define DISCARD_DELAY_MAX_US 10000
static unsigned int discard_delay_us;
module_param(discard_delay_us, uint, 0644);
MODULE_PARM_DESC(discard_delay_us,
		 "Testing only: sleep this long before discarding each batch (us, 0..10000, default 0)");

void kvmnuma_discard_delay(void)
{
	unsigned int us = min(READ_ONCE(discard_delay_us), DISCARD_DELAY_MAX_US);

	if (us)
		fsleep(us);
}

/* Punch holes after dropping mmap_lock: at most this many per pass. */
#define PUNCHES_PER_PASS 8

struct punch {
	struct file *file;
	loff_t offset;
	loff_t len;
};

void kvmnuma_zap_range(struct vm_area_struct *vma, unsigned long start,
		       unsigned long end)
{
#if LINUX_VERSION_CODE >= KERNEL_VERSION(6, 3, 0)
	zap_page_range_single(vma, start, end - start, NULL);
#else
	zap_page_range(vma, start, end - start);
#endif
}

/*
 * Queues a punch of [start, end) of a shared file mapping.  hugetlbfs can
 * only drop whole huge pages: the partial ones at either end are counted
 * as not discardable.
 */
static void queue_punch(struct vm_area_struct *vma, unsigned long start,
			unsigned long end, struct punch *p,
			struct kvmnuma_discard_result *res)
{
	unsigned long page_size = vma_kernel_pagesize(vma);
	unsigned long first = ALIGN(start, page_size);
	unsigned long last = ALIGN_DOWN(end, page_size);

	if (first >= last) {
		res->not_discardable += (end - start) >> PAGE_SHIFT;
		p->file = NULL;
		return;
	}
	res->not_discardable += ((first - start) + (end - last)) >> PAGE_SHIFT;
	p->file = get_file(vma->vm_file);
	p->offset = ((loff_t)vma->vm_pgoff << PAGE_SHIFT) + (first - vma->vm_start);
	p->len = last - first;
}

/*
 * Handles [*addr, end) until done or the punch list is full; returns the
 * number of punches queued and advances *addr.  Caller holds mmap_lock.
 */
static unsigned int discard_pass_locked(struct mm_struct *mm,
					unsigned long *addr, unsigned long end,
					struct punch *punches,
					struct kvmnuma_discard_result *res)
{
	unsigned int nr_punches = 0;

	while (*addr < end && nr_punches < PUNCHES_PER_PASS) {
		struct vm_area_struct *vma = find_vma(mm, *addr);
		unsigned long piece_end;

		if (!vma || vma->vm_start >= end) {
			res->not_discardable += (end - *addr) >> PAGE_SHIFT;
			*addr = end;
			break;
		}
		if (vma->vm_start > *addr) {
			res->not_discardable += (vma->vm_start - *addr) >> PAGE_SHIFT;
			*addr = vma->vm_start;
		}
		piece_end = min(end, vma->vm_end);

		if (vma->vm_flags & (VM_LOCKED | VM_PFNMAP | VM_IO | VM_MIXEDMAP)) {
			res->not_discardable += (piece_end - *addr) >> PAGE_SHIFT;
		} else if (vma_is_anonymous(vma)) {
			kvmnuma_zap_range(vma, *addr, piece_end);
			res->discarded += (piece_end - *addr) >> PAGE_SHIFT;
		} else if (vma->vm_file && (vma->vm_flags & VM_SHARED)) {
			queue_punch(vma, *addr, piece_end, &punches[nr_punches], res);
			if (punches[nr_punches].file)
				nr_punches++;
		} else {
			res->not_discardable += (piece_end - *addr) >> PAGE_SHIFT;
		}
		*addr = piece_end;
	}
	return nr_punches;
}

void kvmnuma_discard_hva_range(struct mm_struct *mm, unsigned long start,
			       unsigned long len,
			       struct kvmnuma_discard_result *res)
{
	struct punch punches[PUNCHES_PER_PASS];
	unsigned long addr = start, end = start + len;

	while (addr < end) {
		unsigned int i, nr;

		mmap_read_lock(mm);
		nr = discard_pass_locked(mm, &addr, end, punches, res);
		mmap_read_unlock(mm);

		/* fallocate takes locks that rank above mmap_lock. */
		for (i = 0; i < nr; i++) {
			int ret = vfs_fallocate(punches[i].file,
						FALLOC_FL_PUNCH_HOLE |
						FALLOC_FL_KEEP_SIZE,
						punches[i].offset, punches[i].len);

			if (ret) {
				pr_warn_ratelimited("punch hole failed: %d\n", ret);
				res->failures++;
				res->not_discardable += punches[i].len >> PAGE_SHIFT;
			} else {
				res->discarded += punches[i].len >> PAGE_SHIFT;
			}
			fput(punches[i].file);
		}
	}
}
