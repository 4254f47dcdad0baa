// SPDX-License-Identifier: GPL-2.0
/*
 * Optional, once at load: hand the guest's currently free memory to the
 * host, so that pages freed before the driver was loaded are also backed
 * again where they are next touched.
 *
 * Free blocks are taken from the allocator (so nobody can reuse them while
 * the host discards them), reported as frees in batches, then given back.
 * This runs before the page event hooks are installed: taking and giving
 * back the blocks is not reported a second time.  Only memory above the
 * allocator's watermarks is taken (no reclaim, no reserves), and only for
 * the time of the reports.  With init_on_alloc (Debian's default) taking a
 * block zeroes it, which costs time but not correctness.
 */
#define pr_fmt(fmt) "kvmnuma_guest: " fmt

#include <linux/gfp.h>
#include <linux/list.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/sched.h>
#include <asm/io.h>

#include "../include/kvmnuma/hypercall_abi.h"
#include "guest.h"

static bool report_free;
module_param(report_free, bool, 0444);
MODULE_PARM_DESC(report_free,
		 "At load, hand all currently free guest memory to the host once (default off)");

/* No reclaim, no reserves, no warnings: take only what is spare. */
#define SPARE_GFP ((GFP_NOWAIT & ~__GFP_KSWAPD_RECLAIM) | __GFP_NOWARN | \
		   __GFP_NOMEMALLOC)

static long report(u64 *batch, unsigned int n)
{
	return n ? kvmnuma_host_flush(virt_to_phys(batch), n) : KVMNUMA_RES_OK;
}

void kvmnuma_report_free_memory(void)
{
	unsigned long reported = 0;
	struct page *page, *tmp;
	unsigned int n = 0;
	LIST_HEAD(held);
	long ret = KVMNUMA_RES_OK;
	u64 *batch;
	int order;

	if (!report_free)
		return;
	batch = (u64 *)get_zeroed_page(GFP_KERNEL);
	if (!batch)
		return;
	for (order = KVMNUMA_MAX_ORDER; order >= 0 && ret == KVMNUMA_RES_OK; order--) {
		while (ret == KVMNUMA_RES_OK &&
		       (page = alloc_pages(SPARE_GFP, order))) {
			set_page_private(page, order);
			list_add(&page->lru, &held);
			batch[n++] = KVMNUMA_ENTRY(page_to_pfn(page), order,
						   KVMNUMA_OP_FREE);
			reported += 1UL << order;
			if (n == KVMNUMA_MAX_BATCH) {
				ret = report(batch, n);
				n = 0;
			}
			cond_resched();
		}
	}
	if (ret == KVMNUMA_RES_OK)
		ret = report(batch, n);

	list_for_each_entry_safe(page, tmp, &held, lru) {
		list_del(&page->lru);
		order = page_private(page);
		set_page_private(page, 0);
		__free_pages(page, order);
	}
	free_page((unsigned long)batch);
	if (ret == KVMNUMA_RES_OK)
		pr_info("handed %lu free pages (%lu MiB) to the host\n", reported,
			reported >> (20 - PAGE_SHIFT));
	else
		pr_info("could not hand free memory to the host: %ld\n", ret);
}
