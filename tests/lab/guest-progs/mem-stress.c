// SPDX-License-Identifier: GPL-2.0
/*
 * Guest workload for the integrity scenario: for a number of seconds,
 * repeatedly allocates chunks, fills every page with a pattern unique to
 * (process, round, page), re-reads it, and frees the chunks, so that
 * freshly freed guest pages are reused at once while the host discards.
 *
 * Usage: mem-stress -t seconds -m max-MiB-per-chunk [-k chunks-held] [-H|-T]
 *   -H  chunks may be transparent huge pages (MADV_HUGEPAGE; default
 *       MADV_NOHUGEPAGE), so that compaction has large folios to move
 *   -T  chunks are hugetlb pages (MAP_HUGETLB, 2 MiB multiples); a chunk
 *       the pool cannot supply is retried later
 * Prints "rounds <n> pages <n> mismatches <n>"; exits 1 on any mismatch.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#define PAGE 4096UL
#define WORDS_CHECKED 8		/* spread over the page */
#define MAX_HELD 16

struct chunk {
	char *mem;
	size_t pages;
	uint64_t tag;
};

static uint64_t word(uint64_t tag, size_t page, int w)
{
	return (tag * 0x9e3779b97f4a7c15ULL) ^ (page << 8) ^ (uint64_t)w;
}

static void fill(struct chunk *c)
{
	for (size_t p = 0; p < c->pages; p++)
		for (int w = 0; w < WORDS_CHECKED; w++)
			((uint64_t *)(c->mem + p * PAGE))[w * 64] = word(c->tag, p, w);
}

static size_t verify(struct chunk *c)
{
	size_t bad = 0;

	for (size_t p = 0; p < c->pages; p++)
		for (int w = 0; w < WORDS_CHECKED; w++)
			bad += ((uint64_t *)(c->mem + p * PAGE))[w * 64] !=
			       word(c->tag, p, w);
	return bad;
}

int main(int argc, char **argv)
{
	struct chunk held[MAX_HELD] = { 0 };
	unsigned long seconds = 10, max_mib = 16, nheld = 4, rounds = 0;
	size_t pages = 0, mismatches = 0;
	unsigned int seed = (unsigned int)getpid();
	time_t end;
	int opt, huge = 0;

	while ((opt = getopt(argc, argv, "t:m:k:HT")) != -1) {
		switch (opt) {
		case 'H': huge = 1; break;
		case 'T': huge = 2; break;
		case 't': seconds = strtoul(optarg, NULL, 0); break;
		case 'm': max_mib = strtoul(optarg, NULL, 0); break;
		case 'k': nheld = strtoul(optarg, NULL, 0); break;
		default:
			fprintf(stderr, "usage: mem-stress -t s -m MiB [-k n]\n");
			return 2;
		}
	}
	if (!max_mib || !nheld || nheld > MAX_HELD) {
		fprintf(stderr, "mem-stress: need -m >= 1 and 1 <= -k <= %d\n", MAX_HELD);
		return 2;
	}
	end = time(NULL) + (time_t)seconds;
	while (time(NULL) < end) {
		struct chunk *c = &held[rounds % nheld];

		/* Check and release the oldest chunk, then reuse its slot. */
		if (c->mem) {
			mismatches += verify(c);
			munmap(c->mem, c->pages * PAGE);
		}
		c->pages = (1 + rand_r(&seed) % (max_mib * 256));
		if (huge == 2)
			c->pages = (c->pages + 511) & ~511UL;
		c->tag = ((uint64_t)getpid() << 32) | rounds;
		c->mem = mmap(NULL, c->pages * PAGE, PROT_READ | PROT_WRITE,
			      MAP_PRIVATE | MAP_ANONYMOUS |
			      (huge == 2 ? MAP_HUGETLB : 0), -1, 0);
		if (c->mem == MAP_FAILED) {
			c->mem = NULL;
			usleep(10000);
			continue;
		}
		if (huge != 2)
			madvise(c->mem, c->pages * PAGE,
				huge ? MADV_HUGEPAGE : MADV_NOHUGEPAGE);
		fill(c);
		mismatches += verify(c);
		pages += c->pages;
		rounds++;
	}
	for (unsigned long i = 0; i < nheld; i++)
		if (held[i].mem)
			mismatches += verify(&held[i]);
	printf("rounds %lu pages %zu mismatches %zu\n", rounds, pages, mismatches);
	return mismatches ? 1 : 0;
}
