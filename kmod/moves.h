/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Move orders for kvmnumad.  A requester (placement, Carrefour) embeds a
 * struct kvmnuma_move in its own order, queues it, and accounts the result
 * in its done() callback: this service knows no policy and no VM.
 */
#ifndef KVMNUMA_MOVES_H
#define KVMNUMA_MOVES_H

#include <linux/list.h>
#include <linux/types.h>
#include <linux/wait.h>

#include "../include/kvmnuma/user_abi.h"

/**
 * struct kvmnuma_move - one order: move rec.npages pages of process
 *	rec.pid from address rec.start to node rec.node
 * @list: owned by moves.c while queued
 * @rec: filled by the requester (moves.c sets rec.id)
 * @mm: the VM's address space (kvm->mm), the process identity the order
 *	is bound to: kvmnuma_moves_confirm() refuses the order unless rec.pid
 *	still names a task with this mm.  Compared by address only, never
 *	dereferenced; the requester holds the VM, hence the kvm, hence its
 *	mmgrab(), for the order's life, so no other mm can have this address.
 * @owner: what kvmnuma_moves_cancel() matches, a cookie from
 *	kvmnuma_moves_new_owner(); 0: never cancelled
 * @who: names the requester in the log ("VM <id>"); must live until done
 * @error: set before done(): kvmnumad's error for the order, 0 if none or
 *	cancelled; -ENOMEM means the target node had no room (kvmnumad
 *	checks before it calls move_pages(2)), so the pages not moved are
 *	unplaceable rather than failed
 * @done: called exactly once, in process context without any moves.c
 *	lock held: with the pages kvmnumad moved (<= rec.npages), or with
 *	@cancelled set (and 0 pages) when the order is cancelled or the
 *	module unloads.  It owns the order from then on.
 */
struct kvmnuma_move {
	struct list_head list;
	struct kvmnuma_move_order rec;
	struct mm_struct *mm;
	u64 owner;
	const char *who;
	int error;
	void (*done)(struct kvmnuma_move *m, u64 moved, bool cancelled);
};

/* Hands @m to kvmnumad (or to the next daemon that connects). */
void kvmnuma_moves_queue(struct kvmnuma_move *m);
/*
 * A new owner cookie, never 0 and never handed out before: unlike an
 * address, it cannot name a later requester whose orders it would cancel.
 */
u64 kvmnuma_moves_new_owner(void);
/* Cancels the orders of @owner not yet read by kvmnumad; may sleep. */
void kvmnuma_moves_cancel(u64 owner);
bool kvmnuma_moves_daemon_connected(void);
/*
 * The per-VM cap on outstanding orders (max_orders_per_vm, >= 1): each
 * requester counts a VM's orders in vm->orders and stops queueing at the
 * cap (see kvmnuma_orders_may_queue()), so kernel memory for orders is
 * bounded per VM while kvmnumad is slow or away.
 */
unsigned int kvmnuma_moves_cap(void);
/*
 * Pages host node @nid can take now without falling below its high
 * watermark (where kswapd starts reclaiming and allocations fall back to
 * other nodes), less @committed pages already promised to it; 0 if none
 * or if @nid has no memory.  Reclaimable page cache is not counted: a
 * move or fault must not need reclaim.  Lockless, a racy snapshot.
 */
u64 kvmnuma_moves_node_room(int nid, u64 committed);
/*
 * True while host node @nid has fewer free pages than its low watermark
 * (kswapd is reclaiming there, and a fault meant for @nid falls back to
 * another node): memory pressure, when placement and the software
 * sampler back off.  False for a node without memory.  Lockless, racy.
 */
bool kvmnuma_moves_node_pressure(int nid);

/* For the /dev/kvmnuma device (dev.c). */
/* A daemon connects: 0, or -EBUSY if one already is. */
int kvmnuma_moves_attach(void);
/* The daemon went away: orders it read without answering go out again. */
void kvmnuma_moves_detach(void);
/*
 * Hands out up to @max pending orders through @copy (0 or -EFAULT; the
 * order that fails to copy stays pending), waiting for one unless
 * @nonblock.  Returns how many were handed out, -EAGAIN, -ERESTARTSYS, or
 * -EFAULT when the first copy failed.
 */
ssize_t kvmnuma_moves_hand_out(size_t max, bool nonblock,
			       int (*copy)(void *ctx, size_t i,
					   const struct kvmnuma_move_order *rec),
			       void *ctx);
/*
 * kvmnumad asks, just before moving the pages of the order @id it read,
 * whether the order's pid still names the VM's process: 0 if the task
 * with that pid has the order's mm and the caller's pid namespace can see
 * it (hand-out gave the caller the pid as its namespace numbers it);
 * -ESRCH if there is no such task or it has another mm (QEMU exited, its
 * pid was recycled, or it exec'd); -EINVAL if @id is not an order handed
 * out and unanswered.
 */
int kvmnuma_moves_confirm(u64 id);
/* kvmnumad's result for an order it read: 0, or -EINVAL for an unknown id. */
int kvmnuma_moves_complete(const struct kvmnuma_move_result *res);
bool kvmnuma_moves_any_pending(void);
wait_queue_head_t *kvmnuma_moves_waitq(void);

/* Module exit, once no requester is left: cancels what remains. */
void kvmnuma_moves_exit(void);

#endif /* KVMNUMA_MOVES_H */
