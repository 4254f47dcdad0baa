// SPDX-License-Identifier: GPL-2.0
/*
 * Carrefour's AMD IBS sampler, through perf.
 *
 * While at least one VM samples with IBS, every online CPU has one kernel
 * perf event on the ibs_op PMU (CPU hotplug follows a dynamic cpuhp
 * state).  IBS tags one op every ibs_period cycles and raises an NMI.
 *
 * Host or guest: the IBS PMU has PERF_PMU_CAP_NO_EXCLUDE, so perf refuses
 * any exclude_* bit (exclude_guest, exclude_host included): the events
 * sample everything, and the overflow handler keeps only ops sampled
 * while a vCPU ran in guest mode.  On SVM an NMI that arrives in guest
 * mode causes a #VMEXIT and is taken at the stgi() in svm_vcpu_run(),
 * between kvm_before_interrupt(vcpu, KVM_HANDLING_NMI) and
 * kvm_after_interrupt(): kvm_arch_pmi_in_guest(kvm_get_running_vcpu())
 * is exactly that window.
 *
 * The handler (NMI) records the VM, the vCPU, the node of the CPU, the
 * data address (IbsDcLinAd, a guest linear address), IbsDcPhysAd when
 * valid, the load/store bits of IbsOpData3 (read from the raw sample) and
 * the guest's CR3 into a per-CPU ring: one producer per CPU (NMIs do not
 * nest), one consumer (the drain work, never concurrent with itself).
 *
 * Guest CR3 on SVM: with NPT, CR3 writes are not intercepted and
 * vcpu->arch.cr3 is refreshed from the VMCB in svm_handle_exit(), which
 * runs after the NMI: the handler sees the CR3 of the previous exit.  A
 * guest that switched address space since then gives a wrong walk; such
 * samples fail to resolve or land elsewhere, which the engine tolerates
 * statistically (it needs several samples per page).  VMX is the same
 * for CR3 when EPT is on (read lazily).  Only 4-level long-mode guests are
 * walked (EFER.LMA set, CR4.LA57 clear).
 *
 * The drain work (every ibs_drain_ms) empties the rings, finds the VM's
 * sampling among those IBS serves (samples of other VMs are skipped),
 * turns each sample into a guest frame and adds it to that VM's ring:
 *  - through the physical address, taken as a host physical address (the
 *    translation IBS reports under nested paging), kvmnuma_translate_hpa();
 *  - else by walking the guest's page tables from the recorded CR3,
 *    kvmnuma_translate_gva() (the work borrows QEMU's mm for that).
 * Samples that neither way resolves are counted (unresolved).
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/kernel_read_file.h>
#include <linux/kthread.h>
#include <linux/kvm_host.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/perf_event.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "../common/carrefour.h"
#include "ram.h"
#include "sampler.h"
#include "translate.h"

static int ibs_op_type = -1;
module_param(ibs_op_type, int, 0444);
MODULE_PARM_DESC(ibs_op_type,
		 "perf type of the ibs_op PMU (default: read from /sys/bus/event_source/devices/ibs_op/type)");

static unsigned int ibs_period = 65536;
module_param(ibs_period, uint, 0444);
MODULE_PARM_DESC(ibs_period,
		 "IBS op sampling period, cycles, a multiple of 16 (default 65536, Carrefour's accurate rate)");

static bool ibs_miss_only = true;
module_param(ibs_miss_only, bool, 0644);
MODULE_PARM_DESC(ibs_miss_only,
		 "Keep only loads/stores that missed the data cache (default Y)");

static unsigned int ibs_drain_ms = 50;
module_param(ibs_drain_ms, uint, 0644);
MODULE_PARM_DESC(ibs_drain_ms, "How often IBS samples are resolved (ms, default 50)");

#define IBS_OP_TYPE_PATH "/sys/bus/event_source/devices/ibs_op/type"

/* IBS op registers in the raw sample: u32 caps, then these u64. */
enum { IBS_OPCTL, IBS_OPRIP, IBS_OPDATA, IBS_OPDATA2, IBS_OPDATA3,
	IBS_DCLINAD, IBS_DCPHYSAD, IBS_NR_REGS };
#define OPDATA3_LD		BIT_ULL(0)
#define OPDATA3_ST		BIT_ULL(1)
#define OPDATA3_DC_MISS		BIT_ULL(7)
#define OPDATA3_LIN_VALID	BIT_ULL(17)
#define OPDATA3_PHYS_VALID	BIT_ULL(18)


/* ibs_rec.flags, besides KVMNUMA_CF_WRITE */
#define REC_LIN		0x10	/* lin and cr3 can be walked */
#define REC_PHYS	0x20	/* phys is valid */
#define REC_GFN		0x40	/* resolved: gfn is valid */

struct ibs_rec {
	struct kvm *kvm;	/* compared, never dereferenced, before lookup */
	u64 gen;		/* ibs_gen when recorded */
	u64 lin, phys, cr3, gfn;
	u32 vcpu_id;
	u16 node;
	u8 flags;
};

#define RING_SIZE 4096		/* power of two */

struct ibs_ring {
	u32 head;		/* next write; producer (NMI) */
	u32 tail;		/* next read; consumer (drain work) */
	/* Written by the producer only. */
	u64 samples, dropped, not_guest, not_mem;
	struct ibs_rec rec[RING_SIZE];
};

static int ibs_type = -1;

static DEFINE_PER_CPU(struct ibs_ring *, ibs_rings);
static DEFINE_PER_CPU(struct perf_event *, ibs_events);

/* Serialises get/put, i.e. starting and stopping. */
static DEFINE_MUTEX(ibs_lock);
static unsigned int ibs_users;
static bool ibs_running;
static int ibs_hp_state;
static struct ibs_rec *ibs_batch;	/* drain work's copy of one ring */

/*
 * The VMs IBS samples for (struct ibs_vm).  vms_lock covers the list and
 * the lookup only: the drain pins the VM it processes (users) and drops
 * the lock while it resolves samples, which may block (mmap_lock, guest
 * page-table reads).  ibs_put() unlinks its VM and waits for that VM's
 * drain alone, never for another VM's.
 */
static LIST_HEAD(ibs_vms);
static DEFINE_MUTEX(vms_lock);

struct ibs_vm {
	struct list_head list;
	struct kvmnuma_sampling *s;
	u64 since;		/* ibs_gen this VM's sampling started at */
	unsigned int users;		/* drains using it; under vms_lock */
	bool unlinked;			/* ibs_put() waits; under vms_lock */
	struct completion idle;		/* the last user left after unlink */
};

/*
 * Bumped each time a VM starts IBS sampling.  A record names its VM by a
 * struct kvm pointer, which a VM created after another was freed may
 * reuse: a record older than the sampling it matches (gen < since) may
 * be of a dead VM and is dropped.  One that is not was taken while the
 * matched VM existed, so its pointer is that VM's.
 */
static atomic64_t ibs_gen = ATOMIC64_INIT(0);

static atomic_t nr_events;
static atomic64_t event_failures, resolved_phys, resolved_walk, unresolved,
		  unknown_vm, rejected, walk_failures;

static void drain_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(drain_work, drain_fn);

/* --- NMI side ---------------------------------------------------------- */

static void ibs_overflow(struct perf_event *event,
			 struct perf_sample_data *data, struct pt_regs *regs)
{
	struct ibs_ring *ring = this_cpu_read(ibs_rings);
	struct kvm_vcpu *vcpu = kvm_get_running_vcpu();
	u64 reg[IBS_NR_REGS], d3;
	struct ibs_rec *r;
	u32 head;

	if (!ring)
		return;
	if (!kvm_arch_pmi_in_guest(vcpu)) {
		ring->not_guest++;
		return;
	}
	if (!(data->sample_flags & PERF_SAMPLE_RAW) || !data->raw ||
	    data->raw->frag.size < sizeof(u32) + sizeof(reg)) {
		ring->not_mem++;
		return;
	}
	memcpy(reg, (u8 *)data->raw->frag.data + sizeof(u32), sizeof(reg));
	d3 = reg[IBS_OPDATA3];
	if (!(d3 & (OPDATA3_LD | OPDATA3_ST)) ||
	    !(d3 & (OPDATA3_LIN_VALID | OPDATA3_PHYS_VALID)) ||
	    (READ_ONCE(ibs_miss_only) && !(d3 & OPDATA3_DC_MISS))) {
		ring->not_mem++;
		return;
	}

	head = ring->head;
	/* Pairs with the smp_store_release() of tail in drain_ring(). */
	if (head - smp_load_acquire(&ring->tail) >= RING_SIZE) {
		ring->dropped++;
		return;
	}
	r = &ring->rec[head & (RING_SIZE - 1)];
	r->kvm = vcpu->kvm;
	r->gen = atomic64_read(&ibs_gen);
	r->vcpu_id = vcpu->vcpu_id;
	r->node = numa_node_id();
	r->flags = (d3 & OPDATA3_ST) ? KVMNUMA_CF_WRITE : 0;
	r->lin = reg[IBS_DCLINAD];
	r->phys = reg[IBS_DCPHYSAD];
	r->cr3 = vcpu->arch.cr3;
	if ((d3 & OPDATA3_LIN_VALID) && (vcpu->arch.efer & EFER_LMA) &&
	    !(vcpu->arch.cr4 & X86_CR4_LA57))
		r->flags |= REC_LIN;
	if (d3 & OPDATA3_PHYS_VALID)
		r->flags |= REC_PHYS;
	/* Pairs with the smp_load_acquire() of head in drain_ring(). */
	smp_store_release(&ring->head, head + 1);
	ring->samples++;
}

/* --- Resolution, see translate.c -------------------------------------- */

struct vm_ctx {
	struct kvm *kvm;
	struct mm_struct *mm;
	struct kvmnuma_ram ram;
};

/* The VM sampling @kvm, pinned until put_ibs_vm(); NULL if none. */
static struct ibs_vm *get_ibs_vm(struct kvm *kvm)
{
	struct ibs_vm *v, *found = NULL;

	mutex_lock(&vms_lock);
	list_for_each_entry(v, &ibs_vms, list) {
		if (v->s->kvm == kvm) {
			v->users++;
			found = v;
			break;
		}
	}
	mutex_unlock(&vms_lock);
	return found;
}

static void put_ibs_vm(struct ibs_vm *v)
{
	mutex_lock(&vms_lock);
	if (!--v->users && v->unlinked)
		complete(&v->idle);
	mutex_unlock(&vms_lock);
}

/*
 * Feeds the samples of b[0].kvm among @b[0..n) to its VM's sampling;
 * clears their kvm.  Takes vms_lock for the lookup only.
 */
static void process_vm(struct ibs_rec *b, u32 n)
{
	struct vm_ctx ctx = { .kvm = b[0].kvm };
	struct kvmnuma_sampling *s = NULL;
	struct ibs_vm *v;
	bool walk = false;
	u64 lost = 0;
	u32 i;
	int idx;

	/* Pinned, the sampling and its kvm live until put_ibs_vm(). */
	v = get_ibs_vm(ctx.kvm);
	if (v) {
		s = v->s;
		/* Records of an earlier VM at the same address. */
		for (i = 0; i < n; i++)
			if (b[i].kvm == ctx.kvm && b[i].gen < v->since) {
				b[i].kvm = NULL;
				lost++;
			}
		atomic64_add(lost, &unknown_vm);
		lost = 0;
	}
	if (s && !kvmnuma_ram_snapshot(ctx.kvm, &ctx.ram))
		ctx.mm = ctx.kvm->mm;
	if (!ctx.mm || !mmget_not_zero(ctx.mm)) {
		for (i = 0; i < n; i++)
			if (b[i].kvm == ctx.kvm) {
				b[i].kvm = NULL;
				lost++;
			}
		atomic64_add(lost, &unknown_vm);
		goto out;
	}

	mmap_read_lock(ctx.mm);
	for (i = 0; i < n; i++) {
		if (b[i].kvm != ctx.kvm)
			continue;
		if ((b[i].flags & REC_PHYS) &&
		    kvmnuma_translate_hpa(&ctx.ram, ctx.mm, b[i].phys, &b[i].gfn)) {
			b[i].flags |= REC_GFN;
			atomic64_inc(&resolved_phys);
		} else if (b[i].flags & REC_LIN) {
			walk = true;
		}
	}
	mmap_read_unlock(ctx.mm);

	if (walk) {
		kthread_use_mm(ctx.mm);
		idx = srcu_read_lock(&ctx.kvm->srcu);
		for (i = 0; i < n; i++) {
			if (b[i].kvm != ctx.kvm || (b[i].flags & REC_GFN) ||
			    !(b[i].flags & REC_LIN))
				continue;
			if (kvmnuma_translate_gva(ctx.kvm, b[i].cr3, b[i].lin,
						  &b[i].gfn)) {
				b[i].flags |= REC_GFN;
				atomic64_inc(&resolved_walk);
			} else {
				atomic64_inc(&walk_failures);
			}
		}
		srcu_read_unlock(&ctx.kvm->srcu, idx);
		kthread_unuse_mm(ctx.mm);
	}
	mmput(ctx.mm);

	for (i = 0; i < n; i++) {
		if (b[i].kvm != ctx.kvm)
			continue;
		b[i].kvm = NULL;
		if (!(b[i].flags & REC_GFN))
			atomic64_inc(&unresolved);
		else if (kvmnuma_sampling_add(s, b[i].gfn, b[i].vcpu_id,
					      b[i].node,
					      b[i].flags & KVMNUMA_CF_WRITE))
			atomic64_inc(&rejected);
	}
out:
	kvmnuma_ram_release(&ctx.ram);
	if (v)
		put_ibs_vm(v);
}

/* Moves what @ring holds into ibs_batch; returns how many. */
static u32 drain_ring(struct ibs_ring *ring)
{
	/* Pairs with the smp_store_release() of head in ibs_overflow(). */
	u32 head = smp_load_acquire(&ring->head), tail = ring->tail, i;
	u32 n = min_t(u32, head - tail, RING_SIZE);

	for (i = 0; i < n; i++)
		ibs_batch[i] = ring->rec[(tail + i) & (RING_SIZE - 1)];
	/* The records are copied before the producer may reuse them. */
	smp_store_release(&ring->tail, tail + n);
	return n;
}

static void drain_fn(struct work_struct *work)
{
	unsigned int cpu;
	u32 i, n;

	for_each_possible_cpu(cpu) {
		struct ibs_ring *ring = per_cpu(ibs_rings, cpu);

		if (!ring)
			continue;
		n = drain_ring(ring);
		for (i = 0; i < n; i++)
			if (ibs_batch[i].kvm)
				process_vm(ibs_batch + i, n - i);
		cond_resched();
	}
	if (READ_ONCE(ibs_running))
		schedule_delayed_work(&drain_work,
				      msecs_to_jiffies(max(READ_ONCE(ibs_drain_ms), 10U)));
}

/* --- Events, CPU hotplug, refcount ----------------------------------- */

static int ibs_cpu_online(unsigned int cpu)
{
	struct perf_event_attr attr = {
		.type = ibs_type,
		.size = sizeof(attr),
		.sample_period = ibs_period,
		.sample_type = PERF_SAMPLE_RAW,
		/* No exclude_* bit: IBS refuses them (see the header). */
	};
	struct perf_event *event;

	if (per_cpu(ibs_events, cpu))
		return 0;
	event = perf_event_create_kernel_counter(&attr, cpu, NULL,
						 ibs_overflow, NULL);
	if (IS_ERR(event)) {
		/* Not fatal to the hotplug: this CPU just does not sample. */
		if (atomic64_inc_return(&event_failures) == 1)
			pr_warn("IBS: no perf event on CPU %u (%ld)\n", cpu,
				PTR_ERR(event));
		return 0;
	}
	per_cpu(ibs_events, cpu) = event;
	atomic_inc(&nr_events);
	return 0;
}

static int ibs_cpu_offline(unsigned int cpu)
{
	struct perf_event *event = per_cpu(ibs_events, cpu);

	if (event) {
		per_cpu(ibs_events, cpu) = NULL;
		perf_event_release_kernel(event);
		atomic_dec(&nr_events);
	}
	return 0;
}

static void free_rings(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		kvfree(per_cpu(ibs_rings, cpu));
		per_cpu(ibs_rings, cpu) = NULL;
	}
	kvfree(ibs_batch);
	ibs_batch = NULL;
}

/* Caller holds ibs_lock. */
static void ibs_stop(void)
{
	unsigned int cpu;

	WRITE_ONCE(ibs_running, false);
	cpus_read_lock();
	if (ibs_hp_state > 0)
		cpuhp_remove_state_nocalls_cpuslocked(ibs_hp_state);
	ibs_hp_state = 0;
	for_each_possible_cpu(cpu)
		ibs_cpu_offline(cpu);
	cpus_read_unlock();
	cancel_delayed_work_sync(&drain_work);
	/* Released events run no handler; an NMI still in one ends first. */
	synchronize_rcu();
	free_rings();
}

/* Caller holds ibs_lock. */
static int ibs_start(void)
{
	unsigned int cpu;
	int ret;

	for_each_possible_cpu(cpu) {
		per_cpu(ibs_rings, cpu) = kvzalloc_node(sizeof(struct ibs_ring),
							GFP_KERNEL, cpu_to_node(cpu));
		if (!per_cpu(ibs_rings, cpu))
			goto nomem;
	}
	ibs_batch = kvmalloc_array(RING_SIZE, sizeof(*ibs_batch), GFP_KERNEL);
	if (!ibs_batch)
		goto nomem;

	cpus_read_lock();
	ret = cpuhp_setup_state_nocalls_cpuslocked(CPUHP_AP_ONLINE_DYN,
						   "kvmnuma/ibs:online",
						   ibs_cpu_online,
						   ibs_cpu_offline);
	if (ret < 0) {
		cpus_read_unlock();
		free_rings();
		return ret;
	}
	ibs_hp_state = ret;
	for_each_online_cpu(cpu)
		ibs_cpu_online(cpu);
	cpus_read_unlock();

	if (!atomic_read(&nr_events)) {
		pr_warn("IBS: no CPU could open an ibs_op event\n");
		ibs_stop();
		return -ENODEV;
	}
	WRITE_ONCE(ibs_running, true);
	schedule_delayed_work(&drain_work,
			      msecs_to_jiffies(max(READ_ONCE(ibs_drain_ms), 10U)));
	pr_info("IBS sampling started on %d CPUs (period %u)\n",
		atomic_read(&nr_events), ibs_period);
	return 0;

nomem:
	free_rings();
	return -ENOMEM;
}

/* One more VM samples with IBS: the first creates the per-CPU events. */
static int ibs_get(struct kvmnuma_sampling *s)
{
	struct ibs_vm *v = kzalloc(sizeof(*v), GFP_KERNEL_ACCOUNT);
	int ret = 0;

	if (!v)
		return -ENOMEM;
	mutex_lock(&ibs_lock);
	if (!ibs_users)
		ret = ibs_start();
	if (!ret)
		ibs_users++;
	mutex_unlock(&ibs_lock);
	if (ret) {
		kfree(v);
		return ret;
	}
	v->s = s;
	init_completion(&v->idle);
	s->priv = v;
	mutex_lock(&vms_lock);
	v->since = atomic64_inc_return(&ibs_gen);
	list_add_tail(&v->list, &ibs_vms);
	mutex_unlock(&vms_lock);
	return 0;
}

static void ibs_put(struct kvmnuma_sampling *s)
{
	struct ibs_vm *v = s->priv;
	bool busy;

	mutex_lock(&vms_lock);
	list_del(&v->list);
	v->unlinked = true;
	busy = v->users;
	mutex_unlock(&vms_lock);
	/* Only this VM's drain, if one is resolving its samples now. */
	if (busy)
		wait_for_completion(&v->idle);
	kfree(v);
	s->priv = NULL;

	mutex_lock(&ibs_lock);
	if (!WARN_ON_ONCE(!ibs_users) && !--ibs_users) {
		ibs_stop();
		pr_info("IBS sampling stopped\n");
	}
	mutex_unlock(&ibs_lock);
}

/* IBS samples any guest RAM. */
static bool ibs_supports(struct kvm *kvm)
{
	return true;
}

/* An IBS sample stands for one op in ibs_period. */
static u64 ibs_estimate(u32 nr, u64 period_us, u32 maptu_min)
{
	return (u64)nr * ibs_period;
}

const struct kvmnuma_sampler_ops kvmnuma_ibs_sampler = {
	.name = "ibs",
	.sees_page_once = false,
	.supports = ibs_supports,
	.get = ibs_get,
	.put = ibs_put,
	.estimate = ibs_estimate,
};

void kvmnuma_ibs_counters(struct kvmnuma_ibs_counters *c)
{
	unsigned int cpu;

	memset(c, 0, sizeof(*c));
	mutex_lock(&ibs_lock);
	for_each_possible_cpu(cpu) {
		struct ibs_ring *ring = per_cpu(ibs_rings, cpu);

		if (!ring)
			continue;
		c->samples += READ_ONCE(ring->samples);
		c->dropped += READ_ONCE(ring->dropped);
		c->not_guest += READ_ONCE(ring->not_guest);
		c->not_mem += READ_ONCE(ring->not_mem);
	}
	c->ibs_op_type = ibs_type;
	c->period = ibs_period;
	c->users = ibs_users;
	c->events = atomic_read(&nr_events);
	mutex_unlock(&ibs_lock);
	c->resolved_phys = atomic64_read(&resolved_phys);
	c->resolved_walk = atomic64_read(&resolved_walk);
	c->walk_failures = atomic64_read(&walk_failures);
	c->unresolved = atomic64_read(&unresolved);
	c->unknown_vm = atomic64_read(&unknown_vm);
	c->rejected = atomic64_read(&rejected);
	c->event_failures = atomic64_read(&event_failures);
}

/* --- Module init ------------------------------------------------------ */

static int read_ibs_op_type(void)
{
	char buf[16];
	void *p = buf;
	size_t size;
	ssize_t n;
	int type;

	/* sysfs says 4096 bytes: read the start only (file_size != NULL). */
	n = kernel_read_file_from_path(IBS_OP_TYPE_PATH, 0, &p, sizeof(buf) - 1,
				       &size, READING_UNKNOWN);
	if (n <= 0)
		return -ENOENT;
	buf[n] = '\0';
	if (kstrtoint(strim(buf), 10, &type) || type < 0)
		return -EINVAL;
	return type;
}

int kvmnuma_ibs_probe(int mode)
{
	if (!ibs_period || ibs_period & 0xf) {
		pr_err("ibs_period=%u: must be a non-zero multiple of 16\n",
		       ibs_period);
		return -EINVAL;
	}
	if (mode == KVMNUMA_IBS_OFF)
		return 0;
	ibs_type = ibs_op_type >= 0 ? ibs_op_type : read_ibs_op_type();
	if (ibs_type >= 0) {
		pr_info("Carrefour sampler: IBS (ibs_op type %d)\n", ibs_type);
		return 1;
	}
	ibs_type = -1;
	if (mode == KVMNUMA_IBS_REQUIRED) {
		pr_err("cf_sampler=ibs: no ibs_op PMU (%s), give ibs_op_type\n",
		       IBS_OP_TYPE_PATH);
		return -ENODEV;
	}
	return 0;
}

void kvmnuma_ibs_exit(void)
{
	WARN_ON_ONCE(ibs_users);
}
