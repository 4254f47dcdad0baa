// SPDX-License-Identifier: GPL-2.0
/*
 * Test helper for userspace/tests/run.sh (no KVM, no module needed):
 *   fakevm vm NPAGES TOUCHED NVCPUS [ARGS]  stands in for QEMU: maps NPAGES pages,
 *                                     touches the first TOUCHED, starts NVCPUS
 *                                     threads named "CPU <n>/KVM", prints the
 *                                     mapping's address, sleeps until killed.
 *   fakevm orders FILE PID NODE START NPAGES [...]
 *                                     writes kvmnuma_move_order records (ids 1..)
 *   fakevm results FILE NORDERS       prints "id moved failed error reserved" for
 *                                     the results after the NORDERS orders
 *                                     (a regular file as fake device: kvmnumad
 *                                     reads the orders, appends its results).
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <kvmnuma/user_abi.h>

static void *idle(void *arg)
{
	(void)arg;
	for (;;)
		pause();
	return NULL;
}

static int vm(int argc, char **argv)
{
	long npages, touched, nvcpus;
	char *mem;

	/* Further arguments (e.g. -name guest=NAME) are only for /proc/PID/cmdline. */
	if (argc < 5)
		return 1;
	npages = atol(argv[2]);
	touched = atol(argv[3]);
	nvcpus = atol(argv[4]);
	mem = mmap(NULL, npages * 4096, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (mem == MAP_FAILED)
		return 1;
	for (long i = 0; i < touched; i++)
		mem[i * 4096] = 1;
	for (long i = 0; i < nvcpus; i++) {
		char name[32];	/* the kernel keeps 15 characters */
		pthread_t t;

		if (pthread_create(&t, NULL, idle, NULL))
			return 1;
		snprintf(name, sizeof(name), "CPU %ld/KVM", i);
		name[15] = 0;
		pthread_setname_np(t, name);
	}
	printf("%p\n", (void *)mem);
	fflush(stdout);
	idle(NULL);
	return 0;
}

static int orders(int argc, char **argv)
{
	FILE *f;

	if (argc < 7 || (argc - 3) % 4)
		return 1;
	f = fopen(argv[2], "w");
	if (!f)
		return 1;
	for (int i = 3, id = 1; i < argc; i += 4, id++) {
		struct kvmnuma_move_order o = {
			.id = id, .pid = atoi(argv[i]), .node = atoi(argv[i + 1]),
			.start = strtoull(argv[i + 2], NULL, 0),
			.npages = strtoull(argv[i + 3], NULL, 0),
		};
		fwrite(&o, sizeof(o), 1, f);
	}
	return fclose(f) ? 1 : 0;
}

static int results(int argc, char **argv)
{
	struct kvmnuma_move_result r;
	FILE *f;

	if (argc != 4 || !(f = fopen(argv[2], "r")))
		return 1;
	fseek(f, atol(argv[3]) * sizeof(struct kvmnuma_move_order), SEEK_SET);
	while (fread(&r, sizeof(r), 1, f) == 1)
		printf("%llu %llu %llu %d %u\n", (unsigned long long)r.id,
		       (unsigned long long)r.moved, (unsigned long long)r.failed,
		       r.error, r.reserved);
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "vm"))
		return vm(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "orders"))
		return orders(argc, argv);
	if (argc > 1 && !strcmp(argv[1], "results"))
		return results(argc, argv);
	fprintf(stderr, "usage: see the comment at the top of fakevm.c\n");
	return 1;
}
