// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <numa.h>
#include <numaif.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include "move_exec.h"

void move_order_exec(const struct kvmnuma_move_order *o,
		     struct kvmnuma_move_result *r)
{
	static void *pages[MOVE_CHUNK];
	static int nodes[MOVE_CHUNK], status[MOVE_CHUNK];
	unsigned long page = sysconf(_SC_PAGESIZE);
	__u64 done = 0;

	memset(r, 0, sizeof(*r));
	r->id = o->id;
	/* pid 0 would be kvmnumad itself: never trust an order that far. */
	if (o->pid <= 0 || o->node < 0 || o->start % page) {
		r->failed = o->npages;
		r->error = -EINVAL;
		return;
	}
	while (done < o->npages) {
		unsigned long n = o->npages - done < MOVE_CHUNK ?
				  o->npages - done : MOVE_CHUNK;

		for (unsigned long i = 0; i < n; i++) {
			pages[i] = (void *)(uintptr_t)(o->start + (done + i) * page);
			nodes[i] = o->node;
		}
		/*
		 * MOVE_ALL: shared guest RAM (memfd) may also be mapped by
		 * vhost-user backends; MPOL_MF_MOVE would skip those pages.
		 */
		if (numa_move_pages(o->pid, n, pages, nodes, status, MPOL_MF_MOVE_ALL) < 0) {
			r->error = -errno;
			r->failed += o->npages - done;
			return;
		}
		for (unsigned long i = 0; i < n; i++) {
			if (status[i] == o->node)
				r->moved++;
			else
				r->failed++;
		}
		done += n;
	}
}
