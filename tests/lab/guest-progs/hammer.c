// SPDX-License-Identifier: GPL-2.0
/*
 * Guest workload for the carrefour scenario: touches MiB of memory on one
 * CPU, then keeps reading and writing it from another CPU, so that its
 * pages live on one host node and are used from another.
 *
 * Usage: hammer -m MiB -a CPU -b CPU -o gfn-file -h hold-file
 * Writes the frames ("first npages" runs) to gfn-file, then hammers until
 * hold-file exists; prints "passes <n> mismatches <n>".
 */
#include <fcntl.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gfn-runs.h"

#define PAGE 4096UL

static void run_on(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set)) {
		perror("sched_setaffinity");
		exit(2);
	}
}

int main(int argc, char **argv)
{
	const char *gfn_file = NULL, *hold = NULL;
	size_t mib = 32, pages, passes = 0, bad = 0;
	int a = 0, b = 1, opt;
	char done[4096];
	char *mem;

	while ((opt = getopt(argc, argv, "m:a:b:o:h:")) != -1) {
		switch (opt) {
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 'a': a = atoi(optarg); break;
		case 'b': b = atoi(optarg); break;
		case 'o': gfn_file = optarg; break;
		case 'h': hold = optarg; break;
		default:
			fprintf(stderr, "usage: hammer -m MiB -a CPU -b CPU -o gfns -h hold\n");
			return 2;
		}
	}
	if (!gfn_file || !hold)
		return 2;
	pages = mib * 256;
	run_on(a);
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 2;
	madvise(mem, pages * PAGE, MADV_NOHUGEPAGE);
	for (size_t i = 0; i < pages; i++)
		*(uint64_t *)(mem + i * PAGE) = i;
	write_gfn_runs(gfn_file, mem, pages);
	snprintf(done, sizeof(done), "%s.done", gfn_file);
	fclose(fopen(done, "w"));

	run_on(b);
	while (access(hold, F_OK)) {
		for (size_t i = 0; i < pages; i++) {
			uint64_t *p = (uint64_t *)(mem + i * PAGE);

			bad += (*p & 0xffffffffULL) != i;
			*p = i | ((uint64_t)passes << 32);
		}
		passes++;
	}
	printf("passes %zu mismatches %zu\n", passes, bad);
	return bad ? 1 : 0;
}
