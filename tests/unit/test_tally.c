// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests for common/tally.c: placement counters always add up. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "../../common/tally.h"

static struct kvmnuma_tally_visit visit(u64 placed, u64 ordered, u64 no_room,
					u64 fault)
{
	struct kvmnuma_tally_visit v = { .placed = placed, .ordered = ordered };

	v.unplaceable_by[KVMNUMA_UNPLACEABLE_NO_ROOM] = no_room;
	v.unplaceable_by[KVMNUMA_UNPLACEABLE_FAULT] = fault;
	return v;
}

static void walk_then_answers_add_up(void **state)
{
	struct kvmnuma_tally t;
	struct kvmnuma_tally_visit v;

	kvmnuma_tally_start(&t, 100);
	assert_true(kvmnuma_tally_consistent(&t));
	assert_int_equal(kvmnuma_tally_state(&t, false, true), KVMNUMA_TALLY_RUNNING);
	v = visit(40, 30, 20, 10);
	kvmnuma_tally_visit(&t, &v);
	assert_true(kvmnuma_tally_consistent(&t));
	assert_int_equal(t.unwalked, 0);
	assert_int_equal(kvmnuma_tally_misplaced(&t), 60);
	assert_int_equal(t.to_move, 30);
	assert_int_equal(kvmnuma_tally_state(&t, true, true), KVMNUMA_TALLY_MOVING);
	assert_int_equal(kvmnuma_tally_state(&t, true, false), KVMNUMA_TALLY_WAITING);
	/* 10 pages: 7 moved, 3 busy; 20 pages: 5 moved, the node filled up. */
	assert_true(kvmnuma_tally_answer(&t, 10, 7, false, false));
	assert_true(kvmnuma_tally_answer(&t, 20, 5, true, false));
	assert_true(kvmnuma_tally_consistent(&t));
	assert_int_equal(t.placed, 52);
	assert_int_equal(t.failed, 3);
	assert_int_equal(t.unplaceable_by[KVMNUMA_UNPLACEABLE_NO_ROOM], 35);
	assert_int_equal(t.moved, 12);
	assert_int_equal(t.pending, 0);
	assert_int_equal(kvmnuma_tally_state(&t, true, true), KVMNUMA_TALLY_DEGRADED);
	assert_int_equal(kvmnuma_tally_main_reason(&t), KVMNUMA_UNPLACEABLE_NO_ROOM);
	assert_string_equal(kvmnuma_unplaceable_reason_name(kvmnuma_tally_main_reason(&t)),
			    "no-room");
}

static void all_placed_is_done(void **state)
{
	struct kvmnuma_tally t;
	struct kvmnuma_tally_visit v = visit(90, 10, 0, 0);

	kvmnuma_tally_start(&t, 100);
	kvmnuma_tally_visit(&t, &v);
	assert_true(kvmnuma_tally_answer(&t, 10, 10, false, false));
	assert_int_equal(kvmnuma_tally_state(&t, true, false), KVMNUMA_TALLY_DONE);
	assert_int_equal(kvmnuma_tally_main_reason(&t), -1);
	assert_string_equal(kvmnuma_tally_state_name(KVMNUMA_TALLY_DONE), "done");
	assert_string_equal(kvmnuma_tally_state_name(KVMNUMA_TALLY_DEGRADED), "degraded");
}

/* A daemon that claims more than it was asked, or answers twice. */
static void hostile_answers_cannot_break_the_sums(void **state)
{
	struct kvmnuma_tally t;
	struct kvmnuma_tally_visit v = visit(0, 10, 0, 0);

	kvmnuma_tally_start(&t, 10);
	kvmnuma_tally_visit(&t, &v);
	assert_true(kvmnuma_tally_answer(&t, 10, 1000, false, false));
	assert_int_equal(t.placed, 10);
	assert_false(kvmnuma_tally_answer(&t, 10, 10, false, false));
	assert_true(kvmnuma_tally_consistent(&t));
	assert_int_equal(t.placed, 10);
}

static void overvisiting_cannot_break_the_sums(void **state)
{
	struct kvmnuma_tally t;
	struct kvmnuma_tally_visit v = visit(8, 8, 8, 8);

	kvmnuma_tally_start(&t, 20);
	kvmnuma_tally_visit(&t, &v);
	assert_true(kvmnuma_tally_consistent(&t));
	assert_int_equal(t.unwalked, 0);
	assert_int_equal(t.placed + kvmnuma_tally_misplaced(&t), 20);
}

static void cancelled_orders_fail(void **state)
{
	struct kvmnuma_tally t;
	struct kvmnuma_tally_visit v = visit(0, 4, 0, 0);

	kvmnuma_tally_start(&t, 4);
	kvmnuma_tally_visit(&t, &v);
	assert_true(kvmnuma_tally_answer(&t, 4, 4, true, true));
	assert_int_equal(t.failed, 4);
	assert_int_equal(t.placed, 0);
	assert_true(kvmnuma_tally_consistent(&t));
}

/* A walk cut short (unwalked > 0) is never "done". */
static void unfinished_walk_is_degraded(void **state)
{
	struct kvmnuma_tally t;
	struct kvmnuma_tally_visit v = visit(5, 0, 0, 0);

	kvmnuma_tally_start(&t, 10);
	kvmnuma_tally_visit(&t, &v);
	assert_int_equal(kvmnuma_tally_state(&t, true, true), KVMNUMA_TALLY_DEGRADED);
}

static void room(void **state)
{
	assert_int_equal(kvmnuma_room_pages(100, 20, 30), 50);
	assert_int_equal(kvmnuma_room_pages(100, 20, 80), 0);
	assert_int_equal(kvmnuma_room_pages(100, 20, 81), 0);
	assert_int_equal(kvmnuma_room_pages(10, 20, 0), 0);
	assert_int_equal(kvmnuma_room_pages(20, 20, 0), 0);
	assert_int_equal(kvmnuma_room_pages(UINT64_MAX, 1, UINT64_MAX), 0);
	assert_null(kvmnuma_unplaceable_reason_name(KVMNUMA_UNPLACEABLE_NR));
	assert_null(kvmnuma_unplaceable_reason_name(-1));
}

/* Below the low watermark is pressure; at it, or without one, is not. */
static void pressure_is_below_low_watermark(void **state)
{
	assert_true(kvmnuma_node_pressure(99, 100));
	assert_false(kvmnuma_node_pressure(100, 100));
	assert_false(kvmnuma_node_pressure(0, 0));
}

/* A walker waits while under pressure, within its budget only. */
static void pressure_backoff_is_bounded(void **state)
{
	assert_int_equal(kvmnuma_pressure_backoff(false, 0, 1000), KVMNUMA_BACKOFF_GO);
	assert_int_equal(kvmnuma_pressure_backoff(false, 5000, 1000), KVMNUMA_BACKOFF_GO);
	assert_int_equal(kvmnuma_pressure_backoff(true, 0, 1000), KVMNUMA_BACKOFF_WAIT);
	assert_int_equal(kvmnuma_pressure_backoff(true, 999, 1000), KVMNUMA_BACKOFF_WAIT);
	assert_int_equal(kvmnuma_pressure_backoff(true, 1000, 1000), KVMNUMA_BACKOFF_GIVE_UP);
	/* Budget 0: never waits (back-off off). */
	assert_int_equal(kvmnuma_pressure_backoff(true, 0, 0), KVMNUMA_BACKOFF_GIVE_UP);
}

/* Queue below the cap; resume at half of it; a cap of 0 is 1. */
static void orders_cap_and_hysteresis(void **state)
{
	assert_true(kvmnuma_orders_may_queue(0, 1024));
	assert_true(kvmnuma_orders_may_queue(1023, 1024));
	assert_false(kvmnuma_orders_may_queue(1024, 1024));
	assert_false(kvmnuma_orders_may_queue(UINT64_MAX, 1024));
	assert_false(kvmnuma_orders_may_resume(513, 1024));
	assert_true(kvmnuma_orders_may_resume(512, 1024));
	assert_true(kvmnuma_orders_may_queue(0, 0));
	assert_false(kvmnuma_orders_may_queue(1, 0));
	assert_true(kvmnuma_orders_may_resume(0, 1));
	assert_false(kvmnuma_orders_may_resume(1, 1));
}

/*
 * A requester that checks before each order never holds more than the
 * cap, whatever the interleaving of orders and answers.
 */
static void orders_never_exceed_the_cap(void **state)
{
	u64 out = 0, cap = 16, max = 0;
	unsigned int seed = 1, i;

	for (i = 0; i < 100000; i++) {
		seed = seed * 1103515245 + 12345;
		if ((seed >> 16) % 3 && kvmnuma_orders_may_queue(out, cap))
			out++;
		else if (out)
			out--;
		if (out > max)
			max = out;
	}
	assert_int_equal(max, cap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(walk_then_answers_add_up),
		cmocka_unit_test(all_placed_is_done),
		cmocka_unit_test(hostile_answers_cannot_break_the_sums),
		cmocka_unit_test(overvisiting_cannot_break_the_sums),
		cmocka_unit_test(cancelled_orders_fail),
		cmocka_unit_test(unfinished_walk_is_degraded),
		cmocka_unit_test(room),
		cmocka_unit_test(pressure_is_below_low_watermark),
		cmocka_unit_test(pressure_backoff_is_bounded),
		cmocka_unit_test(orders_cap_and_hysteresis),
		cmocka_unit_test(orders_never_exceed_the_cap),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
