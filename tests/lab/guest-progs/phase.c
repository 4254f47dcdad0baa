// SPDX-License-Identifier: GPL-2.0
/*
 * Guest workload for make compare's phase workload (a phase change for
 * Carrefour): two threads, thread i pinned to CPU i, each allocates and
 * writes its own MiB region (first touch from CPU i), then reads and
 * writes it over and over; once swap-file exists, thread i works on the
 * other thread's region instead (thread 0 on region 1, thread 1 on
 * region 0), until stop-file exists.  Every pass checks each page's tag.
 *
 * Usage: phase -m MiB -o gfn-prefix -s swap-file -h stop-file
 *   writes region i's frames to <gfn-prefix>.<i> ("first_gfn npages"
 *   lines, from /proc/self/pagemap) once both regions are written, then
 *   creates <gfn-prefix>.done.
 * Prints "passes_before <t0> <t1> passes_after <t0> <t1> mismatches <n>"
 * (passes per thread before and after the swap); exits 1 on any mismatch,
 * 2 on a setup error.
 */
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gfn-runs.h"

#define PAGE 4096UL

static size_t pages;
static char *region[2];
static const char *swap_file, *stop_file;
static pthread_barrier_t written;

struct worker {
	int cpu;
	size_t passes[2];	/* before, after the swap */
	size_t bad;
};

/*
 * A page's first word: low 32 bits its tag (region << 24 | index, never
 * rewritten differently), high 32 bits the writer's pass count.  Both
 * threads may pass over one region around the swap; the tag they write is
 * the same, so only a lost or misplaced page reads a wrong tag.
 */
static uint32_t tag(int r, size_t i)
{
	return (uint32_t)r << 24 | (uint32_t)i;
}

static void *work(void *arg)
{
	struct worker *w = arg;
	cpu_set_t set;
	int after = 0;

	CPU_ZERO(&set);
	CPU_SET(w->cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		exit(2);
	}
	region[w->cpu] = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region[w->cpu] == MAP_FAILED) {
		perror("mmap");
		exit(2);
	}
	/* 4 KiB pages: a guest huge page would be one 2 MiB first touch. */
	madvise(region[w->cpu], pages * PAGE, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < pages; i++)
		*(uint64_t *)(region[w->cpu] + i * PAGE) = tag(w->cpu, i);
	pthread_barrier_wait(&written);
	while (access(stop_file, F_OK)) {
		int r;
		char *mem;

		if (!after && !access(swap_file, F_OK))
			after = 1;
		r = after ? !w->cpu : w->cpu;
		mem = region[r];
		for (size_t i = 0; i < pages; i++) {
			uint64_t *p = (uint64_t *)(mem + i * PAGE);

			w->bad += (uint32_t)*p != tag(r, i);
			*p = tag(r, i) | (uint64_t)w->passes[after] << 32;
		}
		w->passes[after]++;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	struct worker w[2] = { { .cpu = 0 }, { .cpu = 1 } };
	const char *prefix = NULL;
	char path[4096];
	pthread_t t[2];
	size_t mib = 32;
	int opt;

	while ((opt = getopt(argc, argv, "m:o:s:h:")) != -1) {
		switch (opt) {
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 'o': prefix = optarg; break;
		case 's': swap_file = optarg; break;
		case 'h': stop_file = optarg; break;
		default:
			fprintf(stderr, "usage: phase -m MiB -o gfn-prefix -s swap-file -h stop-file\n");
			return 2;
		}
	}
	if (!prefix || !swap_file || !stop_file || !mib || mib > 4096) {
		fprintf(stderr, "usage: phase -m MiB (1..4096) -o gfn-prefix -s swap-file -h stop-file\n");
		return 2;
	}
	pages = mib * 256;
	pthread_barrier_init(&written, NULL, 3);
	for (int i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, work, &w[i])) {
			fprintf(stderr, "phase: pthread_create failed\n");
			return 2;
		}
	pthread_barrier_wait(&written);
	for (int i = 0; i < 2; i++) {
		snprintf(path, sizeof(path), "%s.%d", prefix, i);
		write_gfn_runs(path, region[i], pages);
	}
	snprintf(path, sizeof(path), "%s.done", prefix);
	fclose(fopen(path, "w"));
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("passes_before %zu %zu passes_after %zu %zu mismatches %zu\n",
	       w[0].passes[0], w[1].passes[0], w[0].passes[1], w[1].passes[1],
	       w[0].bad + w[1].bad);
	return w[0].bad + w[1].bad ? 1 : 0;
}
