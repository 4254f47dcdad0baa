// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <numaif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "residency.h"
#include "vmsysfs.h"

/* The kernel copies the arrays in; 4096 entries keep each call short. */
#define CHUNK 4096
#define GUEST_PAGE 4096ULL	/* memslots count guest (x86) pages */

int memslots_read(const char *id, struct memslot *slots, int max)
{
	FILE *f = vm_fopen(id, "memslots");
	char line[256];
	int n = 0;

	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		struct memslot s;

		if (sscanf(line, "%" SCNu64 " %" SCNu64 " %" SCNx64,
			   &s.first_gfn, &s.npages, &s.hva) != 3)
			continue;	/* tolerate a future header or comment */
		if (n == max)
			break;
		slots[n++] = s;
	}
	fclose(f);
	return n;
}

/* A sampled page stands for itself and the pages skipped after it. */
static void account(struct residency *r, int status, uint64_t weight)
{
	if (status >= 0 && status < NODELIST_MAX)
		r->on_node[status] += weight;
	else if (status == -ENOENT || status == -EFAULT)
		r->not_backed += weight;
	else
		r->unknown += weight;
}

int residency_query(int pid, const struct memslot *slots, int nslots,
		    unsigned long sample, struct residency *r)
{
	return residency_walk(pid, slots, nslots, sample, r, NULL, NULL);
}

int residency_walk(int pid, const struct memslot *slots, int nslots,
		   unsigned long sample, struct residency *r,
		   void (*page)(void *arg, uint64_t gfn, int status), void *arg)
{
	static void *pages[CHUNK];
	static int status[CHUNK];
	static uint64_t weight[CHUNK];

	memset(r, 0, sizeof(*r));
	r->sample = sample ? sample : 1;
	for (int s = 0; s < nslots; s++) {
		uint64_t i = 0;

		r->pages_total += slots[s].npages;
		while (i < slots[s].npages) {
			unsigned long n = 0;

			for (; n < CHUNK && i < slots[s].npages; n++, i += r->sample) {
				pages[n] = (void *)(uintptr_t)(slots[s].hva + i * GUEST_PAGE);
				weight[n] = slots[s].npages - i < r->sample ?
					    slots[s].npages - i : r->sample;
			}
			/* nodes == NULL: report each page's node, move nothing. */
			if (move_pages(pid, n, pages, NULL, status, 0) < 0)
				return -errno;
			for (unsigned long k = 0; k < n; k++) {
				account(r, status[k], weight[k]);
				if (page)
					page(arg, slots[s].first_gfn +
					     ((uintptr_t)pages[k] - slots[s].hva) / GUEST_PAGE,
					     status[k]);
			}
		}
	}
	return 0;
}

int residency_of_vm(const char *id, unsigned long sample, struct residency *r)
{
	static struct memslot slots[RESIDENCY_MAX_SLOTS];
	char pid[32];
	int nslots;

	nslots = memslots_read(id, slots, RESIDENCY_MAX_SLOTS);
	if (nslots < 0)
		return nslots;
	if (vm_read(id, "pid", pid, sizeof(pid)))
		return -ENOENT;
	return residency_query(atoi(pid), slots, nslots, sample, r);
}
