// SPDX-License-Identifier: GPL-2.0
/*
 * Pending frees and their flushing.
 *
 * Freed pages are remembered in a bitmap, one bit per guest frame, set
 * with atomic operations from the allocator's tracepoints when they reach
 * the buddy free lists: mm_page_pcpu_drain (a block moved from a per-CPU
 * list to the buddy, under zone->lock) and mm_page_free for the orders
 * that bypass the per-CPU lists (free_pages_prepare(), right before the
 * block goes to the buddy).  Marking blocks of the per-CPU orders at
 * mm_page_free too would be useless: they sit on a per-CPU list at flush
 * time (measured: 1.06 M such pages checked, none free, in 40 s of
 * vmalloc churn).  Setting a bit takes no lock and never fails, and
 * memory stays bounded (RAM / 32768, plus one summary bit per 2 MiB to
 * find pending bits fast).
 *
 * A flush claims pending bits (atomic exchange, so each bit goes to one
 * flusher) and hands the still-free ones to the host under their
 * zone->lock (zone_flush.c).  A bit is only a hint: a page freed and
 * reused since is simply not in a free block at flush time and is
 * skipped.  No allocation event is needed for correctness, so none is
 * hooked.  Pages that cycle between a per-CPU list and its CPU's
 * allocations without reaching the buddy are not reported: at most
 * pcp->high pages per CPU and zone, reused by the CPU that freed them.
 *
 * Flushes run from the mm_page_free probe once this CPU has marked
 * flush_threshold pages since its last flush (free_pages_prepare: no
 * zone->lock held; bounded to one hold, the rest goes to a work item; not
 * from NMI), from a timer, and at unload; never from the
 * mm_page_pcpu_drain probe, which runs under zone->lock.  The flush in
 * the freeing task is what lets a page freed on one vCPU and reused at
 * once on another be discarded in between, so that the reuse lands on
 * the new vCPU's node.
 */
#define pr_fmt(fmt) "kvmnuma_guest: " fmt

#include <linux/bitmap.h>
#include <linux/bitops.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/moduleparam.h>
#include <linux/nodemask.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "../include/kvmnuma/hypercall_abi.h"
#include "guest.h"

static unsigned int flush_threshold = 256;
module_param(flush_threshold, uint, 0644);
MODULE_PARM_DESC(flush_threshold,
		 "Flush once a CPU has marked this many freed pages (pages, 1..65536, default 256)");

static unsigned int flush_interval_ms = 200;
module_param(flush_interval_ms, uint, 0644);
MODULE_PARM_DESC(flush_interval_ms,
		 "Flush all pending pages this often (ms, 10..60000, default 200)");

static bool time_events;
module_param(time_events, bool, 0644);
MODULE_PARM_DESC(time_events,
		 "Measure the time spent in the free probe, flushes included (for benchmarks)");

/* One summary bit per chunk of 512 frames (2 MiB). */
#define CHUNK_SHIFT 9
#define CHUNK_PAGES (1UL << CHUNK_SHIFT)
#define CHUNK_LONGS (CHUNK_PAGES / BITS_PER_LONG)

static unsigned long *pending;	/* one bit per frame below nr_pfns */
static unsigned long *summary;	/* one bit per chunk with pending bits */
static unsigned long nr_pfns;	/* a multiple of CHUNK_PAGES */

static DEFINE_PER_CPU(unsigned int, marked);	/* since this CPU's last flush */
static DEFINE_PER_CPU(u64, events);
static DEFINE_PER_CPU(u64, event_ns);

enum pending_state {
	PENDING_OFF,		/* not started, or unloading */
	PENDING_ACTIVE,
	PENDING_HOST_DISABLED,	/* the VM's policy has no first-touch */
	PENDING_HOST_ABSENT,	/* the host module went away */
};

static atomic_t state = ATOMIC_INIT(PENDING_OFF);

static void periodic_flush_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(periodic_flush, periodic_flush_fn);
static void rest_flush_fn(struct work_struct *work);
static DECLARE_WORK(rest_flush, rest_flush_fn);

bool kvmnuma_pending_active(void)
{
	return atomic_read(&state) == PENDING_ACTIVE;
}

const char *kvmnuma_pending_state(void)
{
	switch (atomic_read(&state)) {
	case PENDING_ACTIVE:
		return "active";
	case PENDING_HOST_DISABLED:
		return "disabled-by-host";
	case PENDING_HOST_ABSENT:
		return "host-absent";
	default:
		return "off";
	}
}

unsigned long kvmnuma_pending_pages(void)
{
	return pending ? bitmap_weight(pending, nr_pfns) : 0;
}

unsigned long kvmnuma_tracked_pfns(void)
{
	return nr_pfns;
}

/* A refusal of FLUSH (host_ok is counted by the caller); may log. */
void kvmnuma_note_host_answer(long ret)
{
	if (ret == KVMNUMA_RES_OK) {
		atomic64_inc(&kvmnuma_guest_stats.host_ok);
	} else if (ret == KVMNUMA_RES_DISABLED) {
		atomic64_inc(&kvmnuma_guest_stats.host_disabled);
		if (atomic_cmpxchg(&state, PENDING_ACTIVE,
				   PENDING_HOST_DISABLED) == PENDING_ACTIVE)
			pr_info("host: first-touch is off for this VM; pausing\n");
	} else if (ret == KVMNUMA_RES_ENOSYS) {
		atomic64_inc(&kvmnuma_guest_stats.host_errors);
		if (atomic_cmpxchg(&state, PENDING_ACTIVE,
				   PENDING_HOST_ABSENT) == PENDING_ACTIVE)
			pr_info("host module went away; pausing\n");
	} else {
		atomic64_inc(&kvmnuma_guest_stats.host_errors);
		pr_warn_ratelimited("host rejected a batch: %ld\n", ret);
	}
}

/*
 * Sets the bits of [pfn, pfn + nr), then their summary bits.  The
 * value-returning atomics order the two: a flusher that clears a summary
 * bit (test_and_clear_bit, also fully ordered) and then claims the words
 * sees every bit set before the summary bit it cleared.
 */
static void mark(unsigned long pfn, unsigned long nr)
{
	unsigned long end = pfn + nr, p = pfn, chunk;
	unsigned int newly = 0;

	if (end > nr_pfns || end < pfn) {
		atomic64_add(nr, &kvmnuma_guest_stats.pages_untracked);
		return;
	}
	while (p < end) {
		unsigned long bit = p % BITS_PER_LONG;
		unsigned long n = min(end - p, BITS_PER_LONG - bit);
		unsigned long mask = (n == BITS_PER_LONG ? ~0UL :
				      (1UL << n) - 1) << bit;
		unsigned long old;

		old = atomic_long_fetch_or(mask,
				(atomic_long_t *)&pending[BIT_WORD(p)]);
		newly += hweight_long(mask & ~old);
		p += n;
	}
	for (chunk = pfn >> CHUNK_SHIFT; chunk <= (end - 1) >> CHUNK_SHIFT;
	     chunk++)
		if (!test_bit(chunk, summary))
			set_bit(chunk, summary);
	this_cpu_add(marked, newly);
}

/* Reports the claimed frames of one chunk that are in free blocks. */
static void flush_chunk(struct kvmnuma_zone_flush *zf, unsigned long base,
			const unsigned long *claimed)
{
	unsigned long i = find_first_bit(claimed, CHUNK_PAGES);

	while (i < CHUNK_PAGES) {
		unsigned long pfn = base + i, end, run_end;
		/* Not pfn_valid(): an offline section's memmap is poisoned. */
		struct page *page = pfn_to_online_page(pfn);
		struct zone *zone;

		if (!page) {
			atomic64_inc(&kvmnuma_guest_stats.pages_not_free);
			i = find_next_bit(claimed, CHUNK_PAGES, i + 1);
			continue;
		}
		zone = page_zone(page);
		kvmnuma_zone_hold(zf, zone);
		if (!kvmnuma_buddy_block(zone, pfn, &end)) {
			atomic64_inc(&kvmnuma_guest_stats.pages_not_free);
			i = find_next_bit(claimed, CHUNK_PAGES, i + 1);
			continue;
		}
		/* Every claimed frame up to the block's end is free too. */
		run_end = find_next_zero_bit(claimed,
					     min(end - base, CHUNK_PAGES), i);
		kvmnuma_zone_add(zf, pfn, base + run_end);
		i = find_next_bit(claimed, CHUNK_PAGES, run_end);
	}
}

/*
 * Claims and reports every pending frame.  @may_sleep: task context that
 * may reschedule between holds of zone->lock.  Otherwise (the free probe:
 * any context, preemption off) the work is bounded: no new chunk is
 * claimed once the first hold of a zone->lock has ended (at most
 * max_batch entries), and the rest is left to a work item.
 */
static void flush_pending(bool may_sleep)
{
	unsigned long nr_chunks = nr_pfns >> CHUNK_SHIFT, chunk;
	struct kvmnuma_zone_flush zf = { };

	for_each_set_bit(chunk, summary, nr_chunks) {
		unsigned long claimed[CHUNK_LONGS];
		atomic_long_t *words;
		unsigned int i;
		bool any = false;

		if (!kvmnuma_pending_active())
			break;
		if (!may_sleep && (zf.holds > 1 || (zf.holds && !zf.zone))) {
			/* Never NMI (page_freed()): queue_work() is safe. */
			queue_work(system_unbound_wq, &rest_flush);
			break;
		}
		if (!test_and_clear_bit(chunk, summary))
			continue;
		words = (atomic_long_t *)&pending[chunk * CHUNK_LONGS];
		for (i = 0; i < CHUNK_LONGS; i++) {
			claimed[i] = atomic_long_read(&words[i]) ?
				     atomic_long_xchg(&words[i], 0) : 0;
			any |= claimed[i] != 0;
		}
		if (any)
			flush_chunk(&zf, chunk << CHUNK_SHIFT, claimed);
		if (may_sleep && need_resched()) {
			kvmnuma_zone_release(&zf);
			cond_resched();
		}
	}
	kvmnuma_zone_release(&zf);
}

/*
 * Orders that free_unref_page() and free_unref_folios() put on a per-CPU
 * list (mm/page_alloc.c, pcp_allowed_order()); they reach the buddy
 * through mm_page_pcpu_drain.  The rare block of such an order freed
 * straight to the buddy (per-CPU list locked by the interrupted task, or
 * isolated pageblock) is not reported: a missed discard, never a wrong
 * one.
 */
static bool goes_to_pcp_list(unsigned int order)
{
	if (order <= PAGE_ALLOC_COSTLY_ORDER)
		return true;
#ifdef CONFIG_TRANSPARENT_HUGEPAGE
	if (order == HPAGE_PMD_ORDER)
		return true;
#endif
	return false;
}

static void page_freed(unsigned long pfn, unsigned int order)
{
	/*
	 * Before marking: this block is not in the buddy yet.  Not from NMI
	 * (free_pages_nolock() can free there from 6.15): no zone->lock.
	 */
	if (unlikely(this_cpu_read(marked) >= max(READ_ONCE(flush_threshold), 1U)) &&
	    !in_nmi()) {
		this_cpu_write(marked, 0);
		atomic64_inc(&kvmnuma_guest_stats.flushes_threshold);
		flush_pending(false);
	}
	if (!goes_to_pcp_list(order))
		mark(pfn, 1UL << order);
	this_cpu_inc(events);
}

/**
 * kvmnuma_page_freed() - mm_page_free probe: a block is being freed
 * @pfn:   its first frame
 * @order: its order (at most KVMNUMA_MAX_ORDER)
 *
 * Runs in free_pages_prepare(), in any context but with no zone->lock
 * held and preemption off (tracepoint); may flush.
 */
void kvmnuma_page_freed(unsigned long pfn, unsigned int order)
{
	u64 start;

	if (!kvmnuma_pending_active())
		return;
	if (likely(!READ_ONCE(time_events))) {
		page_freed(pfn, order);
		return;
	}
	start = local_clock();
	page_freed(pfn, order);
	this_cpu_add(event_ns, local_clock() - start);
}

/**
 * kvmnuma_page_drained() - mm_page_pcpu_drain probe: a block moved from a
 * per-CPU list to the buddy
 * @pfn:   its first frame
 * @order: its order
 *
 * Runs under zone->lock: only marks, never flushes.
 */
void kvmnuma_page_drained(unsigned long pfn, unsigned int order)
{
	if (kvmnuma_pending_active())
		mark(pfn, 1UL << order);
}

u64 kvmnuma_events(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(events, cpu);
	return sum;
}

u64 kvmnuma_event_ns(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(event_ns, cpu);
	return sum;
}

/* While paused, ask again whether the host wants frees. */
static void recheck_host(void)
{
	int old = atomic_read(&state);
	long ret;

	ret = old == PENDING_HOST_ABSENT ? kvmnuma_host_probe() :
					   kvmnuma_host_flush(0, 0);
	/* Bits left from before the pause are hints like any other. */
	if (((old == PENDING_HOST_ABSENT && ret == KVMNUMA_ABI_VERSION) ||
	     (old == PENDING_HOST_DISABLED && ret == KVMNUMA_RES_OK)) &&
	    atomic_cmpxchg(&state, old, PENDING_ACTIVE) == old)
		pr_info("host: first-touch is on for this VM; resuming\n");
}

/* What a bounded flush from the free probe left pending. */
static void rest_flush_fn(struct work_struct *work)
{
	if (kvmnuma_pending_active())
		flush_pending(true);
}

static void periodic_flush_fn(struct work_struct *work)
{
	switch (atomic_read(&state)) {
	case PENDING_ACTIVE: {
		s64 sent = atomic64_read(&kvmnuma_guest_stats.flushes);

		atomic64_inc(&kvmnuma_guest_stats.flushes_timer);
		flush_pending(true);
		/*
		 * An idle guest may have nothing to report for a long time;
		 * an empty FLUSH still tells it when the host turned
		 * first-touch off (policy change), so it stops marking.
		 */
		if (atomic64_read(&kvmnuma_guest_stats.flushes) == sent &&
		    kvmnuma_pending_active()) {
			long ret = kvmnuma_host_flush(0, 0);

			if (ret != KVMNUMA_RES_OK)
				kvmnuma_note_host_answer(ret);
		}
		break;
	}
	case PENDING_HOST_DISABLED:
	case PENDING_HOST_ABSENT:
		recheck_host();
		break;
	default:
		return;		/* unloading: do not re-arm */
	}
	schedule_delayed_work(&periodic_flush,
		msecs_to_jiffies(clamp(READ_ONCE(flush_interval_ms), 10U, 60000U)));
}

/* Frames below the end of the last online node's span. */
static unsigned long guest_pfn_end(void)
{
	unsigned long end = 0;
	int nid;

	for_each_online_node(nid)
		end = max(end, pgdat_end_pfn(NODE_DATA(nid)));
	return end;
}

int kvmnuma_pending_init(void)
{
	int ret;

	if (!flush_threshold || flush_threshold > 65536) {
		pr_err("flush_threshold=%u: must be within 1..65536\n",
		       flush_threshold);
		return -EINVAL;
	}
	nr_pfns = ALIGN(guest_pfn_end(), CHUNK_PAGES);
	pending = vzalloc(BITS_TO_LONGS(nr_pfns) * sizeof(long));
	summary = vzalloc(BITS_TO_LONGS(nr_pfns >> CHUNK_SHIFT) * sizeof(long));
	ret = kvmnuma_zone_flush_init();
	if (!pending || !summary || ret) {
		if (!ret)
			kvmnuma_zone_flush_exit();
		vfree(pending);
		vfree(summary);
		pending = NULL;
		summary = NULL;
		return -ENOMEM;
	}
	atomic_set(&state, PENDING_ACTIVE);
	schedule_delayed_work(&periodic_flush,
			      msecs_to_jiffies(clamp(flush_interval_ms, 10U, 60000U)));
	return 0;
}

/*
 * Called once the page event hooks are gone: nothing marks any more.  The
 * last flush is as safe as any other (each page is checked under its
 * zone->lock); pages freed after the hooks went are simply not reported.
 */
void kvmnuma_pending_exit(void)
{
	/* Waits for a running pass; the work does not re-arm after this. */
	cancel_delayed_work_sync(&periodic_flush);
	/* Only the probes, gone now, queue it. */
	cancel_work_sync(&rest_flush);
	if (kvmnuma_pending_active())
		flush_pending(true);
	atomic_set(&state, PENDING_OFF);
	kvmnuma_zone_flush_exit();
	vfree(pending);
	vfree(summary);
	pending = NULL;
	summary = NULL;
}
