/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The thesis' NUMA policy-selection metric (chapter 4, section 4.1, "The
 * NUMA policy selection metric" and Table 4.1): measure how a VM's memory
 * accesses spread over the host nodes while it runs under first-touch,
 * classify it as low, moderate or high memory access imbalance, and
 * recommend first-touch, first-touch+carrefour or round-4k+carrefour.
 *
 * Input is a square matrix of access counts indexed by (accessing node,
 * home node), row-major: matrix[accessing * nr_nodes + home].  The counts
 * may come from sampling (IBS samples, see carrefour.h) or from per-node
 * DRAM counters; only ratios matter.  Integer arithmetic only: the same
 * code runs in the host module and in kvmnumactl.
 */
#ifndef KVMNUMA_COMMON_ADVISE_H
#define KVMNUMA_COMMON_ADVISE_H

#include "compat.h"
#include "policy.h"

/* Largest node count the metric accepts (keeps the arithmetic in u64). */
#define KVMNUMA_ADVISE_MAX_NODES	64

/*
 * Class boundaries on the load imbalance measured under first-touch, in %:
 * low < 85 <= moderate <= 130 < high (thesis section 4.1, the paragraphs
 * after Table 4.1: "low" is "less than 85%", "high" is "more than 130%",
 * "moderate" is "between 85% and 130%"; mongodb at 130% is moderate).
 */
#define KVMNUMA_ADVISE_MODERATE_MIN	85
#define KVMNUMA_ADVISE_MODERATE_MAX	130

enum kvmnuma_advise_class {
	KVMNUMA_ADVISE_UNKNOWN,		/* no accesses measured */
	KVMNUMA_ADVISE_LOW,
	KVMNUMA_ADVISE_MODERATE,
	KVMNUMA_ADVISE_HIGH,
};

/**
 * struct kvmnuma_numa_metrics - how accesses spread over the host nodes
 * @total: accesses counted in the matrix
 * @local: accesses whose accessing node is the home node (the diagonal)
 * @imbalance_pct: load imbalance, the relative standard deviation of the
 *	accesses per home node, in % (population standard deviation over
 *	all nr_nodes nodes divided by their mean; 0 with one node, at most
 *	100 * sqrt(nr_nodes - 1) when a single node is home to every access)
 * @locality_pct: local accesses / total, in %
 *
 * Percentages are truncated toward zero, so "x < k" on the truncated value
 * holds exactly when it holds on the real value, for any integer k.
 */
struct kvmnuma_numa_metrics {
	u64 total;
	u64 local;
	u32 imbalance_pct;
	u32 locality_pct;
};

/**
 * struct kvmnuma_advice - the adviser's verdict
 * @metrics: the measured metrics
 * @class: imbalance class of @metrics.imbalance_pct
 * @policy: the policy the thesis recommends for @class
 */
struct kvmnuma_advice {
	struct kvmnuma_numa_metrics metrics;
	enum kvmnuma_advise_class class;
	enum kvmnuma_policy policy;
};

/**
 * kvmnuma_isqrt() - integer square root
 * @x: any u64
 *
 * Return: the largest r with r * r <= @x.
 */
u32 kvmnuma_isqrt(u64 x);

/**
 * kvmnuma_numa_metrics() - load imbalance and locality of an access matrix
 * @matrix: nr_nodes * nr_nodes counts, [accessing node][home node]
 * @nr_nodes: 1..KVMNUMA_ADVISE_MAX_NODES
 * @m: filled in
 *
 * Counts may be as large as a u64 allows as long as their sum fits: the
 * imbalance is computed on counts scaled down to 22 bits (an error below
 * one part in a million), the locality on exact counts.
 *
 * Return: 0; -EINVAL for a bad @nr_nodes; -ENODATA when every count is 0
 * (@m is then zeroed).
 */
int kvmnuma_numa_metrics(const u64 *matrix, unsigned int nr_nodes,
			 struct kvmnuma_numa_metrics *m);

/**
 * kvmnuma_advise_classify() - imbalance class of a load imbalance
 * @imbalance_pct: load imbalance measured under first-touch, in %
 *
 * Return: KVMNUMA_ADVISE_LOW, _MODERATE or _HIGH.
 */
enum kvmnuma_advise_class kvmnuma_advise_classify(u32 imbalance_pct);

/**
 * kvmnuma_advise_policy() - the policy the thesis recommends for a class
 * @class: an imbalance class
 *
 * Thesis section 4.1, end: "the round-4K/Carrefour policy is required for
 * the 'high' applications, the first-touch/Carrefour policy is required
 * for the 'moderate' applications, and the first-touch policy is required
 * for the 'low' applications".
 *
 * Return: the policy; KVMNUMA_POLICY_NONE for KVMNUMA_ADVISE_UNKNOWN.
 */
enum kvmnuma_policy kvmnuma_advise_policy(enum kvmnuma_advise_class class);

/**
 * kvmnuma_advise_class_name() - "low", "moderate", "high" or "unknown"
 * @class: an imbalance class
 *
 * Return: a static string.
 */
const char *kvmnuma_advise_class_name(enum kvmnuma_advise_class class);

/**
 * kvmnuma_advise() - metrics, class and recommended policy of a matrix
 * @matrix: nr_nodes * nr_nodes counts, [accessing node][home node]
 * @nr_nodes: 1..KVMNUMA_ADVISE_MAX_NODES
 * @advice: filled in
 *
 * The thesis classifies on the imbalance measured while the application
 * runs under first-touch: feed counts taken under first-touch, or the
 * class means little (round-4k flattens the imbalance by construction).
 * The locality is reported, not used by the classification: the thesis'
 * second metric is the interconnect load, which no counter available to
 * KVM measures; the locality is its closest sampled proxy.
 *
 * Return: 0; -EINVAL for a bad @nr_nodes; -ENODATA when every count is 0
 * (@advice then says KVMNUMA_ADVISE_UNKNOWN and KVMNUMA_POLICY_NONE).
 */
int kvmnuma_advise(const u64 *matrix, unsigned int nr_nodes,
		   struct kvmnuma_advice *advice);

#endif /* KVMNUMA_COMMON_ADVISE_H */
