// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * First-touch batch decoding, shared by kvmnuma.ko and the unit tests.
 *
 * A batch lists buddy blocks the guest allocated or freed, oldest first.
 * Only the newest operation on a page matters: a page freed and then
 * reallocated inside one batch holds live data and must not be discarded.
 * Blocks of different orders may overlap, so the batch is cut into
 * elementary segments at every block boundary and each segment takes the
 * operation of the newest block covering it ("painting" newest first, with
 * a union-find "next unpainted segment" so every segment is painted once).
 */
#include "batch.h"

int kvmnuma_entry_decode(u64 raw, struct kvmnuma_entry *out)
{
	u64 op = raw & KVMNUMA_ENTRY_OP_MASK;
	u64 order = (raw & KVMNUMA_ENTRY_ORDER_MASK) >> KVMNUMA_ENTRY_ORDER_SHIFT;
	u64 gfn = raw >> KVMNUMA_ENTRY_PAGE_SHIFT;

	if (op != KVMNUMA_OP_ALLOC && op != KVMNUMA_OP_FREE)
		return KVMNUMA_RES_EINVAL;
	if (raw & KVMNUMA_ENTRY_RESERVED_MASK)
		return KVMNUMA_RES_EINVAL;
	if (order > KVMNUMA_MAX_ORDER)
		return KVMNUMA_RES_EINVAL;
	/* The buddy allocator only hands out naturally aligned blocks. */
	if (gfn & ((1ULL << order) - 1))
		return KVMNUMA_RES_EINVAL;

	out->gfn = gfn;
	out->order = (u32)order;
	out->op = (u32)op;
	return 0;
}

int kvmnuma_batch_decode(const u64 *raw, u32 count,
			 struct kvmnuma_entry *entries, u32 *bad_index)
{
	u32 i;
	int ret;

	if (count > KVMNUMA_MAX_BATCH)
		return KVMNUMA_RES_E2BIG;

	for (i = 0; i < count; i++) {
		ret = kvmnuma_entry_decode(raw[i], &entries[i]);
		if (ret) {
			*bad_index = i;
			return ret;
		}
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Index of @value in the sorted, duplicate-free @bounds; it is present. */
static u32 bound_index(const u64 *bounds, u32 nr, u64 value)
{
	u32 lo = 0, hi = nr;

	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (bounds[mid] <= value)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* Union-find root with path halving: the first unpainted segment >= i. */
static u32 first_unpainted(u32 *next, u32 i)
{
	while (next[i] != i) {
		next[i] = next[next[i]];
		i = next[i];
	}
	return i;
}

int kvmnuma_batch_free_ranges(const struct kvmnuma_entry *entries, u32 count,
			      struct kvmnuma_batch_scratch *scratch,
			      struct kvmnuma_range *ranges,
			      struct kvmnuma_batch_result *result)
{
	u64 *bounds = scratch->bounds;
	u32 nr_bounds = 0, i, n;
	int e;

	memset(result, 0, sizeof(*result));
	if (count > KVMNUMA_MAX_BATCH)
		return KVMNUMA_RES_E2BIG;
	if (!count)
		return 0;

	for (i = 0; i < count; i++) {
		u64 npages = 1ULL << entries[i].order;

		if (entries[i].gfn + npages < entries[i].gfn)
			return KVMNUMA_RES_EINVAL;
		bounds[nr_bounds++] = entries[i].gfn;
		bounds[nr_bounds++] = entries[i].gfn + npages;
	}
	kvmnuma_sort(bounds, nr_bounds, sizeof(*bounds), cmp_u64);
	for (i = 1, n = 1; i < nr_bounds; i++)
		if (bounds[i] != bounds[n - 1])
			bounds[n++] = bounds[i];
	nr_bounds = n;

	/* Segment i is [bounds[i], bounds[i + 1]); the last index is a sentinel. */
	for (i = 0; i < nr_bounds; i++) {
		scratch->next_unpainted[i] = i;
		scratch->segment_op[i] = 0;
	}

	for (e = (int)count - 1; e >= 0; e--) {
		const struct kvmnuma_entry *ent = &entries[e];
		u32 first = bound_index(bounds, nr_bounds, ent->gfn);
		u32 end = bound_index(bounds, nr_bounds,
				      ent->gfn + (1ULL << ent->order));

		for (i = first_unpainted(scratch->next_unpainted, first); i < end;
		     i = first_unpainted(scratch->next_unpainted, i + 1)) {
			scratch->segment_op[i] = (u8)ent->op;
			scratch->next_unpainted[i] = i + 1;
		}
	}

	for (i = 0; i + 1 < nr_bounds; i++) {
		u64 npages = bounds[i + 1] - bounds[i];
		struct kvmnuma_range *last;

		if (scratch->segment_op[i] == KVMNUMA_OP_ALLOC) {
			result->allocated_pages += npages;
			continue;
		}
		if (scratch->segment_op[i] != KVMNUMA_OP_FREE)
			continue;	/* a gap no entry covers */

		result->freed_pages += npages;
		last = result->nr_ranges ? &ranges[result->nr_ranges - 1] : NULL;
		if (last && last->gfn + last->npages == bounds[i]) {
			last->npages += npages;
			continue;
		}
		if (result->nr_ranges == count)
			return KVMNUMA_RES_EINVAL;	/* cannot happen, see header */
		ranges[result->nr_ranges].gfn = bounds[i];
		ranges[result->nr_ranges].npages = npages;
		result->nr_ranges++;
	}
	return 0;
}
