/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmnuma_guest: reports the guest's page allocations and frees to the
 * kvmnuma host module, which discards freed pages so that the next touch
 * backs them on the host node of the touching vCPU (first-touch).
 *
 * host.c         hypercalls to the host
 * queues.c       per-partition event queues and their flushing
 * page_events.c  hooks on the page allocator's tracepoints
 * free_report.c  optional report of all free memory at load
 * sysfs.c        /sys/kernel/kvmnuma_guest/ counters
 */
#ifndef KVMNUMA_GUEST_H
#define KVMNUMA_GUEST_H

#include <linux/atomic.h>
#include <linux/types.h>

struct kvmnuma_guest_stats {
	atomic64_t flushes;		/* FLUSH hypercalls */
	atomic64_t flushes_full;	/* ... because a queue was full */
	atomic64_t flushes_timer;	/* ... by the periodic timer */
	atomic64_t entries_flushed;
	atomic64_t entries_skipped;	/* frees of pages reused before the flush */
	atomic64_t host_ok;
	atomic64_t host_disabled;
	atomic64_t host_errors;
};

extern struct kvmnuma_guest_stats kvmnuma_guest_stats;

/* host.c */
long kvmnuma_host_probe(void);
long kvmnuma_host_flush(phys_addr_t array, unsigned int count);

/* queues.c */
int kvmnuma_queues_init(void);
void kvmnuma_queues_exit(void);
void kvmnuma_queue_event(unsigned long pfn, unsigned int order, int op);
u64 kvmnuma_events_queued(void);
u64 kvmnuma_event_ns(void);
bool kvmnuma_queues_active(void);
const char *kvmnuma_queues_state(void);
unsigned int kvmnuma_nr_queues(void);

/* free_report.c */
void kvmnuma_report_free_memory(void);

/* page_events.c */
int kvmnuma_page_events_init(void);
void kvmnuma_page_events_exit(void);

/* sysfs.c */
int kvmnuma_guest_sysfs_init(void);
void kvmnuma_guest_sysfs_exit(void);

#endif /* KVMNUMA_GUEST_H */
