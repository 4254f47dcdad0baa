// SPDX-License-Identifier: GPL-2.0
/*
 * Test module (not part of the product), loaded in L1 by
 * tests/lab/stress/poison-probe.sh: the positive control of the lab's
 * page-poisoning runs (Documentation/lab.md class 3).
 *
 * integrity-poison and carrefour-poison boot L1 with page_poison=1 and
 * count "no pagealloc: memory corruption report" as evidence that nothing
 * wrote into a page after L1 freed it.  That is evidence only if such a
 * write is reported in this lab.  This module makes one: it frees an
 * order-0 page, writes one word into it (the use after free, on purpose),
 * then allocates order-0 pages on the same CPU until the allocator hands
 * that page back from the per-CPU free list, newest first.  On that
 * allocation the allocator checks the poison pattern and prints
 * "pagealloc: memory corruption" with a stack dump.
 *
 * Without page_poison=1 nothing is reported.  insmod fails with -EAGAIN
 * if the page did not come back within PROBE_TRIES allocations (then
 * the probe proved nothing); it never stays loaded.
 */
#define pr_fmt(fmt) "kvmnuma_poison_probe: " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/preempt.h>

/* Allocations tried to get the page back (it is normally the first). */
#define PROBE_TRIES 32
/* Word index written into the freed page, and the word: not 0xaa bytes. */
#define PROBE_WORD 17
#define PROBE_PATTERN 0x5a5a00c0ffee0000UL

static int __init poison_probe_init(void)
{
	struct page *held[PROBE_TRIES];
	struct page *victim, *page;
	unsigned long *words;
	int i, n = 0, found = -1;

	victim = alloc_page(GFP_KERNEL);
	if (!victim)
		return -ENOMEM;
	words = page_address(victim);

	/*
	 * One CPU from the free to the last allocation: the page goes to
	 * this CPU's free list and an order-0 allocation here takes the
	 * page freed last first.
	 */
	preempt_disable();
	__free_page(victim);
	WRITE_ONCE(words[PROBE_WORD], PROBE_PATTERN);
	for (i = 0; i < PROBE_TRIES; i++) {
		page = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
		if (!page)
			break;
		held[n++] = page;
		if (page == victim) {
			found = i + 1;
			break;
		}
	}
	preempt_enable();

	for (i = 0; i < n; i++)
		__free_page(held[i]);

	if (found < 0) {
		pr_info("freed page not handed back in %d allocations\n", n);
		return -EAGAIN;
	}
	pr_info("wrote into a freed page; handed back at allocation %d\n",
		found);
	/* Done: nothing to keep loaded. */
	return -ECANCELED;
}

module_init(poison_probe_init);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kvmnuma lab: positive control for page_poison (writes into a freed page)");
