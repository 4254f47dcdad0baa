/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The Carrefour decision engine (Dashti et al., ASPLOS 2013; thesis
 * sections 2.2 and 5.1), deterministic and independent of where samples
 * come from: the host module feeds it IBS samples, the unit tests feed it
 * synthetic streams.  It decides; it moves nothing.  Its orders go to
 * kvmnumad, which moves the pages with move_pages(2) and reports back
 * through kvmnuma_cf_engine_moved().
 *
 * Per period the caller adds the samples taken during the period, then
 * asks for a decision round:
 *
 * - Gate: act only when the VM is memory-intensive.  Carrefour reads MAPTU
 *   (DRAM accesses per microsecond) from per-node DRAM counters; KVM has
 *   none per VM, so the engine estimates it from the samples (see
 *   struct kvmnuma_cf_round), unless the caller has a DRAM access count.
 *   LAR (local access ratio) and imbalance (relative standard deviation of
 *   the accesses per home node) are computed on the samples, with
 *   kvmnuma_numa_metrics() of advise.h (the adviser's own metric).
 * - Hot pages: pages with at least hot_min_samples samples this period.
 * - Interleave, when LAR < 100% and imbalance > 35%: a hot page seen from
 *   more than one node whose home node is overloaded (its share of the
 *   accesses exceeds the mean share) moves with a probability equal to
 *   that share, to another node drawn with weight (100 - its share).
 * - Migrate, when LAR < 80%: a hot page seen from exactly one node, not
 *   its home, moves to that node; it needs 2 samples when interleaving is
 *   off this round, 1 when it is on.
 * - Per page, interleave takes precedence over migrate; a page moved is
 *   not moved again for cooldown_periods rounds.
 * - Adaptive sampling: the next period should sample at the accurate rate
 *   when this round produced at least 10 orders, else at the cheap rate.
 *
 * Carrefour's third heuristic, replication of read-mostly pages, is
 * deliberately absent: it needs one copy of a guest page per host node
 * behind a single guest frame, i.e. per-node TDP roots, which KVM cannot
 * provide without core changes.  Write samples (KVMNUMA_CF_WRITE) are
 * counted in the statistics only.
 *
 * The engine lives in one memory area the caller provides (sized with
 * kvmnuma_cf_engine_size(); vmalloc() in the kernel): no allocation, no
 * floating point, no locking (the caller serialises calls on an engine).
 */
#ifndef KVMNUMA_COMMON_CARREFOUR_H
#define KVMNUMA_COMMON_CARREFOUR_H

#include "compat.h"

/* Host nodes the engine can tell apart. */
#define KVMNUMA_CF_MAX_NODES	8

/* kvmnuma_cf_sample.node of an access from a node the engine cannot tell. */
#define KVMNUMA_CF_NO_NODE	0xff

/*
 * The kvmnuma_cf_sample.node for host node @node (any int): itself when
 * below KVMNUMA_CF_MAX_NODES, else KVMNUMA_CF_NO_NODE, which the engine
 * and the access matrix ignore.  Never wraps: node 257 is not node 1.
 */
static inline u8 kvmnuma_cf_sample_node(int node)
{
	return node >= 0 && node < KVMNUMA_CF_MAX_NODES ? (u8)node :
							 KVMNUMA_CF_NO_NODE;
}

/* kvmnuma_cf_sample.flags */
#define KVMNUMA_CF_WRITE	0x1

/**
 * struct kvmnuma_cf_sample - one sampled guest memory access
 * @gfn: guest frame accessed
 * @vcpu: vCPU that made the access (informational)
 * @node: host node of the CPU that made the access, see
 *	kvmnuma_cf_sample_node()
 * @flags: KVMNUMA_CF_WRITE for a store
 */
struct kvmnuma_cf_sample {
	u64 gfn;
	u16 vcpu;
	u8 node;
	u8 flags;
};

enum kvmnuma_cf_kind {
	KVMNUMA_CF_MIGRATE = 1,
	KVMNUMA_CF_INTERLEAVE = 2,
};

/**
 * struct kvmnuma_cf_decision - an order: move @gfn from node @from to @to
 * @gfn: guest frame
 * @from: its home node when decided
 * @to: target node
 * @kind: enum kvmnuma_cf_kind
 */
struct kvmnuma_cf_decision {
	u64 gfn;
	u8 from;
	u8 to;
	u8 kind;
};

/**
 * struct kvmnuma_cf_params - tunables; KVMNUMA_CF_PARAMS_DEFAULT gives the
 * published Carrefour defaults (Documentation/architecture.rst)
 * @maptu_min: gate, DRAM accesses per microsecond (Carrefour: 50)
 * @lar_interleave_max: interleave only when LAR (%) is below this (100)
 * @imbalance_interleave_min: interleave only when imbalance (%) exceeds
 *	this (35)
 * @lar_migrate_max: migrate only when LAR (%) is below this (80)
 * @hot_min_samples: samples in a period that make a page hot (1: every
 *	sampled page, as the published code; the thesis' Xen port used
 *	"more than two", i.e. 3)
 * @migrate_min_samples: samples a page needs to migrate when interleaving
 *	is off this round (2)
 * @migrate_min_samples_interleaving: same when interleaving is on (1)
 * @cooldown_periods: rounds, after the round that ordered a move, during
 *	which the page is not moved again (4: kvmnumad carries moves out
 *	during the next period, whose samples still partly see the old
 *	home, and a page should not bounce between nodes)
 * @max_tracked_pages: pages tracked at the accurate rate (30000); sizes
 *	the state
 * @max_tracked_pages_cheap: pages tracked at the cheap rate (10000)
 * @accurate_min_orders: orders in a round that switch the next period to
 *	the accurate rate (10)
 * @sample_period_accurate: IBS period of the accurate rate (65536)
 * @sample_period_cheap: IBS period of the cheap rate (262144)
 */
struct kvmnuma_cf_params {
	u32 maptu_min;
	u32 lar_interleave_max;
	u32 imbalance_interleave_min;
	u32 lar_migrate_max;
	u32 hot_min_samples;
	u32 migrate_min_samples;
	u32 migrate_min_samples_interleaving;
	u32 cooldown_periods;
	u32 max_tracked_pages;
	u32 max_tracked_pages_cheap;
	u32 accurate_min_orders;
	u32 sample_period_accurate;
	u32 sample_period_cheap;
};

#define KVMNUMA_CF_PARAMS_DEFAULT {			\
	.maptu_min = 50,				\
	.lar_interleave_max = 100,			\
	.imbalance_interleave_min = 35,			\
	.lar_migrate_max = 80,				\
	.hot_min_samples = 1,				\
	.migrate_min_samples = 2,			\
	.migrate_min_samples_interleaving = 1,		\
	.cooldown_periods = 4,				\
	.max_tracked_pages = 30000,			\
	.max_tracked_pages_cheap = 10000,		\
	.accurate_min_orders = 10,			\
	.sample_period_accurate = 65536,		\
	.sample_period_cheap = 262144,			\
}

/**
 * struct kvmnuma_cf_round - what a decision round needs besides samples
 * @nr_nodes: host nodes, 1..KVMNUMA_CF_MAX_NODES; samples from a node
 *	>= @nr_nodes are ignored
 * @period_us: length of the period the samples cover, microseconds
 * @sample_period: IBS period used during the period, in ops; 0: the one
 *	the engine asked for (kvmnuma_cf_engine_sample_period())
 * @dram_accesses: DRAM accesses of the VM during the period if a counter
 *	gives them, else 0
 * @page_node: host node backing @gfn, or -1 if unknown or absent; called
 *	once per sampled page per round.  NULL: use the nodes reported
 *	through kvmnuma_cf_engine_moved() (known only while the page stays tracked)
 * @ctx: passed to @page_node
 *
 * The MAPTU estimate without @dram_accesses: IBS tags one op every
 * @sample_period ops and the sampler keeps the tagged ops that reached
 * DRAM, so each kept sample stands for @sample_period DRAM accesses on
 * average: MAPTU ~= samples * @sample_period / @period_us (exact in
 * expectation when IBS counts dispatched ops; off by the IPC when it
 * counts cycles).  With the defaults (50 MAPTU, 1 s periods) the gate
 * opens at 763 samples per second at the accurate period and 191 at the
 * cheap one: a synthetic feeder passes it with 1000 samples per 1 s
 * period declared at the accurate period, or by declaring @dram_accesses.
 */
struct kvmnuma_cf_round {
	unsigned int nr_nodes;
	u64 period_us;
	u64 sample_period;
	u64 dram_accesses;
	int (*page_node)(void *ctx, u64 gfn);
	void *ctx;
};

/**
 * struct kvmnuma_cf_stats - what a decision round saw and did
 * @round: number of the round, from 0
 * @samples: samples added during the period, all of them
 * @write_samples: those with KVMNUMA_CF_WRITE
 * @dropped: samples of new pages refused because the table was full
 * @invalid: samples from a node >= KVMNUMA_CF_MAX_NODES or >= nr_nodes
 * @unknown_home: samples on pages whose home node was unknown
 * @pages: pages sampled during the period
 * @hot_pages: of those, hot pages with a known home
 * @cooling: hot pages left alone because they moved recently
 * @maptu: estimated (or counted) DRAM accesses per microsecond
 * @lar_pct: local access ratio of the samples, %
 * @imbalance_pct: relative standard deviation of the samples per home
 *	node, %
 * @share_pct: share of the samples homed on each node, %
 * @gate: the VM was memory-intensive: heuristics could run
 * @interleaving: the interleave heuristic ran
 * @migrating: the migrate heuristic ran
 * @nr_interleave: interleave orders written
 * @nr_migrate: migrate orders written
 * @truncated: orders decided but left out because the output was full
 *	(those pages are not marked moved and may be decided again)
 * @next_accurate: the next period should sample at the accurate rate
 * @next_sample_period: the IBS period for the next period
 */
struct kvmnuma_cf_stats {
	u64 round;
	u64 samples;
	u64 write_samples;
	u64 dropped;
	u64 invalid;
	u64 unknown_home;
	u32 pages;
	u32 hot_pages;
	u32 cooling;
	u64 maptu;
	u32 lar_pct;
	u32 imbalance_pct;
	u32 share_pct[KVMNUMA_CF_MAX_NODES];
	bool gate;
	bool interleaving;
	bool migrating;
	u32 nr_interleave;
	u32 nr_migrate;
	u32 truncated;
	bool next_accurate;
	u64 next_sample_period;
};

struct kvmnuma_cf_engine;

/**
 * kvmnuma_cf_engine_size() - bytes of the memory area an engine needs
 * @params: tunables
 *
 * Return: the size, or 0 if @params are invalid (no tracked pages, cheap
 * cap above the accurate one, more than 2^30 tracked pages).
 */
size_t kvmnuma_cf_engine_size(const struct kvmnuma_cf_params *params);

/**
 * kvmnuma_cf_engine_init() - set up an engine in a caller-provided area
 * @mem: area, 8-byte aligned, of at least kvmnuma_cf_engine_size() bytes
 * @size: size of @mem
 * @params: tunables, copied
 * @seed: seed of the engine's pseudo-random generator (interleave draws):
 *	the same seed and the same inputs give the same decisions
 *
 * The engine starts at the accurate sampling rate.
 *
 * Return: the engine (inside @mem), or NULL if @mem is too small or
 * misaligned or @params are invalid.
 */
struct kvmnuma_cf_engine *kvmnuma_cf_engine_init(void *mem, size_t size,
					  const struct kvmnuma_cf_params *params,
					  u64 seed);

/**
 * kvmnuma_cf_engine_add_samples() - account samples of the current period
 * @e: engine
 * @samples: samples
 * @nr: how many
 *
 * A sample of a page not yet tracked starts tracking it, unless the table
 * holds its cap of pages for the current rate: then it is dropped (and
 * counted).
 *
 * Return: samples accounted (@nr minus dropped and invalid ones).
 */
u32 kvmnuma_cf_engine_add_samples(struct kvmnuma_cf_engine *e,
			   const struct kvmnuma_cf_sample *samples, u32 nr);

/**
 * kvmnuma_cf_engine_decide() - end the period: run the heuristics
 * @e: engine
 * @round: nodes, period, page homes
 * @out: orders, in the order pages were first sampled
 * @cap: capacity of @out
 * @stats: filled in (may be NULL)
 *
 * Pages ordered are marked moved (their cooldown starts); per-period
 * counts are reset; pages neither sampled again nor cooling are forgotten.
 *
 * Return: orders written, or -EINVAL for a bad @round (the period is then
 * left open).
 */
int kvmnuma_cf_engine_decide(struct kvmnuma_cf_engine *e,
		      const struct kvmnuma_cf_round *round,
		      struct kvmnuma_cf_decision *out, u32 cap,
		      struct kvmnuma_cf_stats *stats);

/**
 * kvmnuma_cf_engine_moved() - feedback on an order
 * @e: engine
 * @gfn: guest frame
 * @node: node the page is on now (used if @ok)
 * @ok: the move succeeded
 *
 * Records @node as the page's home if @ok (the home used when the round
 * has no page_node callback), and restarts its cooldown either way, so
 * that a failing page is not retried every round: the page is left alone
 * for cooldown_periods rounds after the last round decided before this
 * call.  Tracks the page if it is not (and there is room).
 */
void kvmnuma_cf_engine_moved(struct kvmnuma_cf_engine *e, u64 gfn, int node,
		      bool ok);

/**
 * kvmnuma_cf_engine_sample_period() - IBS period the current period should use
 * @e: engine
 *
 * Return: params.sample_period_accurate or params.sample_period_cheap.
 */
u64 kvmnuma_cf_engine_sample_period(const struct kvmnuma_cf_engine *e);

#endif /* KVMNUMA_COMMON_CARREFOUR_H */
