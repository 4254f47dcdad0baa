// SPDX-License-Identifier: GPL-2.0 OR MIT
/* common/gfnmap.c: bits sized by RAM pages, lookups by gfn. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../common/gfnmap.h"

static struct kvmnuma_gfnmap *new_map(u32 max)
{
	struct kvmnuma_gfnmap *m = malloc(kvmnuma_gfnmap_size(max));

	assert_non_null(m);
	kvmnuma_gfnmap_init(m, max);
	return m;
}

/*
 * A q35 guest: RAM below 3 GiB, above 4 GiB, and a slot high in the
 * 64-bit MMIO window (2^46 bytes up): bits = RAM pages, not the highest
 * gfn, and each range's bits follow the previous one's.
 */
static void bits_are_ram_pages_not_highest_gfn(void **state)
{
	struct kvmnuma_gfnmap *m = new_map(4);
	u64 high = 1ULL << 34, bit;

	assert_int_equal(kvmnuma_gfnmap_add(m, high, 512), 0);	/* out of order */
	assert_int_equal(kvmnuma_gfnmap_add(m, 0, 786432), 0);
	assert_int_equal(kvmnuma_gfnmap_add(m, 1048576, 262144), 0);
	assert_int_equal(kvmnuma_gfnmap_finish(m), 0);
	assert_int_equal(m->nr_bits, 786432 + 262144 + 512);
	assert_true(kvmnuma_gfnmap_bit(m, 0, &bit));
	assert_int_equal(bit, 0);
	assert_true(kvmnuma_gfnmap_bit(m, 786431, &bit));
	assert_int_equal(bit, 786431);
	assert_false(kvmnuma_gfnmap_bit(m, 786432, &bit));	/* the PCI hole */
	assert_true(kvmnuma_gfnmap_bit(m, 1048576, &bit));
	assert_int_equal(bit, 786432);
	assert_true(kvmnuma_gfnmap_bit(m, high + 511, &bit));
	assert_int_equal(bit, m->nr_bits - 1);
	assert_false(kvmnuma_gfnmap_bit(m, high + 512, &bit));
	assert_false(kvmnuma_gfnmap_bit(m, UINT64_MAX, &bit));
	free(m);
}

/* A run gets consecutive bits only inside one range. */
static void runs_stay_in_one_range(void **state)
{
	struct kvmnuma_gfnmap *m = new_map(2);
	u64 bit;

	assert_int_equal(kvmnuma_gfnmap_add(m, 100, 10), 0);
	assert_int_equal(kvmnuma_gfnmap_add(m, 110, 10), 0);	/* adjacent */
	assert_int_equal(kvmnuma_gfnmap_finish(m), 0);
	assert_true(kvmnuma_gfnmap_run(m, 100, 10, &bit));
	assert_int_equal(bit, 0);
	assert_false(kvmnuma_gfnmap_run(m, 105, 10, &bit));	/* spans two */
	assert_true(kvmnuma_gfnmap_run(m, 110, 10, &bit));
	assert_int_equal(bit, 10);
	assert_false(kvmnuma_gfnmap_run(m, 119, 2, &bit));
	assert_false(kvmnuma_gfnmap_run(m, 100, 0, &bit));
	assert_false(kvmnuma_gfnmap_run(m, 100, UINT64_MAX, &bit));
	free(m);
}

/* Overlaps, wraps and overfull maps are refused. */
static void bad_ranges_are_refused(void **state)
{
	struct kvmnuma_gfnmap *m = new_map(2);
	u64 bit;

	assert_int_equal(kvmnuma_gfnmap_add(m, UINT64_MAX - 1, 4), -EINVAL);
	assert_int_equal(kvmnuma_gfnmap_add(m, 5, 0), 0);	/* ignored */
	assert_int_equal(m->nr, 0);
	assert_int_equal(kvmnuma_gfnmap_add(m, 0, 10), 0);
	assert_int_equal(kvmnuma_gfnmap_add(m, 5, 10), 0);
	assert_int_equal(kvmnuma_gfnmap_add(m, 50, 10), -ENOSPC);
	assert_int_equal(kvmnuma_gfnmap_finish(m), -EINVAL);
	assert_int_equal(m->nr_bits, 0);
	assert_false(kvmnuma_gfnmap_bit(m, 0, &bit));
	assert_int_equal(kvmnuma_gfnmap_size(UINT32_MAX) != 0, sizeof(size_t) > 4);
	free(m);
}

/* Every gfn of every range maps to a distinct bit below nr_bits. */
static void bits_are_a_bijection(void **state)
{
	struct kvmnuma_gfnmap *m = new_map(8);
	static unsigned char seen[4096];
	u64 bases[] = { 7000, 3, 900, 5000, 100 }, lens[] = { 1000, 90, 1200, 1, 700 };
	u64 gfn, bit, n = 0;
	u32 i;

	for (i = 0; i < 5; i++)
		assert_int_equal(kvmnuma_gfnmap_add(m, bases[i], lens[i]), 0);
	assert_int_equal(kvmnuma_gfnmap_finish(m), 0);
	for (gfn = 0; gfn < 9000; gfn++) {
		if (!kvmnuma_gfnmap_bit(m, gfn, &bit))
			continue;
		assert_true(bit < m->nr_bits);
		assert_int_equal(seen[bit], 0);
		seen[bit] = 1;
		n++;
	}
	assert_int_equal(n, m->nr_bits);
	assert_int_equal(n, 1000 + 90 + 1200 + 1 + 700);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(bits_are_ram_pages_not_highest_gfn),
		cmocka_unit_test(runs_stay_in_one_range),
		cmocka_unit_test(bad_ranges_are_refused),
		cmocka_unit_test(bits_are_a_bijection),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
