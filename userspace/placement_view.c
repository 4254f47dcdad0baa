// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jsonout.h"
#include "layout_image.h"
#include "nodelist.h"
#include "placement_view.h"
#include "residency.h"
#include "vmname.h"
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
static void show_stats(const char *id, struct json_object *doc)
{
	struct json_object *stats = NULL, *rows;
	struct dirent **names;
	char path[512], buf[64];
	int n;

	vm_path(path, sizeof(path), id, "stats");
	n = scandir(path, &names, not_hidden, alphasort);
	if (n < 0)
		return;
	if (doc) {
		stats = json_object_new_object();
		json_object_object_add(doc, "stats", stats);
	} else {
		printf("counters:\n");
	}
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;

		snprintf(path, sizeof(path), "stats/%s", name);
		if (!strcmp(name, "refaults_per_node")) {
			FILE *f = vm_fopen(id, path);
			unsigned long long count;
			int node;

			rows = json_object_new_array();
			if (!doc)
				printf("  %-24s", name);
			while (f && fscanf(f, "%d %llu", &node, &count) == 2) {
				struct json_object *row = json_object_new_object();

				json_object_object_add(row, "node", json_object_new_int(node));
				json_object_object_add(row, "refaults", json_object_new_uint64(count));
				json_object_array_add(rows, row);
				if (!doc)
					printf(" %d:%llu", node, count);
			}
			if (f)
				fclose(f);
			if (doc) {
				json_object_object_add(stats, name, rows);
			} else {
				json_object_put(rows);
				printf("\n");
			}
		} else {
			vm_field(id, path, buf, sizeof(buf));
			if (doc)
				json_object_object_add(stats, name, json_sysfs_number(buf));
			else
				printf("  %-24s %s\n", name, buf);
		}
		free(names[i]);
	}
	free(names);
}

/* placement/ comes with migration support; older modules lack it. */
static void show_placement(const char *id, struct json_object *doc)
{
	char state[32], gran[32], buf[8][32], path[64], reason[32], paused[32];
	size_t n = sizeof(placement_files) / sizeof(placement_files[0]);

	if (vm_read(id, "placement/state", state, sizeof(state)))
		return;
	vm_field(id, "placement/granularity", gran, sizeof(gran));
	vm_field(id, "placement/unplaceable_reason", reason, sizeof(reason));
	/* "no", or why the walk waits; "?" from modules without it. */
	vm_field(id, "placement/paused", paused, sizeof(paused));
	for (size_t i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "placement/%s", placement_files[i]);
		vm_field(id, path, buf[i], sizeof(buf[i]));
	}
	if (doc) {
		struct json_object *pl = json_object_new_object();

		json_object_object_add(pl, "state", json_object_new_string(state));
		json_object_object_add(pl, "granularity", json_object_new_string(gran));
		json_object_object_add(pl, "unplaceable_reason", json_object_new_string(reason));
		json_object_object_add(pl, "paused", json_object_new_string(paused));
		for (size_t i = 0; i < n; i++)
			json_object_object_add(pl, placement_files[i], json_sysfs_number(buf[i]));
		json_object_object_add(doc, "placement", pl);
		return;
	}
	if (strcmp(paused, "no") && strcmp(paused, "?"))
		printf("placement: %s (paused: %s), granularity %s\n", state, paused, gran);
	else
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
static void show_host_balancing(const char *policy, struct json_object *doc)
{
	int nb = numa_balancing();
	bool conflict = nb > 0 && (nb & 1) && strcmp(policy, "none") &&
			strcmp(policy, "carrefour");

	if (doc) {
		json_object_object_add(doc, "host_numa_balancing",
				       json_object_new_string(numa_balancing_name(nb)));
		json_object_object_add(doc, "host_numa_balancing_conflict",
				       json_object_new_boolean(conflict));
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

/* One JSON row: pages, bytes, percent (and the node, if @node >= 0). */
static struct json_object *json_row(int node, uint64_t pages, uint64_t total)
{
	struct json_object *r = json_object_new_object();

	if (node >= 0)
		json_object_object_add(r, "node", json_object_new_int(node));
	json_object_object_add(r, "pages", json_object_new_uint64(pages));
	json_object_object_add(r, "bytes", json_object_new_uint64(pages * 4096));
	json_object_object_add(r, "percent", json_percent(pct(pages, total)));
	return r;
}

static void text_row(const char *label, uint64_t pages, uint64_t total)
{
	printf("  %-12s %12llu %10.1f %6.1f\n", label, (unsigned long long)pages,
	       pages / 256.0, pct(pages, total));
}

static void show_table(struct json_object *doc, const struct residency *r,
		       const int *allowed, int nallowed)
{
	bool listed[NODELIST_MAX] = { false };
	struct json_object *ram = NULL, *rows = NULL;
	char label[16];

	for (int i = 0; i < nallowed; i++)
		listed[allowed[i]] = true;
	if (doc) {
		ram = json_object_new_object();
		rows = json_object_new_array();
		json_object_object_add(ram, "sample", json_object_new_uint64(r->sample));
		json_object_object_add(ram, "pages_total", json_object_new_uint64(r->pages_total));
		json_object_object_add(ram, "nodes", rows);
		json_object_object_add(doc, "ram", ram);
	} else {
		printf("RAM placement (%s):\n", r->sample > 1 ?
		       "sampled, estimates" : "every page");
		if (r->sample > 1)
			printf("  (every %lu-th page asked)\n", r->sample);
		printf("  %-12s %12s %10s %6s\n", "NODE", "PAGES", "MiB", "%");
	}
	/* Allowed nodes always get a row (a 0 there is news); others only if used. */
	for (int node = 0; node < NODELIST_MAX; node++) {
		if (!listed[node] && !r->on_node[node])
			continue;
		if (doc) {
			json_object_array_add(rows, json_row(node, r->on_node[node], r->pages_total));
		} else {
			snprintf(label, sizeof(label), "%d", node);
			text_row(label, r->on_node[node], r->pages_total);
		}
	}
	if (doc) {
		json_object_object_add(ram, "not_backed", json_row(-1, r->not_backed, r->pages_total));
		json_object_object_add(ram, "unknown", json_row(-1, r->unknown, r->pages_total));
		return;
	}
	text_row("not backed", r->not_backed, r->pages_total);
	if (r->unknown)
		text_row("unknown", r->unknown, r->pages_total);
}

/* Returns 0 or -errno; the table or the error is printed either way. */
static int show_ram(const char *id, struct json_object *doc, unsigned long sample,
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
			show_table(doc, &r, allowed, nallowed);
			return 0;
		}
	}
	if (doc)
		json_object_object_add(doc, "ram_error", json_object_new_string(strerror(-ret)));
	else
		printf("RAM placement: unavailable (%s%s)\n", strerror(-ret),
		       ret == -EPERM ? "; needs root or CAP_SYS_NICE" : "");
	return ret;
}

int show_vm(const char *id, bool json, unsigned long sample)
{
	char vals[3][32], policy[64], nodes[256], name[256];
	static int allowed[NODELIST_MAX];
	struct json_object *doc = NULL;
	int nallowed, ret;

	for (int i = 0; i < 3; i++)
		vm_field(id, basic_files[i], vals[i], sizeof(vals[i]));
	vm_field(id, "policy", policy, sizeof(policy));
	vm_field(id, "nodes", nodes, sizeof(nodes));
	vm_name(id, name, sizeof(name));
	nallowed = nodelist_parse(nodes, allowed, NODELIST_MAX);
	if (nallowed < 0)
		nallowed = 0;
	if (json) {
		doc = json_doc_new();
		json_object_object_add(doc, "vm", json_object_new_string(id));
		json_object_object_add(doc, "name", *name ? json_object_new_string(name) : NULL);
		for (int i = 0; i < 3; i++)
			json_object_object_add(doc, basic_files[i], json_sysfs_number(vals[i]));
		json_object_object_add(doc, "policy", json_object_new_string(policy));
		json_object_object_add(doc, "nodes", json_object_new_string(nodes));
	} else {
		printf("VM %s%s%s (pid %s)\n", id, *name ? " " : "", name, vals[0]);
		printf("  %-24s %s\n", "policy", policy);
		printf("  %-24s %s\n", "nodes", nodes);
		printf("  %-24s %s\n", "vcpus", vals[1]);
		printf("  %-24s %llu MiB\n", "memory", strtoull(vals[2], NULL, 10) >> 20);
	}
	show_host_balancing(policy, doc);
	show_stats(id, doc);
	show_placement(id, doc);
	ret = show_ram(id, doc, sample, allowed, nallowed);
	if (doc)
		json_doc_print(doc);
	return ret;
}

struct layout_walk {
	struct layout_image *li;
	uint64_t index;
};

static void layout_page(void *arg, uint64_t gfn, int status)
{
	struct layout_walk *w = arg;

	(void)gfn;	/* points follow guest RAM, slot after slot: no holes drawn */
	layout_image_point(w->li, w->index++, status >= 0 ? status : -1);
}

int layout_vm(const char *id, unsigned long sample, const char *out)
{
	static struct memslot slots[MAX_SLOTS];
	static struct residency r;
	char pid[32], policy[64], nodes[256], name[256], title[640], label[64];
	struct layout_walk w = { 0 };
	uint64_t pages = 0;
	int nslots, ret;

	nslots = memslots_read(id, slots, MAX_SLOTS);
	if (nslots < 0)
		return nslots;
	if (vm_read(id, "pid", pid, sizeof(pid)))
		return -ENOENT;
	for (int i = 0; i < nslots; i++)
		pages += slots[i].npages;
	vm_field(id, "policy", policy, sizeof(policy));
	vm_field(id, "nodes", nodes, sizeof(nodes));
	vm_name(id, name, sizeof(name));
	snprintf(title, sizeof(title), "VM %s%s%s: policy %s, nodes %s", id,
		 *name ? " " : "", name, policy, nodes);
	snprintf(label, sizeof(label), "guest RAM, %llu MiB", (unsigned long long)pages >> 8);
	w.li = layout_image_open(out, title, 1);
	if (!w.li)
		return -errno;
	layout_image_panel(w.li, label, sample);
	ret = residency_walk(atoi(pid), slots, nslots, sample, &r, layout_page, &w);
	if (layout_image_close(w.li) && !ret)
		ret = -EIO;
	return ret;
}
