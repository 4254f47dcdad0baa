// SPDX-License-Identifier: GPL-2.0
/*
 * Optional, once at load: hand the guest's currently free memory to the
 * host, so that pages freed before the driver was loaded are also backed
 * again where they are next touched.
 *
 * Each zone's frames are walked under its zone->lock, a bounded stretch
 * at a time (zone_flush.c), and the free buddy blocks found are reported
 * before the lock is dropped: nothing is allocated, so nothing is drained
 * below the watermarks and init_on_free/init_on_alloc never write a
 * reported page.  A block that merges or splits between two holds may be
 * missed; that only leaves it backed where it was.
 */
#define pr_fmt(fmt) "kvmnuma_guest: " fmt

#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/moduleparam.h>
#include <linux/nodemask.h>
#include <linux/sched.h>

#include "guest.h"

static bool report_free;
module_param(report_free, bool, 0444);
MODULE_PARM_DESC(report_free,
		 "At load, hand all currently free guest memory to the host once (default off)");

static unsigned long report_zone(struct zone *zone)
{
	unsigned long pfn = zone->zone_start_pfn, end = zone_end_pfn(zone);
	struct kvmnuma_zone_flush zf = { };
	unsigned long reported = 0;

	while (pfn < end && kvmnuma_pending_active()) {
		struct page *page = pfn_to_online_page(pfn);
		unsigned long block_end;

		/* Offline sections stay pfn_valid() but their memmap is poisoned. */
		if (!page || page_zone(page) != zone) {
			pfn++;
			continue;
		}
		kvmnuma_zone_hold(&zf, zone);
		if (kvmnuma_buddy_block(zone, pfn, &block_end)) {
			kvmnuma_zone_add(&zf, pfn, block_end);
			reported += block_end - pfn;
			pfn = block_end;
		} else {
			pfn++;
		}
		if (need_resched()) {
			kvmnuma_zone_release(&zf);
			cond_resched();
		}
	}
	kvmnuma_zone_release(&zf);
	return reported;
}

void kvmnuma_report_free_memory(void)
{
	unsigned long reported = 0;
	int nid, z;

	if (!report_free)
		return;
	for_each_online_node(nid) {
		pg_data_t *pgdat = NODE_DATA(nid);

		for (z = 0; z < MAX_NR_ZONES; z++)
			if (populated_zone(&pgdat->node_zones[z]))
				reported += report_zone(&pgdat->node_zones[z]);
	}
	if (kvmnuma_pending_active())
		pr_info("handed %lu free pages (%lu MiB) to the host\n", reported,
			reported >> (20 - PAGE_SHIFT));
	else
		pr_info("could not hand free memory to the host: %s\n",
			kvmnuma_pending_state());
}
