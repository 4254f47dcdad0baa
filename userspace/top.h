/* SPDX-License-Identifier: GPL-2.0 */
/*
 * `kvmnumactl top`: a live view of every VM, per host node: resident guest
 * pages and re-fault rates, and per VM the rates of discards, page moves
 * and Carrefour decisions, refreshed every interval.  Keys: s cycles the
 * sort column, q quits.  --once prints one frame (rates over one
 * interval) for scripts.
 */
#ifndef KVMNUMA_TOP_H
#define KVMNUMA_TOP_H

#include <stdbool.h>

enum top_sort { TOP_SORT_VM, TOP_SORT_MEMORY, TOP_SORT_DISCARDS, TOP_SORT_REFAULTS,
		TOP_SORT_MOVES, TOP_SORT_CARREFOUR, TOP_NR_SORTS };

/* The sort key named @name ("vm", "memory", ...), or -1. */
int top_sort_parse(const char *name);

/* Returns a kvmnumactl exit code. */
int top_run(bool once, unsigned long interval_s, enum top_sort sort);

#endif /* KVMNUMA_TOP_H */
