/* SPDX-License-Identifier: GPL-2.0 */
/* Carrying out one migration order of the host module with move_pages(2). */
#ifndef KVMNUMA_MOVE_EXEC_H
#define KVMNUMA_MOVE_EXEC_H

#include <kvmnuma/user_abi.h>

/* Pages per move_pages() call: bounds the arrays and each call's latency. */
#define MOVE_CHUNK 4096
/* Highest node number + 1 whose room is checked. */
#define MOVE_MAX_NODES 64

/*
 * Moves the order's pages and fills @r (id echoed).  moved counts pages
 * whose status is the target node afterwards; failed all others.  When
 * move_pages() fails as a whole (-ESRCH: the VM exited, -EPERM: no
 * CAP_SYS_NICE, -ENODEV: node offline) the rest of the order counts as
 * failed and r->error is -errno.
 */
void move_order_exec(const struct kvmnuma_move_order *o,
		     struct kvmnuma_move_result *r);

/*
 * Executes @n orders into @r[0..n-1].  Small orders of the same process
 * (round-4k yields one order per misplaced page) share one move_pages()
 * call; results are exactly those of move_order_exec() on each.
 *
 * Room first: an order whose target node cannot take its pages above the
 * node's high watermark (less what earlier orders of this call take) is
 * not tried: move_pages(2) to a full node only fails, after reclaim, with
 * a page-allocation-failure warning and a call trace in the host log.
 * Such an order gets moved 0, failed npages, error -ENOMEM, which the
 * module counts as unplaceable for "no-room".  An order some of whose
 * pages move_pages() itself reports -ENOMEM also gets error -ENOMEM.
 * Nodes absent from /proc/zoneinfo ($KVMNUMA_ZONEINFO) are not checked.
 */
void move_orders_exec(const struct kvmnuma_move_order *o, int n,
		      struct kvmnuma_move_result *r);

/* Room of each node, in pages, from /proc/zoneinfo; see move_room_read(). */
struct move_room {
	int nr_nodes;			/* nodes seen; 0: no check at all */
	unsigned long long free[MOVE_MAX_NODES];	/* above high watermark */
	unsigned char known[MOVE_MAX_NODES];
};

/*
 * Reads each node's free pages and high watermarks (zones other than DMA,
 * as the module counts them) and fills @room with what each node can take
 * (common/tally.h, kvmnuma_room_pages()).  Returns 0, or -errno if the file
 * cannot be read (then nr_nodes is 0 and nothing is checked).
 */
int move_room_read(struct move_room *room);

/*
 * Executes @n orders read from the module's device @dev into @r, moving
 * nothing for a stale order.  For each run of orders naming one pid: a
 * pidfd is opened for the pid, each order is confirmed with
 * KVMNUMA_IOC_CONFIRM (the pid still names a task with the VM's address
 * space), the confirmed ones are moved as move_orders_exec() does, and
 * then the pidfd's process must still exist and each order confirm again.
 * A refused order moves nothing: r->error is the refusal (-ESRCH: stale),
 * every page failed.  An order that fails only the check after the move
 * (the process exited, so its pid may have been recycled, or it exec'd,
 * while move_pages(2) ran) also gets -ESRCH, and is counted in *@late.
 * @dev < 0: no module to ask (a regular file standing in for the device
 * in tests): orders are moved unconfirmed, as by move_orders_exec().
 */
void move_orders_exec_bound(int dev, const struct kvmnuma_move_order *o, int n,
			    struct kvmnuma_move_result *r, unsigned long *late);

#endif /* KVMNUMA_MOVE_EXEC_H */
