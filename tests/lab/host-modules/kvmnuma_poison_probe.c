// SPDX-License-Identifier: GPL-2.0
/*
 * Test module (not part of the product), loaded in L1 by
 * tests/lab/stress/poison-probe.sh: the positive control of the lab's
 * page-poisoning runs (Documentation/lab.md class 3).
 *
 * integrity-poison and carrefour-poison boot L1 with page_poison=1 and
 * count "no pagealloc: memory corruption report" as evidence that nothing
 * wrote into a page while L1 had it free.  That is evidence only if such
 * a write is reported in this lab.  This module makes one: it frees an
 * order-0 page, writes one word into it (the use after free, on purpose),
 * then allocates order-0 pages until the allocator hands that page back
 * from this CPU's free list (per-CPU lists are newest first).  On that
 * allocation the allocator checks the poison pattern and prints
 * "pagealloc: memory corruption", a hex dump of the corrupted bytes
 * (PROBE_PATTERN, little-endian: 00 00 ee ff c0 00 5a 5a) and a stack.
 *
 * All of it runs on one CPU with interrupts off, so no interrupt on this
 * CPU can take the page between the free and the write.  Another CPU may
 * still drain this CPU's list (drain_all_pages()) in that window and
 * hand the page out: the write would then land in a page someone else
 * owns.  That is why this module is only ever loaded in a throw-away lab
 * L1, never installed; and why it assumes no debug_pagealloc (which
 * unmaps free pages: the write would fault instead).
 *
 * Result: insmod succeeds when the page came back (the module then holds
 * nothing; rmmod it); it fails with -EAGAIN when the page did not come
 * back in PROBE_TRIES allocations (drained, or freed to a list of another
 * migratetype): then the probe proved nothing; or with -ENOMEM.  (A
 * failed init_module is tried again by busybox's insmod, which falls back
 * from finit_module on any error: one reason not to report success as
 * an error.)  Without page_poison=1 the page comes back and nothing is
 * reported.
 */
#define pr_fmt(fmt) "kvmnuma_poison_probe: " fmt

#include <linux/gfp.h>
#include <linux/irqflags.h>
#include <linux/mm.h>
#include <linux/module.h>

/* Allocations tried to get the page back (it is normally the first). */
#define PROBE_TRIES 32
/* Word index written into the freed page, and the word: no 0xaa byte. */
#define PROBE_WORD 17
#define PROBE_PATTERN 0x5a5a00c0ffee0000UL

static int __init poison_probe_init(void)
{
	struct page *held[PROBE_TRIES];
	struct page *victim, *page;
	unsigned long *words, flags;
	int i, n = 0, found = -1;

	/*
	 * Interrupts off from the victim's allocation to the last one: the
	 * same CPU, the same node's zone and per-CPU list throughout, and no
	 * interrupt handler allocating in between.
	 */
	local_irq_save(flags);
	victim = alloc_page(GFP_ATOMIC | __GFP_NOWARN);
	if (!victim) {
		local_irq_restore(flags);
		return -ENOMEM;
	}
	words = page_address(victim);
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
	local_irq_restore(flags);

	for (i = 0; i < n; i++)
		__free_page(held[i]);

	if (found < 0) {
		pr_info("freed page not handed back in %d allocations\n", n);
		return -EAGAIN;
	}
	pr_info("wrote into a freed page; handed back at allocation %d\n",
		found);
	return 0;
}

/* Nothing to undo: everything was freed in init. */
static void __exit poison_probe_exit(void)
{
}

module_init(poison_probe_init);
module_exit(poison_probe_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kvmnuma lab: positive control for page_poison (writes into a freed page)");
