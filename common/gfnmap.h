/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Dense bit numbers for the guest frames of RAM memslots.
 *
 * Per-frame bitmaps (first-touch's "discarded, not re-faulted", the
 * software sampler's "unmapped, not re-touched") are sized by the RAM
 * they track, not by the highest guest frame number: a memslot high in
 * the 64-bit MMIO window (ivshmem, NVDIMM with host-phys-bits) costs its
 * own pages, not the hole below it.  The map lists the RAM ranges sorted
 * by gfn, each with the bit number of its first frame; bits run over the
 * ranges back to back, nr_bits in all (= the RAM pages).
 */
#ifndef KVMNUMA_COMMON_GFNMAP_H
#define KVMNUMA_COMMON_GFNMAP_H

#include "compat.h"

struct kvmnuma_gfnmap_range {
	u64 base_gfn;
	u64 npages;
	u64 first_bit;
};

struct kvmnuma_gfnmap {
	u32 nr;			/* ranges added */
	u32 max;		/* room for ranges */
	u64 nr_bits;		/* set by kvmnuma_gfnmap_finish() */
	struct kvmnuma_gfnmap_range r[];
};

/* Bytes for a map of up to @max ranges (0 if that overflows). */
size_t kvmnuma_gfnmap_size(u32 max);
/* Empties @m, which has room for @max ranges. */
void kvmnuma_gfnmap_init(struct kvmnuma_gfnmap *m, u32 max);
/*
 * Adds the @npages frames from @base_gfn.  -ENOSPC past @max ranges,
 * -EINVAL for an empty or wrapping range; empty ranges are not added.
 */
int kvmnuma_gfnmap_add(struct kvmnuma_gfnmap *m, u64 base_gfn, u64 npages);
/*
 * Sorts the ranges and numbers the bits.  0, or -EINVAL if two ranges
 * overlap (the map is then unusable).
 */
int kvmnuma_gfnmap_finish(struct kvmnuma_gfnmap *m);
/*
 * The bit of frame @gfn, through @bit; false if @gfn is in no range.
 * O(log ranges), no locking, no allocation: safe in any context.
 */
bool kvmnuma_gfnmap_bit(const struct kvmnuma_gfnmap *m, u64 gfn, u64 *bit);
/*
 * The first bit of [@gfn, @gfn + @npages) if the whole run lies in one
 * range (its bits are then consecutive); false otherwise.
 */
bool kvmnuma_gfnmap_run(const struct kvmnuma_gfnmap *m, u64 gfn, u64 npages,
			u64 *bit);

#endif /* KVMNUMA_COMMON_GFNMAP_H */
