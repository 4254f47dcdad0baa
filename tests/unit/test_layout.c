// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests for common/layout.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../common/layout.h"
#include "../../common/policy.h"

#define G (1ULL << KVMNUMA_1G_FRAMES_SHIFT)

static void round_4k_interleaves_pages(void **state)
{
	for (u64 gfn = 0; gfn < 100; gfn++)
		assert_int_equal(kvmnuma_layout_index(KVMNUMA_POLICY_ROUND_4K, gfn, 3),
				 gfn % 3);
	assert_int_equal(kvmnuma_layout_run(KVMNUMA_POLICY_ROUND_4K, 7, 100), 1);
	assert_int_equal(kvmnuma_layout_index(KVMNUMA_POLICY_ROUND_4K_CARREFOUR, 5, 4), 1);
}

static void round_1g_interleaves_gigabytes(void **state)
{
	assert_int_equal(kvmnuma_layout_index(KVMNUMA_POLICY_ROUND_1G, 0, 2), 0);
	assert_int_equal(kvmnuma_layout_index(KVMNUMA_POLICY_ROUND_1G, G - 1, 2), 0);
	assert_int_equal(kvmnuma_layout_index(KVMNUMA_POLICY_ROUND_1G, G, 2), 1);
	assert_int_equal(kvmnuma_layout_index(KVMNUMA_POLICY_ROUND_1G, 5 * G + 3, 4), 1);
	/* Runs end at 1 GiB boundaries or at the end of the range. */
	assert_int_equal(kvmnuma_layout_run(KVMNUMA_POLICY_ROUND_1G, 10, 3 * G), G - 10);
	assert_int_equal(kvmnuma_layout_run(KVMNUMA_POLICY_ROUND_1G, G, G + 5), 5);
	assert_int_equal(kvmnuma_layout_run(KVMNUMA_POLICY_ROUND_1G, 9, 9), 0);
}

static void no_layout_for_dynamic_policies(void **state)
{
	assert_int_equal(kvmnuma_layout_index(KVMNUMA_POLICY_FIRST_TOUCH, 1, 2), -1);
	assert_int_equal(kvmnuma_layout_index(KVMNUMA_POLICY_NONE, 1, 2), -1);
	assert_int_equal(kvmnuma_layout_index(KVMNUMA_POLICY_ROUND_4K, 1, 0), -1);
	assert_int_equal(kvmnuma_layout_next(KVMNUMA_POLICY_CARREFOUR, 1, 50, 0, 2), 50);
}

/* next() visits exactly the frames whose index matches, in order. */
static void next_matches_index(void **state)
{
	int policies[] = { KVMNUMA_POLICY_ROUND_4K, KVMNUMA_POLICY_ROUND_1G };

	for (unsigned int p = 0; p < 2; p++) {
		int pol = policies[p];
		u64 start = pol == KVMNUMA_POLICY_ROUND_1G ? G / 2 : 3;
		u64 end = pol == KVMNUMA_POLICY_ROUND_1G ? 7 * G + 11 : 1000;
		u64 step = pol == KVMNUMA_POLICY_ROUND_1G ? 4099 : 1;

		for (unsigned int nr = 1; nr <= 4; nr++)
			for (unsigned int idx = 0; idx < nr; idx++) {
				u64 expect = start, gfn = start;

				/* Sampled frames: compare with a linear scan. */
				for (gfn = start; gfn < end; gfn += step) {
					u64 next = kvmnuma_layout_next(pol, gfn, end, idx, nr);

					expect = gfn;
					while (expect < end &&
					       kvmnuma_layout_index(pol, expect, nr) != (int)idx)
						expect += pol == KVMNUMA_POLICY_ROUND_1G ?
							  G - (expect & (G - 1)) : 1;
					assert_int_equal(next, expect < end ? expect : end);
				}
			}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(round_4k_interleaves_pages),
		cmocka_unit_test(round_1g_interleaves_gigabytes),
		cmocka_unit_test(no_layout_for_dynamic_policies),
		cmocka_unit_test(next_matches_index),
	};

	return cmocka_run_group_tests_name("layout", tests, NULL, NULL);
}
