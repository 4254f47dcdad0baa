/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmnuma_guest: tells the kvmnuma host module which guest pages are free,
 * so that the host discards them and the next touch backs them on the host
 * node of the touching vCPU (first-touch).
 *
 * Integrity by construction (Documentation/integrity.md): a page is
 * reported only while it sits in the buddy allocator's free lists, and
 * the report is made with its zone->lock held until the host has
 * discarded it.  Every path that takes a page off the free lists takes
 * zone->lock, so no guest code can write a page the host is discarding.
 *
 * host.c         hypercalls to the host
 * pending.c      the pending-free bitmap, flush triggers, driver state
 * zone_flush.c   reporting free buddy blocks under zone->lock
 * page_events.c  hooks on the page allocator's tracepoints
 * free_report.c  optional report of all free memory at load
 * sysfs.c        /sys/kernel/kvmnuma_guest/ counters
 */
#ifndef KVMNUMA_GUEST_H
#define KVMNUMA_GUEST_H

#include <linux/atomic.h>
#include <linux/types.h>

struct zone;

struct kvmnuma_guest_stats {
	atomic64_t flushes;		/* FLUSH hypercalls */
	atomic64_t flushes_threshold;	/* flush passes run by a freeing CPU */
	atomic64_t flushes_timer;	/* ... by the periodic timer */
	atomic64_t entries_flushed;
	atomic64_t pages_flushed;	/* pages named in those entries */
	atomic64_t pages_not_free;	/* pending, but not in the free lists */
	atomic64_t pages_untracked;	/* freed beyond the bitmap's end */
	atomic64_t zone_lock_holds;	/* zone->lock taken to check and report */
	atomic64_t zone_lock_ns;	/* ... total time held */
	atomic64_t zone_lock_max_ns;	/* ... longest hold */
	atomic64_t host_ok;
	atomic64_t host_disabled;
	atomic64_t host_errors;
};

extern struct kvmnuma_guest_stats kvmnuma_guest_stats;

/* host.c */
long kvmnuma_host_probe(void);
long kvmnuma_host_flush(phys_addr_t array, unsigned int count);

/* pending.c */
int kvmnuma_pending_init(void);
void kvmnuma_pending_exit(void);
void kvmnuma_page_freed(unsigned long pfn, unsigned int order);
void kvmnuma_page_drained(unsigned long pfn, unsigned int order);
void kvmnuma_note_host_answer(long ret);
bool kvmnuma_pending_active(void);
const char *kvmnuma_pending_state(void);
unsigned long kvmnuma_pending_pages(void);
unsigned long kvmnuma_tracked_pfns(void);
u64 kvmnuma_events(void);
u64 kvmnuma_event_ns(void);

/* zone_flush.c */
struct kvmnuma_zone_flush {
	struct zone *zone;	/* whose lock is held; NULL: none */
	unsigned long flags;
	u64 *entries;		/* this CPU's batch page, while locked */
	unsigned int count;	/* entries in it */
	unsigned int work;	/* pages examined during this hold */
	unsigned int holds;	/* zone->lock holds taken by this flush */
	unsigned long pages;	/* pages batched during this hold */
	unsigned long batch_pages;	/* pages in the batch page now */
	u64 since;		/* local_clock() when the lock was taken */
	long answer;		/* host's refusal during this hold, or 0 */
};

int kvmnuma_zone_flush_init(void);
void kvmnuma_zone_flush_exit(void);
void kvmnuma_zone_hold(struct kvmnuma_zone_flush *zf, struct zone *zone);
void kvmnuma_zone_release(struct kvmnuma_zone_flush *zf);
bool kvmnuma_buddy_block(struct zone *zone, unsigned long pfn,
			 unsigned long *end);
void kvmnuma_zone_add(struct kvmnuma_zone_flush *zf, unsigned long pfn,
		      unsigned long end);

/* free_report.c */
void kvmnuma_report_free_memory(void);

/* page_events.c */
int kvmnuma_page_events_init(void);
void kvmnuma_page_events_exit(void);

/* sysfs.c */
int kvmnuma_guest_sysfs_init(void);
void kvmnuma_guest_sysfs_exit(void);

#endif /* KVMNUMA_GUEST_H */
