/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Frames of a guest program's own pages, for the lab guest programs that
 * report them (hammer, phase, file-gfns, touch-mem): one read of
 * /proc/self/pagemap per page (frame numbers need CAP_SYS_ADMIN), and the
 * "FIRST COUNT" run lines (guest frame numbers, in pages) that
 * tests/lab/lib.sh l2_placement_summary reads.  Header-only: each guest
 * program is one static binary built from its own .c file.
 */
#ifndef GUEST_PROGS_GFN_RUNS_H
#define GUEST_PROGS_GFN_RUNS_H

#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define GFN_RUNS_PAGE 4096UL

/* Frame of the page at @addr; 0 if it has none (not present, or unread). */
static inline uint64_t pagemap_gfn(int pagemap_fd, const void *addr)
{
	uint64_t e = 0;

	if (pread(pagemap_fd, &e, sizeof(e),
		  ((uintptr_t)addr / GFN_RUNS_PAGE) * sizeof(e)) == sizeof(e) &&
	    (e >> 63))
		return e & ((1ULL << 55) - 1);
	return 0;
}

/* Consecutive frames merged into runs as they come, in page order. */
struct gfn_runs {
	FILE *out;
	uint64_t first, n;
};

/* Add the next page's frame; 0 (no frame) ends the current run. */
static inline void gfn_runs_add(struct gfn_runs *r, uint64_t gfn)
{
	if (r->n && gfn == r->first + r->n) {
		r->n++;
		return;
	}
	if (r->n)
		fprintf(r->out, "%llu %llu\n", (unsigned long long)r->first,
			(unsigned long long)r->n);
	r->first = gfn;
	r->n = gfn ? 1 : 0;
}

/* Write the runs of @pages pages from @mem to @path; exit 2 on error. */
static inline void write_gfn_runs(const char *path, const char *mem, size_t pages)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	struct gfn_runs r = { .out = fopen(path, "w") };

	if (fd < 0 || !r.out) {
		perror("gfns");
		exit(2);
	}
	for (size_t i = 0; i < pages; i++)
		gfn_runs_add(&r, pagemap_gfn(fd, mem + i * GFN_RUNS_PAGE));
	gfn_runs_add(&r, 0);
	if (fclose(r.out)) {
		perror(path);
		exit(2);
	}
	close(fd);
}

#endif
