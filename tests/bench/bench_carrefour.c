// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Cost of the Carrefour engine (common/carrefour.c) per sample and per
 * decision round, at 10^4, 10^5 and 10^6 samples per period, on this
 * machine (real time, not emulated).  Samples: a shared region homed on
 * node 0 accessed from 4 nodes, plus private pages, so every rule runs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../../common/carrefour.h"

#define NODES 4

static int home(void *ctx, u64 gfn)
{
	(void)ctx;
	return gfn < 50000 ? 0 : (int)(gfn % NODES);
}

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(void)
{
	static struct kvmnuma_cf_decision out[1 << 16];
	struct kvmnuma_cf_params params = KVMNUMA_CF_PARAMS_DEFAULT;
	unsigned int seed = 1;
	u32 sizes[] = { 10000, 100000, 1000000 };

	for (unsigned int k = 0; k < 3; k++) {
		u32 n = sizes[k];
		struct kvmnuma_cf_sample *s = malloc(n * sizeof(*s));
		size_t size = kvmnuma_cf_engine_size(&params);
		void *mem = aligned_alloc(64, (size + 63) & ~63UL);
		struct kvmnuma_cf_engine *e = kvmnuma_cf_engine_init(mem, size, &params, 42);
		struct kvmnuma_cf_round round = {
			.nr_nodes = NODES, .period_us = 1000000,
			.dram_accesses = 100000000, .page_node = home,
		};
		struct kvmnuma_cf_stats st;
		double t0, t1, t2;
		int orders;

		if (!s || !e)
			return 1;
		for (u32 i = 0; i < n; i++) {
			u32 r = rand_r(&seed);

			s[i].gfn = (r & 1) ? r % 50000 : 50000 + r % 200000;
			s[i].node = (r >> 8) % NODES;
			s[i].vcpu = s[i].node;
			s[i].flags = (r >> 12) & 1;
		}
		t0 = now_ns();
		kvmnuma_cf_engine_add_samples(e, s, n);
		t1 = now_ns();
		orders = kvmnuma_cf_engine_decide(e, &round, out, 1 << 16, &st);
		t2 = now_ns();
		printf("metric engine_ns_per_sample_%u %.1f\n", n, (t1 - t0) / n);
		printf("metric engine_round_us_%u %.0f\n", n, (t2 - t1) / 1000);
		printf("metric engine_orders_%u %d\n", n, orders);
		printf("metric engine_dropped_%u %llu\n", n, (unsigned long long)st.dropped);
		free(s);
		free(mem);
	}
	return 0;
}
