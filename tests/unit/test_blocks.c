// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests for common/blocks.h. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../common/blocks.h"
#include "../../include/kvmnuma/hypercall_abi.h"

/* Cuts [pfn, end) like the guest driver; checks each block; returns count. */
static unsigned int cut(u64 pfn, u64 end, unsigned int max_order)
{
	unsigned int n = 0;

	while (pfn < end) {
		unsigned int o = kvmnuma_block_order(pfn, end, max_order);

		assert_true(o <= max_order);
		assert_int_equal(pfn & ((1ULL << o) - 1), 0);
		assert_true(pfn + (1ULL << o) <= end);
		pfn += 1ULL << o;
		n++;
	}
	assert_int_equal(pfn, end);
	return n;
}

static void single_page(void **state)
{
	assert_int_equal(kvmnuma_block_order(7, 8, 10), 0);
	assert_int_equal(kvmnuma_block_order(0, 1, 10), 0);
}

static void aligned_block_is_one_entry(void **state)
{
	assert_int_equal(kvmnuma_block_order(1024, 2048, 10), 10);
	assert_int_equal(cut(512, 1024, 10), 1);
	assert_int_equal(cut(0, 1, 10), 1);
}

static void capped_at_max_order(void **state)
{
	assert_int_equal(kvmnuma_block_order(0, 1ULL << 20, KVMNUMA_MAX_ORDER),
			 KVMNUMA_MAX_ORDER);
	assert_int_equal(cut(0, 1ULL << 14, KVMNUMA_MAX_ORDER), 16);
}

static void misaligned_start(void **state)
{
	/* 3 | 4-7 | 8-15 | 16 */
	assert_int_equal(kvmnuma_block_order(3, 17, 10), 0);
	assert_int_equal(cut(3, 17, 10), 4);
}

static void frame_zero_and_huge_pfns(void **state)
{
	u64 top = 1ULL << 40;

	assert_int_equal(kvmnuma_block_order(top, top + 1024, 10), 10);
	assert_int_equal(kvmnuma_block_order(top - 1, top, 10), 0);
}

/* Any run inside an aligned block of 2^k frames takes at most 2k blocks. */
static void bound_inside_a_block(void **state)
{
	const unsigned int k = 6;
	u64 base = 64 * 5, s, e;

	for (s = base; s < base + 64; s++)
		for (e = s + 1; e <= base + 64; e++)
			assert_true(cut(s, e, KVMNUMA_MAX_ORDER) <= 2 * k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(single_page),
		cmocka_unit_test(aligned_block_is_one_entry),
		cmocka_unit_test(capped_at_max_order),
		cmocka_unit_test(misaligned_start),
		cmocka_unit_test(frame_zero_and_huge_pfns),
		cmocka_unit_test(bound_inside_a_block),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
