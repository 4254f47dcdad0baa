// SPDX-License-Identifier: GPL-2.0
/*
 * Test module (not part of the product): on every online CPU, for
 * `seconds`, vmalloc() 1..max_pages pages, write a pattern unique to
 * (CPU, round, page) over every word of every page, verify it, vfree().
 *
 * vmalloc() takes its order-0 pages with alloc_pages_bulk(), whose per-CPU
 * fast path emits no mm_page_alloc event, and the per-CPU lists hand out
 * the page freed last first: a page whose free another CPU is reporting to
 * the host comes straight back here.  A page the host discards after it
 * was written reads back as zeros (counted in "zero") or, if the discard
 * lands in the middle of writing, partly written ("bad" counts both).
 *
 * Results go to the kernel log; the last line is
 * "kvmnuma_vmalloc_churn: cpus <n> rounds <n> pages <n> bad <n> zero <n>".
 * insmod returns when every thread is done (module init waits).
 */
#define pr_fmt(fmt) "kvmnuma_vmalloc_churn: " fmt

#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpumask.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

static unsigned int seconds = 40;
module_param(seconds, uint, 0444);
MODULE_PARM_DESC(seconds, "How long each thread churns (1..600, default 40)");

static unsigned int max_pages = 512;
module_param(max_pages, uint, 0444);
MODULE_PARM_DESC(max_pages, "Largest allocation in pages (1..4096, default 512)");

struct churn {
	struct task_struct *task;
	struct completion done;
	unsigned int cpu;
	u64 rounds, pages, bad, zero;
};

static u64 pattern(unsigned int cpu, u64 round, unsigned long page,
		   unsigned int word)
{
	/* Never zero: a discarded page cannot pass for a written one. */
	return ((u64)cpu << 56 ^ round << 24 ^ (u64)page << 10 ^ word) |
	       BIT_ULL(63);
}

static void churn_round(struct churn *c, struct rnd_state *rnd)
{
	unsigned long nr = 1 + prandom_u32_state(rnd) % max_pages, p;
	const unsigned int words = PAGE_SIZE / sizeof(u64);
	unsigned int w;
	u64 *mem;

	mem = vmalloc(nr * PAGE_SIZE);
	if (!mem) {
		cond_resched();
		return;
	}
	for (p = 0; p < nr; p++)
		for (w = 0; w < words; w++)
			mem[p * words + w] = pattern(c->cpu, c->rounds, p, w);
	for (p = 0; p < nr; p++) {
		unsigned int wrong = 0, zeros = 0;

		for (w = 0; w < words; w++) {
			u64 v = READ_ONCE(mem[p * words + w]);

			if (v != pattern(c->cpu, c->rounds, p, w)) {
				wrong++;
				zeros += !v;
			}
		}
		if (wrong) {
			c->bad++;
			c->zero += zeros == words;
			if (c->bad <= 10)
				pr_info("cpu %u round %llu page %lu (pfn %#lx): %u words wrong, %u zero\n",
					c->cpu, c->rounds, p,
					vmalloc_to_pfn(mem + p * words), wrong,
					zeros);
		}
	}
	vfree(mem);
	c->pages += nr;
	c->rounds++;
	cond_resched();
}

static int churn_fn(void *arg)
{
	struct churn *c = arg;
	unsigned long end = jiffies + seconds * HZ;
	struct rnd_state rnd;

	prandom_seed_state(&rnd, get_random_u64());
	while (time_before(jiffies, end))
		churn_round(c, &rnd);
	pr_info("cpu %u: rounds %llu pages %llu bad %llu zero %llu\n", c->cpu,
		c->rounds, c->pages, c->bad, c->zero);
	complete(&c->done);
	return 0;
}

static int __init churn_init(void)
{
	u64 rounds = 0, pages = 0, bad = 0, zero = 0;
	unsigned int cpu, n = 0, i;
	struct churn *threads;

	if (!seconds || seconds > 600 || !max_pages || max_pages > 4096)
		return -EINVAL;
	threads = kcalloc(nr_cpu_ids, sizeof(*threads), GFP_KERNEL);
	if (!threads)
		return -ENOMEM;
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		struct churn *c = &threads[n];

		c->cpu = cpu;
		init_completion(&c->done);
		c->task = kthread_create_on_cpu(churn_fn, c, cpu, "vmchurn/%u");
		if (IS_ERR(c->task))
			continue;
		wake_up_process(c->task);
		n++;
	}
	cpus_read_unlock();
	for (i = 0; i < n; i++) {
		wait_for_completion(&threads[i].done);
		rounds += threads[i].rounds;
		pages += threads[i].pages;
		bad += threads[i].bad;
		zero += threads[i].zero;
	}
	kfree(threads);
	pr_info("cpus %u rounds %llu pages %llu bad %llu zero %llu\n", n, rounds,
		pages, bad, zero);
	return 0;
}

static void __exit churn_exit(void)
{
}

module_init(churn_init);
module_exit(churn_exit);
MODULE_DESCRIPTION("kvmnuma test: vmalloc churn with pattern verification");
MODULE_LICENSE("GPL");
