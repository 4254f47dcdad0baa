/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_DISCARD_H
#define KVMNUMA_DISCARD_H

#include <linux/types.h>

struct mm_struct;
struct vm_area_struct;

/*
 * Unmaps [start, end) of @vma from the page tables (6.1 and 6.12): frees
 * anonymous pages, leaves shared file pages in their file.
 */
void kvmnuma_zap_range(struct vm_area_struct *vma, unsigned long start,
		       unsigned long end);

struct kvmnuma_discard_result {
	u64 discarded;		/* pages given back to the host */
	u64 not_discardable;	/* locked, pinned, private file, partial huge page */
	u64 failures;		/* punch-hole errors */
};

/*
 * Sleeps discard_delay_us (module parameter, testing only, 0..10000 us);
 * process context.  Called once per first-touch batch before discarding.
 */
void kvmnuma_discard_delay(void);

void kvmnuma_discard_hva_range(struct mm_struct *mm, unsigned long start,
			       unsigned long len,
			       struct kvmnuma_discard_result *res);

#endif /* KVMNUMA_DISCARD_H */
