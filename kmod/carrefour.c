// SPDX-License-Identifier: GPL-2.0
/*
 * Carrefour on KVM: once per period, read the samples the VM's sampler
 * gathered (sampler.c), run the decision engine (common/carrefour.c) on
 * them, and send its orders to kvmnumad (moves.c), whose answers come
 * back to the engine.  Orders not yet read by kvmnumad are cancelled when
 * Carrefour stops deciding for the VM.
 *
 * Sampling can also run without decisions ("sampling" in sysfs): the
 * per-node access matrix it fills is what `kvmnumactl advise` reads.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/kvm_host.h>
#include <linux/memcontrol.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/random.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "../common/carrefour.h"
#include "../common/tally.h"
#include "carrefour.h"
#include "kvmnuma.h"
#include "moves.h"
#include "placement.h"
#include "ram.h"
#include "sampler.h"
#include "trace.h"

static unsigned int cf_period_ms = 1000;
module_param(cf_period_ms, uint, 0644);
MODULE_PARM_DESC(cf_period_ms, "Carrefour period (ms, default 1000)");

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

#define MAX_DECISIONS 4096
#define CF_NODES KVMNUMA_CARREFOUR_NODES

struct kvmnuma_carrefour {
	struct kvmnuma_vm *vm;
	u64 owner;			/* of our move orders, moves.c cookie */
	struct delayed_work period;
	bool deciding;			/* policy has carrefour, not just sampling */
	struct kvmnuma_sampling *sampling;
	struct kvmnuma_cf_sample *drained;	/* the period's samples */

	/* The rest is serialised by lock. */
	struct mutex lock;
	struct kvmnuma_cf_engine *engine;
	void *engine_mem;
	struct kvmnuma_cf_decision *decisions;
	struct kvmnuma_cf_stats last;
	u64 matrix[CF_NODES][CF_NODES];	/* [accessing node][home node] */
	u64 samples, samples_dropped, samples_unknown_home;
	u64 orders_migrate, orders_interleave, moves_ok, moves_failed;
	u64 moves_no_room;	/* not ordered, or refused: node without room */
	u64 rounds_skipped_orders;	/* no decision: the VM's orders at the cap */
	u64 moves_capped;	/* decisions not ordered: the cap reached */
	u64 arms_skipped_placement;	/* periods not armed: placement busy */
};

/* A move order of Carrefour's: its answer goes back to the engine. */
struct carrefour_move {
	struct kvmnuma_move move;
	struct kvmnuma_vm *vm;		/* referenced */
	u64 gfn;
	int from;			/* for the trace only */
	char who[40];
};

/* Guest RAM, as seen by one period. */
struct cf_period_ctx {
	struct mm_struct *mm;
	struct kvmnuma_ram ram;
};

/* Host node backing @gfn, -1 if absent; caller holds mmap_lock. */
static int page_node(void *arg, u64 gfn)
{
	const struct cf_period_ctx *ctx = arg;
	unsigned long hva = kvmnuma_ram_gfn_to_hva(&ctx->ram, gfn);

	return hva ? kvmnuma_ram_page_node(ctx->mm, hva) : -1;
}

int kvmnuma_carrefour_add_sample(struct kvmnuma_vm *vm, u64 gfn, u16 vcpu,
				 int node, u8 flags)
{
	struct kvmnuma_carrefour *cf;
	int ret = -ENODEV;

	rcu_read_lock();
	/* Pairs with the smp_store_release() in kvmnuma_carrefour_update(). */
	cf = smp_load_acquire(&vm->cf);
	if (cf)
		ret = kvmnuma_sampling_add(cf->sampling, gfn, vcpu, node, flags);
	rcu_read_unlock();
	return ret;
}

void kvmnuma_carrefour_tdp_fault(struct kvmnuma_vm *vm, struct kvm_vcpu *vcpu,
				 u64 gfn, u64 error_code)
{
	/* Pairs with the smp_store_release() in kvmnuma_carrefour_update(). */
	struct kvmnuma_carrefour *cf = smp_load_acquire(&vm->cf);

	if (cf && cf->sampling->ops->fault)
		cf->sampling->ops->fault(cf->sampling, vcpu, gfn, error_code);
}

static void account_samples(struct kvmnuma_carrefour *cf,
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

/* kvmnumad's answer to one of our orders: feed it back to the engine. */
static void carrefour_move_done(struct kvmnuma_move *m, u64 moved,
				bool cancelled)
{
	struct carrefour_move *cm = container_of(m, struct carrefour_move, move);
	struct kvmnuma_vm *vm = cm->vm;
	bool ok = moved == m->rec.npages;
	struct kvmnuma_carrefour *cf;

	trace_kvmnuma_move_done(vm, "carrefour", m->rec.id, m->rec.npages,
				moved, cm->from, m->rec.node, cancelled);
	/* Cancelled: maybe under vm->cf_lock, and nothing to learn. */
	if (cancelled)
		goto out;
	mutex_lock(&vm->cf_lock);
	cf = vm->cf;
	if (cf) {
		mutex_lock(&cf->lock);
		kvmnuma_cf_engine_moved(cf->engine, cm->gfn, m->rec.node, ok);
		if (ok)
			cf->moves_ok++;
		else if (m->error == -ENOMEM)
			cf->moves_no_room++;
		else
			cf->moves_failed++;
		mutex_unlock(&cf->lock);
	}
	mutex_unlock(&vm->cf_lock);
out:
	atomic_dec(&vm->orders);
	kvmnuma_vm_put(vm);
	kfree(cm);
}

static int queue_move(struct kvmnuma_carrefour *cf, unsigned long hva,
		      u64 gfn, int from, int node)
{
	struct kvmnuma_vm *vm = cf->vm;
	struct carrefour_move *cm = kzalloc(sizeof(*cm), GFP_KERNEL_ACCOUNT);

	if (!cm)
		return -ENOMEM;
	kvmnuma_vm_get(vm);
	cm->vm = vm;
	cm->gfn = gfn;
	cm->from = from;
	snprintf(cm->who, sizeof(cm->who), "VM %s", vm->id);
	cm->move.rec.pid = vm->pid;
	cm->move.mm = vm->kvm->mm;
	cm->move.rec.node = node;
	cm->move.rec.start = hva;
	cm->move.rec.npages = 1;
	cm->move.owner = cf->owner;
	cm->move.who = cm->who;
	cm->move.done = carrefour_move_done;
	atomic_inc(&vm->orders);
	trace_kvmnuma_move_queued(vm, "carrefour", 1, from, node);
	kvmnuma_moves_queue(&cm->move);
	return 0;
}

/*
 * Caller holds cf->lock.  The engine knows every host node; orders to a
 * node outside vm->nodes are not sent (the engine hears they failed).
 * vm->nodes is read under cf->lock, which kvmnuma_carrefour_cancel_moves()
 * takes after a nodes change: an order is either queued before that
 * cancels it, or checked against the new nodes.
 */
static void queue_decisions(struct kvmnuma_carrefour *cf,
			    const struct cf_period_ctx *ctx, int n)
{
	u64 ordered[CF_NODES] = { };	/* pages ordered per node this period */
	struct kvmnuma_vm *vm = cf->vm;
	unsigned int cap = kvmnuma_moves_cap();
	nodemask_t nodes;
	int i;

	mutex_lock(&vm->policy_lock);
	nodes = vm->nodes;
	mutex_unlock(&vm->policy_lock);
	for (i = 0; i < n; i++) {
		const struct kvmnuma_cf_decision *d = &cf->decisions[i];
		unsigned long hva = kvmnuma_ram_gfn_to_hva(&ctx->ram, d->gfn);

		if (d->kind == KVMNUMA_CF_MIGRATE)
			cf->orders_migrate++;
		else
			cf->orders_interleave++;
		if (!hva || d->to >= MAX_NUMNODES || !node_isset(d->to, nodes)) {
			kvmnuma_cf_engine_moved(cf->engine, d->gfn, d->to, false);
			continue;
		}
		/* The VM's orders at the cap: the engine hears it failed. */
		if (!kvmnuma_orders_may_queue(atomic_read(&vm->orders), cap)) {
			cf->moves_capped++;
			kvmnuma_cf_engine_moved(cf->engine, d->gfn, d->to, false);
			continue;
		}
		/*
		 * Room first: a move to a node without room would only
		 * fail, with an allocation-failure warning in the host log.
		 */
		if (d->to < CF_NODES &&
		    !kvmnuma_moves_node_room(d->to, ordered[d->to])) {
			cf->moves_no_room++;
			kvmnuma_cf_engine_moved(cf->engine, d->gfn, d->to, false);
			continue;
		}
		if (queue_move(cf, hva, d->gfn, d->from, d->to))
			kvmnuma_cf_engine_moved(cf->engine, d->gfn, d->to, false);
		else if (d->to < CF_NODES)
			ordered[d->to]++;
	}
}

/*
 * Whether the VM's placement (round-4k+carrefour) is walking or has move
 * orders out.  The software sampler must not unmap pages then: a page
 * unmapped between placement's walk and kvmnumad's move_pages(2) is not in
 * QEMU's page tables and cannot be moved (-ENOENT), and the layout ends
 * degraded (seen in carrefour-combined: 54 of 14,800 pages).  Carrefour
 * corrects a layout once it exists: round-4k first, then Carrefour, as in
 * the thesis (section 5.1).
 */
static bool placement_busy(struct kvmnuma_vm *vm)
{
	struct kvmnuma_tally t;

	if (READ_ONCE(vm->place.phase) == KVMNUMA_PLACEMENT_RUNNING)
		return true;
	kvmnuma_placement_tally(vm, &t);
	return t.pending > 0;
}

static void period_fn(struct work_struct *work)
{
	struct kvmnuma_carrefour *cf = container_of(to_delayed_work(work),
						    struct kvmnuma_carrefour,
						    period);
	const struct kvmnuma_sampler_ops *sampler = cf->sampling->ops;
	struct kvm *kvm = cf->vm->kvm;
	struct kvmnuma_cf_round round = { };
	struct cf_period_ctx ctx = { };
	struct mem_cgroup *memcg, *old_memcg;
	bool at_cap;
	int n = 0;
	u32 nr;

	if (kvmnuma_ram_snapshot(kvm, &ctx.ram))
		return;		/* no memory: the period stops */
	ctx.mm = kvm->mm;
	if (!mmget_not_zero(ctx.mm)) {
		kvmnuma_ram_release(&ctx.ram);
		return;		/* the VM is going away */
	}

	nr = kvmnuma_sampling_drain(cf->sampling, cf->drained);

	/*
	 * Backpressure: with the VM's orders at the cap (kvmnumad slow or
	 * away), this round decides nothing; its samples are dropped.
	 */
	at_cap = !kvmnuma_orders_may_queue(atomic_read(&cf->vm->orders),
					   kvmnuma_moves_cap());
	mutex_lock(&cf->lock);
	mmap_read_lock(ctx.mm);
	account_samples(cf, &ctx, nr);
	if (cf->deciding && at_cap) {
		cf->rounds_skipped_orders++;
		cf->samples_dropped += nr;
	} else if (cf->deciding) {
		cf->samples_dropped +=
			nr - kvmnuma_cf_engine_add_samples(cf->engine,
							   cf->drained, nr);
		round.nr_nodes = min_t(unsigned int, nr_node_ids, CF_NODES);
		round.period_us = (u64)READ_ONCE(cf_period_ms) * 1000;
		round.dram_accesses = sampler->estimate(nr, round.period_us,
							cf_params.maptu_min);
		round.page_node = page_node;
		round.ctx = &ctx;
		n = kvmnuma_cf_engine_decide(cf->engine, &round, cf->decisions,
					     MAX_DECISIONS, &cf->last);
		trace_kvmnuma_carrefour_decision(cf->vm, &cf->last);
	}
	mmap_read_unlock(ctx.mm);
	if (n > 0) {
		/* Orders (GFP_KERNEL_ACCOUNT) are charged to QEMU's memcg. */
		memcg = get_mem_cgroup_from_mm(ctx.mm);
		old_memcg = set_active_memcg(memcg);
		queue_decisions(cf, &ctx, n);
		set_active_memcg(old_memcg);
		mem_cgroup_put(memcg);
	}
	mutex_unlock(&cf->lock);

	if (sampler->arm && sampler->unmaps && placement_busy(cf->vm)) {
		mutex_lock(&cf->lock);
		cf->arms_skipped_placement++;
		mutex_unlock(&cf->lock);
	} else if (sampler->arm) {
		sampler->arm(cf->sampling, &ctx.ram, ctx.mm);
	}
	mmput(ctx.mm);
	kvmnuma_ram_release(&ctx.ram);
	schedule_delayed_work(&cf->period,
			      msecs_to_jiffies(max(READ_ONCE(cf_period_ms), 10U)));
}

static void cf_free(struct kvmnuma_carrefour *cf)
{
	if (!cf)
		return;
	kvmnuma_sampling_stop(cf->sampling);
	kvfree(cf->drained);
	kvfree(cf->decisions);
	vfree(cf->engine_mem);
	kfree(cf);
}

static struct kvmnuma_carrefour *cf_alloc(struct kvmnuma_vm *vm)
{
	struct kvmnuma_cf_params params = cf_params;
	struct kvmnuma_carrefour *cf;
	struct kvmnuma_ram ram;
	char who[40];
	u64 nr_gfns = 0;
	size_t size;

	cf = kzalloc(sizeof(*cf), GFP_KERNEL_ACCOUNT);
	if (!cf)
		return NULL;
	cf->vm = vm;
	cf->owner = kvmnuma_moves_new_owner();
	mutex_init(&cf->lock);
	INIT_DELAYED_WORK(&cf->period, period_fn);

	if (!kvmnuma_ram_snapshot(vm->kvm, &ram)) {
		nr_gfns = kvmnuma_ram_end_gfn(&ram);
		kvmnuma_ram_release(&ram);
	}
	snprintf(who, sizeof(who), "VM %s", vm->id);
	cf->sampling = kvmnuma_sampling_start(vm->kvm, nr_gfns, who);
	if (!cf->sampling)
		goto err;
	/* A sampler that sees a page once per period gives one sample. */
	if (cf->sampling->ops->sees_page_once)
		params.migrate_min_samples = 1;
	size = kvmnuma_cf_engine_size(&params);
	cf->engine_mem = size ? vzalloc(size) : NULL;
	cf->drained = kvcalloc(KVMNUMA_SAMPLING_RING, sizeof(*cf->drained),
			       GFP_KERNEL_ACCOUNT);
	cf->decisions = kvcalloc(MAX_DECISIONS, sizeof(*cf->decisions),
				 GFP_KERNEL_ACCOUNT);
	if (!cf->engine_mem || !cf->drained || !cf->decisions)
		goto err;
	cf->engine = kvmnuma_cf_engine_init(cf->engine_mem, size, &params,
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

int kvmnuma_carrefour_supported(struct kvmnuma_vm *vm)
{
	if (kvmnuma_sampler_selected()->supports(vm->kvm))
		return 0;
	pr_info("VM %s: carrefour needs memfd/shmem guest RAM (no IBS sampler)\n",
		vm->id);
	return -EOPNOTSUPP;
}

const char *kvmnuma_carrefour_sampler_name(struct kvmnuma_vm *vm)
{
	const struct kvmnuma_sampler_ops *sampler = kvmnuma_sampler_selected();

	return sampler->supports(vm->kvm) ? sampler->name : "none";
}

void kvmnuma_carrefour_update(struct kvmnuma_vm *vm)
{
	bool deciding = kvmnuma_vm_has(vm, KVMNUMA_MECH_CARREFOUR);
	bool want = deciding || READ_ONCE(vm->cf_sampling);
	struct kvmnuma_carrefour *cf;

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
		bool stopped;

		mutex_lock(&cf->lock);
		stopped = cf->deciding && !deciding;
		cf->deciding = deciding;
		mutex_unlock(&cf->lock);
		/* No period orders more; what it ordered is moot. */
		if (stopped)
			kvmnuma_moves_cancel(cf->owner);
	} else if (cf) {
		WRITE_ONCE(vm->cf, NULL);
		synchronize_rcu();	/* no fault probe still sees it */
		cancel_delayed_work_sync(&cf->period);
		kvmnuma_moves_cancel(cf->owner);
		cf_free(cf);
	}
out:
	mutex_unlock(&vm->cf_lock);
}

void kvmnuma_carrefour_cancel_moves(struct kvmnuma_vm *vm)
{
	struct kvmnuma_carrefour *cf;

	mutex_lock(&vm->cf_lock);
	cf = vm->cf;
	if (cf) {
		/* Orders a period queues from now on see the new nodes. */
		mutex_lock(&cf->lock);
		kvmnuma_moves_cancel(cf->owner);
		mutex_unlock(&cf->lock);
	}
	mutex_unlock(&vm->cf_lock);
}

int kvmnuma_carrefour_status(struct kvmnuma_vm *vm,
			     struct kvmnuma_carrefour_status *st)
{
	struct kvmnuma_carrefour *cf;
	int ret = -ENODEV;

	mutex_lock(&vm->cf_lock);
	cf = vm->cf;
	if (cf) {
		mutex_lock(&cf->lock);
		st->deciding = cf->deciding;
		st->samples = cf->samples;
		st->samples_lost = READ_ONCE(cf->sampling->ring_overflows);
		st->sampler_pressure_skips =
			READ_ONCE(cf->sampling->pressure_skips);
		st->samples_dropped = cf->samples_dropped;
		st->samples_unknown_home = cf->samples_unknown_home;
		st->orders_migrate = cf->orders_migrate;
		st->orders_interleave = cf->orders_interleave;
		st->moves_ok = cf->moves_ok;
		st->moves_failed = cf->moves_failed;
		st->moves_no_room = cf->moves_no_room;
		st->rounds_skipped_orders = cf->rounds_skipped_orders;
		st->moves_capped = cf->moves_capped;
		st->arms_skipped_placement = cf->arms_skipped_placement;
		st->last = cf->last;
		memcpy(st->matrix, cf->matrix, sizeof(st->matrix));
		mutex_unlock(&cf->lock);
		ret = 0;
	}
	mutex_unlock(&vm->cf_lock);
	return ret;
}

void kvmnuma_carrefour_clear_matrix(struct kvmnuma_vm *vm)
{
	mutex_lock(&vm->cf_lock);
	if (vm->cf) {
		mutex_lock(&vm->cf->lock);
		memset(vm->cf->matrix, 0, sizeof(vm->cf->matrix));
		mutex_unlock(&vm->cf->lock);
	}
	mutex_unlock(&vm->cf_lock);
}
