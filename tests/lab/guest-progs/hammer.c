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

static void write_gfns(const char *path, char *mem, size_t pages)
{
	int fd = open("/proc/self/pagemap", O_RDONLY);
	FILE *out = fopen(path, "w");
	uint64_t first = 0, n = 0;

	if (fd < 0 || !out) {
		perror("gfns");
		exit(2);
	}
	for (size_t i = 0; i <= pages; i++) {
		uint64_t e = 0, gfn = 0;

		if (i < pages &&
		    pread(fd, &e, sizeof(e), ((uintptr_t)(mem + i * PAGE) / PAGE) * 8) == 8 &&
		    (e >> 63))
			gfn = e & ((1ULL << 55) - 1);
		if (n && gfn == first + n) {
			n++;
			continue;
		}
		if (n)
			fprintf(out, "%llu %llu\n", (unsigned long long)first,
				(unsigned long long)n);
		first = gfn;
		n = gfn ? 1 : 0;
	}
	fclose(out);
	close(fd);
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
	write_gfns(gfn_file, mem, pages);
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
