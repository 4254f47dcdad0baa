/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmnuma's tracepoints (TRACE_SYSTEM kvmnuma), for perf, trace-cmd,
 * bpftrace or tracefs (events/kvmnuma/).  trace.c creates them; the
 * mechanisms call them.  Documentation/tracepoints.rst lists every field
 * with its unit, and how the counts match the sysfs counters.
 *
 * No field holds a kernel or QEMU address: VMs are named by their id, guest
 * memory by guest frame numbers (gfn), nodes by number.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM kvmnuma

#if !defined(KVMNUMA_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define KVMNUMA_TRACE_H

#include <linux/string.h>
#include <linux/tracepoint.h>

#include "../common/carrefour.h"
#include "../common/policy.h"
#include "../common/tally.h"
#include "kvmnuma.h"

#define KVMNUMA_TRACE_ID_LEN 32		/* sizeof(vm->id) */
#define KVMNUMA_TRACE_NAME_LEN 16

/*
 * One first-touch FLUSH batch, accepted (stats/batches, stats/entries) or
 * rejected (stats/bad_batches; then frees and allocs are 0).  @entries:
 * entries in the batch; @frees, @allocs: pages whose last operation in the
 * batch is a free, an allocation; @result: the KVMNUMA_RES_* code of a
 * rejection, 0 when accepted.
 */
TRACE_EVENT(kvmnuma_batch,
	TP_PROTO(const struct kvmnuma_vm *vm, u64 entries, u64 frees,
		 u64 allocs, int result),
	TP_ARGS(vm, entries, frees, allocs, result),
	TP_STRUCT__entry(
		__array(char, vm, KVMNUMA_TRACE_ID_LEN)
		__field(u64, entries)
		__field(u64, frees)
		__field(u64, allocs)
		__field(int, result)
		__field(bool, rejected)
	),
	TP_fast_assign(
		strscpy_pad(__entry->vm, vm->id, KVMNUMA_TRACE_ID_LEN);
		__entry->entries = entries;
		__entry->frees = frees;
		__entry->allocs = allocs;
		__entry->result = result;
		__entry->rejected = result != 0;
	),
	TP_printk("vm=%s entries=%llu frees=%llu allocs=%llu rejected=%d result=%d",
		  __entry->vm, __entry->entries, __entry->frees, __entry->allocs,
		  __entry->rejected, __entry->result)
);

/*
 * Guest pages given back to the host: @npages pages from guest frame @gfn
 * on (part of one freed range, within one memslot), of kind @backing
 * ("anonymous", "memfd"...).  The sum of @npages is stats/pages_discarded.
 */
TRACE_EVENT(kvmnuma_discard,
	TP_PROTO(const struct kvmnuma_vm *vm, u64 gfn, u64 npages,
		 const char *backing),
	TP_ARGS(vm, gfn, npages, backing),
	TP_STRUCT__entry(
		__array(char, vm, KVMNUMA_TRACE_ID_LEN)
		__field(u64, gfn)
		__field(u64, npages)
		__array(char, backing, KVMNUMA_TRACE_NAME_LEN)
	),
	TP_fast_assign(
		strscpy_pad(__entry->vm, vm->id, KVMNUMA_TRACE_ID_LEN);
		__entry->gfn = gfn;
		__entry->npages = npages;
		strscpy_pad(__entry->backing, backing ? backing : "unknown",
			KVMNUMA_TRACE_NAME_LEN);
	),
	TP_printk("vm=%s gfn=0x%llx npages=%llu backing=%s",
		  __entry->vm, __entry->gfn, __entry->npages, __entry->backing)
);

/*
 * The guest touched discarded frame @gfn again (a TDP fault); the host
 * allocates it on @node, the node of the faulting CPU.  One event per
 * stats/refaults increment (atomic context).
 */
TRACE_EVENT(kvmnuma_refault,
	TP_PROTO(const struct kvmnuma_vm *vm, u64 gfn, int node),
	TP_ARGS(vm, gfn, node),
	TP_STRUCT__entry(
		__array(char, vm, KVMNUMA_TRACE_ID_LEN)
		__field(u64, gfn)
		__field(int, node)
	),
	TP_fast_assign(
		strscpy_pad(__entry->vm, vm->id, KVMNUMA_TRACE_ID_LEN);
		__entry->gfn = gfn;
		__entry->node = node;
	),
	TP_printk("vm=%s gfn=0x%llx node=%d",
		  __entry->vm, __entry->gfn, __entry->node)
);

/* So that perf and trace-cmd can print the phase names (an enum). */
TRACE_DEFINE_ENUM(KVMNUMA_PLACEMENT_IDLE);
TRACE_DEFINE_ENUM(KVMNUMA_PLACEMENT_RUNNING);
TRACE_DEFINE_ENUM(KVMNUMA_PLACEMENT_DONE);

/*
 * round-4k / round-1g placement: the walk of @node's share is over (@node
 * >= 0), or the whole walk is (@node -1, phase "done").  The page counts
 * are @t's, the placement's tally (common/tally.h), the same as placement/
 * in sysfs, in base pages.
 */
TRACE_EVENT(kvmnuma_placement_progress,
	TP_PROTO(struct kvmnuma_vm *vm, int node, const struct kvmnuma_tally *t),
	TP_ARGS(vm, node, t),
	TP_STRUCT__entry(
		__array(char, vm, KVMNUMA_TRACE_ID_LEN)
		__array(char, policy, KVMNUMA_TRACE_NAME_LEN)
		__field(int, node)
		__field(int, phase)
		__field(u64, total)
		__field(u64, placed)
		__field(u64, to_move)
		__field(u64, unplaceable)
		__field(u64, moves_pending)
		__field(u64, moved)
		__field(u64, move_failed)
	),
	TP_fast_assign(
		strscpy_pad(__entry->vm, vm->id, KVMNUMA_TRACE_ID_LEN);
		strscpy_pad(__entry->policy,
			kvmnuma_policy_name(READ_ONCE(vm->policy)),
			KVMNUMA_TRACE_NAME_LEN);
		__entry->node = node;
		__entry->phase = READ_ONCE(vm->place.phase);
		__entry->total = t->total;
		__entry->placed = t->placed;
		__entry->to_move = t->to_move;
		__entry->unplaceable = kvmnuma_tally_unplaceable(t);
		__entry->moves_pending = t->pending;
		__entry->moved = t->moved;
		__entry->move_failed = t->failed;
	),
	TP_printk("vm=%s policy=%s node=%d phase=%s total=%llu placed=%llu to_move=%llu unplaceable=%llu moves_pending=%llu moved=%llu move_failed=%llu",
		  __entry->vm, __entry->policy, __entry->node,
		  __print_symbolic(__entry->phase,
				   { KVMNUMA_PLACEMENT_IDLE, "idle" },
				   { KVMNUMA_PLACEMENT_RUNNING, "running" },
				   { KVMNUMA_PLACEMENT_DONE, "done" }),
		  __entry->total, __entry->placed, __entry->to_move,
		  __entry->unplaceable, __entry->moves_pending,
		  __entry->moved, __entry->move_failed)
);

/*
 * A move order handed to kvmnumad by @source ("placement", "carrefour"):
 * @pages base pages, to node @to, from node @from (-1: a placement run
 * gathers pages found on any node but @to).
 */
TRACE_EVENT(kvmnuma_move_queued,
	TP_PROTO(const struct kvmnuma_vm *vm, const char *source, u64 pages,
		 int from, int to),
	TP_ARGS(vm, source, pages, from, to),
	TP_STRUCT__entry(
		__array(char, vm, KVMNUMA_TRACE_ID_LEN)
		__array(char, source, KVMNUMA_TRACE_NAME_LEN)
		__field(u64, pages)
		__field(int, from)
		__field(int, to)
	),
	TP_fast_assign(
		strscpy_pad(__entry->vm, vm->id, KVMNUMA_TRACE_ID_LEN);
		strscpy_pad(__entry->source, source, KVMNUMA_TRACE_NAME_LEN);
		__entry->pages = pages;
		__entry->from = from;
		__entry->to = to;
	),
	TP_printk("vm=%s source=%s pages=%llu from=%d to=%d",
		  __entry->vm, __entry->source, __entry->pages, __entry->from,
		  __entry->to)
);

#define KVMNUMA_TRACE_MOVE_OK		0	/* every page moved */
#define KVMNUMA_TRACE_MOVE_PARTIAL	1	/* some moved */
#define KVMNUMA_TRACE_MOVE_FAILED	2	/* none moved */
#define KVMNUMA_TRACE_MOVE_CANCELLED	3	/* never done: policy change, unload */

/*
 * The end of a queued order: kvmnumad moved @moved of its @pages pages,
 * or the order was cancelled (@moved 0).  @id is the order's number in
 * /dev/kvmnuma (struct kvmnuma_move_order), given when it was queued.
 */
TRACE_EVENT(kvmnuma_move_done,
	TP_PROTO(const struct kvmnuma_vm *vm, const char *source, u64 id,
		 u64 pages, u64 moved, int from, int to, bool cancelled),
	TP_ARGS(vm, source, id, pages, moved, from, to, cancelled),
	TP_STRUCT__entry(
		__array(char, vm, KVMNUMA_TRACE_ID_LEN)
		__array(char, source, KVMNUMA_TRACE_NAME_LEN)
		__field(u64, id)
		__field(u64, pages)
		__field(u64, moved)
		__field(int, from)
		__field(int, to)
		__field(int, result)
	),
	TP_fast_assign(
		strscpy_pad(__entry->vm, vm->id, KVMNUMA_TRACE_ID_LEN);
		strscpy_pad(__entry->source, source, KVMNUMA_TRACE_NAME_LEN);
		__entry->id = id;
		__entry->pages = pages;
		__entry->moved = moved;
		__entry->from = from;
		__entry->to = to;
		__entry->result = cancelled ? KVMNUMA_TRACE_MOVE_CANCELLED :
				  moved == pages ? KVMNUMA_TRACE_MOVE_OK :
				  moved ? KVMNUMA_TRACE_MOVE_PARTIAL :
				  KVMNUMA_TRACE_MOVE_FAILED;
	),
	TP_printk("vm=%s source=%s id=%llu pages=%llu moved=%llu from=%d to=%d result=%s",
		  __entry->vm, __entry->source, __entry->id, __entry->pages,
		  __entry->moved, __entry->from, __entry->to,
		  __print_symbolic(__entry->result,
				   { KVMNUMA_TRACE_MOVE_OK, "ok" },
				   { KVMNUMA_TRACE_MOVE_PARTIAL, "partial" },
				   { KVMNUMA_TRACE_MOVE_FAILED, "failed" },
				   { KVMNUMA_TRACE_MOVE_CANCELLED, "cancelled" }))
);

/*
 * One Carrefour decision round (carrefour/ in sysfs shows the last one):
 * what the engine saw (@st) and the orders it wrote.  @gate: the VM was
 * memory-intensive enough (MAPTU) for the heuristics to run.
 */
TRACE_EVENT(kvmnuma_carrefour_decision,
	TP_PROTO(const struct kvmnuma_vm *vm,
		 const struct kvmnuma_cf_stats *st),
	TP_ARGS(vm, st),
	TP_STRUCT__entry(
		__array(char, vm, KVMNUMA_TRACE_ID_LEN)
		__field(u64, round)
		__field(u64, samples)
		__field(u32, pages)
		__field(u32, hot_pages)
		__field(u32, cooling)
		__field(u64, maptu)
		__field(u32, lar_pct)
		__field(u32, imbalance_pct)
		__field(bool, gate)
		__field(bool, interleaving)
		__field(bool, migrating)
		__field(u32, nr_interleave)
		__field(u32, nr_migrate)
		__field(u32, truncated)
	),
	TP_fast_assign(
		strscpy_pad(__entry->vm, vm->id, KVMNUMA_TRACE_ID_LEN);
		__entry->round = st->round;
		__entry->samples = st->samples;
		__entry->pages = st->pages;
		__entry->hot_pages = st->hot_pages;
		__entry->cooling = st->cooling;
		__entry->maptu = st->maptu;
		__entry->lar_pct = st->lar_pct;
		__entry->imbalance_pct = st->imbalance_pct;
		__entry->gate = st->gate;
		__entry->interleaving = st->interleaving;
		__entry->migrating = st->migrating;
		__entry->nr_interleave = st->nr_interleave;
		__entry->nr_migrate = st->nr_migrate;
		__entry->truncated = st->truncated;
	),
	TP_printk("vm=%s round=%llu samples=%llu pages=%u hot_pages=%u cooling=%u maptu=%llu lar_pct=%u imbalance_pct=%u gate=%s interleaving=%d migrating=%d interleave=%u migrate=%u truncated=%u",
		  __entry->vm, __entry->round, __entry->samples, __entry->pages,
		  __entry->hot_pages, __entry->cooling, __entry->maptu,
		  __entry->lar_pct, __entry->imbalance_pct,
		  __entry->gate ? "open" : "closed", __entry->interleaving,
		  __entry->migrating, __entry->nr_interleave,
		  __entry->nr_migrate, __entry->truncated)
);

#endif /* KVMNUMA_TRACE_H */

/* Outside the guard: define_trace.h reads this file again. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
