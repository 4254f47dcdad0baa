/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Placement accounting (round-4k, round-1g): where every guest page of a
 * walk stands, as one partition that always adds up:
 *
 *	total      = placed + misplaced + unwalked
 *	misplaced  = failed + unplaceable + pending
 *	unplaceable = the sum of unplaceable_by[] over the reasons
 *
 * placed: on its layout node (found there, faulted in there, or moved
 * there).  pending: in a move order kvmnumad has not answered.  failed: a
 * move kvmnumad tried and could not do (page busy, pinned, VM gone).
 * unplaceable: left off its node on purpose, for a reason (no room on
 * the node, could not be faulted in).  unwalked: not visited yet (0 once
 * the walk is over).  Every update moves pages between these sets, so
 * the sums hold after each call; the caller serialises the calls (the
 * host module under a spinlock, so that a reader sees a consistent
 * snapshot).
 *
 * Event counters (to_move, moved) come on top: how many pages were found
 * off their node and how many kvmnumad moved.
 */
#ifndef KVMNUMA_COMMON_TALLY_H
#define KVMNUMA_COMMON_TALLY_H

#include "compat.h"

enum kvmnuma_unplaceable_reason {
	/* The target node had no free memory above its high watermark. */
	KVMNUMA_UNPLACEABLE_NO_ROOM,
	/* Faulting the page in failed (e.g. no VMA, SIGBUS, hwpoison). */
	KVMNUMA_UNPLACEABLE_FAULT,
	KVMNUMA_UNPLACEABLE_NR,
};

struct kvmnuma_tally {
	u64 total;
	u64 unwalked;
	u64 placed;
	u64 pending;
	u64 failed;
	u64 unplaceable_by[KVMNUMA_UNPLACEABLE_NR];
	u64 to_move;		/* event: pages ordered to move */
	u64 moved;		/* event: pages kvmnumad moved */
};

/* What one step of the walk found for a run of pages; all in pages. */
struct kvmnuma_tally_visit {
	u64 placed;
	u64 ordered;		/* queued for kvmnumad */
	u64 unplaceable_by[KVMNUMA_UNPLACEABLE_NR];
};

/* State shown in placement/state, see kvmnuma_tally_state(). */
enum kvmnuma_tally_state {
	KVMNUMA_TALLY_RUNNING,	/* walking */
	KVMNUMA_TALLY_MOVING,	/* walked; kvmnumad has orders to answer */
	KVMNUMA_TALLY_WAITING,	/* walked; orders pending, no kvmnumad */
	KVMNUMA_TALLY_DONE,	/* every page on its layout node */
	KVMNUMA_TALLY_DEGRADED,	/* over, with pages failed or unplaceable */
};

/* A new walk over @total pages: everything unwalked. */
void kvmnuma_tally_start(struct kvmnuma_tally *t, u64 total);

/*
 * Accounts a visited run: its pages leave unwalked (at most unwalked of
 * them: a walk never visits more than it announced).
 */
void kvmnuma_tally_visit(struct kvmnuma_tally *t,
			 const struct kvmnuma_tally_visit *v);

/*
 * kvmnumad answered an order of @npages: @moved (clamped to @npages) are
 * placed, the rest failed, or unplaceable for lack of room if @no_room.
 * @cancelled: the order was withdrawn unanswered; its pages count as
 * failed.  Returns false, changing nothing, if @npages exceeds pending
 * (an answer to an order of another walk).
 */
bool kvmnuma_tally_answer(struct kvmnuma_tally *t, u64 npages, u64 moved,
			  bool no_room, bool cancelled);

u64 kvmnuma_tally_unplaceable(const struct kvmnuma_tally *t);
u64 kvmnuma_tally_misplaced(const struct kvmnuma_tally *t);
/* True if both sums of the partition hold (a bug check). */
bool kvmnuma_tally_consistent(const struct kvmnuma_tally *t);

/*
 * The state once the walk is @walked: RUNNING while not; then MOVING or
 * WAITING (@daemon: kvmnumad connected) while orders are pending; then
 * DONE if every page is placed, else DEGRADED.
 */
enum kvmnuma_tally_state kvmnuma_tally_state(const struct kvmnuma_tally *t,
					     bool walked, bool daemon);
const char *kvmnuma_tally_state_name(enum kvmnuma_tally_state s);

/* "no-room", "fault"; NULL for an unknown reason. */
const char *kvmnuma_unplaceable_reason_name(int reason);
/* The reason with the most pages, or -1 if no page is unplaceable. */
int kvmnuma_tally_main_reason(const struct kvmnuma_tally *t);

/*
 * Pages a node can still take: its @free pages less @reserve (its high
 * watermark: below it kswapd reclaims and allocations fall back to other
 * nodes) and less @committed (pages already promised to it, e.g. moves
 * ordered and not answered).  0 when there is no room.
 */
u64 kvmnuma_room_pages(u64 free, u64 reserve, u64 committed);

/*
 * Memory pressure on a node: its @free pages are below @low, the sum of
 * its zones' low watermarks (kswapd runs; allocations for the node fall
 * back to others).  A node with no watermark (@low 0) is never under
 * pressure.
 */
bool kvmnuma_node_pressure(u64 free, u64 low);

/* What a placement walker does before a batch, see kvmnuma_pressure_backoff(). */
enum kvmnuma_backoff {
	KVMNUMA_BACKOFF_GO,	/* no pressure: fault in or order moves */
	KVMNUMA_BACKOFF_WAIT,	/* pressure: sleep one step, ask again */
	KVMNUMA_BACKOFF_GIVE_UP,	/* pressure past the walk's budget */
};

/*
 * Placement under memory pressure: a walker that finds its node under
 * @pressure waits in steps while the walk has waited less than
 * @budget_ms in all (@waited_ms so far), so that a transient pressure
 * delays the walk instead of leaving pages off their node; past the
 * budget it goes on, and the room check makes the pages unplaceable
 * ("no-room").  The budget bounds how long a walk can last.
 */
enum kvmnuma_backoff kvmnuma_pressure_backoff(bool pressure, u64 waited_ms,
					      u64 budget_ms);

/*
 * Backpressure on move orders (kvmnumad answers them, or not): a VM has at
 * most @cap orders outstanding.  A requester may queue one more while
 * @outstanding < @cap; placement, once paused at the cap, resumes when
 * kvmnumad has brought @outstanding down to half of it, so that it does
 * not wake for every answer.  A @cap of 0 counts as 1.
 */
bool kvmnuma_orders_may_queue(u64 outstanding, u64 cap);
bool kvmnuma_orders_may_resume(u64 outstanding, u64 cap);

#endif /* KVMNUMA_COMMON_TALLY_H */
