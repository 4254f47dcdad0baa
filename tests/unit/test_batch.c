// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests for common/batch.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../common/batch.h"

#define A KVMNUMA_OP_ALLOC
#define F KVMNUMA_OP_FREE

static struct kvmnuma_batch_scratch scratch;
static struct kvmnuma_entry entries[KVMNUMA_MAX_BATCH];
static struct kvmnuma_range ranges[KVMNUMA_MAX_BATCH];

/* Decodes raw entries and computes the freed ranges; returns the status. */
static int run(const u64 *raw, u32 count, struct kvmnuma_batch_result *res)
{
	u32 bad = 0;
	int ret = kvmnuma_batch_decode(raw, count, entries, &bad);

	if (ret)
		return ret;
	return kvmnuma_batch_free_ranges(entries, count, &scratch, ranges, res);
}

static void assert_range(u32 i, u64 gfn, u64 npages)
{
	assert_int_equal(ranges[i].gfn, gfn);
	assert_int_equal(ranges[i].npages, npages);
}

static void free_then_alloc_keeps_page(void **state)
{
	u64 raw[] = { KVMNUMA_ENTRY(100, 0, F), KVMNUMA_ENTRY(100, 0, A) };
	struct kvmnuma_batch_result res;

	assert_int_equal(run(raw, 2, &res), 0);
	assert_int_equal(res.nr_ranges, 0);
	assert_int_equal(res.allocated_pages, 1);
	assert_int_equal(res.freed_pages, 0);
}

static void alloc_then_free_discards_page(void **state)
{
	u64 raw[] = { KVMNUMA_ENTRY(100, 0, A), KVMNUMA_ENTRY(100, 0, F) };
	struct kvmnuma_batch_result res;

	assert_int_equal(run(raw, 2, &res), 0);
	assert_int_equal(res.nr_ranges, 1);
	assert_range(0, 100, 1);
}

static void adjacent_frees_coalesce(void **state)
{
	u64 raw[] = {
		KVMNUMA_ENTRY(8, 3, F),		/* 8..15 */
		KVMNUMA_ENTRY(16, 0, F),
		KVMNUMA_ENTRY(17, 0, F),
		KVMNUMA_ENTRY(40, 1, F),	/* 40..41, separate */
	};
	struct kvmnuma_batch_result res;

	assert_int_equal(run(raw, 4, &res), 0);
	assert_int_equal(res.nr_ranges, 2);
	assert_range(0, 8, 10);
	assert_range(1, 40, 2);
	assert_int_equal(res.freed_pages, 12);
}

/* A newer small allocation punches a hole in an older large free. */
static void newer_alloc_inside_older_free(void **state)
{
	u64 raw[] = {
		KVMNUMA_ENTRY(0, 4, F),		/* 0..15 */
		KVMNUMA_ENTRY(3, 0, A),
		KVMNUMA_ENTRY(8, 2, A),		/* 8..11 */
	};
	struct kvmnuma_batch_result res;

	assert_int_equal(run(raw, 3, &res), 0);
	assert_int_equal(res.nr_ranges, 3);
	assert_range(0, 0, 3);
	assert_range(1, 4, 4);
	assert_range(2, 12, 4);
	assert_int_equal(res.allocated_pages, 5);
	assert_int_equal(res.freed_pages, 11);
}

/* An older small allocation is overridden by a newer large free. */
static void newer_free_covers_older_alloc(void **state)
{
	u64 raw[] = { KVMNUMA_ENTRY(5, 0, A), KVMNUMA_ENTRY(4, 2, F) };
	struct kvmnuma_batch_result res;

	assert_int_equal(run(raw, 2, &res), 0);
	assert_int_equal(res.nr_ranges, 1);
	assert_range(0, 4, 4);
}

static void repeated_ops_last_wins(void **state)
{
	u64 raw[] = {
		KVMNUMA_ENTRY(7, 0, F), KVMNUMA_ENTRY(7, 0, A),
		KVMNUMA_ENTRY(7, 0, F), KVMNUMA_ENTRY(7, 0, A),
		KVMNUMA_ENTRY(9, 0, A), KVMNUMA_ENTRY(9, 0, F),
	};
	struct kvmnuma_batch_result res;

	assert_int_equal(run(raw, 6, &res), 0);
	assert_int_equal(res.nr_ranges, 1);
	assert_range(0, 9, 1);
}

static void empty_batch(void **state)
{
	struct kvmnuma_batch_result res;

	assert_int_equal(run(NULL, 0, &res), 0);
	assert_int_equal(res.nr_ranges, 0);
}

static void rejects_bad_entries(void **state)
{
	struct kvmnuma_entry e;
	u32 bad = 99;
	u64 raw[] = { KVMNUMA_ENTRY(1, 0, A), KVMNUMA_ENTRY(2, 0, 3) };

	/* unknown ops */
	assert_int_equal(kvmnuma_entry_decode(KVMNUMA_ENTRY(1, 0, 0), &e),
			 KVMNUMA_RES_EINVAL);
	assert_int_equal(kvmnuma_entry_decode(KVMNUMA_ENTRY(1, 0, 3), &e),
			 KVMNUMA_RES_EINVAL);
	/* order too large */
	assert_int_equal(kvmnuma_entry_decode(KVMNUMA_ENTRY(0, 11, F), &e),
			 KVMNUMA_RES_EINVAL);
	/* block not aligned to its order */
	assert_int_equal(kvmnuma_entry_decode(KVMNUMA_ENTRY(2, 2, F), &e),
			 KVMNUMA_RES_EINVAL);
	/* reserved bits */
	assert_int_equal(kvmnuma_entry_decode(KVMNUMA_ENTRY(4, 0, F) | 0x100, &e),
			 KVMNUMA_RES_EINVAL);
	/* a good one, at the top of the address space */
	assert_int_equal(kvmnuma_entry_decode(KVMNUMA_ENTRY(0xffffffffffc00ULL, 10, F), &e), 0);
	assert_int_equal(e.gfn, 0xffffffffffc00ULL);
	assert_int_equal(e.order, 10);

	assert_int_equal(kvmnuma_batch_decode(raw, 2, entries, &bad),
			 KVMNUMA_RES_EINVAL);
	assert_int_equal(bad, 1);
	assert_int_equal(kvmnuma_batch_decode(raw, KVMNUMA_MAX_BATCH + 1,
					      entries, &bad),
			 KVMNUMA_RES_E2BIG);
}

/* Reference model: one op per page, newest wins, on small random batches. */
static void matches_per_page_model(void **state)
{
	enum { SPAN = 256 };
	static u64 raw[KVMNUMA_MAX_BATCH];
	u8 model[SPAN];
	unsigned int seed = 12345, round;

	for (round = 0; round < 2000; round++) {
		struct kvmnuma_batch_result res;
		u32 count = 1 + (rand_r(&seed) % 64), i;
		u64 freed = 0, r;

		if (round == 1999)
			count = KVMNUMA_MAX_BATCH;
		memset(model, 0, sizeof(model));
		for (i = 0; i < count; i++) {
			u32 order = rand_r(&seed) % 5;
			u64 gfn = (rand_r(&seed) % (SPAN >> order)) << order;
			u32 op = 1 + rand_r(&seed) % 2;

			raw[i] = KVMNUMA_ENTRY(gfn, order, op);
			memset(&model[gfn], (int)op, 1u << order);
		}
		assert_int_equal(run(raw, count, &res), 0);
		assert_true(res.nr_ranges <= count);
		for (r = 0; r < res.nr_ranges; r++) {
			u64 g;

			if (r)
				assert_true(ranges[r].gfn >
					    ranges[r - 1].gfn + ranges[r - 1].npages);
			for (g = ranges[r].gfn; g < ranges[r].gfn + ranges[r].npages; g++)
				assert_int_equal(model[g], F);
			freed += ranges[r].npages;
		}
		for (i = 0; i < SPAN; i++)
			if (model[i] == F)
				freed--;
		assert_int_equal(freed, 0);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(free_then_alloc_keeps_page),
		cmocka_unit_test(alloc_then_free_discards_page),
		cmocka_unit_test(adjacent_frees_coalesce),
		cmocka_unit_test(newer_alloc_inside_older_free),
		cmocka_unit_test(newer_free_covers_older_alloc),
		cmocka_unit_test(repeated_ops_last_wins),
		cmocka_unit_test(empty_batch),
		cmocka_unit_test(rejects_bad_entries),
		cmocka_unit_test(matches_per_page_model),
	};

	return cmocka_run_group_tests_name("batch", tests, NULL, NULL);
}
