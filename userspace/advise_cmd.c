// SPDX-License-Identifier: GPL-2.0
/*
 * kvmnumactl advise: samples the VM's memory accesses for a while (the
 * module's sampler, carrefour/ in sysfs), builds the matrix of accesses
 * per (accessing node, home node) and applies the thesis' metric (section
 * 4.1, common/advise.c): load imbalance -> class -> recommended policy.
 * The thesis measures under first-touch; under another policy the figures
 * describe that policy, and the output says so.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../common/advise.h"
#include "../common/policy.h"
#include "advise_cmd.h"
#include "jsonout.h"
#include "vmsysfs.h"

#define NODES KVMNUMA_ADVISE_MAX_NODES

/* Highest node number in the matrix, + 1, at least the nodes online. */
static unsigned int count_nodes(u64 *matrix)
{
	unsigned int n = 1, i, j;
	FILE *f = fopen("/sys/devices/system/node/online", "r");
	unsigned int a, b;

	if (f) {
		/* "0-3" or "0": the last number is the highest node */
		if (fscanf(f, "%u-%u", &a, &b) == 2)
			n = b + 1;
		else
			n = a + 1;
		fclose(f);
	}
	for (i = 0; i < NODES; i++)
		for (j = 0; j < NODES; j++)
			if (matrix[i * NODES + j] && (i >= n || j >= n))
				n = (i > j ? i : j) + 1;
	return n > NODES ? NODES : n;
}

static int read_matrix(const char *id, u64 *matrix)
{
	char path[512];
	unsigned int from, to;
	unsigned long long count;
	FILE *f;

	snprintf(path, sizeof(path), "%s/vms/%s/carrefour/access_matrix",
		 vm_sysfs_root(), id);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	while (fscanf(f, "%u %u %llu", &from, &to, &count) == 3)
		if (from < NODES && to < NODES)
			matrix[from * NODES + to] += count;
	fclose(f);
	return 0;
}

/* Accesses in @matrix (read_matrix()'s sum). */
static u64 matrix_total(const u64 *matrix)
{
	u64 total = 0;

	for (unsigned int i = 0; i < NODES * NODES; i++)
		total += matrix[i];
	return total;
}

/*
 * Waits for the samples: @seconds, or until @min_samples accesses are in
 * the matrix (read once a second), @seconds then being the bound.  Counts,
 * not time, are what make the metric meaningful: a guest slowed down (an
 * overloaded host, an emulator) takes longer to give as many.  Fills
 * @matrix; returns 0 or -errno; *@waited: seconds actually waited.
 */
static int sample(const char *id, unsigned long seconds,
		  unsigned long min_samples, u64 *matrix,
		  unsigned long *waited)
{
	int ret;

	if (!min_samples) {
		sleep(seconds);
		*waited = seconds;
		return read_matrix(id, matrix);
	}
	for (*waited = 0; *waited < seconds;) {
		sleep(1);
		++*waited;
		memset(matrix, 0, NODES * NODES * sizeof(*matrix));
		ret = read_matrix(id, matrix);
		if (ret)
			return ret;
		if (matrix_total(matrix) >= min_samples)
			break;
	}
	return 0;
}

int advise_vm(const char *id, unsigned long seconds, unsigned long min_samples,
	      bool json)
{
	static u64 matrix[NODES * NODES], square[NODES * NODES];
	char sampler[32], was[8], policy[64];
	struct kvmnuma_advice adv;
	unsigned int n, i, j;
	int ret;

	vm_field(id, "policy", policy, sizeof(policy));
	if (vm_read(id, "carrefour/sampler", sampler, sizeof(sampler)) ||
	    !strcmp(sampler, "none")) {
		fprintf(stderr, "kvmnumactl: VM %s: no sampler for this VM (needs memfd guest RAM)\n", id);
		return 4;
	}
	if (vm_read(id, "carrefour/sampling", was, sizeof(was)))
		strcpy(was, "0");
	ret = vm_write(id, "carrefour/sampling", "1");
	if (!ret)
		ret = vm_write(id, "carrefour/access_matrix", "0");
	if (ret) {
		fprintf(stderr, "kvmnumactl: VM %s: cannot start sampling: %s\n",
			id, strerror(-ret));
		return ret == -ENOENT ? 3 : 4;
	}
	if (!json)
		fprintf(stderr, "sampling VM %s for %lu s...\n", id, seconds);
	ret = sample(id, seconds, min_samples, matrix, &seconds);
	vm_write(id, "carrefour/sampling", was);
	if (ret) {
		fprintf(stderr, "kvmnumactl: VM %s: cannot read its access matrix: %s\n",
			id, strerror(-ret));
		return ret == -ENOENT ? 3 : 5;
	}

	n = count_nodes(matrix);
	for (i = 0; i < n; i++)
		for (j = 0; j < n; j++)
			square[i * n + j] = matrix[i * NODES + j];
	ret = kvmnuma_advise(square, n, &adv);
	if (ret == -ENODATA) {
		fprintf(stderr, "kvmnumactl: VM %s: no access sampled in %lu s (idle guest?)\n",
			id, seconds);
		return 5;
	}
	if (json) {
		struct json_object *doc = json_doc_new();

		json_object_object_add(doc, "vm", json_object_new_string(id));
		json_object_object_add(doc, "policy", json_object_new_string(policy));
		json_object_object_add(doc, "seconds", json_object_new_uint64(seconds));
		json_object_object_add(doc, "nodes_sampled", json_object_new_uint64(n));
		json_object_object_add(doc, "samples",
				       json_object_new_uint64(adv.metrics.total));
		json_object_object_add(doc, "locality_pct",
				       json_object_new_uint64(adv.metrics.locality_pct));
		json_object_object_add(doc, "imbalance_pct",
				       json_object_new_uint64(adv.metrics.imbalance_pct));
		json_object_object_add(doc, "class", json_object_new_string(
				       kvmnuma_advise_class_name(adv.class)));
		json_object_object_add(doc, "recommended", json_object_new_string(
				       kvmnuma_policy_name(adv.policy)));
		json_doc_print(doc);
		return 0;
	}
	printf("VM %s (policy %s), %lu s, %llu sampled accesses over %u nodes\n",
	       id, policy, seconds, (unsigned long long)adv.metrics.total, n);
	printf("  locality        %u%%\n", adv.metrics.locality_pct);
	printf("  load imbalance  %u%% (relative std. deviation of accesses per home node)\n",
	       adv.metrics.imbalance_pct);
	printf("  class           %s (low < 85%% <= moderate <= 130%% < high)\n",
	       kvmnuma_advise_class_name(adv.class));
	printf("  recommended     %s\n", kvmnuma_policy_name(adv.policy));
	if (strcmp(policy, "first-touch"))
		printf("  note: the thesis measures under first-touch; this VM runs %s\n",
		       policy);
	return 0;
}
