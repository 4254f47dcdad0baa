// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for common/carrefour.c: the Carrefour engine on synthetic
 * sample streams.  Counts and targets are checked exactly wherever the
 * rules make them exact, so that breaking one rule fails a test.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../common/carrefour.h"

#define MAXG		40000
#define UNKNOWN		0xff
#define NR_OUT		40000

static u64 mem_a[(2 << 20) / 8], mem_b[(2 << 20) / 8];
static u8 home_of[MAXG];		/* the "host": node of each gfn */
static struct kvmnuma_cf_sample buf[4096];
static u32 nbuf;
static struct kvmnuma_cf_decision out[NR_OUT];
static struct kvmnuma_cf_stats st;
static u64 period_us = 10000;		/* gate: >= 8 samples at 65536 */

static int page_node(void *ctx, u64 gfn)
{
	return gfn < MAXG && home_of[gfn] != UNKNOWN ? home_of[gfn] : -1;
}

static int setup(void **state)
{
	memset(home_of, UNKNOWN, sizeof(home_of));
	period_us = 10000;
	nbuf = 0;
	return 0;
}

static struct kvmnuma_cf_engine *engine_with(void *mem,
					     const struct kvmnuma_cf_params *p,
					     u64 seed)
{
	size_t size = kvmnuma_cf_engine_size(p);
	struct kvmnuma_cf_engine *e;

	assert_true(size && size <= sizeof(mem_a));
	e = kvmnuma_cf_engine_init(mem, size, p, seed);
	assert_non_null(e);
	return e;
}

static struct kvmnuma_cf_engine *engine(u64 seed)
{
	struct kvmnuma_cf_params p = KVMNUMA_CF_PARAMS_DEFAULT;

	return engine_with(mem_a, &p, seed);
}

static void flush(struct kvmnuma_cf_engine *e)
{
	kvmnuma_cf_engine_add_samples(e, buf, nbuf);
	nbuf = 0;
}

/* @times samples of @gfn from @node. */
static void sample(struct kvmnuma_cf_engine *e, u64 gfn, u8 node, int times)
{
	while (times--) {
		if (nbuf == sizeof(buf) / sizeof(buf[0]))
			flush(e);
		buf[nbuf].gfn = gfn;
		buf[nbuf].vcpu = node;
		buf[nbuf].node = node;
		buf[nbuf].flags = 0;
		nbuf++;
	}
}

/* Pages [first, first + nr) homed on @home. */
static void place(u64 first, u64 nr, u8 home)
{
	while (nr--)
		home_of[first++] = home;
}

static int decide_cap(struct kvmnuma_cf_engine *e, unsigned int nr_nodes,
		      u32 cap)
{
	struct kvmnuma_cf_round r = {
		.nr_nodes = nr_nodes,
		.period_us = period_us,
		.sample_period = 0,
		.page_node = page_node,
	};

	flush(e);
	return kvmnuma_cf_engine_decide(e, &r, out, cap, &st);
}

static int decide(struct kvmnuma_cf_engine *e, unsigned int nr_nodes)
{
	return decide_cap(e, nr_nodes, NR_OUT);
}

/* The host carries out the @n orders and reports success. */
static void apply(struct kvmnuma_cf_engine *e, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		assert_int_equal(home_of[out[i].gfn], out[i].from);
		home_of[out[i].gfn] = out[i].to;
		kvmnuma_cf_engine_moved(e, out[i].gfn, out[i].to, true);
	}
}

/* A small deterministic generator for the test streams themselves. */
static u32 lcg_state;

static u32 lcg(void)
{
	lcg_state = lcg_state * 1103515245u + 12345u;
	return lcg_state >> 16;
}

/*
 * Master-slave allocation: node 0 allocated everything, every node uses
 * it.  LAR 25%, imbalance 173%, node 0's share 100%: every hot page seen
 * from several nodes is interleaved, none stays on node 0, targets spread
 * evenly over nodes 1-3 (equal weights).
 */
static void master_slave_interleaves(void **state)
{
	struct kvmnuma_cf_engine *e = engine(1);
	int per_node[4] = { 0 }, n, i;
	u64 g;

	place(0, 300, 0);
	for (g = 0; g < 300; g++)
		for (i = 0; i < 4; i++)
			sample(e, g, i, 1);
	n = decide(e, 4);
	assert_int_equal(n, 300);
	assert_true(st.gate);
	assert_true(st.interleaving);
	assert_true(st.migrating);
	assert_int_equal(st.lar_pct, 25);
	assert_int_equal(st.imbalance_pct, 173);
	assert_int_equal(st.share_pct[0], 100);
	assert_int_equal(st.hot_pages, 300);
	assert_int_equal(st.nr_interleave, 300);
	assert_int_equal(st.nr_migrate, 0);
	for (i = 0; i < n; i++) {
		assert_int_equal(out[i].gfn, i);	/* first-sampled order */
		assert_int_equal(out[i].kind, KVMNUMA_CF_INTERLEAVE);
		assert_int_equal(out[i].from, 0);
		assert_in_range(out[i].to, 1, 3);
		per_node[out[i].to]++;
	}
	for (i = 1; i < 4; i++)
		assert_in_range(per_node[i], 75, 125);	/* 100 expected */
}

/*
 * Private per-thread data, already local: LAR 100%, so neither heuristic
 * runs, even when one node holds far more of the data (imbalance > 35%).
 */
static void private_data_stays(void **state)
{
	struct kvmnuma_cf_engine *e = engine(1);
	u64 g;
	u8 k;

	for (k = 0; k < 4; k++) {
		place(1000ULL * k, 100, k);
		for (g = 1000ULL * k; g < 1000ULL * k + 100; g++)
			sample(e, g, k, 3);
	}
	assert_int_equal(decide(e, 4), 0);
	assert_true(st.gate);
	assert_int_equal(st.lar_pct, 100);
	assert_int_equal(st.imbalance_pct, 0);
	assert_false(st.interleaving);
	assert_false(st.migrating);
	assert_int_equal(st.hot_pages, 400);

	/* Node 0 has 5 times the data of the others: imbalanced, local. */
	for (k = 0; k < 4; k++)
		for (g = 1000ULL * k; g < 1000ULL * k + (k ? 100 : 500); g++) {
			home_of[g] = k;
			sample(e, g, k, 2);
		}
	assert_int_equal(decide(e, 4), 0);
	assert_int_equal(st.lar_pct, 100);
	assert_true(st.imbalance_pct > 35);
	assert_false(st.interleaving);
	assert_int_equal(st.nr_interleave + st.nr_migrate, 0);
}

/*
 * Shared random access to a region homed on node 0, from all 4 nodes.
 * Oracle from the stream itself: a page seen from >= 2 nodes is
 * interleaved (node 0's share is 100%: probability 1); a page seen from a
 * single other node migrates there (1 sample suffices while interleaving);
 * a page seen only from node 0 stays.
 */
static void shared_random_interleaves(void **state)
{
	struct kvmnuma_cf_engine *e = engine(7);
	static u8 seen[500];
	int il = 0, mig = 0, n, i, bits;
	u32 g;
	u8 node;

	memset(seen, 0, sizeof(seen));
	place(0, 500, 0);
	lcg_state = 99;
	for (i = 0; i < 1500; i++) {
		g = lcg() % 500;
		node = lcg() % 4;
		seen[g] |= 1 << node;
		sample(e, g, node, 1);
	}
	for (g = 0; g < 500; g++) {
		bits = __builtin_popcount(seen[g]);
		if (bits >= 2)
			il++;
		else if (bits == 1 && seen[g] != 1)
			mig++;
	}
	assert_true(il > 100 && mig > 30);	/* the stream covers both */
	n = decide(e, 4);
	assert_true(st.interleaving);
	assert_int_equal(st.nr_interleave, il);
	assert_int_equal(st.nr_migrate, mig);
	assert_int_equal(n, il + mig);
	for (i = 0; i < n; i++) {
		g = out[i].gfn;
		assert_int_equal(out[i].from, 0);
		assert_int_not_equal(out[i].to, 0);
		if (__builtin_popcount(seen[g]) >= 2) {
			assert_int_equal(out[i].kind, KVMNUMA_CF_INTERLEAVE);
		} else {
			assert_int_equal(out[i].kind, KVMNUMA_CF_MIGRATE);
			assert_int_equal(1 << out[i].to, seen[g]);
		}
	}
}

/*
 * Pages on node 0 used only by node 1.  Homes balanced (imbalance 0%):
 * no interleaving, so migration needs 2 samples: the 100 pages sampled
 * twice move to node 1, the 50 sampled once do not, local pages stay.
 */
static void remote_only_migrates(void **state)
{
	struct kvmnuma_cf_engine *e = engine(1);
	int n, i;
	u64 g;

	place(0, 150, 0);
	place(200, 125, 1);
	for (g = 0; g < 100; g++)
		sample(e, g, 1, 2);
	for (g = 100; g < 150; g++)
		sample(e, g, 1, 1);
	for (g = 200; g < 325; g++)
		sample(e, g, 1, 2);
	n = decide(e, 2);
	assert_int_equal(st.lar_pct, 50);
	assert_int_equal(st.imbalance_pct, 0);
	assert_false(st.interleaving);
	assert_true(st.migrating);
	assert_int_equal(n, 100);
	assert_int_equal(st.nr_migrate, 100);
	for (i = 0; i < n; i++) {
		assert_int_equal(out[i].gfn, i);
		assert_int_equal(out[i].kind, KVMNUMA_CF_MIGRATE);
		assert_int_equal(out[i].from, 0);
		assert_int_equal(out[i].to, 1);
	}
}

/* LAR at 80% or more: no migration, remote pages or not. */
static void migrate_needs_low_lar(void **state)
{
	struct kvmnuma_cf_engine *e = engine(1);
	u64 g;

	place(0, 20, 0);	/* remote: 20 pages x 2 from node 1 */
	place(100, 80, 1);	/* local: 80 pages x 2 from node 1 */
	for (g = 0; g < 20; g++)
		sample(e, g, 1, 2);
	for (g = 100; g < 180; g++)
		sample(e, g, 1, 2);
	assert_int_equal(decide(e, 2), 0);
	assert_int_equal(st.lar_pct, 80);
	assert_false(st.migrating);
	assert_int_equal(st.imbalance_pct, 60);
	/* Interleaving runs (LAR < 100, imbalance > 35) but no page is seen
	 * from two nodes: nothing to interleave. */
	assert_true(st.interleaving);

	/* One more remote page: LAR 79% (truncated), all 21 migrate. */
	home_of[20] = 0;
	for (g = 0; g < 21; g++)
		sample(e, g, 1, 2);
	for (g = 100; g < 180; g++)
		sample(e, g, 1, 2);
	assert_int_equal(decide(e, 2), 21);
	assert_int_equal(st.lar_pct, 79);
	assert_true(st.migrating);
	assert_true(st.interleaving);
	assert_int_equal(st.nr_migrate, 21);
}

/* Pattern for the cooldown tests: pages 0-99 used by @node only. */
static void phase(struct kvmnuma_cf_engine *e, u8 node)
{
	u64 g;

	for (g = 0; g < 100; g++)
		sample(e, g, node, 2);
	for (g = 200; g < 300; g++)
		sample(e, g, 1, 2);	/* local to node 1 */
}

/*
 * Phase change: pages move to node 1 (round 0, feedback before round 1),
 * then node 0 becomes their only user.  Rounds 1-4 (cooldown 4) leave
 * them alone, round 5 moves them back, and the round after that does not
 * move them again (they are local).
 */
static void phase_change_respects_cooldown(void **state)
{
	struct kvmnuma_cf_engine *e = engine(1);
	int n, i, round;

	place(0, 100, 0);
	place(200, 100, 1);
	phase(e, 1);
	n = decide(e, 2);
	assert_int_equal(n, 100);
	apply(e, n);
	for (round = 1; round <= 4; round++) {
		phase(e, 0);
		assert_int_equal(decide(e, 2), 0);
		assert_int_equal(st.round, round);
		assert_true(st.migrating);
		assert_int_equal(st.hot_pages, 200);
		assert_int_equal(st.cooling, 100);
	}
	phase(e, 0);
	n = decide(e, 2);
	assert_int_equal(st.cooling, 0);
	assert_int_equal(n, 100);
	for (i = 0; i < n; i++) {
		assert_int_equal(out[i].kind, KVMNUMA_CF_MIGRATE);
		assert_int_equal(out[i].from, 1);
		assert_int_equal(out[i].to, 0);
	}
	apply(e, n);
	phase(e, 0);
	assert_int_equal(decide(e, 2), 0);
	assert_int_equal(st.lar_pct, 100);
}

/* Without feedback the cooldown runs from the round that decided. */
static void cooldown_without_feedback(void **state)
{
	struct kvmnuma_cf_engine *e = engine(1);
	int round;

	place(0, 100, 0);
	place(200, 100, 1);
	phase(e, 1);
	assert_int_equal(decide(e, 2), 100);
	for (round = 1; round <= 4; round++) {
		phase(e, 1);	/* the move never happened */
		assert_int_equal(decide(e, 2), 0);
		assert_int_equal(st.cooling, 100);
	}
	phase(e, 1);
	assert_int_equal(decide(e, 2), 100);
}

/*
 * A failure reported late (after round 2) restarts the cooldown from round
 * 2 and leaves the home alone: page 5 cools until round 6 and is then
 * ordered from node 0 again, while the other pages come back at round 5.
 */
static void failed_move_cools(void **state)
{
	struct kvmnuma_cf_engine *e = engine(1);
	int round;

	place(0, 100, 0);
	place(200, 100, 1);
	phase(e, 1);
	assert_int_equal(decide(e, 2), 100);
	for (round = 1; round <= 4; round++) {
		if (round == 3)
			kvmnuma_cf_engine_moved(e, 5, 1, false);
		phase(e, 1);	/* nothing moved */
		assert_int_equal(decide(e, 2), 0);
	}
	phase(e, 1);
	assert_int_equal(decide(e, 2), 99);
	assert_int_equal(st.cooling, 1);
	phase(e, 1);
	assert_int_equal(decide(e, 2), 0);	/* page 5: round 6 */
	phase(e, 1);
	assert_int_equal(decide(e, 2), 1);
	assert_int_equal(out[0].gfn, 5);
	assert_int_equal(out[0].from, 0);
	assert_int_equal(out[0].to, 1);
}

/* Without a page_node callback, homes come from kvmnuma_cf_engine_moved() only. */
static void feedback_sets_home(void **state)
{
	struct kvmnuma_cf_params p = KVMNUMA_CF_PARAMS_DEFAULT;
	struct kvmnuma_cf_round r = { .nr_nodes = 2, .period_us = 10000 };
	struct kvmnuma_cf_engine *e;

	p.cooldown_periods = 0;
	e = engine_with(mem_a, &p, 1);
	sample(e, 42, 1, 20);
	flush(e);
	assert_int_equal(kvmnuma_cf_engine_decide(e, &r, out, NR_OUT, &st), 0);
	assert_int_equal(st.unknown_home, 20);
	assert_int_equal(st.hot_pages, 0);
	assert_false(st.gate);		/* nothing known: stay idle */

	kvmnuma_cf_engine_moved(e, 42, 0, true);
	sample(e, 42, 1, 20);
	flush(e);
	assert_int_equal(kvmnuma_cf_engine_decide(e, &r, out, NR_OUT, &st), 1);
	assert_int_equal(out[0].gfn, 42);
	assert_int_equal(out[0].from, 0);
	assert_int_equal(out[0].to, 1);
}

/*
 * The gate: MAPTU ~= samples * sample period / period.  200 samples at
 * 65536 over 262144 us is exactly 50: open; one microsecond more: shut.
 */
static void gate_threshold(void **state)
{
	struct kvmnuma_cf_engine *e = engine(1);
	struct kvmnuma_cf_round r = {
		.nr_nodes = 2, .sample_period = 65536, .page_node = page_node,
	};
	u64 g;

	place(0, 100, 0);
	place(200, 100, 1);
	for (g = 0; g < 100; g++)
		sample(e, g, 1, 2);
	flush(e);
	r.period_us = 262145;
	assert_int_equal(kvmnuma_cf_engine_decide(e, &r, out, NR_OUT, &st), 0);
	assert_int_equal(st.samples, 200);
	assert_int_equal(st.maptu, 49);
	assert_false(st.gate);
	assert_false(st.migrating);
	assert_int_equal(st.lar_pct, 0);	/* still measured */
	assert_int_equal(st.hot_pages, 100);

	for (g = 0; g < 100; g++)
		sample(e, g, 1, 2);
	flush(e);
	r.period_us = 262144;
	assert_int_equal(kvmnuma_cf_engine_decide(e, &r, out, NR_OUT, &st), 100);
	assert_int_equal(st.maptu, 50);
	assert_true(st.gate);
}

/* Too few samples over a second: no decisions; a DRAM count overrides. */
static void gate_off_few_samples(void **state)
{
	struct kvmnuma_cf_engine *e = engine(1);
	struct kvmnuma_cf_round r = {
		.nr_nodes = 2, .period_us = 1000000, .page_node = page_node,
	};
	u64 g;

	place(0, 300, 0);
	for (g = 0; g < 300; g++)
		sample(e, g, 1, 2);	/* 600 samples < 763 */
	flush(e);
	assert_int_equal(kvmnuma_cf_engine_decide(e, &r, out, NR_OUT, &st), 0);
	assert_false(st.gate);
	assert_int_equal(st.maptu, 600ULL * 65536 / 1000000);

	for (g = 0; g < 300; g++)
		sample(e, g, 1, 2);
	flush(e);
	r.dram_accesses = 50000000;	/* counted: 50 per microsecond */
	assert_int_equal(kvmnuma_cf_engine_decide(e, &r, out, NR_OUT, &st), 300);
	assert_int_equal(st.maptu, 50);
}

/*
 * Caps: 150 new pages with room for 100: 50 samples dropped.  Pages that
 * are not cooling are forgotten after the round, so the next period has
 * room again; pages cooling keep their slots.
 */
static void tracked_pages_cap(void **state)
{
	struct kvmnuma_cf_params p = KVMNUMA_CF_PARAMS_DEFAULT;
	struct kvmnuma_cf_engine *e;
	u32 accepted;
	u64 g;

	p.max_tracked_pages = 100;
	p.max_tracked_pages_cheap = 100;
	e = engine_with(mem_a, &p, 1);
	place(0, 1000, 1);
	for (g = 0; g < 150; g++)
		sample(e, g, 1, 1);
	accepted = kvmnuma_cf_engine_add_samples(e, buf, nbuf);
	nbuf = 0;
	assert_int_equal(accepted, 100);
	assert_int_equal(decide(e, 2), 0);
	assert_int_equal(st.samples, 150);
	assert_int_equal(st.dropped, 50);
	assert_int_equal(st.pages, 100);

	for (g = 500; g < 650; g++)
		sample(e, g, 1, 1);
	assert_int_equal(decide(e, 2), 0);
	assert_int_equal(st.dropped, 50);
	assert_int_equal(st.pages, 100);

	/* 100 remote pages migrate and cool: they fill the table. */
	place(0, 100, 0);
	for (g = 0; g < 100; g++)
		sample(e, g, 1, 2);
	assert_int_equal(decide(e, 2), 100);
	for (g = 700; g < 750; g++)
		sample(e, g, 1, 1);
	assert_int_equal(decide(e, 2), 0);
	assert_int_equal(st.dropped, 50);
	assert_int_equal(st.pages, 0);
}

/* Many more pages than the default cap, and a sample burst: no crash. */
static void cap_stress(void **state)
{
	struct kvmnuma_cf_engine *e = engine(3);
	u64 g;
	int n;

	place(0, MAXG, 0);
	for (g = 0; g < MAXG; g++)
		sample(e, g, g % 4, 1 + (g & 1));
	n = decide(e, 4);
	assert_int_equal(st.samples, 60000);
	assert_int_equal(st.pages, 30000);
	assert_int_equal(st.dropped, 15000);	/* gfns 30000.. */
	assert_true(n > 0 && n <= 30000);
}

/*
 * Adaptive sampling: >= 10 orders -> accurate period next, fewer -> cheap.
 * At the cheap rate the cheap cap applies.
 */
static void adaptive_sampling(void **state)
{
	struct kvmnuma_cf_params p = KVMNUMA_CF_PARAMS_DEFAULT;
	struct kvmnuma_cf_engine *e;
	u64 g;

	p.max_tracked_pages = 100;
	p.max_tracked_pages_cheap = 40;
	p.cooldown_periods = 0;
	e = engine_with(mem_a, &p, 1);
	assert_int_equal(kvmnuma_cf_engine_sample_period(e), 65536);
	place(0, 100, 0);
	place(100, 100, 1);

	for (g = 0; g < 10; g++)
		sample(e, g, 1, 2);
	assert_int_equal(decide(e, 2), 10);
	assert_true(st.next_accurate);
	assert_int_equal(st.next_sample_period, 65536);
	assert_int_equal(kvmnuma_cf_engine_sample_period(e), 65536);

	place(0, 100, 0);
	for (g = 0; g < 9; g++)
		sample(e, g, 1, 2);
	assert_int_equal(decide(e, 2), 9);
	assert_false(st.next_accurate);
	assert_int_equal(st.next_sample_period, 262144);
	assert_int_equal(kvmnuma_cf_engine_sample_period(e), 262144);

	/* Cheap period: 40 pages tracked; 40 migrate, 10 orders: accurate. */
	place(0, 100, 0);
	for (g = 0; g < 100; g++)
		sample(e, g, 1, 2);
	assert_int_equal(decide(e, 2), 40);
	assert_int_equal(st.dropped, 120);
	assert_int_equal(st.maptu, 200ULL * 262144 / 10000);
	assert_true(st.next_accurate);
}

/* The 3-node stream of the probability and determinism tests. */
static void weighted_stream(struct kvmnuma_cf_engine *e)
{
	u64 g;

	place(0, 2000, 0);
	place(10000, 1000, 1);
	for (g = 0; g < 2000; g++) {
		sample(e, g, 1, 1);
		sample(e, g, 2, 1);
	}
	for (g = 10000; g < 11000; g++) {
		sample(e, g, 0, 1);
		sample(e, g, 1, 1);
	}
}

/*
 * Node 0: 4000 of 6000 accesses (66%), node 1: 2000 (33%, exactly the
 * mean: not overloaded), node 2: none.  Node 0's shared pages move with
 * probability 66%, to node 1 with weight 67 and node 2 with weight 100
 * (59.9% to node 2); node 1's shared pages never move.
 */
static void interleave_probability_and_weights(void **state)
{
	struct kvmnuma_cf_engine *e = engine(12345);
	int n, i, to2 = 0;

	weighted_stream(e);
	n = decide(e, 3);
	assert_int_equal(st.share_pct[0], 66);
	assert_int_equal(st.share_pct[1], 33);
	assert_int_equal(st.share_pct[2], 0);
	assert_int_equal(st.lar_pct, 16);
	assert_int_equal(st.imbalance_pct, 81);
	assert_true(st.interleaving);
	assert_int_equal(st.nr_migrate, 0);
	assert_int_equal(st.nr_interleave, n);
	assert_in_range(n, 1230, 1410);		/* 1333 expected */
	for (i = 0; i < n; i++) {
		assert_true(out[i].gfn < 2000);
		assert_int_equal(out[i].from, 0);
		assert_in_range(out[i].to, 1, 2);
		to2 += out[i].to == 2;
	}
	assert_in_range(to2 * 100 / n, 55, 65);
}

static void same_seed_same_decisions(void **state)
{
	struct kvmnuma_cf_params p = KVMNUMA_CF_PARAMS_DEFAULT;
	static struct kvmnuma_cf_decision first[NR_OUT];
	struct kvmnuma_cf_engine *a, *b;
	int na, nb, i, differ = 0;

	a = engine_with(mem_a, &p, 2024);
	b = engine_with(mem_b, &p, 2024);
	weighted_stream(a);
	na = decide(a, 3);
	memcpy(first, out, sizeof(first));
	weighted_stream(b);
	nb = decide(b, 3);
	assert_int_equal(na, nb);
	for (i = 0; i < na; i++) {
		assert_int_equal(first[i].gfn, out[i].gfn);
		assert_int_equal(first[i].to, out[i].to);
		assert_int_equal(first[i].kind, out[i].kind);
	}

	b = engine_with(mem_b, &p, 2025);
	weighted_stream(b);
	nb = decide(b, 3);
	for (i = 0; i < na && i < nb; i++)
		differ += first[i].gfn != out[i].gfn || first[i].to != out[i].to;
	assert_true(na != nb || differ);
}

/* A full output: extra orders counted, not marked moved, decided later. */
static void output_capacity(void **state)
{
	struct kvmnuma_cf_engine *e = engine(1);
	int n;
	u64 g;

	place(0, 100, 0);
	place(200, 100, 1);
	for (g = 0; g < 100; g++)
		sample(e, g, 1, 2);
	for (g = 200; g < 300; g++)
		sample(e, g, 1, 2);
	n = decide_cap(e, 2, 30);
	assert_int_equal(n, 30);
	assert_int_equal(st.truncated, 70);
	assert_int_equal(out[29].gfn, 29);
	assert_true(st.next_accurate);

	for (g = 0; g < 100; g++)
		sample(e, g, 1, 2);
	for (g = 200; g < 300; g++)
		sample(e, g, 1, 2);
	n = decide(e, 2);
	assert_int_equal(n, 70);
	assert_int_equal(st.cooling, 30);
	assert_int_equal(out[0].gfn, 30);
}

static void bad_inputs(void **state)
{
	struct kvmnuma_cf_params p = KVMNUMA_CF_PARAMS_DEFAULT;
	struct kvmnuma_cf_round r = { .nr_nodes = 0, .period_us = 1000 };
	struct kvmnuma_cf_sample s[3] = {
		{ .gfn = 1, .node = 8 },
		{ .gfn = 1, .node = 3, .flags = KVMNUMA_CF_WRITE },
		{ .gfn = 1, .node = 0 },
	};
	struct kvmnuma_cf_engine *e;
	size_t size = kvmnuma_cf_engine_size(&p);

	assert_null(kvmnuma_cf_engine_init(mem_a, size - 1, &p, 0));
	assert_null(kvmnuma_cf_engine_init((u8 *)mem_a + 4, size, &p, 0));
	p.max_tracked_pages_cheap = p.max_tracked_pages + 1;
	assert_int_equal(kvmnuma_cf_engine_size(&p), 0);
	assert_null(kvmnuma_cf_engine_init(mem_a, sizeof(mem_a), &p, 0));
	p.max_tracked_pages_cheap = 0;
	p.max_tracked_pages = 0;
	assert_int_equal(kvmnuma_cf_engine_size(&p), 0);

	e = engine(0);
	assert_int_equal(kvmnuma_cf_engine_add_samples(e, s, 3), 2);
	assert_int_equal(kvmnuma_cf_engine_decide(e, &r, out, NR_OUT, &st), -EINVAL);
	r.nr_nodes = KVMNUMA_CF_MAX_NODES + 1;
	assert_int_equal(kvmnuma_cf_engine_decide(e, &r, out, NR_OUT, &st), -EINVAL);
	r.nr_nodes = 2;
	r.period_us = 0;
	assert_int_equal(kvmnuma_cf_engine_decide(e, &r, out, NR_OUT, &st), -EINVAL);
	/* The period stayed open: a valid round still sees its samples. */
	r.period_us = 1000;
	r.page_node = page_node;
	home_of[1] = 0;
	assert_int_equal(kvmnuma_cf_engine_decide(e, &r, out, NR_OUT, &st), 0);
	assert_int_equal(st.samples, 3);
	assert_int_equal(st.write_samples, 1);
	assert_int_equal(st.invalid, 2);	/* node 8; node 3 of 2 */
	assert_int_equal(st.pages, 1);
	assert_int_equal(st.lar_pct, 100);
}

/*
 * A host node the engine cannot tell apart (>= KVMNUMA_CF_MAX_NODES, or
 * >= 256 where a u8 would wrap it) is an invalid sample, never another
 * node: node 257 from a big host is not node 1.
 */
static void far_node_is_unknown_not_wrapped(void **state)
{
	struct kvmnuma_cf_round r = { .nr_nodes = 2, .period_us = 1000,
				      .page_node = page_node };
	struct kvmnuma_cf_sample s[2] = {
		{ .gfn = 1, .node = kvmnuma_cf_sample_node(257) },
		{ .gfn = 1, .node = kvmnuma_cf_sample_node(256) },
	};
	struct kvmnuma_cf_engine *e = engine(0);

	assert_int_equal(kvmnuma_cf_sample_node(257), KVMNUMA_CF_NO_NODE);
	assert_int_equal(kvmnuma_cf_sample_node(0), 0);
	assert_int_equal(kvmnuma_cf_sample_node(KVMNUMA_CF_MAX_NODES - 1),
			 KVMNUMA_CF_MAX_NODES - 1);
	assert_int_equal(kvmnuma_cf_sample_node(KVMNUMA_CF_MAX_NODES),
			 KVMNUMA_CF_NO_NODE);
	assert_int_equal(kvmnuma_cf_sample_node(-1), KVMNUMA_CF_NO_NODE);

	home_of[1] = 0;
	kvmnuma_cf_engine_add_samples(e, s, 2);
	assert_int_equal(kvmnuma_cf_engine_decide(e, &r, out, NR_OUT, &st), 0);
	assert_int_equal(st.samples, 2);
	assert_int_equal(st.invalid, 2);	/* not node 1 and node 0 */
}

#define T(f) cmocka_unit_test_setup(f, setup)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(master_slave_interleaves),
		T(private_data_stays),
		T(shared_random_interleaves),
		T(remote_only_migrates),
		T(migrate_needs_low_lar),
		T(phase_change_respects_cooldown),
		T(cooldown_without_feedback),
		T(failed_move_cools),
		T(feedback_sets_home),
		T(gate_threshold),
		T(gate_off_few_samples),
		T(tracked_pages_cap),
		T(cap_stress),
		T(adaptive_sampling),
		T(interleave_probability_and_weights),
		T(same_seed_same_decisions),
		T(output_capacity),
		T(bad_inputs),
		T(far_node_is_unknown_not_wrapped),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
