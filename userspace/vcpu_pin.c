// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <numa.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "nodelist.h"
#include "vcpu_pin.h"

static int read_comm(pid_t pid, int tid, char *buf, size_t len)
{
	char path[128];
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	f = fopen(path, "r");
	if (!f)
		return -errno;
	if (!fgets(buf, len, f))
		buf[0] = '\0';
	fclose(f);
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int by_vcpu(const void *a, const void *b)
{
	const struct vcpu_pin *x = a, *y = b;

	return (x->vcpu > y->vcpu) - (x->vcpu < y->vcpu);
}

int vcpu_threads_find(pid_t pid, struct vcpu_pin *v, int max)
{
	char path[64], comm[32];
	struct dirent *de;
	int n = 0, len;
	unsigned int idx;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	dir = opendir(path);
	if (!dir)
		return errno == ENOENT ? -ESRCH : -errno;
	while ((de = readdir(dir)) && n < max) {
		if (de->d_name[0] == '.' || read_comm(pid, atoi(de->d_name), comm, sizeof(comm)))
			continue;	/* a thread that exited while we looked */
		len = -1;
		if (sscanf(comm, "CPU %u/KVM%n", &idx, &len) != 1 || len < 0 || comm[len])
			continue;
		v[n].vcpu = idx;
		v[n].tid = atoi(de->d_name);
		v[n].node = v[n].cpu = -1;
		n++;
	}
	closedir(dir);
	qsort(v, n, sizeof(*v), by_vcpu);
	return n;
}

/* The CPUs of @node, ascending, in a malloc'ed array; their number in *n. */
static int *node_cpus(int node, int *n)
{
	struct bitmask *mask = numa_allocate_cpumask();
	int *cpus = NULL;

	*n = 0;
	if (!numa_node_to_cpus(node, mask) &&
	    (cpus = malloc(sizeof(*cpus) * mask->size)))
		for (unsigned int c = 0; c < mask->size; c++)
			if (numa_bitmask_isbitset(mask, c))
				cpus[(*n)++] = c;
	numa_free_cpumask(mask);
	return cpus;
}

int vcpu_pin_plan(struct vcpu_pin *v, int n, const int *nodes, int k)
{
	int *cpus[NODELIST_MAX], ncpus[NODELIST_MAX], nodes_usable[NODELIST_MAX];
	int usable = 0;

	for (int i = 0; i < k; i++) {
		cpus[usable] = node_cpus(nodes[i], &ncpus[usable]);
		/* Memory-only nodes (CXL, HBM) have no CPU to run a vCPU on. */
		if (ncpus[usable])
			nodes_usable[usable++] = nodes[i];
		else
			free(cpus[usable]);
	}
	if (!usable)
		return -ENODEV;
	for (int i = 0; i < n; i++) {
		int u = i % usable;

		v[i].node = nodes_usable[u];
		v[i].cpu = cpus[u][(i / usable) % ncpus[u]];
	}
	for (int u = 0; u < usable; u++)
		free(cpus[u]);
	return 0;
}

int vcpu_pin_apply(const struct vcpu_pin *v)
{
	/* CPU_ALLOC, not cpu_set_t: hosts can have more than CPU_SETSIZE CPUs. */
	size_t size = CPU_ALLOC_SIZE(v->cpu + 1);
	cpu_set_t *set = CPU_ALLOC(v->cpu + 1);
	int ret;

	if (!set)
		return -ENOMEM;
	CPU_ZERO_S(size, set);
	CPU_SET_S(v->cpu, size, set);
	ret = sched_setaffinity(v->tid, size, set) ? -errno : 0;
	CPU_FREE(set);
	return ret;
}
