/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_DISCARD_H
#define KVMNUMA_DISCARD_H

#include <linux/types.h>

#include "backing.h"

struct mm_struct;

/*
 * Sleeps discard_delay_us (module parameter, testing only, 0..10000 us);
 * process context.  Called once per first-touch batch before discarding.
 */
void kvmnuma_discard_delay(void);

/*
 * Gives [start, start + len) of QEMU's address space back to the host, by
 * the kind of memory behind each piece; counts into @res.  Takes and drops
 * mmap_lock of @mm; may sleep.
 */
void kvmnuma_discard_hva_range(struct mm_struct *mm, unsigned long start,
			       unsigned long len,
			       struct kvmnuma_discard_result *res);

#endif /* KVMNUMA_DISCARD_H */
