// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Placement accounting; see tally.h for the partition it keeps. */
#include "tally.h"

static const char *const reason_names[KVMNUMA_UNPLACEABLE_NR] = {
	[KVMNUMA_UNPLACEABLE_NO_ROOM] = "no-room",
	[KVMNUMA_UNPLACEABLE_FAULT] = "fault",
};

static const char *const state_names[] = {
	[KVMNUMA_TALLY_RUNNING] = "running",
	[KVMNUMA_TALLY_MOVING] = "moving",
	[KVMNUMA_TALLY_WAITING] = "waiting-for-kvmnumad",
	[KVMNUMA_TALLY_DONE] = "done",
	[KVMNUMA_TALLY_DEGRADED] = "degraded",
};

void kvmnuma_tally_start(struct kvmnuma_tally *t, u64 total)
{
	memset(t, 0, sizeof(*t));
	t->total = total;
	t->unwalked = total;
}

/* Takes up to @n pages out of *@from; returns how many it took. */
static u64 take(u64 *from, u64 n)
{
	if (n > *from)
		n = *from;
	*from -= n;
	return n;
}

void kvmnuma_tally_visit(struct kvmnuma_tally *t,
			 const struct kvmnuma_tally_visit *v)
{
	int r;

	/* Each set gets only what left unwalked: the sums cannot break. */
	t->placed += take(&t->unwalked, v->placed);
	t->to_move += v->ordered;
	t->pending += take(&t->unwalked, v->ordered);
	for (r = 0; r < KVMNUMA_UNPLACEABLE_NR; r++)
		t->unplaceable_by[r] += take(&t->unwalked, v->unplaceable_by[r]);
}

bool kvmnuma_tally_answer(struct kvmnuma_tally *t, u64 npages, u64 moved,
			  bool no_room, bool cancelled)
{
	if (npages > t->pending)
		return false;
	t->pending -= npages;
	if (cancelled)
		moved = 0;
	if (moved > npages)
		moved = npages;
	t->placed += moved;
	t->moved += moved;
	if (no_room && !cancelled)
		t->unplaceable_by[KVMNUMA_UNPLACEABLE_NO_ROOM] += npages - moved;
	else
		t->failed += npages - moved;
	return true;
}

u64 kvmnuma_tally_unplaceable(const struct kvmnuma_tally *t)
{
	u64 sum = 0;
	int r;

	for (r = 0; r < KVMNUMA_UNPLACEABLE_NR; r++)
		sum += t->unplaceable_by[r];
	return sum;
}

u64 kvmnuma_tally_misplaced(const struct kvmnuma_tally *t)
{
	return t->failed + kvmnuma_tally_unplaceable(t) + t->pending;
}

bool kvmnuma_tally_consistent(const struct kvmnuma_tally *t)
{
	return t->placed + kvmnuma_tally_misplaced(t) + t->unwalked == t->total;
}

enum kvmnuma_tally_state kvmnuma_tally_state(const struct kvmnuma_tally *t,
					     bool walked, bool daemon)
{
	if (!walked)
		return KVMNUMA_TALLY_RUNNING;
	if (t->pending)
		return daemon ? KVMNUMA_TALLY_MOVING : KVMNUMA_TALLY_WAITING;
	return kvmnuma_tally_misplaced(t) || t->unwalked ?
	       KVMNUMA_TALLY_DEGRADED : KVMNUMA_TALLY_DONE;
}

const char *kvmnuma_tally_state_name(enum kvmnuma_tally_state s)
{
	if ((unsigned int)s > KVMNUMA_TALLY_DEGRADED)
		return "unknown";
	return state_names[s];
}

const char *kvmnuma_unplaceable_reason_name(int reason)
{
	if (reason < 0 || reason >= KVMNUMA_UNPLACEABLE_NR)
		return NULL;
	return reason_names[reason];
}

int kvmnuma_tally_main_reason(const struct kvmnuma_tally *t)
{
	int r, best = -1;

	for (r = 0; r < KVMNUMA_UNPLACEABLE_NR; r++)
		if (t->unplaceable_by[r] &&
		    (best < 0 || t->unplaceable_by[r] > t->unplaceable_by[best]))
			best = r;
	return best;
}

u64 kvmnuma_room_pages(u64 free, u64 reserve, u64 committed)
{
	if (free <= reserve || free - reserve <= committed)
		return 0;
	return free - reserve - committed;
}

bool kvmnuma_node_pressure(u64 free, u64 low)
{
	return free < low;
}

enum kvmnuma_backoff kvmnuma_pressure_backoff(bool pressure, u64 waited_ms,
					      u64 budget_ms)
{
	if (!pressure)
		return KVMNUMA_BACKOFF_GO;
	return waited_ms < budget_ms ? KVMNUMA_BACKOFF_WAIT :
				       KVMNUMA_BACKOFF_GIVE_UP;
}

bool kvmnuma_orders_may_queue(u64 outstanding, u64 cap)
{
	return outstanding < (cap ? cap : 1);
}

bool kvmnuma_orders_may_resume(u64 outstanding, u64 cap)
{
	return outstanding <= (cap ? cap : 1) / 2;
}
