// SPDX-License-Identifier: GPL-2.0
/*
 * Reporting free buddy blocks to the host under zone->lock.
 *
 * In Linux (checked against 6.12: mm/page_alloc.c, mm/compaction.c,
 * mm/page_isolation.c, mm/page_reporting.c, mm/memory_hotplug.c) a page
 * leaves the buddy free lists only with its zone->lock held: rmqueue and
 * rmqueue_bulk (which also refill the per-CPU lists that the bulk
 * allocator and vmalloc take pages from), compaction's free scanner
 * (__isolate_free_page), alloc_contig_range and page isolation, free page
 * reporting, memory offlining and hwpoison.  A page that PageBuddy() says
 * is in a free block while we hold that lock therefore stays free, unused
 * and unwritten until we drop it.  The FLUSH hypercall returns only after
 * the host has discarded every page of the batch (the host serves it in
 * the vCPU thread before this vCPU re-enters the guest), so a report made
 * and completed under the lock cannot race with any reuse.
 *
 * Whatever the guest wrote into a page before freeing it is dead once the
 * page is in the free lists: the buddy allocator keeps its metadata in
 * struct page, never in the page, and init_on_free clears the page before
 * it enters the lists, not after.
 *
 * The lock is held for at most one batch (max_batch entries, at most the
 * ABI's 512), max_hold_pages pages discarded (the host's work grows with
 * pages, not entries: 512 order-10 entries are 2 GiB) and HOLD_WORK pages
 * examined; holds are counted in sysfs.
 * Other vCPUs needing this zone's buddy allocator wait meanwhile: a
 * smaller max_batch shortens each wait, at the cost of more exits.
 */
#define pr_fmt(fmt) "kvmnuma_guest: " fmt

#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/moduleparam.h>
#include <linux/page-flags.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/spinlock.h>
#include <linux/version.h>
#include <asm/io.h>

#include "../common/blocks.h"
#include "../include/kvmnuma/hypercall_abi.h"
#include "guest.h"

/*
 * On PREEMPT_RT zone->lock sleeps and leaves interrupts on: the per-CPU
 * batch page would not be exclusive and the free probe could not take it.
 */
#ifdef CONFIG_PREEMPT_RT
#error "kvmnuma_guest needs zone->lock to disable interrupts; PREEMPT_RT is not supported"
#endif

#if defined(MAX_PAGE_ORDER)
#define BUDDY_MAX_ORDER MAX_PAGE_ORDER
#elif LINUX_VERSION_CODE >= KERNEL_VERSION(6, 4, 0)
#define BUDDY_MAX_ORDER MAX_ORDER
#else
#define BUDDY_MAX_ORDER (MAX_ORDER - 1)
#endif

/* Pages examined per hold of zone->lock, found free or not. */
#define HOLD_WORK 4096
/* Entries a run inside one buddy block can take (common/blocks.h). */
#define RUN_ENTRIES (2 * (KVMNUMA_MAX_ORDER + 1))

/* A run lies in one buddy block: at most this many pages. */
#define RUN_PAGES (1UL << BUDDY_MAX_ORDER)

static unsigned int max_hold_pages = 16384;
module_param(max_hold_pages, uint, 0644);
MODULE_PARM_DESC(max_hold_pages,
		 "Pages discarded per hold of a zone lock (pages, 4096..262144, default 16384 = 64 MiB)");

static unsigned int max_batch = KVMNUMA_MAX_BATCH;
module_param(max_batch, uint, 0644);
MODULE_PARM_DESC(max_batch,
		 "Entries per FLUSH, i.e. per hold of a zone lock (32..512, default 512)");

/* One page per CPU, physically contiguous: the host reads it. */
static DEFINE_PER_CPU(u64 *, batch_page);

int kvmnuma_zone_flush_init(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		struct page *page = alloc_pages_node(cpu_to_node(cpu),
						     GFP_KERNEL | __GFP_ZERO, 0);

		if (!page) {
			kvmnuma_zone_flush_exit();
			return -ENOMEM;
		}
		per_cpu(batch_page, cpu) = page_address(page);
	}
	return 0;
}

void kvmnuma_zone_flush_exit(void)
{
	int cpu;

	for_each_possible_cpu(cpu) {
		free_page((unsigned long)per_cpu(batch_page, cpu));
		per_cpu(batch_page, cpu) = NULL;
	}
}

/*
 * Caller holds zf->zone->lock: the pages named are in free blocks.  A
 * refusal is acted on (and logged) only after the lock is dropped: no
 * printk under zone->lock, a console may allocate.
 */
static void submit(struct kvmnuma_zone_flush *zf)
{
	long ret;

	if (!zf->count)
		return;
	/* Paused meanwhile (host said disabled or went away): drop them. */
	if (kvmnuma_pending_active() && zf->answer == KVMNUMA_RES_OK) {
		ret = kvmnuma_host_flush(virt_to_phys(zf->entries), zf->count);
		atomic64_inc(&kvmnuma_guest_stats.flushes);
		atomic64_add(zf->count, &kvmnuma_guest_stats.entries_flushed);
		atomic64_add(zf->batch_pages,
			     &kvmnuma_guest_stats.pages_flushed);
		if (ret == KVMNUMA_RES_OK)
			atomic64_inc(&kvmnuma_guest_stats.host_ok);
		else
			zf->answer = ret;
	}
	zf->count = 0;
	zf->batch_pages = 0;
}

/**
 * kvmnuma_zone_release() - report what is batched, then drop zone->lock
 * @zf: flush state; nothing happens if no lock is held
 */
void kvmnuma_zone_release(struct kvmnuma_zone_flush *zf)
{
	u64 held;
	s64 max;

	if (!zf->zone)
		return;
	submit(zf);
	held = local_clock() - zf->since;
	spin_unlock_irqrestore(&zf->zone->lock, zf->flags);
	zf->zone = NULL;
	zf->entries = NULL;
	if (zf->answer != KVMNUMA_RES_OK) {
		kvmnuma_note_host_answer(zf->answer);
		zf->answer = KVMNUMA_RES_OK;
	}
	atomic64_inc(&kvmnuma_guest_stats.zone_lock_holds);
	atomic64_add(held, &kvmnuma_guest_stats.zone_lock_ns);
	max = atomic64_read(&kvmnuma_guest_stats.zone_lock_max_ns);
	while ((s64)held > max &&
	       !atomic64_try_cmpxchg(&kvmnuma_guest_stats.zone_lock_max_ns,
				     &max, held))
		;
}

/**
 * kvmnuma_zone_hold() - make sure @zone's lock is held with room for a run
 * @zf:   flush state
 * @zone: zone of the next page to examine
 *
 * Keeps the current hold if it is on @zone, has room for the entries and
 * the pages (max_hold_pages) of one run and has not examined HOLD_WORK
 * pages; otherwise releases it
 * (reporting its batch) and takes @zone->lock.  Any context: interrupts
 * are off while the lock is held, so this CPU's batch page cannot be
 * used by a nested flush meanwhile.
 */
void kvmnuma_zone_hold(struct kvmnuma_zone_flush *zf, struct zone *zone)
{
	unsigned int limit = clamp(READ_ONCE(max_batch), 32U,
				   (unsigned int)KVMNUMA_MAX_BATCH);
	unsigned long page_limit = clamp(READ_ONCE(max_hold_pages), 4096U,
					 262144U);

	if (zf->zone == zone && zf->count + RUN_ENTRIES <= limit &&
	    zf->pages + RUN_PAGES <= page_limit && zf->work < HOLD_WORK) {
		zf->work++;
		return;
	}
	kvmnuma_zone_release(zf);
	spin_lock_irqsave(&zone->lock, zf->flags);
	zf->zone = zone;
	zf->entries = this_cpu_read(batch_page);
	zf->count = 0;
	zf->pages = 0;
	zf->work = 1;
	zf->holds++;
	zf->since = local_clock();
}

/**
 * kvmnuma_buddy_block() - is @pfn in a free buddy block of @zone?
 * @zone: the page's zone, whose lock the caller holds
 * @pfn:  an online frame of @zone
 * @end:  set to one past the block's last frame when true is returned
 *
 * What the kernel's is_free_buddy_page() does, but that one does not
 * give the block's end, which the caller needs: walk up the
 * orders to the head of the block that would contain @pfn; a head with
 * PageBuddy and an order (page_private) reaching @pfn is a free block.
 * Pages on per-CPU lists, compound tails, hugetlb pool pages and pages
 * isolated by compaction or reporting are not in such a block.
 */
bool kvmnuma_buddy_block(struct zone *zone, unsigned long pfn,
			 unsigned long *end)
{
	unsigned int order;

	lockdep_assert_held(&zone->lock);
	for (order = 0; order <= BUDDY_MAX_ORDER; order++) {
		unsigned long head = pfn & ~((1UL << order) - 1);
		struct page *page;

		/* A block never spans zones, holes nor offline sections. */
		if (head < zone->zone_start_pfn)
			break;
		page = pfn_to_online_page(head);
		if (!page || page_zone(page) != zone)
			break;
		if (PageBuddy(page) && page_private(page) >= order &&
		    page_private(page) <= BUDDY_MAX_ORDER) {
			*end = head + (1UL << page_private(page));
			return true;
		}
	}
	return false;
}

/**
 * kvmnuma_zone_add() - batch the frames [@pfn, @end) for the host
 * @zf:  flush state, holding the lock of their zone
 * @pfn: first frame; [@pfn, @end) lies inside one free buddy block found
 *       by kvmnuma_buddy_block() during the current hold
 * @end: one past the last frame
 *
 * The batch is reported while the lock is still held, at the latest by
 * kvmnuma_zone_release().
 */
void kvmnuma_zone_add(struct kvmnuma_zone_flush *zf, unsigned long pfn,
		      unsigned long end)
{
	zf->pages += end - pfn;
	while (pfn < end) {
		unsigned int order = kvmnuma_block_order(pfn, end,
							 KVMNUMA_MAX_ORDER);

		/* Only a block above KVMNUMA_MAX_ORDER needs more room. */
		if (zf->count == KVMNUMA_MAX_BATCH)
			submit(zf);
		zf->entries[zf->count++] = KVMNUMA_ENTRY(pfn, order,
							 KVMNUMA_OP_FREE);
		zf->batch_pages += 1UL << order;
		pfn += 1UL << order;
	}
}
