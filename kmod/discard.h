/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_DISCARD_H
#define KVMNUMA_DISCARD_H

#include <linux/types.h>

struct mm_struct;

struct kvmnuma_discard_result {
	u64 discarded;		/* pages given back to the host */
	u64 not_discardable;	/* locked, pinned, private file, partial huge page */
	u64 failures;		/* punch-hole errors */
};

void kvmnuma_discard_hva_range(struct mm_struct *mm, unsigned long start,
			       unsigned long len,
			       struct kvmnuma_discard_result *res);

#endif /* KVMNUMA_DISCARD_H */
