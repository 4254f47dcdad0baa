// SPDX-License-Identifier: GPL-2.0
/*
 * Guest workload for placement scenarios: allocates and writes MiB of
 * memory, then reports which guest frames back it.
 *
 * Usage: touch-mem -m MiB [-o gfn-file] [-h hold-file] [-s seed]
 *   -o  write the backing guest frames as lines "first_gfn npages"
 *       (sorted, merged runs), read from /proc/self/pagemap, then create
 *       <gfn-file>.done;
 *   -h  after writing, keep the memory until hold-file exists, then verify
 *       every page still holds its pattern;
 *   -l  while holding, verify every page again and again (passes counted);
 * Prints "touched <pages> mismatches <n>"; exits 1 on any mismatch.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "gfn-runs.h"

#define PAGE 4096UL

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static void write_gfns(const char *path, char *mem, size_t pages)
{
	uint64_t *gfns = calloc(pages, sizeof(*gfns));
	int fd = open("/proc/self/pagemap", O_RDONLY);
	size_t i, n = 0;
	FILE *out;

	if (!gfns || fd < 0) {
		perror("pagemap");
		exit(2);
	}
	for (i = 0; i < pages; i++) {
		uint64_t gfn = pagemap_gfn(fd, mem + i * PAGE);

		if (gfn)	/* present */
			gfns[n++] = gfn;
	}
	close(fd);
	qsort(gfns, n, sizeof(*gfns), cmp_u64);

	out = fopen(path, "w");
	if (!out) {
		perror(path);
		exit(2);
	}
	for (i = 0; i < n;) {
		size_t j = i + 1;

		while (j < n && gfns[j] == gfns[j - 1] + 1)
			j++;
		fprintf(out, "%llu %zu\n", (unsigned long long)gfns[i], j - i);
		i = j;
	}
	fclose(out);
	free(gfns);

	char done[4096];

	snprintf(done, sizeof(done), "%s.done", path);
	fclose(fopen(done, "w"));
}

static uint64_t pattern(size_t page, uint64_t seed)
{
	return (page * 0x9e3779b97f4a7c15ULL) ^ seed;
}

int main(int argc, char **argv)
{
	const char *gfn_file = NULL, *hold_file = NULL;
	uint64_t seed = (uint64_t)getpid() << 32;
	size_t mib = 0, pages, i, mismatches = 0, passes = 0;
	int loop = 0;
	char *mem;
	int opt;

	while ((opt = getopt(argc, argv, "m:o:h:s:l")) != -1) {
		switch (opt) {
		case 'm': mib = strtoul(optarg, NULL, 0); break;
		case 'o': gfn_file = optarg; break;
		case 'h': hold_file = optarg; break;
		case 's': seed = strtoull(optarg, NULL, 0); break;
		case 'l': loop = 1; break;
		default:
			fprintf(stderr, "usage: touch-mem -m MiB [-o gfn-file] [-h hold-file] [-s seed]\n");
			return 2;
		}
	}
	if (!mib) {
		fprintf(stderr, "touch-mem: -m MiB is required\n");
		return 2;
	}
	pages = mib * 256;
	mem = mmap(NULL, pages * PAGE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	/* Small pages, so the guest allocator hands out 4 KiB frames. */
	madvise(mem, pages * PAGE, MADV_NOHUGEPAGE);
	for (i = 0; i < pages; i++)
		*(uint64_t *)(mem + i * PAGE) = pattern(i, seed);
	if (gfn_file)
		write_gfns(gfn_file, mem, pages);
	if (hold_file)
		while (access(hold_file, F_OK)) {
			if (!loop) {
				usleep(100000);
				continue;
			}
			for (i = 0; i < pages; i++)
				mismatches += *(uint64_t *)(mem + i * PAGE) !=
					      pattern(i, seed);
			passes++;
		}
	for (i = 0; i < pages; i++)
		mismatches += *(uint64_t *)(mem + i * PAGE) != pattern(i, seed);
	printf("touched %zu passes %zu mismatches %zu\n", pages, passes, mismatches);
	return mismatches ? 1 : 0;
}
