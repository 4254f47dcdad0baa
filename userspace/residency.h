/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where a VM's RAM lives: the node of every page of every RAM memslot,
 * asked of the kernel with move_pages(pid, ..., nodes = NULL) (a query,
 * nothing moves).
 */
#ifndef KVMNUMA_RESIDENCY_H
#define KVMNUMA_RESIDENCY_H

#include <stdint.h>

#include "nodelist.h"

struct memslot {
	uint64_t first_gfn;
	uint64_t npages;	/* guest 4 KiB pages */
	uint64_t hva;		/* in the VMM (QEMU) */
};

struct residency {
	unsigned long sample;	/* every sample-th page was asked */
	uint64_t pages_total;	/* guest pages in the slots */
	/* Counts are of sampled pages times sample: estimates of pages. */
	uint64_t on_node[NODELIST_MAX];
	uint64_t not_backed;	/* never touched or discarded: -ENOENT/-EFAULT */
	uint64_t unknown;	/* any other per-page error */
};

/*
 * Parses a VM's "memslots" file ("<first_gfn> <npages> 0x<hva>" lines).
 * Returns the number of slots (<= max) or -errno.
 */
int memslots_read(const char *id, struct memslot *slots, int max);

/*
 * Fills @r for process @pid.  Returns 0, or -errno of move_pages for the
 * whole query (-ESRCH: the process is gone, -EPERM: not allowed).
 */
int residency_query(int pid, const struct memslot *slots, int nslots,
		    unsigned long sample, struct residency *r);

/*
 * residency_query(), also calling @page for every page asked, in guest
 * physical order within each slot, with its gfn and its move_pages status
 * (a node >= 0, or -errno: -ENOENT/-EFAULT not backed).
 */
int residency_walk(int pid, const struct memslot *slots, int nslots,
		   unsigned long sample, struct residency *r,
		   void (*page)(void *arg, uint64_t gfn, int status), void *arg);

#define RESIDENCY_MAX_SLOTS 512	/* QEMU uses a handful of memslots */

/* residency_query() of VM @id (its memslots and pid from sysfs); 0 or -errno. */
int residency_of_vm(const char *id, unsigned long sample, struct residency *r);

#endif /* KVMNUMA_RESIDENCY_H */
