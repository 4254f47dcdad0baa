/* SPDX-License-Identifier: GPL-2.0 */
/* Carrying out one migration order of the host module with move_pages(2). */
#ifndef KVMNUMA_MOVE_EXEC_H
#define KVMNUMA_MOVE_EXEC_H

#include <kvmnuma/user_abi.h>

/* Pages per move_pages() call: bounds the arrays and each call's latency. */
#define MOVE_CHUNK 4096

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
 */
void move_orders_exec(const struct kvmnuma_move_order *o, int n,
		      struct kvmnuma_move_result *r);

#endif /* KVMNUMA_MOVE_EXEC_H */
