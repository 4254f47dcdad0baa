// SPDX-License-Identifier: GPL-2.0
/*
 * Guest workload for the integrity-fork scenario: for a number of seconds,
 * forks bursts of short-lived children.  Each child gets a kernel stack
 * (vmalloc'ed: alloc_pages_bulk, no allocation event), writes a pattern
 * unique to (child, page) over a private buffer, makes a few system calls
 * (which run on that stack), verifies the buffer and exits with 0, or 1 on
 * any mismatch.  A kernel stack the host discards under a live process
 * crashes the guest kernel; a discarded buffer page is a mismatch.
 *
 * Usage: fork-storm -t seconds [-n children-per-burst] [-k KiB-per-child]
 * Prints "forks <n> failed <n> mismatches <n>"; exits 1 if any failed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define MAX_CHILDREN 256

static uint64_t word(uint64_t tag, size_t page, size_t w)
{
	return (tag * 0x9e3779b97f4a7c15ULL) ^ (page << 12) ^ w ^ (1ULL << 63);
}

static int child(uint64_t tag, size_t pages)
{
	uint64_t *mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	const size_t words = PAGE / sizeof(uint64_t);
	size_t bad = 0;

	if (mem == MAP_FAILED)
		return 2;
	for (size_t p = 0; p < pages; p++)
		for (size_t w = 0; w < words; w++)
			mem[p * words + w] = word(tag, p, w);
	/* System calls run on the kernel stack allocated by fork. */
	for (int i = 0; i < 8; i++) {
		(void)getppid();
		usleep(100);
	}
	for (size_t p = 0; p < pages; p++)
		for (size_t w = 0; w < words; w++)
			bad += mem[p * words + w] != word(tag, p, w);
	return bad ? 1 : 0;
}

int main(int argc, char **argv)
{
	unsigned long seconds = 10, burst = 16, kib = 64, forks = 0, failed = 0;
	unsigned long mismatches = 0;
	pid_t pids[MAX_CHILDREN];
	time_t end;
	int opt;

	while ((opt = getopt(argc, argv, "t:n:k:")) != -1) {
		switch (opt) {
		case 't':
			seconds = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			burst = strtoul(optarg, NULL, 0);
			break;
		case 'k':
			kib = strtoul(optarg, NULL, 0);
			break;
		default:
			fprintf(stderr, "usage: %s -t seconds [-n children] [-k KiB]\n",
				argv[0]);
			return 2;
		}
	}
	if (!burst || burst > MAX_CHILDREN || !kib) {
		fprintf(stderr, "fork-storm: bad arguments\n");
		return 2;
	}
	end = time(NULL) + (time_t)seconds;
	while (time(NULL) < end) {
		unsigned long n = 0, i;

		for (i = 0; i < burst; i++) {
			pid_t pid = fork();

			if (pid == 0)
				_exit(child(((uint64_t)getpid() << 20) ^ forks ^ i,
					    kib * 1024 / PAGE));
			if (pid > 0)
				pids[n++] = pid;
		}
		for (i = 0; i < n; i++) {
			int status;

			if (waitpid(pids[i], &status, 0) < 0)
				continue;
			forks++;
			if (!WIFEXITED(status) || WEXITSTATUS(status)) {
				failed++;
				mismatches += WIFEXITED(status) &&
					      WEXITSTATUS(status) == 1;
			}
		}
	}
	printf("forks %lu failed %lu mismatches %lu\n", forks, failed, mismatches);
	return failed ? 1 : 0;
}
