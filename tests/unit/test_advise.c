// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests for common/advise.c: the thesis' policy-selection metric. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../common/advise.h"

#define MAXN KVMNUMA_ADVISE_MAX_NODES

static u64 matrix[MAXN * MAXN];

/* Accesses homed on node h: per_home[h], all made from node @from. */
static void fill_from(unsigned int nr, unsigned int from, const u64 *per_home)
{
	unsigned int h;

	memset(matrix, 0, sizeof(matrix));
	for (h = 0; h < nr; h++)
		matrix[from * nr + h] = per_home[h];
}

static struct kvmnuma_advice advise_ok(unsigned int nr)
{
	struct kvmnuma_advice a;

	assert_int_equal(kvmnuma_advise(matrix, nr, &a), 0);
	return a;
}

static void isqrt_exact(void **state)
{
	u64 r;

	assert_int_equal(kvmnuma_isqrt(0), 0);
	assert_int_equal(kvmnuma_isqrt(1), 1);
	assert_int_equal(kvmnuma_isqrt(2), 1);
	assert_int_equal(kvmnuma_isqrt(3), 1);
	assert_int_equal(kvmnuma_isqrt(4), 2);
	assert_int_equal(kvmnuma_isqrt(99), 9);
	assert_int_equal(kvmnuma_isqrt(100), 10);
	assert_int_equal(kvmnuma_isqrt(~0ULL), 0xffffffffULL);
	assert_int_equal(kvmnuma_isqrt(0xfffffffe00000001ULL), 0xffffffffULL);
	assert_int_equal(kvmnuma_isqrt(0xfffffffe00000000ULL), 0xfffffffeULL);
	for (r = 1; r < (1ULL << 32); r = r * 3 + 7) {
		assert_int_equal(kvmnuma_isqrt(r * r), r);
		assert_int_equal(kvmnuma_isqrt(r * r - 1), r - 1);
	}
}

/*
 * Every access homed on one node, from every node: the imbalance is the
 * largest possible, 100 * sqrt(N - 1); on the thesis' 8-node machine that
 * is 264%, just above ep.D's 263% (Table 4.1, first-touch).
 */
static void master_slave_is_high(void **state)
{
	unsigned int a;
	struct kvmnuma_advice adv;

	memset(matrix, 0, sizeof(matrix));
	for (a = 0; a < 8; a++)
		matrix[a * 8 + 0] = 1000;
	adv = advise_ok(8);
	assert_int_equal(adv.metrics.total, 8000);
	assert_int_equal(adv.metrics.local, 1000);
	assert_int_equal(adv.metrics.imbalance_pct, 264);	/* 264.58 */
	assert_int_equal(adv.metrics.locality_pct, 12);		/* 12.5 */
	assert_int_equal(adv.class, KVMNUMA_ADVISE_HIGH);
	assert_int_equal(adv.policy, KVMNUMA_POLICY_ROUND_4K_CARREFOUR);

	memset(matrix, 0, sizeof(matrix));
	for (a = 0; a < 4; a++)
		matrix[a * 4 + 2] = 5;
	adv = advise_ok(4);
	assert_int_equal(adv.metrics.imbalance_pct, 173);	/* 173.2 */
	assert_int_equal(adv.metrics.locality_pct, 25);
}

/* Each node uses only its own memory, evenly: low, first-touch. */
static void private_balanced_is_low(void **state)
{
	unsigned int n;
	struct kvmnuma_advice adv;

	memset(matrix, 0, sizeof(matrix));
	for (n = 0; n < 4; n++)
		matrix[n * 4 + n] = 777;
	adv = advise_ok(4);
	assert_int_equal(adv.metrics.imbalance_pct, 0);
	assert_int_equal(adv.metrics.locality_pct, 100);
	assert_int_equal(adv.class, KVMNUMA_ADVISE_LOW);
	assert_int_equal(adv.policy, KVMNUMA_POLICY_FIRST_TOUCH);
}

/* Two nodes: imbalance = |a - b| / (a + b); locality from the diagonal. */
static void two_nodes_exact(void **state)
{
	struct kvmnuma_advice adv;

	memset(matrix, 0, sizeof(matrix));
	matrix[0 * 2 + 0] = 300;	/* node 0 -> home 0 */
	matrix[1 * 2 + 0] = 450;	/* node 1 -> home 0 */
	matrix[0 * 2 + 1] = 50;		/* node 0 -> home 1 */
	matrix[1 * 2 + 1] = 200;	/* node 1 -> home 1 */
	adv = advise_ok(2);
	/* homes: 750 and 250 -> 500 / 1000 */
	assert_int_equal(adv.metrics.imbalance_pct, 50);
	assert_int_equal(adv.metrics.locality_pct, 50);
	assert_int_equal(adv.class, KVMNUMA_ADVISE_LOW);
}

/*
 * Class boundaries, "low < 85% <= moderate <= 130% < high", on exact
 * imbalances just either side (computed offline; 4 nodes).
 */
static void class_boundaries_from_matrices(void **state)
{
	static const struct {
		u64 h[4];
		u32 pct;
		enum kvmnuma_advise_class class;
	} cases[] = {
		{ { 145, 128, 24, 0 }, 84, KVMNUMA_ADVISE_LOW },   /* 84.99999 */
		{ { 123, 123, 21, 0 }, 85, KVMNUMA_ADVISE_MODERATE }, /* 85.0006 */
		{ { 194, 49, 1, 0 }, 130, KVMNUMA_ADVISE_MODERATE }, /* 130.0001 */
		{ { 209, 39, 9, 0 }, 131, KVMNUMA_ADVISE_HIGH },   /* 131.9996 */
	};
	struct kvmnuma_advice adv;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		fill_from(4, 3, cases[i].h);
		adv = advise_ok(4);
		assert_int_equal(adv.metrics.imbalance_pct, cases[i].pct);
		assert_int_equal(adv.class, cases[i].class);
		assert_int_equal(adv.metrics.locality_pct, 0);
	}
}

static void classify_boundaries(void **state)
{
	assert_int_equal(kvmnuma_advise_classify(0), KVMNUMA_ADVISE_LOW);
	assert_int_equal(kvmnuma_advise_classify(84), KVMNUMA_ADVISE_LOW);
	assert_int_equal(kvmnuma_advise_classify(85), KVMNUMA_ADVISE_MODERATE);
	assert_int_equal(kvmnuma_advise_classify(130), KVMNUMA_ADVISE_MODERATE);
	assert_int_equal(kvmnuma_advise_classify(131), KVMNUMA_ADVISE_HIGH);
	assert_int_equal(kvmnuma_advise_classify(~0U), KVMNUMA_ADVISE_HIGH);
}

/*
 * Table 4.1 of the thesis, first-touch imbalance -> class.  memcached is
 * printed as 85% yet classed "low": its measure must have been just under
 * 85 and rounded; we follow the stated rule, so 85 reads moderate.
 */
static void thesis_table_4_1(void **state)
{
	static const struct {
		const char *app;
		u32 pct;
		enum kvmnuma_advise_class class;
	} rows[] = {
		{ "bodytrack", 135, KVMNUMA_ADVISE_HIGH },
		{ "facesim", 253, KVMNUMA_ADVISE_HIGH },
		{ "fluidanimate", 65, KVMNUMA_ADVISE_LOW },
		{ "x264", 84, KVMNUMA_ADVISE_LOW },
		{ "bt.C", 89, KVMNUMA_ADVISE_MODERATE },
		{ "cg.C", 7, KVMNUMA_ADVISE_LOW },
		{ "ep.D", 263, KVMNUMA_ADVISE_HIGH },
		{ "sp.C", 113, KVMNUMA_ADVISE_MODERATE },
		{ "wc", 101, KVMNUMA_ADVISE_MODERATE },
		{ "wr", 110, KVMNUMA_ADVISE_MODERATE },
		{ "wrmem", 135, KVMNUMA_ADVISE_HIGH },
		{ "pca", 235, KVMNUMA_ADVISE_HIGH },
		{ "cassandra", 65, KVMNUMA_ADVISE_LOW },
		{ "mongodb", 130, KVMNUMA_ADVISE_MODERATE },
		/* the thesis classes it low: see above */
		{ "memcached", 85, KVMNUMA_ADVISE_MODERATE },
	};
	unsigned int i;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		if (kvmnuma_advise_classify(rows[i].pct) != rows[i].class)
			fail_msg("%s: %u%% classed %s", rows[i].app,
				 rows[i].pct, kvmnuma_advise_class_name(
					kvmnuma_advise_classify(rows[i].pct)));
	}
}

/* Section 4.1: high -> round-4K/Carrefour, moderate -> first-touch/
 * Carrefour, low -> first-touch. */
static void policy_mapping(void **state)
{
	assert_int_equal(kvmnuma_advise_policy(KVMNUMA_ADVISE_LOW),
			 KVMNUMA_POLICY_FIRST_TOUCH);
	assert_int_equal(kvmnuma_advise_policy(KVMNUMA_ADVISE_MODERATE),
			 KVMNUMA_POLICY_FIRST_TOUCH_CARREFOUR);
	assert_int_equal(kvmnuma_advise_policy(KVMNUMA_ADVISE_HIGH),
			 KVMNUMA_POLICY_ROUND_4K_CARREFOUR);
	assert_int_equal(kvmnuma_advise_policy(KVMNUMA_ADVISE_UNKNOWN),
			 KVMNUMA_POLICY_NONE);
	assert_string_equal(kvmnuma_advise_class_name(KVMNUMA_ADVISE_LOW), "low");
	assert_string_equal(kvmnuma_advise_class_name(KVMNUMA_ADVISE_MODERATE),
			    "moderate");
	assert_string_equal(kvmnuma_advise_class_name(KVMNUMA_ADVISE_HIGH),
			    "high");
	assert_string_equal(kvmnuma_advise_class_name(KVMNUMA_ADVISE_UNKNOWN),
			    "unknown");
}

static void zero_accesses(void **state)
{
	struct kvmnuma_advice adv;

	memset(matrix, 0, sizeof(matrix));
	memset(&adv, 0x5a, sizeof(adv));
	assert_int_equal(kvmnuma_advise(matrix, 4, &adv), -ENODATA);
	assert_int_equal(adv.metrics.total, 0);
	assert_int_equal(adv.metrics.imbalance_pct, 0);
	assert_int_equal(adv.class, KVMNUMA_ADVISE_UNKNOWN);
	assert_int_equal(adv.policy, KVMNUMA_POLICY_NONE);
}

static void one_node(void **state)
{
	struct kvmnuma_advice adv;

	memset(matrix, 0, sizeof(matrix));
	matrix[0] = 12345;
	adv = advise_ok(1);
	assert_int_equal(adv.metrics.imbalance_pct, 0);
	assert_int_equal(adv.metrics.locality_pct, 100);
	assert_int_equal(adv.class, KVMNUMA_ADVISE_LOW);
	assert_int_equal(adv.policy, KVMNUMA_POLICY_FIRST_TOUCH);
}

static void bad_node_counts(void **state)
{
	struct kvmnuma_advice adv;

	memset(matrix, 0, sizeof(matrix));
	matrix[0] = 1;
	assert_int_equal(kvmnuma_advise(matrix, 0, &adv), -EINVAL);
	assert_int_equal(adv.class, KVMNUMA_ADVISE_UNKNOWN);
	assert_int_equal(kvmnuma_advise(matrix, MAXN + 1, &adv), -EINVAL);
	adv = advise_ok(MAXN);
	assert_int_equal(adv.metrics.imbalance_pct, 793);	/* sqrt(63) */
}

/* Counter-sized counts (sums near 2^63) neither overflow nor drift. */
static void huge_counts(void **state)
{
	struct kvmnuma_advice adv;

	memset(matrix, 0, sizeof(matrix));
	matrix[0 * 2 + 0] = 3ULL << 61;		/* local, home 0 */
	matrix[0 * 2 + 1] = 1ULL << 61;		/* remote, home 1 */
	adv = advise_ok(2);
	assert_int_equal(adv.metrics.imbalance_pct, 50);
	assert_int_equal(adv.metrics.locality_pct, 75);
	assert_int_equal(adv.class, KVMNUMA_ADVISE_LOW);

	/* 8 nodes, all homed on node 7, 2^60 each: 264% as with small counts */
	memset(matrix, 0, sizeof(matrix));
	matrix[0 * 8 + 7] = 1ULL << 60;
	matrix[7 * 8 + 7] = (1ULL << 60) + 12345;
	adv = advise_ok(8);
	assert_int_equal(adv.metrics.imbalance_pct, 264);
	assert_int_equal(adv.metrics.locality_pct, 50);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(isqrt_exact),
		cmocka_unit_test(master_slave_is_high),
		cmocka_unit_test(private_balanced_is_low),
		cmocka_unit_test(two_nodes_exact),
		cmocka_unit_test(class_boundaries_from_matrices),
		cmocka_unit_test(classify_boundaries),
		cmocka_unit_test(thesis_table_4_1),
		cmocka_unit_test(policy_mapping),
		cmocka_unit_test(zero_accesses),
		cmocka_unit_test(one_node),
		cmocka_unit_test(bad_node_counts),
		cmocka_unit_test(huge_counts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
