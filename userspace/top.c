// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "residency.h"
#include "top.h"
#include "vmname.h"
#include "vmsysfs.h"

#define MAX_VMS 1024
#define MAX_SLOTS 512
#define TOP_NODES 64	/* nodes shown per VM; more are summed in the VM line */

static const char *const sort_names[TOP_NR_SORTS] = {
	"vm", "memory", "discards", "refaults", "moves", "carrefour",
};

struct counters {
	unsigned long long discards, moves, carrefour;
	unsigned long long refaults[TOP_NODES];
};

struct vm_view {
	char id[64], name[64], policy[32];
	struct counters c0, c1;
	unsigned long long mem_pages;
	unsigned long long resident[TOP_NODES];
	bool ram_ok;
	double rate_discards, rate_moves, rate_carrefour, rate_refaults;
	double rate_refaults_node[TOP_NODES];
};

static struct vm_view *vms;
static int nvms;
static double interval;

int top_sort_parse(const char *name)
{
	for (int i = 0; i < TOP_NR_SORTS; i++)
		if (!strcmp(name, sort_names[i]))
			return i;
	return -1;
}

static unsigned long long read_u64(const char *id, const char *file)
{
	char buf[64];

	return vm_read(id, file, buf, sizeof(buf)) ? 0 : strtoull(buf, NULL, 10);
}

static void read_counters(const char *id, struct counters *c)
{
	char name[64];
	unsigned long long v;
	int node;
	FILE *f;

	memset(c, 0, sizeof(*c));
	c->discards = read_u64(id, "stats/pages_discarded");
	c->moves = read_u64(id, "placement/pages_moved");
	f = vm_fopen(id, "stats/refaults_per_node");
	while (f && fscanf(f, "%d %llu", &node, &v) == 2)
		if (node >= 0 && node < TOP_NODES)
			c->refaults[node] = v;
	if (f)
		fclose(f);
	f = vm_fopen(id, "carrefour/status");
	while (f && fscanf(f, "%63s %llu", name, &v) == 2)
		if (!strcmp(name, "orders_migrate") || !strcmp(name, "orders_interleave"))
			c->carrefour += v;
	if (f)
		fclose(f);
}

static int first_sample(const char *id, void *arg)
{
	struct vm_view *v;

	(void)arg;
	if (nvms == MAX_VMS)
		return 0;
	v = &vms[nvms++];
	memset(v, 0, sizeof(*v));
	snprintf(v->id, sizeof(v->id), "%s", id);
	read_counters(id, &v->c0);
	return 0;
}

static double rate(unsigned long long a, unsigned long long b)
{
	return b > a ? (b - a) / interval : 0.0;
}

static void second_sample(struct vm_view *v)
{
	static struct memslot slots[MAX_SLOTS];
	static struct residency r;
	char pid[32];
	int nslots;

	vm_name(v->id, v->name, sizeof(v->name));
	vm_field(v->id, "policy", v->policy, sizeof(v->policy));
	read_counters(v->id, &v->c1);
	v->rate_discards = rate(v->c0.discards, v->c1.discards);
	v->rate_moves = rate(v->c0.moves, v->c1.moves);
	v->rate_carrefour = rate(v->c0.carrefour, v->c1.carrefour);
	for (int n = 0; n < TOP_NODES; n++) {
		v->rate_refaults_node[n] = rate(v->c0.refaults[n], v->c1.refaults[n]);
		v->rate_refaults += v->rate_refaults_node[n];
	}
	v->mem_pages = read_u64(v->id, "memory_bytes") / 4096;
	nslots = memslots_read(v->id, slots, MAX_SLOTS);
	v->ram_ok = nslots >= 0 && !vm_read(v->id, "pid", pid, sizeof(pid)) &&
		    !residency_query(atoi(pid), slots, nslots, 1, &r);
	for (int n = 0; v->ram_ok && n < NODELIST_MAX; n++)
		v->resident[n < TOP_NODES ? n : TOP_NODES - 1] += r.on_node[n];
}

static enum top_sort sort_key;

static double key(const struct vm_view *v)
{
	switch (sort_key) {
	case TOP_SORT_MEMORY: return v->mem_pages;
	case TOP_SORT_DISCARDS: return v->rate_discards;
	case TOP_SORT_REFAULTS: return v->rate_refaults;
	case TOP_SORT_MOVES: return v->rate_moves;
	case TOP_SORT_CARREFOUR: return v->rate_carrefour;
	default: return 0;
	}
}

static int compare(const void *a, const void *b)
{
	const struct vm_view *x = a, *y = b;
	double kx = key(x), ky = key(y);

	if (sort_key == TOP_SORT_VM || kx == ky)
		return strcmp(x->id, y->id);
	return kx < ky ? 1 : -1;	/* largest first */
}

static void frame(bool clear)
{
	char t[32];
	time_t now = time(NULL);

	strftime(t, sizeof(t), "%H:%M:%S", localtime(&now));
	if (clear)
		fputs("\033[H\033[2J", stdout);
	printf("kvmnumactl top - %s - %d VM%s, rates over %.1f s, sorted by %s%s\n",
	       t, nvms, nvms == 1 ? "" : "s", interval, sort_names[sort_key],
	       clear ? " (s: sort, q: quit)" : "");
	printf("%-12s %-14s %-21s %4s %10s %6s %10s %10s %9s %9s\n", "VM", "NAME",
	       "POLICY", "NODE", "PAGES", "%", "REFAULT/s", "DISCARD/s", "MOVED/s",
	       "CF-ORD/s");
	qsort(vms, nvms, sizeof(*vms), compare);
	for (int i = 0; i < nvms; i++) {
		struct vm_view *v = &vms[i];

		printf("%-12s %-14.14s %-21.21s %4s %10llu %6s %10.1f %10.1f %9.1f %9.1f\n",
		       v->id, *v->name ? v->name : "-", v->policy, "all", v->mem_pages,
		       v->ram_ok ? "" : "?", v->rate_refaults, v->rate_discards,
		       v->rate_moves, v->rate_carrefour);
		for (int n = 0; v->ram_ok && n < TOP_NODES; n++) {
			if (!v->resident[n] && !v->rate_refaults_node[n])
				continue;
			printf("%-12s %-14s %-21s %4d %10llu %6.1f %10.1f\n", "", "", "", n,
			       v->resident[n],
			       v->mem_pages ? 100.0 * v->resident[n] / v->mem_pages : 0.0,
			       v->rate_refaults_node[n]);
		}
	}
	fflush(stdout);
}

/* Waits @ms for a key; returns it, or 0. */
static int wait_key(int ms, bool tty)
{
	struct pollfd p = { .fd = STDIN_FILENO, .events = POLLIN };
	char c;

	if (!tty) {
		usleep(ms * 1000);
		return 0;
	}
	if (poll(&p, 1, ms) == 1 && read(STDIN_FILENO, &c, 1) == 1)
		return c;
	return 0;
}

int top_run(bool once, unsigned long interval_s, enum top_sort sort)
{
	struct termios saved, raw;
	bool tty = !once && isatty(STDIN_FILENO) && !tcgetattr(STDIN_FILENO, &saved);
	int ret = 0, k;

	vms = calloc(MAX_VMS, sizeof(*vms));
	if (!vms)
		return 5;
	sort_key = sort;
	interval = interval_s;
	if (tty) {
		raw = saved;
		raw.c_lflag &= ~(ICANON | ECHO);
		tcsetattr(STDIN_FILENO, TCSANOW, &raw);
	}
	for (;;) {
		nvms = 0;
		if (vm_for_each(first_sample, NULL)) {
			fprintf(stderr, "kvmnumactl: kvmnuma is not loaded (no %s)\n",
				vm_sysfs_root());
			ret = 2;
			break;
		}
		k = wait_key(interval_s * 1000, tty);
		for (int i = 0; i < nvms; i++)
			second_sample(&vms[i]);
		frame(!once);
		if (once || k == 'q')
			break;
		if (k == 's')
			sort_key = (sort_key + 1) % TOP_NR_SORTS;
	}
	if (tty)
		tcsetattr(STDIN_FILENO, TCSANOW, &saved);
	free(vms);
	return ret;
}
