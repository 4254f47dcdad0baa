// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "carrefour.h"
#include "advise.h"

#define NO_NODE		0xff
#define COUNT_MAX	0xffff
#define MAX_TRACKED	(1U << 30)
#define GOLDEN64	0x9e3779b97f4a7c15ULL

/* A tracked page: its samples of the period per accessing node. */
struct cf_page {
	u64 gfn;
	u32 moved;		/* round of its last move + 1; 0: never moved */
	u16 count[KVMNUMA_CF_MAX_NODES];
	u8 home;		/* last known home node, NO_NODE if unknown */
};

/*
 * The state area: this header, then the pages in the order they were
 * first sampled (dense, so rounds walk them in a deterministic order),
 * then an open-addressing (linear probing) index of 1 + page number keyed
 * by gfn, at most half full, rebuilt after each round.
 */
struct kvmnuma_cf_engine {
	struct kvmnuma_cf_params p;
	u64 rng;
	u64 samples;
	u64 write_samples;
	u64 dropped;
	u64 invalid;
	u32 round;
	u32 nr_pages;
	u32 index_bits;
	bool accurate;
	struct cf_page *pages;
	u32 *index;
};

static u32 index_bits_for(u32 max_pages)
{
	u32 bits = 4;

	while ((1ULL << bits) < 2ULL * max_pages)
		bits++;
	return bits;
}

static bool params_valid(const struct kvmnuma_cf_params *p)
{
	return p->max_tracked_pages && p->max_tracked_pages <= MAX_TRACKED &&
	       p->max_tracked_pages_cheap <= p->max_tracked_pages &&
	       p->sample_period_accurate && p->sample_period_cheap;
}

static size_t pages_offset(void)
{
	return (sizeof(struct kvmnuma_cf_engine) + 7) & ~(size_t)7;
}

size_t kvmnuma_cf_engine_size(const struct kvmnuma_cf_params *params)
{
	if (!params_valid(params))
		return 0;
	return pages_offset() +
	       (size_t)params->max_tracked_pages * sizeof(struct cf_page) +
	       ((size_t)1 << index_bits_for(params->max_tracked_pages)) *
	       sizeof(u32);
}

struct kvmnuma_cf_engine *kvmnuma_cf_engine_init(void *mem, size_t size,
					  const struct kvmnuma_cf_params *params,
					  u64 seed)
{
	size_t need = kvmnuma_cf_engine_size(params);
	struct kvmnuma_cf_engine *e = mem;

	if (!need || size < need || !mem || ((uintptr_t)mem & 7))
		return NULL;
	memset(e, 0, sizeof(*e));
	e->p = *params;
	e->rng = seed;
	e->accurate = true;
	e->index_bits = index_bits_for(params->max_tracked_pages);
	e->pages = (struct cf_page *)((u8 *)mem + pages_offset());
	e->index = (u32 *)(e->pages + params->max_tracked_pages);
	memset(e->index, 0, ((size_t)1 << e->index_bits) * sizeof(u32));
	return e;
}

/* splitmix64: tiny, any seed (0 included) is fine, same on every build. */
static u64 rng_next(struct kvmnuma_cf_engine *e)
{
	u64 z = (e->rng += GOLDEN64);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Uniform enough in [0, n) for n <= 800: the modulo bias is < 2^-54. */
static u32 rng_below(struct kvmnuma_cf_engine *e, u32 n)
{
	return (u32)(rng_next(e) % n);
}

static u32 *index_slot(struct kvmnuma_cf_engine *e, u64 gfn)
{
	u32 mask = (1U << e->index_bits) - 1;
	u32 i = (u32)((gfn * GOLDEN64) >> (64 - e->index_bits));

	/* At most half full: the probe always ends on an empty slot. */
	while (e->index[i] && e->pages[e->index[i] - 1].gfn != gfn)
		i = (i + 1) & mask;
	return &e->index[i];
}

static u32 tracked_cap(const struct kvmnuma_cf_engine *e)
{
	return e->accurate ? e->p.max_tracked_pages :
			     e->p.max_tracked_pages_cheap;
}

/* The page of @gfn, tracking it if new and there is room; NULL if not. */
static struct cf_page *find_page(struct kvmnuma_cf_engine *e, u64 gfn)
{
	u32 *slot = index_slot(e, gfn);
	struct cf_page *pg;

	if (*slot)
		return &e->pages[*slot - 1];
	if (e->nr_pages >= tracked_cap(e))
		return NULL;
	pg = &e->pages[e->nr_pages++];
	memset(pg, 0, sizeof(*pg));
	pg->gfn = gfn;
	pg->home = NO_NODE;
	*slot = e->nr_pages;
	return pg;
}

u32 kvmnuma_cf_engine_add_samples(struct kvmnuma_cf_engine *e,
			   const struct kvmnuma_cf_sample *samples, u32 nr)
{
	const struct kvmnuma_cf_sample *s;
	struct cf_page *pg;
	u32 i, accounted = 0;

	for (i = 0; i < nr; i++) {
		s = &samples[i];
		e->samples++;
		if (s->flags & KVMNUMA_CF_WRITE)
			e->write_samples++;
		if (s->node >= KVMNUMA_CF_MAX_NODES) {
			e->invalid++;
			continue;
		}
		pg = find_page(e, s->gfn);
		if (!pg) {
			e->dropped++;
			continue;
		}
		if (pg->count[s->node] < COUNT_MAX)
			pg->count[s->node]++;
		accounted++;
	}
	return accounted;
}

/* Moved within the last cooldown_periods rounds before @round. */
static bool cooling(const struct kvmnuma_cf_engine *e,
		    const struct cf_page *pg, u32 round)
{
	return pg->moved && round + 1 - pg->moved <= e->p.cooldown_periods;
}

/*
 * Interleave target: any node but @home, drawn with weight 100 minus its
 * share of the accesses.  Returns NO_NODE when no node has weight.
 */
static u8 interleave_target(struct kvmnuma_cf_engine *e,
			    const struct kvmnuma_cf_stats *s,
			    unsigned int nr_nodes, u8 home)
{
	u32 weight = 0, draw;
	unsigned int n;

	for (n = 0; n < nr_nodes; n++)
		if (n != home)
			weight += 100 - s->share_pct[n];
	if (!weight)
		return NO_NODE;
	draw = rng_below(e, weight);
	for (n = 0; n < nr_nodes; n++) {
		if (n == home)
			continue;
		if (draw < 100 - s->share_pct[n])
			return n;
		draw -= 100 - s->share_pct[n];
	}
	return NO_NODE;
}

/* Resolves homes, fills the matrix and the sample counts of @s. */
static void account_period(struct kvmnuma_cf_engine *e,
			   const struct kvmnuma_cf_round *r,
			   u64 *matrix, u64 *per_home,
			   struct kvmnuma_cf_stats *s)
{
	unsigned int nr = r->nr_nodes, a;
	struct cf_page *pg;
	u64 valid, stray;
	int node;
	u32 i;

	for (i = 0; i < e->nr_pages; i++) {
		pg = &e->pages[i];
		valid = 0;
		stray = 0;
		for (a = 0; a < KVMNUMA_CF_MAX_NODES; a++) {
			if (a < nr)
				valid += pg->count[a];
			else
				stray += pg->count[a];
		}
		s->invalid += stray;
		if (!valid && !stray)
			continue;	/* only cooling */
		s->pages++;
		if (r->page_node) {
			node = r->page_node(r->ctx, pg->gfn);
			pg->home = node >= 0 && node < (int)nr ? node : NO_NODE;
		}
		if (pg->home >= nr) {
			s->unknown_home += valid;
			continue;
		}
		for (a = 0; a < nr; a++)
			matrix[a * nr + pg->home] += pg->count[a];
		per_home[pg->home] += valid;
	}
}

/* The gate and which heuristics run, from the period's totals. */
static void choose_heuristics(struct kvmnuma_cf_engine *e,
			      const struct kvmnuma_cf_round *r,
			      const u64 *matrix, const u64 *per_home,
			      struct kvmnuma_cf_stats *s)
{
	u64 period = r->sample_period ? r->sample_period :
			kvmnuma_cf_engine_sample_period(e);
	struct kvmnuma_numa_metrics m;
	u64 dram = r->dram_accesses;
	unsigned int n;

	if (!dram)
		dram = e->samples && period > ~0ULL / e->samples ?
		       ~0ULL : e->samples * period;
	/* floor(dram / period_us) >= k exactly when dram >= k * period_us */
	s->maptu = dram / r->period_us;
	if (kvmnuma_numa_metrics(matrix, r->nr_nodes, &m))
		return;		/* no sample with a known home: stay idle */
	s->lar_pct = m.locality_pct;
	s->imbalance_pct = m.imbalance_pct;
	for (n = 0; n < r->nr_nodes; n++)
		s->share_pct[n] = (u32)(100 * per_home[n] / m.total);
	s->gate = s->maptu >= e->p.maptu_min;
	s->interleaving = s->gate && r->nr_nodes > 1 &&
			  s->lar_pct < e->p.lar_interleave_max &&
			  s->imbalance_pct > e->p.imbalance_interleave_min;
	s->migrating = s->gate && s->lar_pct < e->p.lar_migrate_max;
}

/* Drops pages that need no memory across rounds; rebuilds the index. */
static void end_period(struct kvmnuma_cf_engine *e)
{
	struct cf_page *pg;
	u32 i, kept = 0;

	e->round++;
	memset(e->index, 0, ((size_t)1 << e->index_bits) * sizeof(u32));
	for (i = 0; i < e->nr_pages; i++) {
		pg = &e->pages[i];
		if (!cooling(e, pg, e->round))
			continue;
		memset(pg->count, 0, sizeof(pg->count));
		if (kept != i)
			e->pages[kept] = *pg;
		kept++;
		*index_slot(e, e->pages[kept - 1].gfn) = kept;
	}
	e->nr_pages = kept;
	e->samples = 0;
	e->write_samples = 0;
	e->dropped = 0;
	e->invalid = 0;
}

int kvmnuma_cf_engine_decide(struct kvmnuma_cf_engine *e,
		      const struct kvmnuma_cf_round *r,
		      struct kvmnuma_cf_decision *out, u32 cap,
		      struct kvmnuma_cf_stats *stats)
{
	u64 matrix[KVMNUMA_CF_MAX_NODES * KVMNUMA_CF_MAX_NODES] = { 0 };
	u64 per_home[KVMNUMA_CF_MAX_NODES] = { 0 };
	unsigned int nr = r->nr_nodes, a, seen;
	struct kvmnuma_cf_stats s;
	u32 i, total, n = 0, min_migrate;
	u64 known = 0;
	struct cf_page *pg;
	u8 from, to, kind, only;

	if (!nr || nr > KVMNUMA_CF_MAX_NODES || !r->period_us)
		return -EINVAL;
	memset(&s, 0, sizeof(s));
	s.round = e->round;
	s.samples = e->samples;
	s.write_samples = e->write_samples;
	s.dropped = e->dropped;
	s.invalid = e->invalid;
	account_period(e, r, matrix, per_home, &s);
	choose_heuristics(e, r, matrix, per_home, &s);
	for (a = 0; a < nr; a++)
		known += per_home[a];
	min_migrate = s.interleaving ? e->p.migrate_min_samples_interleaving :
				       e->p.migrate_min_samples;

	for (i = 0; i < e->nr_pages; i++) {
		pg = &e->pages[i];
		from = pg->home;
		total = 0;
		seen = 0;
		only = NO_NODE;
		for (a = 0; a < nr; a++) {
			if (!pg->count[a])
				continue;
			total += pg->count[a];
			seen++;
			only = a;
		}
		if (!total || from >= nr || total < e->p.hot_min_samples)
			continue;
		s.hot_pages++;
		if (cooling(e, pg, e->round)) {
			s.cooling++;
			continue;
		}
		kind = 0;
		to = NO_NODE;
		/* Its node overloaded: its share of the accesses above the mean. */
		if (s.interleaving && seen > 1 && per_home[from] * nr > known &&
		    rng_below(e, 100) < s.share_pct[from]) {
			to = interleave_target(e, &s, nr, from);
			kind = KVMNUMA_CF_INTERLEAVE;
		} else if (s.migrating && seen == 1 && only != from &&
			   total >= min_migrate) {
			to = only;
			kind = KVMNUMA_CF_MIGRATE;
		}
		if (!kind || to == NO_NODE)
			continue;
		if (n == cap) {
			s.truncated++;
			continue;
		}
		out[n].gfn = pg->gfn;
		out[n].from = from;
		out[n].to = to;
		out[n].kind = kind;
		n++;
		if (kind == KVMNUMA_CF_INTERLEAVE)
			s.nr_interleave++;
		else
			s.nr_migrate++;
		pg->moved = e->round + 1;
	}

	e->accurate = n + s.truncated >= e->p.accurate_min_orders;
	s.next_accurate = e->accurate;
	s.next_sample_period = kvmnuma_cf_engine_sample_period(e);
	end_period(e);
	if (stats)
		*stats = s;
	return n;
}

void kvmnuma_cf_engine_moved(struct kvmnuma_cf_engine *e, u64 gfn, int node,
		      bool ok)
{
	struct cf_page *pg = find_page(e, gfn);

	if (!pg)
		return;
	if (ok && node >= 0 && node < KVMNUMA_CF_MAX_NODES)
		pg->home = node;
	/*
	 * Count the cooldown from the last round, the one that ordered the
	 * move when the feedback is timely (before the first round: round 0).
	 */
	pg->moved = e->round ? e->round : 1;
}

u64 kvmnuma_cf_engine_sample_period(const struct kvmnuma_cf_engine *e)
{
	return e->accurate ? e->p.sample_period_accurate :
			     e->p.sample_period_cheap;
}
