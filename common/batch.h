/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Decoding of first-touch batches: validation of every entry, then
 * "last operation wins" per guest page, yielding the ranges of guest
 * frames whose latest event in the batch is a free.
 *
 * Shared by the host module and the userspace unit tests.
 */
#ifndef KVMNUMA_COMMON_BATCH_H
#define KVMNUMA_COMMON_BATCH_H

#include "compat.h"
#include "../include/kvmnuma/hypercall_abi.h"

struct kvmnuma_range {
	u64 gfn;
	u64 npages;
};

/*
 * One decoded entry.  Entries are kept in batch order: a later entry is a
 * newer event (last operation wins).
 */
struct kvmnuma_entry {
	u64 gfn;
	u32 order;
	u32 op;
};

/*
 * Working memory for kvmnuma_batch_free_ranges(), sized for the largest
 * batch so that the host can allocate it once per call without
 * arithmetic on guest-controlled sizes.
 */
struct kvmnuma_batch_scratch {
	u64 bounds[2 * KVMNUMA_MAX_BATCH];
	u32 next_unpainted[2 * KVMNUMA_MAX_BATCH];
	u8 segment_op[2 * KVMNUMA_MAX_BATCH];
};

struct kvmnuma_batch_result {
	/* Sorted, non-overlapping, non-adjacent ranges of freed frames. */
	u32 nr_ranges;
	u64 freed_pages;	/* pages whose latest op is free */
	u64 allocated_pages;	/* pages whose latest op is alloc */
};

int kvmnuma_entry_decode(u64 raw, struct kvmnuma_entry *out);

/*
 * Checks and decodes @count raw entries into @entries.  On failure returns
 * a negative KVMNUMA_RES_* code and stores the index of the first bad
 * entry in @bad_index.
 */
int kvmnuma_batch_decode(const u64 *raw, u32 count,
			 struct kvmnuma_entry *entries, u32 *bad_index);

/*
 * Computes the ranges of frames whose newest operation in the batch is a
 * free.  @ranges must hold @count elements (a batch of n entries never
 * yields more than n ranges).  Returns 0 or a negative KVMNUMA_RES_* code.
 */
int kvmnuma_batch_free_ranges(const struct kvmnuma_entry *entries, u32 count,
			      struct kvmnuma_batch_scratch *scratch,
			      struct kvmnuma_range *ranges,
			      struct kvmnuma_batch_result *result);

#endif /* KVMNUMA_COMMON_BATCH_H */
