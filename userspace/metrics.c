// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metrics.h"
#include "residency.h"
#include "vmname.h"
#include "vmsysfs.h"

#define MAX_VMS 4096
#define MAX_SLOTS 512
#define MAX_STATS 64

struct vm_metrics {
	char id[64], name[256], labels[1024];
	struct residency *ram;	/* NULL: the RAM map could not be read */
};

static struct vm_metrics *vms;
static int nvms;
static char stat_names[MAX_STATS][64];
static int nstats;

/* A label value as the format wants it: \, " and newline escaped. */
static void escape(char *out, size_t len, const char *in)
{
	size_t o = 0;

	for (; *in && o + 3 < len; in++) {
		if (*in == '\\' || *in == '"') {
			out[o++] = '\\';
			out[o++] = *in;
		} else if (*in == '\n') {
			out[o++] = '\\';
			out[o++] = 'n';
		} else {
			out[o++] = *in;
		}
	}
	out[o] = '\0';
}

static int not_hidden(const struct dirent *de)
{
	return de->d_name[0] != '.';
}

/* The union of every VM's stats/ files, sorted. */
static void add_stats(const char *id)
{
	struct dirent **names;
	char path[512];
	int n;

	vm_path(path, sizeof(path), id, "stats");
	n = scandir(path, &names, not_hidden, alphasort);
	for (int i = 0; i < n; i++) {
		bool known = false;

		for (int k = 0; k < nstats; k++)
			known |= !strcmp(stat_names[k], names[i]->d_name);
		if (!known && nstats < MAX_STATS &&
		    strlen(names[i]->d_name) < sizeof(stat_names[0]))
			strcpy(stat_names[nstats++], names[i]->d_name);
		free(names[i]);
	}
	if (n >= 0)
		free(names);
	qsort(stat_names, nstats, sizeof(stat_names[0]),
	      (int (*)(const void *, const void *))strcmp);
}

static int collect(const char *id, void *arg)
{
	static struct memslot slots[MAX_SLOTS];
	unsigned long sample = *(unsigned long *)arg;
	struct vm_metrics *v;
	char pid[32], e_id[128], e_name[512];
	int nslots;

	if (nvms == MAX_VMS)
		return 0;
	v = &vms[nvms++];
	snprintf(v->id, sizeof(v->id), "%s", id);
	vm_name(id, v->name, sizeof(v->name));
	escape(e_id, sizeof(e_id), v->id);
	escape(e_name, sizeof(e_name), v->name);
	snprintf(v->labels, sizeof(v->labels), "vm=\"%s\",name=\"%s\"", e_id, e_name);
	add_stats(id);
	v->ram = malloc(sizeof(*v->ram));
	nslots = memslots_read(id, slots, MAX_SLOTS);
	if (!v->ram || nslots < 0 || vm_read(id, "pid", pid, sizeof(pid)) ||
	    residency_query(atoi(pid), slots, nslots, sample, v->ram)) {
		free(v->ram);
		v->ram = NULL;
	}
	return 0;
}

static void family(const char *name, const char *type, const char *help)
{
	printf("# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* One sample per VM from a sysfs file holding a number (skipped otherwise). */
static void per_vm_file(const char *metric, const char *type, const char *help,
			const char *file)
{
	char buf[64], *end;

	family(metric, type, help);
	for (int i = 0; i < nvms; i++) {
		if (vm_read(vms[i].id, file, buf, sizeof(buf)) || !*buf)
			continue;
		strtoull(buf, &end, 10);
		if (!*end)
			printf("%s{%s} %s\n", metric, vms[i].labels, buf);
	}
}

static void refaults_per_node(void)
{
	unsigned long long count;
	int node;

	family("kvmnuma_vm_refaults_per_node_total", "counter",
	       "Re-faults of discarded pages, by the host node they happened on.");
	for (int i = 0; i < nvms; i++) {
		FILE *f = vm_fopen(vms[i].id, "stats/refaults_per_node");

		while (f && fscanf(f, "%d %llu", &node, &count) == 2)
			printf("kvmnuma_vm_refaults_per_node_total{%s,node=\"%d\"} %llu\n",
			       vms[i].labels, node, count);
		if (f)
			fclose(f);
	}
}

static void ram(void)
{
	family("kvmnuma_vm_resident_pages", "gauge",
	       "Guest 4 KiB pages backed on each host node (move_pages(2) query; estimates with --sample).");
	for (int i = 0; i < nvms; i++)
		for (int node = 0; vms[i].ram && node < NODELIST_MAX; node++)
			if (vms[i].ram->on_node[node])
				printf("kvmnuma_vm_resident_pages{%s,node=\"%d\"} %llu\n",
				       vms[i].labels, node,
				       (unsigned long long)vms[i].ram->on_node[node]);
	family("kvmnuma_vm_not_backed_pages", "gauge",
	       "Guest pages not backed by host memory (never touched, or discarded).");
	for (int i = 0; i < nvms; i++)
		if (vms[i].ram)
			printf("kvmnuma_vm_not_backed_pages{%s} %llu\n", vms[i].labels,
			       (unsigned long long)vms[i].ram->not_backed);
	family("kvmnuma_vm_ram_scan_ok", "gauge",
	       "1 if the VM's RAM map was read (0: no permission, or the VM exited).");
	for (int i = 0; i < nvms; i++)
		printf("kvmnuma_vm_ram_scan_ok{%s} %d\n", vms[i].labels, !!vms[i].ram);
}

static const char *const placement_files[] = {
	"pages_total", "pages_placed", "pages_to_move", "moves_pending",
	"pages_moved", "pages_move_failed",
};

static void placement(void)
{
	char buf[64];

	family("kvmnuma_vm_placement_state", "gauge",
	       "Placement state of round-4k/round-1g (1 for the current state).");
	for (int i = 0; i < nvms; i++) {
		char e[128];

		if (vm_read(vms[i].id, "placement/state", buf, sizeof(buf)))
			continue;
		escape(e, sizeof(e), buf);
		printf("kvmnuma_vm_placement_state{%s,state=\"%s\"} 1\n", vms[i].labels, e);
	}
	family("kvmnuma_vm_placement_pages", "gauge",
	       "Placement progress of the last walk, by kind (placement/ in sysfs).");
	for (int i = 0; i < nvms; i++)
		for (size_t k = 0; k < sizeof(placement_files) / sizeof(placement_files[0]); k++) {
			char path[64], *end;

			snprintf(path, sizeof(path), "placement/%s", placement_files[k]);
			if (vm_read(vms[i].id, path, buf, sizeof(buf)) || !*buf)
				continue;
			strtoull(buf, &end, 10);
			if (!*end)
				printf("kvmnuma_vm_placement_pages{%s,kind=\"%s\"} %s\n",
				       vms[i].labels, placement_files[k], buf);
		}
}

int metrics_print(unsigned long sample)
{
	char buf[256], pol[128], nodes[512], ver[64];
	int ret;

	vms = calloc(MAX_VMS, sizeof(*vms));
	if (!vms)
		return 5;
	ret = vm_for_each(collect, &sample);
	if (ret) {
		fprintf(stderr, "kvmnumactl: kvmnuma is not loaded (no %s)\n", vm_sysfs_root());
		return 2;
	}
	family("kvmnuma_info", "gauge", "kvmnuma module and tool versions.");
	vm_field(NULL, "version", buf, sizeof(buf));
	escape(ver, sizeof(ver), buf);
	printf("kvmnuma_info{module_version=\"%s\",tool_version=\"%s\"} 1\n", ver,
	       KVMNUMA_VERSION);
	family("kvmnuma_daemon_connected", "gauge", "1 while kvmnumad holds /dev/kvmnuma.");
	if (!vm_read(NULL, "daemon_connected", buf, sizeof(buf)))
		printf("kvmnuma_daemon_connected %s\n", buf);
	family("kvmnuma_vm_info", "gauge", "A VM kvmnuma knows; its policy and allowed nodes as labels.");
	for (int i = 0; i < nvms; i++) {
		escape(pol, sizeof(pol), vm_field(vms[i].id, "policy", buf, sizeof(buf)));
		escape(nodes, sizeof(nodes), vm_field(vms[i].id, "nodes", buf, sizeof(buf)));
		printf("kvmnuma_vm_info{%s,policy=\"%s\",nodes=\"%s\"} 1\n",
		       vms[i].labels, pol, nodes);
	}
	per_vm_file("kvmnuma_vm_pid", "gauge", "The VMM (QEMU) process id.", "pid");
	per_vm_file("kvmnuma_vm_vcpus", "gauge", "vCPUs.", "vcpus");
	per_vm_file("kvmnuma_vm_memory_bytes", "gauge", "Guest RAM in the VM's memslots.",
		    "memory_bytes");
	ram();
	placement();
	for (int k = 0; k < nstats; k++) {
		char metric[128], file[96], help[160];

		if (!strcmp(stat_names[k], "refaults_per_node")) {
			refaults_per_node();
			continue;
		}
		snprintf(metric, sizeof(metric), "kvmnuma_vm_%.63s_total", stat_names[k]);
		snprintf(file, sizeof(file), "stats/%.63s", stat_names[k]);
		snprintf(help, sizeof(help), "Counter stats/%.63s of kvmnuma(4).", stat_names[k]);
		per_vm_file(metric, "counter", help, file);
	}
	for (int i = 0; i < nvms; i++)
		free(vms[i].ram);
	free(vms);
	return 0;
}
