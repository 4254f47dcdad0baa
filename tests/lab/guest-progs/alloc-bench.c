// SPDX-License-Identifier: GPL-2.0
/*
 * Page allocation microbenchmark: maps, touches and unmaps a buffer over
 * and over, so every page is allocated and freed by the guest kernel.
 * Usage: alloc-bench -m MiB -n rounds
 * Prints "pages <n> ns_per_page <x>" (wall time: emulated in the lab).
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	unsigned long mib = 16, rounds = 50, r, i, pages;
	struct timespec t0, t1;
	double ns;
	int opt;

	while ((opt = getopt(argc, argv, "m:n:")) != -1) {
		switch (opt) {
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 'n': rounds = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: alloc-bench -m MiB -n rounds\n");
			return 2;
		}
	}
	pages = mib * 256;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (r = 0; r < rounds; r++) {
		char *p = mmap(NULL, pages * 4096, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			return 1;
		}
		madvise(p, pages * 4096, MADV_NOHUGEPAGE);
		for (i = 0; i < pages; i++)
			p[i * 4096] = 1;
		munmap(p, pages * 4096);
	}
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
	printf("pages %lu ns_per_page %.0f\n", pages * rounds, ns / (pages * rounds));
	return 0;
}
