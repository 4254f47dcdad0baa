// SPDX-License-Identifier: GPL-2.0
/*
 * pageout: unmap random pages of a running guest's RAM from its QEMU by
 * stock means, as a control for kvmnuma's software sampler (which zaps
 * random guest pages without freeing them).  process_madvise(2) with
 * MADV_PAGEOUT on shared memfd RAM and no swap unmaps each page from
 * QEMU's page tables (so KVM drops its TDP entry) and leaves it in the
 * page cache, data intact: the same page traffic, no kvmnuma involved.
 *
 * Usage: pageout -p QEMU_PID -m RAM_MIB -n PAGES -i INTERVAL_MS -t SECONDS
 * The guest RAM is the first shared mapping of RAM_MIB MiB in the QEMU's
 * /proc/PID/maps.  Prints "rounds R pages P errors E" at the end.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#define BATCH 1024	/* UIO_MAXIOV */

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	int opt, pid = 0, mib = 0, pages = 0, interval = 0, seconds = 0, pidfd;
	unsigned long start = 0, end, size, rounds = 0, done = 0, errors = 0;
	static struct iovec iov[BATCH];
	char path[64], line[512];
	double stop;
	FILE *maps;

	while ((opt = getopt(argc, argv, "p:m:n:i:t:")) != -1) {
		switch (opt) {
		case 'p': pid = atoi(optarg); break;
		case 'm': mib = atoi(optarg); break;
		case 'n': pages = atoi(optarg); break;
		case 'i': interval = atoi(optarg); break;
		case 't': seconds = atoi(optarg); break;
		default: pid = 0; break;
		}
	}
	if (pid <= 0 || mib <= 0 || pages <= 0 || interval <= 0 || seconds <= 0) {
		fprintf(stderr, "usage: pageout -p PID -m RAM_MIB -n PAGES -i MS -t S\n");
		return 2;
	}
	size = (unsigned long)mib << 20;
	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	maps = fopen(path, "r");
	if (!maps) {
		perror(path);
		return 1;
	}
	while (fgets(line, sizeof(line), maps)) {
		char perms[8];

		if (sscanf(line, "%lx-%lx %7s", &start, &end, perms) == 3 &&
		    end - start == size && perms[3] == 's')
			break;
		start = 0;
	}
	fclose(maps);
	if (!start) {
		fprintf(stderr, "pageout: no shared %d MiB mapping in %s\n", mib, path);
		return 1;
	}
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	if (pidfd < 0) {
		perror("pidfd_open");
		return 1;
	}
	srandom(pid);
	stop = now() + seconds;
	while (now() < stop) {
		int left = pages;

		while (left > 0) {
			int n = left < BATCH ? left : BATCH, i;
			long r;

			for (i = 0; i < n; i++) {
				iov[i].iov_base = (void *)(start +
					((unsigned long)random() % (size >> 12) << 12));
				iov[i].iov_len = 4096;
			}
			r = syscall(SYS_process_madvise, pidfd, iov, n,
				    MADV_PAGEOUT, 0);
			if (r < 0)
				errors++;
			else
				done += r / 4096;
			left -= n;
		}
		rounds++;
		usleep(interval * 1000);
	}
	printf("rounds %lu pages %lu errors %lu\n", rounds, done, errors);
	return errors && !done;
}
