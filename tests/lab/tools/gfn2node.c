/*
 * gfn2node: which L1 NUMA node backs each guest page of an L2 QEMU.
 *
 *   gfn2node [-a HVA] PID MEM_MIB [GFN ...]      one line per page: "GFN NODE"
 *   gfn2node -s [-a HVA] PID MEM_MIB [GFN ...]   per-node summary
 *
 * GFN arguments are guest page frame numbers, decimal or 0x-hex, single
 * ("0x1234") or inclusive ranges ("0x1000-0x1fff"); a lone "-" reads more of
 * them from stdin, whitespace separated.  With -s and no GFN, the whole guest
 * RAM is summarised.
 * NODE is the node number, or "-" for a page that is not populated (never
 * touched, or discarded), or "eN" for another move_pages(2) status -N.
 * Summary lines: "node<N> <pages>" for every node seen, then
 * "absent <pages>", "other <pages>", "total <pages>".
 *
 * The guest RAM mapping is found in /proc/PID/maps as the (possibly split,
 * so adjacent same-name VMAs are joined) mapping of exactly MEM_MIB MiB;
 * -a gives its start address instead.
 * gfn -> offset in that mapping follows QEMU's q35 layout: below 2.75 GiB of
 * RAM all of it sits at gpa 0..size; from 2.75 GiB on, the first 2 GiB sit
 * below the PCI hole and the rest at 4 GiB.  The lab keeps L2 RAM <= 2 GiB,
 * where gpa == offset; the split case is handled but has not been tested.
 * Placement is read with move_pages(2), nodes == NULL (raw syscall: L1 has
 * no libnuma, and this binary is static).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define PAGE 4096UL
#define MAXNODE 64
#define BATCH 16384

static unsigned long size, lowmem, base;
static int pid, summary;
static long counts[MAXNODE], absent, other, total;
static unsigned long qgfn[BATCH];
static void *qaddr[BATCH];
static int qn;

static void flush(void)
{
	int status[BATCH], i;

	if (!qn)
		return;
	if (syscall(SYS_move_pages, pid, (unsigned long)qn, qaddr, NULL, status, 0) < 0) {
		perror("gfn2node: move_pages");
		exit(1);
	}
	for (i = 0; i < qn; i++) {
		int s = status[i];
		total++;
		if (s >= 0 && s < MAXNODE)
			counts[s]++;
		else if (s == -ENOENT || s == -EFAULT)
			absent++;
		else
			other++;
		if (summary)
			continue;
		if (s >= 0)
			printf("0x%lx %d\n", qgfn[i], s);
		else if (s == -ENOENT || s == -EFAULT)
			printf("0x%lx -\n", qgfn[i]);
		else
			printf("0x%lx e%d\n", qgfn[i], -s);
	}
	qn = 0;
}

static void add(unsigned long gfn)
{
	unsigned long gpa = gfn * PAGE, off;

	if (gpa < lowmem)
		off = gpa;
	else if (gpa >= (4UL << 30) && gpa - (4UL << 30) < size - lowmem)
		off = gpa - (4UL << 30) + lowmem;
	else {
		fprintf(stderr, "gfn2node: gfn 0x%lx is not guest RAM\n", gfn);
		exit(1);
	}
	qgfn[qn] = gfn;
	qaddr[qn] = (void *)(base + off);
	if (++qn == BATCH)
		flush();
}

static void add_spec(const char *s)
{
	char *end;
	unsigned long a = strtoul(s, &end, 0), b = a;

	if (end == s)
		goto bad;
	if (*end == '-') {
		const char *s2 = end + 1;
		b = strtoul(s2, &end, 0);
		if (end == s2 || b < a)
			goto bad;
	}
	if (*end)
		goto bad;
	for (; a <= b; a++)
		add(a);
	return;
bad:
	fprintf(stderr, "gfn2node: bad gfn '%s'\n", s);
	exit(1);
}

struct vma { unsigned long s, e; int memfd; char name[256]; };

/* The guest RAM VMA: one rw mapping of exactly `size` bytes (a memfd one
 * first), or else a run of adjacent rw VMAs of the same file (or all
 * anonymous) spanning exactly `size`: a VMA can be split (mprotect, madvise
 * on part of it), and an anonymous one can sit right after an unrelated
 * anonymous VMA, so runs are tried from every start. */
static unsigned long find_mapping(void)
{
	char path[64], line[4096];
	struct vma *v = NULL;
	int n = 0, cap = 0, i, j, best = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	f = fopen(path, "r");
	if (!f) {
		perror(path);
		exit(1);
	}
	while (fgets(line, sizeof(line), f)) {
		unsigned long s, e;
		char perms[8], name[4096] = "";
		if (sscanf(line, "%lx-%lx %7s %*s %*s %*s %4095[^\n]", &s, &e, perms, name) < 3)
			continue;
		if (perms[0] != 'r' || perms[1] != 'w')
			continue;
		if (n == cap) {
			cap = cap * 2 + 64;
			v = realloc(v, cap * sizeof(*v));
		}
		v[n].s = s;
		v[n].e = e;
		v[n].memfd = !strncmp(name, "/memfd:", 7);
		snprintf(v[n].name, sizeof(v[n].name), "%s", name);
		n++;
	}
	fclose(f);
	for (i = 0; i < n; i++)
		if (v[i].e - v[i].s == size && (best < 0 || (v[i].memfd && !v[best].memfd)))
			best = i;
	for (i = 0; best < 0 && i < n; i++) {
		for (j = i + 1; j < n && v[j].s == v[j - 1].e &&
		     !strcmp(v[j].name, v[i].name) && v[j].e - v[i].s <= size; j++)
			if (v[j].e - v[i].s == size) {
				best = i;
				break;
			}
	}
	if (best < 0) {
		fprintf(stderr, "gfn2node: no %lu MiB mapping in %s\n", size >> 20, path);
		exit(1);
	}
	return v[best].s;
}

int main(int argc, char **argv)
{
	int opt, i;

	while ((opt = getopt(argc, argv, "sa:")) != -1) {
		if (opt == 's')
			summary = 1;
		else if (opt == 'a')
			base = strtoul(optarg, NULL, 0);
		else
			goto usage;
	}
	if (argc - optind < 2) {
usage:
		fprintf(stderr, "usage: gfn2node [-s] [-a HVA] PID MEM_MIB [GFN|A-B|- ...]\n");
		return 2;
	}
	pid = atoi(argv[optind]);
	size = strtoul(argv[optind + 1], NULL, 0) << 20;
	lowmem = size >= 0xb0000000UL ? 0x80000000UL : size;
	if (!base)
		base = find_mapping();

	if (argc - optind == 2) {
		if (!summary)
			goto usage;
		for (unsigned long g = 0; g < lowmem / PAGE; g++)
			add(g);
		for (unsigned long g = 0; g < (size - lowmem) / PAGE; g++)
			add((4UL << 30) / PAGE + g);
	}
	for (i = optind + 2; i < argc; i++) {
		if (!strcmp(argv[i], "-")) {
			char tok[128];
			while (scanf("%127s", tok) == 1)
				add_spec(tok);
		} else
			add_spec(argv[i]);
	}
	flush();
	if (summary) {
		for (i = 0; i < MAXNODE; i++)
			if (counts[i])
				printf("node%d %ld\n", i, counts[i]);
		printf("absent %ld\nother %ld\ntotal %ld\n", absent, other, total);
	}
	return 0;
}
