// SPDX-License-Identifier: GPL-2.0
/*
 * Guest helper for make compare's pagecache workload: which guest frames
 * hold a file's (or block device's) page cache.  Maps the file shared and
 * read-only, asks mincore(2) which pages are cached, reads one byte of each
 * cached page only (it is mapped, not read again: nothing is added to the
 * cache), and writes their frames from /proc/self/pagemap.
 *
 * Usage: file-gfns FILE GFN-FILE
 * GFN-FILE gets lines "first_gfn npages" (runs of consecutive frames in
 * file order; pages not cached are left out).  Prints "pages <n> cached <n>
 * present <n>" (present: cached pages whose frame was read; a page
 * reclaimed between mincore and the read is read back, and counted).  Exit status 0, 2 on any error (needs root:
 * pagemap shows frame numbers to CAP_SYS_ADMIN only).
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gfn-runs.h"

#define PAGE 4096UL

int main(int argc, char **argv)
{
	uint64_t present = 0, cached = 0;
	volatile unsigned char sink = 0;
	size_t size, pages;
	unsigned char *mem, *vec;
	int fd, pm;
	FILE *out;
	struct gfn_runs runs = { 0 };

	if (argc != 3) {
		fprintf(stderr, "usage: file-gfns FILE GFN-FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	pm = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0 || pm < 0) {
		perror("open");
		return 2;
	}
	/* A block device's size is its end offset, not st_size. */
	size = lseek(fd, 0, SEEK_END);
	pages = size / PAGE;
	if (!pages) {
		fprintf(stderr, "file-gfns: %s is empty\n", argv[1]);
		return 2;
	}
	mem = mmap(NULL, pages * PAGE, PROT_READ, MAP_SHARED, fd, 0);
	if (mem == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	vec = malloc(pages);
	if (!vec || mincore(mem, pages * PAGE, vec)) {
		perror("mincore");
		return 2;
	}
	out = fopen(argv[2], "w");
	if (!out) {
		perror(argv[2]);
		return 2;
	}
	runs.out = out;
	for (size_t i = 0; i < pages; i++) {
		uint64_t gfn = 0;

		if (vec[i] & 1) {
			cached++;
			sink += mem[i * PAGE];
			gfn = pagemap_gfn(pm, mem + i * PAGE);
		}
		present += gfn != 0;
		gfn_runs_add(&runs, gfn);
	}
	gfn_runs_add(&runs, 0);
	if (fclose(out))
		return 2;
	printf("pages %zu cached %llu present %llu\n", pages,
	       (unsigned long long)cached, (unsigned long long)present);
	return 0;
}
