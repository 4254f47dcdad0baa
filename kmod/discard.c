// SPDX-License-Identifier: GPL-2.0
/*
 * Giving guest pages back to the host: each piece of the range goes to the
 * discard operation of its kind of memory (backing.c).  Left alone and
 * counted: locked, PFN-mapped, hugetlbfs and userfaultfd-registered memory
 * (kvmnuma_backing_may_unmap(), the reason in res->blocked), and any piece
 * holding a folio that may be pinned for DMA: a device writing into the
 * old page after the discard would write into a page the guest no longer
 * sees.  The pin check holds a reference under mmap_lock; a pin taken
 * after it (GUP-fast needs no mmap_lock) is not excluded, which is why a
 * VM with long-term pins (mm->pinned_vm) or an assigned device is refused
 * first-touch as a whole (firsttouch.c).
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
#include <linux/mm.h>
#include <linux/moduleparam.h>

#include "discard.h"
#include "ram.h"

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

/*
 * Handles [*addr, end) until done or the punch list is full; returns the
 * number of punches queued and advances *addr.  Caller holds mmap_lock.
 */
static unsigned int discard_pass_locked(struct mm_struct *mm,
					unsigned long *addr, unsigned long end,
					struct kvmnuma_punch *punches,
					struct kvmnuma_discard_result *res)
{
	unsigned int nr_punches = 0;

	while (*addr < end && nr_punches < PUNCHES_PER_PASS) {
		struct vm_area_struct *vma = find_vma(mm, *addr);
		const struct kvmnuma_backing_ops *kind;
		unsigned long piece_end, pinned;
		bool may_unmap;
		int block;

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
		kind = kvmnuma_backing_of(vma);

		block = kvmnuma_backing_vma_block(vma);
		if (block && !res->blocked)
			res->blocked = block;
		may_unmap = kvmnuma_backing_may_unmap(vma);
		pinned = may_unmap ?
			 kvmnuma_ram_dma_pinned(mm, *addr, piece_end) : 0;
		if (!may_unmap || pinned) {
			res->pinned += pinned;
			res->not_discardable += (piece_end - *addr) >> PAGE_SHIFT;
		} else {
			kind->discard(vma, *addr, piece_end, &punches[nr_punches],
				      res);
			res->kind = kind->name;
			if (punches[nr_punches].file)
				nr_punches++;
		}
		*addr = piece_end;
	}
	return nr_punches;
}

void kvmnuma_discard_hva_range(struct mm_struct *mm, unsigned long start,
			       unsigned long len,
			       struct kvmnuma_discard_result *res)
{
	struct kvmnuma_punch punches[PUNCHES_PER_PASS];
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
