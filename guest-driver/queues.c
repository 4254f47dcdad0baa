// SPDX-License-Identifier: GPL-2.0
/*
 * Event queues and their flushing.
 *
 * Events are spread over nr_queues queues, each with its own lock, so that
 * vCPUs rarely contend.  A queue is flushed to the host *with its lock
 * held*: an allocation of a page of that queue waits for the host to have
 * discarded it, so no page is written and then discarded.  Every event
 * that can touch a page goes to the same queue (common/queue_index.h).
 *
 * Allocations that bypass the mm_page_alloc tracepoint (the bulk allocator
 * fast path, compaction and CMA taking free pages) are not serialised by
 * the queue lock.  Right before a flush, every freed page is checked to be
 * still free; a block with any page back in use is not reported.  This
 * narrows, but cannot close, the window between that check and the host's
 * discard for such allocations: see README, "Limits".
 */
#define pr_fmt(fmt) "kvmnuma_guest: " fmt

#include <linux/cache.h>
#include <linux/cpumask.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <asm/io.h>

#include "../common/queue_index.h"
#include "guest.h"

static unsigned int nr_queues;
module_param(nr_queues, uint, 0444);
MODULE_PARM_DESC(nr_queues,
		 "Number of event queues (default 0: online vCPUs, rounded up to a power of two)");

static unsigned int queue_len = 256;
module_param(queue_len, uint, 0444);
MODULE_PARM_DESC(queue_len, "Entries per queue, flushed when full (8..512, default 256)");

static unsigned int flush_interval_ms = 200;
module_param(flush_interval_ms, uint, 0644);
MODULE_PARM_DESC(flush_interval_ms,
		 "Flush every queue this often (ms, default 200)");

struct event_queue {
	spinlock_t lock;
	unsigned int count;
	u64 *entries;		/* physically contiguous: the host reads it */
} ____cacheline_aligned_in_smp;

static bool time_events;
module_param(time_events, bool, 0644);
MODULE_PARM_DESC(time_events,
		 "Measure the time spent queuing events, flushes included (for benchmarks)");

static struct event_queue *queues;
static DEFINE_PER_CPU(u64, events_queued);
static DEFINE_PER_CPU(u64, event_ns);

enum queues_state {
	QUEUES_OFF,		/* not started, or unloading */
	QUEUES_ACTIVE,
	QUEUES_HOST_DISABLED,	/* the VM's policy has no first-touch */
	QUEUES_HOST_ABSENT,	/* the host module went away */
};

static atomic_t state = ATOMIC_INIT(QUEUES_OFF);

static void periodic_flush_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(periodic_flush, periodic_flush_fn);

bool kvmnuma_queues_active(void)
{
	return atomic_read(&state) == QUEUES_ACTIVE;
}

const char *kvmnuma_queues_state(void)
{
	switch (atomic_read(&state)) {
	case QUEUES_ACTIVE:
		return "active";
	case QUEUES_HOST_DISABLED:
		return "disabled-by-host";
	case QUEUES_HOST_ABSENT:
		return "host-absent";
	default:
		return "off";
	}
}

unsigned int kvmnuma_nr_queues(void)
{
	return nr_queues;
}

static bool block_still_free(u64 entry)
{
	unsigned long pfn = entry >> KVMNUMA_ENTRY_PAGE_SHIFT;
	unsigned int order = (entry & KVMNUMA_ENTRY_ORDER_MASK) >>
			     KVMNUMA_ENTRY_ORDER_SHIFT;
	unsigned long i;

	for (i = 0; i < (1UL << order); i++)
		if (page_ref_count(pfn_to_page(pfn + i)))
			return false;
	return true;
}

/* Drops frees of blocks that something took back without a trace event. */
static unsigned int drop_reused_frees(struct event_queue *q)
{
	unsigned int i, n = 0;

	for (i = 0; i < q->count; i++) {
		u64 e = q->entries[i];

		if ((e & KVMNUMA_ENTRY_OP_MASK) == KVMNUMA_OP_FREE &&
		    !block_still_free(e))
			continue;
		q->entries[n++] = e;
	}
	atomic64_add(q->count - n, &kvmnuma_guest_stats.entries_skipped);
	return n;
}

static void note_host_answer(long ret)
{
	if (ret == KVMNUMA_RES_OK) {
		atomic64_inc(&kvmnuma_guest_stats.host_ok);
	} else if (ret == KVMNUMA_RES_DISABLED) {
		atomic64_inc(&kvmnuma_guest_stats.host_disabled);
		if (atomic_cmpxchg(&state, QUEUES_ACTIVE,
				   QUEUES_HOST_DISABLED) == QUEUES_ACTIVE)
			pr_info("host: first-touch is off for this VM; pausing\n");
	} else if (ret == KVMNUMA_RES_ENOSYS) {
		atomic64_inc(&kvmnuma_guest_stats.host_errors);
		if (atomic_cmpxchg(&state, QUEUES_ACTIVE,
				   QUEUES_HOST_ABSENT) == QUEUES_ACTIVE)
			pr_info("host module went away; pausing\n");
	} else {
		atomic64_inc(&kvmnuma_guest_stats.host_errors);
		pr_warn_ratelimited("host rejected a batch: %ld\n", ret);
	}
}

/* Caller holds q->lock. */
static void flush_locked(struct event_queue *q)
{
	unsigned int n = drop_reused_frees(q);
	long ret;

	if (n) {
		ret = kvmnuma_host_flush(virt_to_phys(q->entries), n);
		atomic64_inc(&kvmnuma_guest_stats.flushes);
		atomic64_add(n, &kvmnuma_guest_stats.entries_flushed);
		note_host_answer(ret);
	}
	q->count = 0;
}

static void queue_event(unsigned long pfn, unsigned int order, int op)
{
	struct event_queue *q;
	unsigned long flags;

	q = &queues[kvmnuma_queue_index(pfn, nr_queues)];

	spin_lock_irqsave(&q->lock, flags);
	/* Checked again under the lock: see reactivate(). */
	if (unlikely(atomic_read(&state) != QUEUES_ACTIVE)) {
		spin_unlock_irqrestore(&q->lock, flags);
		return;
	}
	q->entries[q->count++] = KVMNUMA_ENTRY(pfn, order, op);
	if (q->count == queue_len) {
		atomic64_inc(&kvmnuma_guest_stats.flushes_full);
		flush_locked(q);
	}
	spin_unlock_irqrestore(&q->lock, flags);
	/* Per CPU: a shared counter would bounce between vCPUs. */
	this_cpu_inc(events_queued);
}

void kvmnuma_queue_event(unsigned long pfn, unsigned int order, int op)
{
	u64 start;

	if (atomic_read(&state) != QUEUES_ACTIVE)
		return;
	if (likely(!READ_ONCE(time_events))) {
		queue_event(pfn, order, op);
		return;
	}
	start = local_clock();
	queue_event(pfn, order, op);
	this_cpu_add(event_ns, local_clock() - start);
}

u64 kvmnuma_event_ns(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(event_ns, cpu);
	return sum;
}

u64 kvmnuma_events_queued(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(events_queued, cpu);
	return sum;
}

static void flush_all(bool from_timer)
{
	unsigned int i;

	for (i = 0; i < nr_queues; i++) {
		struct event_queue *q = &queues[i];
		unsigned long flags;

		spin_lock_irqsave(&q->lock, flags);
		if (q->count) {
			if (from_timer)
				atomic64_inc(&kvmnuma_guest_stats.flushes_timer);
			flush_locked(q);
		}
		spin_unlock_irqrestore(&q->lock, flags);
	}
}

/*
 * Leaves a pause.  Entries queued before the pause are stale: the pages
 * they free may have been reallocated, unrecorded, since.  Empty every
 * queue before events are recorded again; no event is queued meanwhile,
 * since the state is checked under each queue's lock.
 */
static void reactivate(int old)
{
	unsigned int i;

	for (i = 0; i < nr_queues; i++) {
		unsigned long flags;

		spin_lock_irqsave(&queues[i].lock, flags);
		queues[i].count = 0;
		spin_unlock_irqrestore(&queues[i].lock, flags);
	}
	if (atomic_cmpxchg(&state, old, QUEUES_ACTIVE) == old)
		pr_info("host: first-touch is on for this VM; resuming\n");
}

/* While paused, ask again whether the host wants events. */
static void recheck_host(void)
{
	int old = atomic_read(&state);
	long ret;

	ret = old == QUEUES_HOST_ABSENT ? kvmnuma_host_probe() :
					  kvmnuma_host_flush(0, 0);
	if ((old == QUEUES_HOST_ABSENT && ret == KVMNUMA_ABI_VERSION) ||
	    (old == QUEUES_HOST_DISABLED && ret == KVMNUMA_RES_OK))
		reactivate(old);
}

static void periodic_flush_fn(struct work_struct *work)
{
	switch (atomic_read(&state)) {
	case QUEUES_ACTIVE:
		flush_all(true);
		break;
	case QUEUES_HOST_DISABLED:
	case QUEUES_HOST_ABSENT:
		recheck_host();
		break;
	default:
		return;		/* unloading: do not re-arm */
	}
	schedule_delayed_work(&periodic_flush,
			      msecs_to_jiffies(max(flush_interval_ms, 10U)));
}

int kvmnuma_queues_init(void)
{
	unsigned int i;

	if (queue_len < 8 || queue_len > KVMNUMA_MAX_BATCH) {
		pr_err("queue_len=%u: must be within 8..%d\n", queue_len,
		       KVMNUMA_MAX_BATCH);
		return -EINVAL;
	}
	if (!nr_queues)
		nr_queues = roundup_pow_of_two(num_online_cpus());
	nr_queues = clamp(nr_queues, 1U, 1024U);

	queues = kcalloc(nr_queues, sizeof(*queues), GFP_KERNEL);
	if (!queues)
		return -ENOMEM;
	for (i = 0; i < nr_queues; i++) {
		spin_lock_init(&queues[i].lock);
		queues[i].entries = kcalloc(queue_len, sizeof(u64), GFP_KERNEL);
		if (!queues[i].entries)
			goto err;
	}
	atomic_set(&state, QUEUES_ACTIVE);
	schedule_delayed_work(&periodic_flush, msecs_to_jiffies(flush_interval_ms));
	return 0;

err:
	while (i--)
		kfree(queues[i].entries);
	kfree(queues);
	return -ENOMEM;
}

/* Called once the page event hooks are gone: nothing queues any more. */
void kvmnuma_queues_exit(void)
{
	unsigned int i;
	bool active = atomic_xchg(&state, QUEUES_OFF) == QUEUES_ACTIVE;

	cancel_delayed_work_sync(&periodic_flush);
	if (active)
		flush_all(false);	/* let the host see the last frees */
	for (i = 0; i < nr_queues; i++)
		kfree(queues[i].entries);
	kfree(queues);
}
