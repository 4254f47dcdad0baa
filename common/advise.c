// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "advise.h"

u32 kvmnuma_isqrt(u64 x)
{
	u64 r = 0, bit = 1ULL << 62;

	/* Digit by digit, base 4: no division, exact for every u64. */
	while (bit > x)
		bit >>= 2;
	while (bit) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
		bit >>= 2;
	}
	return (u32)r;
}

/*
 * Relative standard deviation of @per_node, in %, truncated.  With T the
 * sum and N the node count, sd / mean = sqrt(N * sum(h^2) - T^2) / T.
 * Table 4.1 of the thesis confirms the population form (divide by N): on
 * its 8-node machine the largest imbalance it reports, 263% for ep.D, is
 * just under 100 * sqrt(7) = 264%, the value when one node is home to every
 * access; the sample form would allow up to 100 * sqrt(8) = 282%.
 */
static u32 imbalance_pct(const u64 *per_node, unsigned int nr_nodes, u64 total)
{
	u64 sum = 0, sum_sq = 0, h;
	unsigned int shift = 0, i;

	/*
	 * Scale so that the scaled total stays below 2^22: then N * sum(h^2)
	 * <= 64 * 2^44 and 10000 times that still fits in a u64.
	 */
	while ((total >> shift) >= (1ULL << 22))
		shift++;
	for (i = 0; i < nr_nodes; i++) {
		h = per_node[i] >> shift;
		sum += h;
		sum_sq += h * h;
	}
	if (!sum)
		return 0;
	/* Cauchy-Schwarz: N * sum(h^2) >= sum^2, exactly, in integers. */
	return kvmnuma_isqrt(10000 * (nr_nodes * sum_sq - sum * sum)) / sum;
}

int kvmnuma_numa_metrics(const u64 *matrix, unsigned int nr_nodes,
			 struct kvmnuma_numa_metrics *m)
{
	u64 per_node[KVMNUMA_ADVISE_MAX_NODES] = { 0 };
	u64 total = 0, local = 0, v;
	unsigned int a, h;

	memset(m, 0, sizeof(*m));
	if (!nr_nodes || nr_nodes > KVMNUMA_ADVISE_MAX_NODES)
		return -EINVAL;
	for (a = 0; a < nr_nodes; a++) {
		for (h = 0; h < nr_nodes; h++) {
			v = matrix[a * nr_nodes + h];
			per_node[h] += v;
			total += v;
			if (a == h)
				local += v;
		}
	}
	if (!total)
		return -ENODATA;
	m->total = total;
	m->local = local;
	m->imbalance_pct = imbalance_pct(per_node, nr_nodes, total);
	/* 100 * local must not overflow: drop low bits of both if needed. */
	while (total >> 57) {
		total >>= 1;
		local >>= 1;
	}
	m->locality_pct = (u32)(100 * local / total);
	return 0;
}

enum kvmnuma_advise_class kvmnuma_advise_classify(u32 imbalance_pct)
{
	if (imbalance_pct < KVMNUMA_ADVISE_MODERATE_MIN)
		return KVMNUMA_ADVISE_LOW;
	if (imbalance_pct <= KVMNUMA_ADVISE_MODERATE_MAX)
		return KVMNUMA_ADVISE_MODERATE;
	return KVMNUMA_ADVISE_HIGH;
}

enum kvmnuma_policy kvmnuma_advise_policy(enum kvmnuma_advise_class class)
{
	switch (class) {
	case KVMNUMA_ADVISE_LOW:
		return KVMNUMA_POLICY_FIRST_TOUCH;
	case KVMNUMA_ADVISE_MODERATE:
		return KVMNUMA_POLICY_FIRST_TOUCH_CARREFOUR;
	case KVMNUMA_ADVISE_HIGH:
		return KVMNUMA_POLICY_ROUND_4K_CARREFOUR;
	default:
		return KVMNUMA_POLICY_NONE;
	}
}

const char *kvmnuma_advise_class_name(enum kvmnuma_advise_class class)
{
	switch (class) {
	case KVMNUMA_ADVISE_LOW:
		return "low";
	case KVMNUMA_ADVISE_MODERATE:
		return "moderate";
	case KVMNUMA_ADVISE_HIGH:
		return "high";
	default:
		return "unknown";
	}
}

int kvmnuma_advise(const u64 *matrix, unsigned int nr_nodes,
		   struct kvmnuma_advice *advice)
{
	int ret = kvmnuma_numa_metrics(matrix, nr_nodes, &advice->metrics);

	if (ret) {
		advice->class = KVMNUMA_ADVISE_UNKNOWN;
		advice->policy = KVMNUMA_POLICY_NONE;
		return ret;
	}
	advice->class = kvmnuma_advise_classify(advice->metrics.imbalance_pct);
	advice->policy = kvmnuma_advise_policy(advice->class);
	return 0;
}
