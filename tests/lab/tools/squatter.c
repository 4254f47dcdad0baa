// SPDX-License-Identifier: GPL-2.0
/*
 * squatter PID START NPAGES [START NPAGES ...]: the unrelated process of the
 * stale-order scenario (tests/lab/scenarios/stale-orders.sh).  Started with
 * a recycled pid (exit 2 unless getpid() == PID), it binds its memory to
 * node 0, maps anonymous memory at each START (a dead VM's move-order
 * addresses) for NPAGES 4 KiB pages, touches it, and prints
 *   before N0 N1 N2 N3 ABSENT
 * (its pages on nodes 0-3, and not present), waits for a line on stdin,
 * and prints the same counts as "after ...".  Pages are only queried
 * (move_pages(2) without nodes), never moved.  Static: L1 runs it directly.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096UL
#define MAX_PAGES 65536
#define MPOL_BIND 2

static void *pages[MAX_PAGES];
static int status[MAX_PAGES];
static unsigned long npages;

static void show(const char *when)
{
	unsigned long count[5] = { 0 };

	if (syscall(SYS_move_pages, 0, npages, pages, NULL, status, 0) < 0) {
		perror("squatter: move_pages");
		exit(1);
	}
	for (unsigned long i = 0; i < npages; i++)
		count[status[i] >= 0 && status[i] < 4 ? status[i] : 4]++;
	printf("%s %lu %lu %lu %lu %lu\n", when, count[0], count[1], count[2],
	       count[3], count[4]);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	unsigned long mask = 1;	/* node 0 */
	char line[16];

	if (argc < 4 || argc % 2) {
		fprintf(stderr, "usage: squatter PID START NPAGES [START NPAGES ...]\n");
		return 1;
	}
	if (getpid() != atoi(argv[1])) {
		fprintf(stderr, "squatter: pid %d, not %s\n", getpid(), argv[1]);
		return 2;
	}
	if (syscall(SYS_set_mempolicy, MPOL_BIND, &mask, 8 * sizeof(mask)) < 0)
		perror("squatter: set_mempolicy");
	for (int a = 2; a + 1 < argc; a += 2) {
		unsigned long start = strtoul(argv[a], NULL, 0);
		unsigned long n = strtoul(argv[a + 1], NULL, 0);
		char *p;

		if (npages + n > MAX_PAGES)
			n = MAX_PAGES - npages;
		p = mmap((void *)start, n * PAGE, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (p == MAP_FAILED || p != (char *)start) {
			fprintf(stderr, "squatter: cannot map 0x%lx\n", start);
			return 1;
		}
		memset(p, 0x5a, n * PAGE);
		for (unsigned long i = 0; i < n; i++)
			pages[npages++] = p + i * PAGE;
	}
	show("before");
	if (!fgets(line, sizeof(line), stdin))
		return 1;
	show("after");
	return 0;
}
