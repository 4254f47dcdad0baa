// SPDX-License-Identifier: GPL-2.0
/*
 * Carrefour on KVM: sampling guest memory accesses, running the decision
 * engine (common/carrefour.c) once per period, and sending its orders to
 * kvmnumad.
 *
 * Samplers: IBS (ibs.c) when cf_sampler selects it, else software.
 * The software sampler: each period it
 * unmaps a random set of guest pages from QEMU's page tables without
 * freeing them (memfd/shmem RAM: the page stays in the page cache), which
 * makes KVM drop their TDP entries; the guest's next access to such a
 * page faults, and the kvm_page_fault probe records which vCPU touched it,
 * from which host node, and whether it wrote.  Anonymous RAM cannot be
 * unmapped without losing it, so it needs IBS: without IBS carrefour is
 * refused there (EOPNOTSUPP).  With IBS nothing is unmapped.
 *
 * The software sampler sees a page at most once per period, so the
 * migrate rule's "two samples" becomes one (cf_migrate_min_samples
 * applies to IBS).
 *
 * Sampling can also run without decisions ("sampling" in sysfs): the
 * per-node access matrix it fills is what `kvmnumactl advise` reads.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/hugetlb.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "../common/carrefour.h"
#include "carrefour.h"
#include "discard.h"
#include "ibs.h"
#include "kvmnuma.h"
#include "moves.h"
#include "placement.h"

static unsigned int cf_period_ms = 1000;
module_param(cf_period_ms, uint, 0644);
MODULE_PARM_DESC(cf_period_ms, "Carrefour period (ms, default 1000)");

static unsigned int cf_sample_pages = 1024;
module_param(cf_sample_pages, uint, 0644);
MODULE_PARM_DESC(cf_sample_pages,
		 "Software sampler: guest pages unmapped per period (default 1024)");

static unsigned int cf_soft_gate_samples = 32;
module_param(cf_soft_gate_samples, uint, 0644);
MODULE_PARM_DESC(cf_soft_gate_samples,
		 "Software sampler: re-touched pages per period that make a VM memory-intensive (default 32)");

static struct kvmnuma_cf_params cf_params = KVMNUMA_CF_PARAMS_DEFAULT;
module_param_named(cf_lar_migrate_max, cf_params.lar_migrate_max, uint, 0644);
MODULE_PARM_DESC(cf_lar_migrate_max, "Migrate when LAR (%) is below (default 80)");
module_param_named(cf_lar_interleave_max, cf_params.lar_interleave_max, uint, 0644);
MODULE_PARM_DESC(cf_lar_interleave_max, "Interleave when LAR (%) is below (default 100)");
module_param_named(cf_imbalance_interleave_min, cf_params.imbalance_interleave_min, uint, 0644);
MODULE_PARM_DESC(cf_imbalance_interleave_min, "Interleave when imbalance (%) exceeds (default 35)");
module_param_named(cf_hot_min_samples, cf_params.hot_min_samples, uint, 0644);
MODULE_PARM_DESC(cf_hot_min_samples, "Samples in a period that make a page hot (default 1)");
module_param_named(cf_migrate_min_samples, cf_params.migrate_min_samples, uint, 0644);
MODULE_PARM_DESC(cf_migrate_min_samples, "Samples a page needs to migrate (default 2)");
module_param_named(cf_cooldown_periods, cf_params.cooldown_periods, uint, 0644);
MODULE_PARM_DESC(cf_cooldown_periods, "Periods a moved page is left alone (default 4)");
module_param_named(cf_max_tracked_pages, cf_params.max_tracked_pages, uint, 0644);
MODULE_PARM_DESC(cf_max_tracked_pages, "Pages tracked per VM (default 30000)");

#define RING_SAMPLES 16384
#define MAX_DECISIONS 4096
#define CF_NODES KVMNUMA_CF_MAX_NODES

struct kvmnuma_cf_vm {
	struct kvmnuma_vm *vm;
	struct delayed_work period;
	bool deciding;			/* policy has carrefour, not just sampling */
	bool ibs;			/* holds an IBS reference; no unmapping */

	/* Filled by the fault probe (atomic), drained once per period. */
	spinlock_t ring_lock;
	u32 ring_len;
	u64 ring_overflows;		/* samples lost: ring full */
	struct kvmnuma_cf_sample *ring;
	struct kvmnuma_cf_sample *drained;
	unsigned long *armed;		/* unmapped by the sampler, not re-touched */
	u64 nr_gfns;

	/* The rest is serialised by lock. */
	struct mutex lock;
	struct kvmnuma_cf_engine *engine;
	void *engine_mem;
	struct kvmnuma_cf_decision *decisions;
	struct kvmnuma_cf_stats last;
	u64 matrix[CF_NODES][CF_NODES];	/* [accessing node][home node] */
	u64 samples, samples_dropped, samples_unknown_home;
	u64 orders_migrate, orders_interleave, moves_ok, moves_failed;
};

/* Guest RAM, as seen by one period. */
struct cf_period_ctx {
	struct mm_struct *mm;
	const struct kvmnuma_ram_slot *slots;
	unsigned int nr_slots;
};

static unsigned long gfn_to_qemu_addr(const struct cf_period_ctx *ctx, u64 gfn)
{
	unsigned int i;

	for (i = 0; i < ctx->nr_slots; i++)
		if (gfn >= ctx->slots[i].base_gfn &&
		    gfn < ctx->slots[i].base_gfn + ctx->slots[i].npages)
			return ctx->slots[i].hva +
			       ((gfn - ctx->slots[i].base_gfn) << PAGE_SHIFT);
	return 0;
}

/* Host node backing @gfn, -1 if absent; caller holds mmap_lock. */
static int page_node(void *arg, u64 gfn)
{
	const struct cf_period_ctx *ctx = arg;
	unsigned long hva = gfn_to_qemu_addr(ctx, gfn);
	struct page *page;
	int nid;

	if (!hva)
		return -1;
	/* Only a page already there: looking must not fault it in. */
	if (kvmnuma_gup_remote(ctx->mm, hva, 1, FOLL_NOFAULT, &page) != 1)
		return -1;
	nid = page_to_nid(page);
	put_page(page);
	return nid;
}

static void ring_add(struct kvmnuma_cf_vm *cf, u64 gfn, u16 vcpu, u8 node,
		     u8 flags)
{
	unsigned long irqflags;

	spin_lock_irqsave(&cf->ring_lock, irqflags);
	if (cf->ring_len < RING_SAMPLES) {
		struct kvmnuma_cf_sample *s = &cf->ring[cf->ring_len++];

		s->gfn = gfn;
		s->vcpu = vcpu;
		s->node = node;
		s->flags = flags;
	} else {
		cf->ring_overflows++;
	}
	spin_unlock_irqrestore(&cf->ring_lock, irqflags);
}

int kvmnuma_cf_add_sample(struct kvmnuma_vm *vm, u64 gfn, u16 vcpu, u8 node,
			  u8 flags)
{
	struct kvmnuma_cf_vm *cf;
	int ret = -ENODEV;

	rcu_read_lock();
	/* Pairs with the smp_store_release() in kvmnuma_cf_update(). */
	cf = smp_load_acquire(&vm->cf);
	if (cf && gfn < cf->nr_gfns) {
		ring_add(cf, gfn, vcpu, node, flags);
		ret = 0;
	} else if (cf) {
		ret = -EINVAL;
	}
	rcu_read_unlock();
	return ret;
}

void kvmnuma_cf_tdp_fault(struct kvmnuma_vm *vm, struct kvm_vcpu *vcpu,
			  u64 gfn, u64 error_code)
{
	/* Pairs with the smp_store_release() in kvmnuma_cf_update(). */
	struct kvmnuma_cf_vm *cf = smp_load_acquire(&vm->cf);

	if (!cf || gfn >= cf->nr_gfns || !test_bit(gfn, cf->armed) ||
	    !test_and_clear_bit(gfn, cf->armed))
		return;
	ring_add(cf, gfn, vcpu->vcpu_id, numa_node_id(),
		 (error_code & PFERR_WRITE_MASK) ? KVMNUMA_CF_WRITE : 0);
}

/* Software sampler: unmap random guest pages, keeping their contents. */
static void arm_random_pages(struct kvmnuma_cf_vm *cf,
			     const struct cf_period_ctx *ctx, u64 total)
{
	unsigned int i;

	if (!total)
		return;
	mmap_read_lock(ctx->mm);
	for (i = 0; i < READ_ONCE(cf_sample_pages); i++) {
		u64 gfn = 0, pick = get_random_u64() % total;
		struct vm_area_struct *vma;
		unsigned long hva;
		unsigned int s;

		for (s = 0; s < ctx->nr_slots; s++) {
			if (pick < ctx->slots[s].npages) {
				gfn = ctx->slots[s].base_gfn + pick;
				break;
			}
			pick -= ctx->slots[s].npages;
		}
		hva = gfn_to_qemu_addr(ctx, gfn);
		vma = hva ? find_vma(ctx->mm, hva) : NULL;
		/* Only shared file RAM keeps its page when unmapped. */
		if (!vma || vma->vm_start > hva || !vma->vm_file ||
		    !(vma->vm_flags & VM_SHARED) || is_vm_hugetlb_page(vma) ||
		    gfn >= cf->nr_gfns)
			continue;
		set_bit(gfn, cf->armed);
		kvmnuma_zap_range(vma, hva, hva + PAGE_SIZE);
	}
	mmap_read_unlock(ctx->mm);
}

static void account_samples(struct kvmnuma_cf_vm *cf,
			    const struct cf_period_ctx *ctx, u32 n)
{
	u32 i;

	for (i = 0; i < n; i++) {
		const struct kvmnuma_cf_sample *s = &cf->drained[i];
		int home = page_node((void *)ctx, s->gfn);

		if (home < 0 || home >= CF_NODES || s->node >= CF_NODES) {
			cf->samples_unknown_home++;
			continue;
		}
		cf->matrix[s->node][home]++;
	}
	cf->samples += n;
}

static void queue_decisions(struct kvmnuma_cf_vm *cf,
			    const struct cf_period_ctx *ctx, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		const struct kvmnuma_cf_decision *d = &cf->decisions[i];
		unsigned long hva = gfn_to_qemu_addr(ctx, d->gfn);

		if (d->kind == KVMNUMA_CF_MIGRATE)
			cf->orders_migrate++;
		else
			cf->orders_interleave++;
		if (!hva ||
		    kvmnuma_moves_queue_gfn(cf->vm, hva, d->gfn, d->to))
			kvmnuma_cf_moved(cf->engine, d->gfn, d->to, false);
	}
}

static void period_fn(struct work_struct *work)
{
	struct kvmnuma_cf_vm *cf = container_of(to_delayed_work(work),
						struct kvmnuma_cf_vm, period);
	struct kvm *kvm = cf->vm->kvm;
	struct kvmnuma_cf_round round = { };
	struct cf_period_ctx ctx = { };
	struct kvmnuma_ram_slot *slots;
	u64 total = 0;
	int n = 0;
	u32 nr;

	slots = kvmnuma_ram_snapshot(kvm, &ctx.nr_slots, &total);
	ctx.slots = slots;
	ctx.mm = kvm->mm;
	if (!slots || !mmget_not_zero(ctx.mm)) {
		kvfree(slots);
		return;		/* the VM is going away */
	}

	spin_lock_irq(&cf->ring_lock);
	nr = cf->ring_len;
	memcpy(cf->drained, cf->ring, nr * sizeof(*cf->ring));
	cf->ring_len = 0;
	spin_unlock_irq(&cf->ring_lock);

	mutex_lock(&cf->lock);
	mmap_read_lock(ctx.mm);
	account_samples(cf, &ctx, nr);
	if (cf->deciding) {
		cf->samples_dropped += nr - kvmnuma_cf_add_samples(cf->engine,
								   cf->drained, nr);
		round.nr_nodes = min_t(unsigned int, nr_node_ids, CF_NODES);
		round.period_us = (u64)READ_ONCE(cf_period_ms) * 1000;
		/* Re-touched pages stand for DRAM traffic: see the header. */
		round.dram_accesses = nr >= READ_ONCE(cf_soft_gate_samples) ?
				      (u64)cf_params.maptu_min * round.period_us : 1;
		/* An IBS sample stands for one op in ibs_period. */
		if (cf->ibs)
			round.dram_accesses = (u64)nr * kvmnuma_ibs_period();
		round.page_node = page_node;
		round.ctx = &ctx;
		n = kvmnuma_cf_decide(cf->engine, &round, cf->decisions,
				      MAX_DECISIONS, &cf->last);
	}
	mmap_read_unlock(ctx.mm);
	if (n > 0)
		queue_decisions(cf, &ctx, n);
	mutex_unlock(&cf->lock);

	if (!cf->ibs)
		arm_random_pages(cf, &ctx, total);
	mmput(ctx.mm);
	kvfree(slots);
	schedule_delayed_work(&cf->period,
			      msecs_to_jiffies(max(READ_ONCE(cf_period_ms), 10U)));
}

static void cf_free(struct kvmnuma_cf_vm *cf)
{
	if (!cf)
		return;
	if (cf->ibs)
		kvmnuma_ibs_put();
	kvfree(cf->armed);
	kvfree(cf->ring);
	kvfree(cf->drained);
	kvfree(cf->decisions);
	vfree(cf->engine_mem);
	kfree(cf);
}

static struct kvmnuma_cf_vm *cf_alloc(struct kvmnuma_vm *vm)
{
	struct kvmnuma_cf_params params = cf_params;
	struct kvmnuma_cf_vm *cf;
	size_t size;
	u64 total = 0;
	unsigned int nr;
	void *slots;

	cf = kzalloc(sizeof(*cf), GFP_KERNEL_ACCOUNT);
	if (!cf)
		return NULL;
	cf->vm = vm;
	spin_lock_init(&cf->ring_lock);
	mutex_init(&cf->lock);
	INIT_DELAYED_WORK(&cf->period, period_fn);

	slots = kvmnuma_ram_snapshot(vm->kvm, &nr, &total);
	cf->nr_gfns = kvmnuma_ram_end_gfn(slots, nr);
	kvfree(slots);

	cf->ibs = kvmnuma_ibs_selected() && !kvmnuma_ibs_get();
	if (kvmnuma_ibs_selected() && !cf->ibs &&
	    !kvmnuma_ram_is_shared_file(vm)) {
		pr_info("VM %s: IBS unavailable, no sampler for anonymous RAM\n",
			vm->id);
		goto err;
	}
	/*
	 * The software sampler sees a page at most once per period (the
	 * re-fault re-maps it): one sample is all a page can get.
	 */
	if (!cf->ibs)
		params.migrate_min_samples = 1;
	size = kvmnuma_cf_state_size(&params);
	cf->engine_mem = size ? vzalloc(size) : NULL;
	cf->ring = kvcalloc(RING_SAMPLES, sizeof(*cf->ring), GFP_KERNEL_ACCOUNT);
	cf->drained = kvcalloc(RING_SAMPLES, sizeof(*cf->drained), GFP_KERNEL_ACCOUNT);
	cf->decisions = kvcalloc(MAX_DECISIONS, sizeof(*cf->decisions),
				 GFP_KERNEL_ACCOUNT);
	cf->armed = kvcalloc(BITS_TO_LONGS(cf->nr_gfns) ?: 1, sizeof(long),
			     GFP_KERNEL_ACCOUNT);
	if (!cf->engine_mem || !cf->ring || !cf->drained || !cf->decisions ||
	    !cf->armed)
		goto err;
	cf->engine = kvmnuma_cf_init(cf->engine_mem, size, &params,
				     get_random_u64());
	if (!cf->engine) {
		pr_info("VM %s: invalid Carrefour parameters\n", vm->id);
		goto err;
	}
	return cf;
err:
	cf_free(cf);
	return NULL;
}

/* IBS samples any RAM; the software sampler needs RAM that survives unmapping. */
int kvmnuma_cf_check_supported(struct kvmnuma_vm *vm)
{
	if (kvmnuma_ibs_selected() || kvmnuma_ram_is_shared_file(vm))
		return 0;
	pr_info("VM %s: carrefour needs memfd/shmem guest RAM (no IBS sampler)\n",
		vm->id);
	return -EOPNOTSUPP;
}

void kvmnuma_cf_update(struct kvmnuma_vm *vm)
{
	bool deciding = kvmnuma_vm_has(vm, KVMNUMA_MECH_CARREFOUR);
	bool want = deciding || READ_ONCE(vm->cf_sampling);
	struct kvmnuma_cf_vm *cf;

	mutex_lock(&vm->cf_lock);
	cf = vm->cf;
	if (want && !cf) {
		cf = cf_alloc(vm);
		if (!cf) {
			pr_info("VM %s: no memory for Carrefour\n", vm->id);
			goto out;
		}
		cf->deciding = deciding;
		/* Pairs with smp_load_acquire() in the fault probe. */
		smp_store_release(&vm->cf, cf);
		schedule_delayed_work(&cf->period,
				      msecs_to_jiffies(READ_ONCE(cf_period_ms)));
	} else if (want) {
		mutex_lock(&cf->lock);
		cf->deciding = deciding;
		mutex_unlock(&cf->lock);
	} else if (cf) {
		WRITE_ONCE(vm->cf, NULL);
		synchronize_rcu();	/* no fault probe still sees it */
		cancel_delayed_work_sync(&cf->period);
		cf_free(cf);
	}
out:
	mutex_unlock(&vm->cf_lock);
}

void kvmnuma_cf_vm_free(struct kvmnuma_vm *vm)
{
	WRITE_ONCE(vm->cf_sampling, false);
	WRITE_ONCE(vm->policy, KVMNUMA_POLICY_NONE);
	kvmnuma_cf_update(vm);
}

void kvmnuma_cf_vm_moved(struct kvmnuma_vm *vm, u64 gfn, int node, bool ok)
{
	struct kvmnuma_cf_vm *cf;

	mutex_lock(&vm->cf_lock);
	cf = vm->cf;
	if (cf) {
		mutex_lock(&cf->lock);
		kvmnuma_cf_moved(cf->engine, gfn, node, ok);
		if (ok)
			cf->moves_ok++;
		else
			cf->moves_failed++;
		mutex_unlock(&cf->lock);
	}
	mutex_unlock(&vm->cf_lock);
}

/* --- sysfs: /sys/kernel/kvmnuma/vms/<id>/carrefour/ ------------------- */

#define to_vm(k) container_of(k, struct kvmnuma_vm, kobj)

static ssize_t sampler_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	if (kvmnuma_ibs_selected())
		return sysfs_emit(buf, "ibs\n");
	return sysfs_emit(buf, "%s\n", kvmnuma_ram_is_shared_file(to_vm(kobj)) ?
			  "software" : "none");
}

static ssize_t sampling_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_vm(kobj)->cf_sampling));
}

static ssize_t sampling_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	struct kvmnuma_vm *vm = to_vm(kobj);
	bool on;

	if (kstrtobool(buf, &on))
		return -EINVAL;
	if (on && kvmnuma_cf_check_supported(vm))
		return -EOPNOTSUPP;
	WRITE_ONCE(vm->cf_sampling, on);
	kvmnuma_cf_update(vm);
	return count;
}

/* "<accessing node> <home node> <samples>" for every non-zero cell. */
static ssize_t access_matrix_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	struct kvmnuma_vm *vm = to_vm(kobj);
	struct kvmnuma_cf_vm *cf;
	int from, to, len = 0;

	mutex_lock(&vm->cf_lock);
	cf = vm->cf;
	if (cf) {
		mutex_lock(&cf->lock);
		for (from = 0; from < CF_NODES; from++)
			for (to = 0; to < CF_NODES; to++)
				if (cf->matrix[from][to])
					len += sysfs_emit_at(buf, len, "%d %d %llu\n",
							     from, to,
							     cf->matrix[from][to]);
		mutex_unlock(&cf->lock);
	}
	mutex_unlock(&vm->cf_lock);
	return len;
}

/* Writing anything empties the matrix (start of a measurement). */
static ssize_t access_matrix_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	struct kvmnuma_vm *vm = to_vm(kobj);

	mutex_lock(&vm->cf_lock);
	if (vm->cf) {
		mutex_lock(&vm->cf->lock);
		memset(vm->cf->matrix, 0, sizeof(vm->cf->matrix));
		mutex_unlock(&vm->cf->lock);
	}
	mutex_unlock(&vm->cf_lock);
	return count;
}

/* Totals, then the last decision round, one "name value" per line. */
static ssize_t status_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct kvmnuma_vm *vm = to_vm(kobj);
	struct kvmnuma_cf_vm *cf;
	int len = 0;

	mutex_lock(&vm->cf_lock);
	cf = vm->cf;
	if (cf) {
		struct kvmnuma_cf_stats *l = &cf->last;

		mutex_lock(&cf->lock);
		len = sysfs_emit(buf,
				 "deciding %d\nsamples %llu\nsamples_lost %llu\nsamples_dropped %llu\n"
				 "samples_unknown_home %llu\norders_migrate %llu\n"
				 "orders_interleave %llu\nmoves_ok %llu\nmoves_failed %llu\n"
				 "round %llu\nround_samples %llu\nround_hot_pages %u\n"
				 "round_gate %d\nround_lar_pct %u\nround_imbalance_pct %u\n"
				 "round_migrate %u\nround_interleave %u\n",
				 cf->deciding, cf->samples,
				 READ_ONCE(cf->ring_overflows), cf->samples_dropped,
				 cf->samples_unknown_home, cf->orders_migrate,
				 cf->orders_interleave, cf->moves_ok,
				 cf->moves_failed, l->round, l->samples,
				 l->hot_pages, l->gate, l->lar_pct,
				 l->imbalance_pct, l->nr_migrate,
				 l->nr_interleave);
		mutex_unlock(&cf->lock);
	}
	mutex_unlock(&vm->cf_lock);
	return len;
}

static struct kobj_attribute sampler_attr = __ATTR_RO(sampler);
static struct kobj_attribute sampling_attr = __ATTR_RW(sampling);
static struct kobj_attribute access_matrix_attr = __ATTR_RW(access_matrix);
static struct kobj_attribute status_attr = __ATTR_RO(status);

static struct attribute *cf_attrs[] = {
	&sampler_attr.attr,
	&sampling_attr.attr,
	&access_matrix_attr.attr,
	&status_attr.attr,
	NULL,
};

const struct attribute_group kvmnuma_cf_group = {
	.name = "carrefour",
	.attrs = cf_attrs,
};
