// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "nodelist.h"
#include "placement_view.h"
#include "residency.h"
#include "vmsysfs.h"

#define MAX_SLOTS 512	/* KVM's default KVM_USER_MEM_SLOTS is 32764, QEMU uses a handful */

static const char *const placement_files[] = {
	"pages_total", "pages_placed", "pages_to_move", "moves_pending",
	"pages_moved", "pages_move_failed", "pages_misplaced", "pages_unplaceable",
};

static const char *const basic_files[] = { "pid", "vcpus", "memory_bytes" };

static int not_hidden(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

/* Counters are listed from the directory so that new ones show up unasked. */
static void show_stats(const char *id, struct json *j)
{
	struct dirent **names;
	char path[512], buf[64];
	int n;

	vm_path(path, sizeof(path), id, "stats");
	n = scandir(path, &names, not_hidden, alphasort);
	if (n < 0)
		return;
	if (j)
		json_begin_object(j, "stats");
	else
		printf("counters:\n");
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		snprintf(path, sizeof(path), "stats/%s", name);
		if (!strcmp(name, "refaults_per_node")) {
			FILE *f = vm_fopen(id, path);
			unsigned long long count;
			int node;

			if (j)
				json_begin_object(j, name);
			else
				printf("  %-24s", name);
			while (f && fscanf(f, "%d %llu", &node, &count) == 2) {
				if (j) {
					snprintf(buf, sizeof(buf), "%d", node);
					json_u64(j, buf, count);
				} else {
					printf(" %d:%llu", node, count);
				}
			}
			if (f)
				fclose(f);
			if (j)
				json_end_object(j);
			else
				printf("\n");
		} else {
			vm_field(id, path, buf, sizeof(buf));
			if (j)
				json_number_text(j, name, buf);
			else
				printf("  %-24s %s\n", name, buf);
		}
		free(names[i]);
	}
	free(names);
	if (j)
		json_end_object(j);
}

/* placement/ comes with migration support; older modules lack it. */
static void show_placement(const char *id, struct json *j)
{
	char state[32], gran[32], buf[8][32], path[64], reason[32];
	size_t n = sizeof(placement_files) / sizeof(placement_files[0]);

	if (vm_read(id, "placement/state", state, sizeof(state)))
		return;
	vm_field(id, "placement/granularity", gran, sizeof(gran));
	vm_field(id, "placement/unplaceable_reason", reason, sizeof(reason));
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "placement/%s", placement_files[i]);
		vm_field(id, path, buf[i], sizeof(buf[i]));
	}
	if (j) {
		json_begin_object(j, "placement");
		json_string(j, "state", state);
		json_string(j, "granularity", gran);
		json_string(j, "unplaceable_reason", reason);
		for (size_t i = 0; i < n; i++)
			json_number_text(j, placement_files[i], buf[i]);
		json_end_object(j);
		return;
	}
	printf("placement: %s, granularity %s\n", state, gran);
	printf("  placed %s of %s pages; to move %s, pending %s, moved %s, failed %s\n",
	       buf[1], buf[0], buf[2], buf[3], buf[4], buf[5]);
	printf("  misplaced %s (failed + unplaceable + pending); unplaceable %s, reason %s\n",
	       buf[6], buf[7], reason);
}

/*
 * Host NUMA balancing, kernel.numa_balancing: bit 0 AutoNUMA (migrates
 * pages towards the tasks that touch them, guest memory included), bit 1
 * memory tiering.  -1 if unknown.  $KVMNUMA_NUMA_BALANCING: another file
 * (tests).
 */
static int numa_balancing(void)
{
	const char *path = getenv("KVMNUMA_NUMA_BALANCING");
	FILE *f = fopen(path && *path ? path : "/proc/sys/kernel/numa_balancing", "re");
	int v = -1;

	if (f) {
		if (fscanf(f, "%d", &v) != 1)
			v = -1;
		fclose(f);
	}
	return v;
}

static const char *numa_balancing_name(int v)
{
	switch (v) {
	case 0: return "off";
	case 1: return "autonuma";
	case 2: return "memory-tiering";
	case 3: return "autonuma+memory-tiering";
	default: return "unknown";
	}
}

/* A static layout (or first-touch) that AutoNUMA works against. */
static void show_host_balancing(const char *policy, struct json *j)
{
	int nb = numa_balancing();
	bool conflict = nb > 0 && (nb & 1) && strcmp(policy, "none") &&
			strcmp(policy, "carrefour");

	if (j) {
		json_string(j, "host_numa_balancing", numa_balancing_name(nb));
		json_string(j, "host_numa_balancing_conflict", conflict ? "yes" : "no");
		return;
	}
	printf("  %-24s %s\n", "host numa_balancing", numa_balancing_name(nb));
	if (conflict)
		printf("  warning: host AutoNUMA (kernel.numa_balancing=%d) migrates guest memory behind %s;\n"
		       "           the layout erodes (Documentation/placement.md); set kernel.numa_balancing=0\n",
		       nb, policy);
}

static double pct(uint64_t part, uint64_t total)
{
	return total ? 100.0 * part / total : 0.0;
}

static void row(struct json *j, const char *label, int node, uint64_t pages,
		uint64_t total)
{
	if (j) {
		json_begin_object(j, NULL);
		if (node >= 0)
			json_u64(j, "node", node);
		else
			json_string(j, "node", label);
		json_u64(j, "pages", pages);
		json_u64(j, "bytes", pages * 4096);
		json_double(j, "percent", pct(pages, total));
		json_end_object(j);
	} else if (node >= 0) {
		printf("  %-12d %12llu %10.1f %6.1f\n", node, (unsigned long long)pages,
		       pages / 256.0, pct(pages, total));
	} else {
		printf("  %-12s %12llu %10.1f %6.1f\n", label, (unsigned long long)pages,
		       pages / 256.0, pct(pages, total));
	}
}

static void show_table(struct json *j, const struct residency *r,
		       const int *allowed, int nallowed)
{
	bool listed[NODELIST_MAX] = { false };

	for (int i = 0; i < nallowed; i++)
		listed[allowed[i]] = true;
	if (j) {
		json_begin_object(j, "ram");
		json_u64(j, "sample", r->sample);
		json_u64(j, "pages_total", r->pages_total);
		json_begin_array(j, "rows");
	} else {
		printf("RAM placement (%s):\n", r->sample > 1 ?
		       "sampled, estimates" : "every page");
		if (r->sample > 1)
			printf("  (every %lu-th page asked)\n", r->sample);
		printf("  %-12s %12s %10s %6s\n", "NODE", "PAGES", "MiB", "%");
	}
	/* Allowed nodes always get a row (a 0 there is news); others only if used. */
	for (int node = 0; node < NODELIST_MAX; node++)
		if (listed[node] || r->on_node[node])
			row(j, NULL, node, r->on_node[node], r->pages_total);
	row(j, "not backed", -1, r->not_backed, r->pages_total);
	if (r->unknown)
		row(j, "unknown", -1, r->unknown, r->pages_total);
	if (j) {
		json_end_array(j);
		json_end_object(j);
	}
}

/* Returns 0 or -errno; the table or the error is printed either way. */
static int show_ram(const char *id, struct json *j, unsigned long sample,
		    const int *allowed, int nallowed)
{
	static struct memslot slots[MAX_SLOTS];
	static struct residency r;
	char pid[32];
	int nslots, ret;

	nslots = memslots_read(id, slots, MAX_SLOTS);
	if (nslots < 0) {
		ret = nslots;
	} else if (vm_read(id, "pid", pid, sizeof(pid))) {
		ret = -ENOENT;
	} else {
		ret = residency_query(atoi(pid), slots, nslots, sample, &r);
		if (!ret) {
			show_table(j, &r, allowed, nallowed);
			return 0;
		}
	}
	if (j)
		json_string(j, "ram_error", strerror(-ret));
	else
		printf("RAM placement: unavailable (%s%s)\n", strerror(-ret),
		       ret == -EPERM ? "; needs root or CAP_SYS_NICE" : "");
	return ret;
}

int show_vm(const char *id, bool json, unsigned long sample)
{
	char vals[3][32], policy[64], nodes[256];
	static int allowed[NODELIST_MAX];
	struct json jw, *j = json ? &jw : NULL;
	int nallowed, ret;

	for (int i = 0; i < 3; i++)
		vm_field(id, basic_files[i], vals[i], sizeof(vals[i]));
	vm_field(id, "policy", policy, sizeof(policy));
	vm_field(id, "nodes", nodes, sizeof(nodes));
	nallowed = nodelist_parse(nodes, allowed, NODELIST_MAX);
	if (nallowed < 0)
		nallowed = 0;
	if (j) {
		json_init(j, stdout);
		json_begin_object(j, NULL);
		json_string(j, "id", id);
		for (int i = 0; i < 3; i++)
			json_number_text(j, basic_files[i], vals[i]);
		json_string(j, "policy", policy);
		json_string(j, "nodes", nodes);
	} else {
		printf("VM %s (pid %s)\n", id, vals[0]);
		printf("  %-24s %s\n", "policy", policy);
		printf("  %-24s %s\n", "nodes", nodes);
		printf("  %-24s %s\n", "vcpus", vals[1]);
		printf("  %-24s %llu MiB\n", "memory", strtoull(vals[2], NULL, 10) >> 20);
	}
	show_host_balancing(policy, j);
	show_stats(id, j);
	show_placement(id, j);
	ret = show_ram(id, j, sample, allowed, nallowed);
	if (j)
		json_end_object(j);
	return ret;
}
