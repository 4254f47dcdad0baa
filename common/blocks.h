/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Cutting a run of guest frames into first-touch batch entries: each entry
 * names a naturally aligned block of 2^order frames (the ABI's alignment
 * rule), at most KVMNUMA_MAX_ORDER.
 */
#ifndef KVMNUMA_COMMON_BLOCKS_H
#define KVMNUMA_COMMON_BLOCKS_H

#include "compat.h"

/*
 * kvmnuma_block_order() - order of the first block of the run [pfn, end)
 * @pfn:       first frame of the run
 * @end:       one past its last frame; must be > @pfn
 * @max_order: largest order wanted
 *
 * Returns the largest order o <= @max_order such that @pfn is a multiple
 * of 2^o and pfn + 2^o <= @end.  Cutting a run with it block by block
 * gives the fewest aligned blocks: a run inside one aligned block of
 * 2^k frames (k <= @max_order) takes at most 2k blocks.
 */
static inline unsigned int kvmnuma_block_order(u64 pfn, u64 end,
					       unsigned int max_order)
{
	unsigned int order = 0;

	while (order < max_order && !(pfn & (1ULL << order)) &&
	       pfn + (2ULL << order) <= end)
		order++;
	return order;
}

#endif /* KVMNUMA_COMMON_BLOCKS_H */
