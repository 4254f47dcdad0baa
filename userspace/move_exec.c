// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <numa.h>
#include <numaif.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "../common/tally.h"
#include "move_exec.h"

int move_room_read(struct move_room *room)
{
	const char *path = getenv("KVMNUMA_ZONEINFO");
	unsigned long long free[MOVE_MAX_NODES] = { 0 }, high[MOVE_MAX_NODES] = { 0 };
	unsigned long long v;
	char line[256], zone[32];
	int node = -1, skip = 0;
	FILE *f;

	memset(room, 0, sizeof(*room));
	f = fopen(path && *path ? path : "/proc/zoneinfo", "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "Node %d, zone %31s", &node, zone) == 2) {
			if (node < 0 || node >= MOVE_MAX_NODES) {
				node = -1;
				continue;
			}
			/* ZONE_DMA is kept for ISA DMA, not for guest pages. */
			skip = !strcmp(zone, "DMA");
			room->known[node] = 1;
			if (node >= room->nr_nodes)
				room->nr_nodes = node + 1;
			continue;
		}
		if (node < 0 || skip)
			continue;
		if (sscanf(line, " pages free %llu", &v) == 1)
			free[node] += v;
		else if (sscanf(line, " high %llu", &v) == 1)
			high[node] += v;
	}
	fclose(f);
	for (node = 0; node < room->nr_nodes; node++)
		room->free[node] = kvmnuma_room_pages(free[node], high[node], 0);
	return 0;
}

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
			if (status[i] == o->node) {
				r->moved++;
			} else {
				r->failed++;
				if (status[i] == -ENOMEM)
					r->error = -ENOMEM;
			}
		}
		done += n;
	}
}

static int order_valid(const struct kvmnuma_move_order *o, unsigned long page)
{
	return o->pid > 0 && o->node >= 0 && o->start % page == 0;
}

/*
 * One move_pages() call for orders [first, last) of one pid whose pages
 * fit in MOVE_CHUNK; falls back to one call per order if it fails as a
 * whole (so each order gets its own error).
 */
static void exec_group(const struct kvmnuma_move_order *o, int first, int last,
		       struct kvmnuma_move_result *r)
{
	static void *pages[MOVE_CHUNK];
	static int nodes[MOVE_CHUNK], status[MOVE_CHUNK];
	unsigned long page = sysconf(_SC_PAGESIZE), n = 0;

	for (int i = first; i < last; i++)
		for (__u64 p = 0; p < o[i].npages; p++, n++) {
			pages[n] = (void *)(uintptr_t)(o[i].start + p * page);
			nodes[n] = o[i].node;
		}
	if (numa_move_pages(o[first].pid, n, pages, nodes, status,
			    MPOL_MF_MOVE_ALL) < 0) {
		for (int i = first; i < last; i++)
			move_order_exec(&o[i], &r[i]);
		return;
	}
	n = 0;
	for (int i = first; i < last; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].id = o[i].id;
		for (__u64 p = 0; p < o[i].npages; p++, n++) {
			if (status[n] == o[i].node) {
				r[i].moved++;
			} else {
				r[i].failed++;
				if (status[n] == -ENOMEM)
					r[i].error = -ENOMEM;
			}
		}
	}
}

/* True (and @r filled) if @o's node cannot take its pages; else books them. */
static bool no_room(struct move_room *room, const struct kvmnuma_move_order *o,
		    struct kvmnuma_move_result *r)
{
	if (o->node < 0 || o->node >= room->nr_nodes || !room->known[o->node])
		return false;
	if (o->npages <= room->free[o->node]) {
		room->free[o->node] -= o->npages;
		return false;
	}
	memset(r, 0, sizeof(*r));
	r->id = o->id;
	r->failed = o->npages;
	r->error = -ENOMEM;
	return true;
}

void move_orders_exec(const struct kvmnuma_move_order *o, int n,
		      struct kvmnuma_move_result *r)
{
	unsigned char *skip = calloc(n > 0 ? n : 1, 1);
	unsigned long page = sysconf(_SC_PAGESIZE);
	struct move_room room;
	int i = 0;

	/* One look at the nodes per read(): orders then share the room. */
	move_room_read(&room);
	for (int k = 0; k < n && skip; k++)
		skip[k] = order_valid(&o[k], page) && no_room(&room, &o[k], &r[k]);
	while (i < n) {
		int last = i;
		__u64 pages = 0;

		if (skip && skip[i]) {
			i++;
			continue;
		}
		while (last < n && o[last].pid == o[i].pid &&
		       !(skip && skip[last]) &&
		       order_valid(&o[last], page) &&
		       pages + o[last].npages <= MOVE_CHUNK)
			pages += o[last++].npages;
		if (last == i) {	/* invalid, or too big to share a call */
			move_order_exec(&o[i], &r[i]);
			i++;
			continue;
		}
		exec_group(o, i, last, r);
		i = last;
	}
	free(skip);
}

/* 0 if the module confirms that order @id still names the VM's process. */
static int confirm(int dev, __u64 id)
{
	return ioctl(dev, KVMNUMA_IOC_CONFIRM, &id) < 0 ? -errno : 0;
}

static void refuse(const struct kvmnuma_move_order *o,
		   struct kvmnuma_move_result *r, int err)
{
	memset(r, 0, sizeof(*r));
	r->id = o->id;
	r->failed = o->npages;
	r->error = err;
}

/*
 * Orders [0, n) all name one pid.  Why a pidfd: a pid number is handed to
 * another process only after its owner is reaped, and a pidfd refers to
 * its process, never to a later holder of the number.  If the pidfd's
 * process still exists after move_pages(2), the pid named that process
 * from pidfd_open() to the end of the move, so the confirmation and the
 * move both saw it; and the confirmation says it had the VM's mm.
 */
static void exec_pid_run(int dev, const struct kvmnuma_move_order *o, int n,
			 struct kvmnuma_move_result *r, unsigned long *late)
{
	static bool ok[MOVE_CHUNK];
	int pidfd, err;
	bool alive;

	if (o[0].pid == 0) {
		/* The VM's QEMU is outside kvmnumad's pid namespace. */
		for (int k = 0; k < n; k++)
			refuse(&o[k], &r[k], -ESRCH);
		return;
	}
	if (o[0].pid < 0) {		/* move_order_exec() says EINVAL */
		move_orders_exec(o, n, r);
		return;
	}
	pidfd = syscall(SYS_pidfd_open, o[0].pid, 0);
	err = -errno;
	for (int k = 0; k < n; k++) {
		ok[k] = false;
		if (pidfd < 0)
			refuse(&o[k], &r[k], err);
		else if ((err = confirm(dev, o[k].id)))
			refuse(&o[k], &r[k], err);
		else
			ok[k] = true;
	}
	if (pidfd < 0)
		return;
	for (int a = 0, b; a < n; a = b) {
		for (b = a; b < n && ok[b]; b++)
			;
		if (b > a)
			move_orders_exec(&o[a], b - a, &r[a]);
		else
			b++;
	}
	alive = syscall(SYS_pidfd_send_signal, pidfd, 0, NULL, 0) == 0;
	for (int k = 0; k < n; k++) {
		if (ok[k] && (!alive || confirm(dev, o[k].id))) {
			refuse(&o[k], &r[k], -ESRCH);
			(*late)++;
		}
	}
	close(pidfd);
}

void move_orders_exec_bound(int dev, const struct kvmnuma_move_order *o, int n,
			    struct kvmnuma_move_result *r, unsigned long *late)
{
	int i = 0;

	if (dev < 0) {
		move_orders_exec(o, n, r);
		return;
	}
	while (i < n) {
		int last = i + 1;

		while (last < n && last - i < MOVE_CHUNK && o[last].pid == o[i].pid)
			last++;
		exec_pid_run(dev, &o[i], last - i, &r[i], late);
		i = last;
	}
}
