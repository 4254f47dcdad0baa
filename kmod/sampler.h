/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Samplers of guest memory accesses, behind one operations table, and the
 * ring through which every sampler hands its samples to Carrefour.
 *
 * A sampler is chosen once at load (cf_sampler=): IBS when the ibs_op PMU
 * exists and is wanted, else the software sampler.  Each VM that samples
 * has a struct kvmnuma_sampling: the sampler's state for that VM and the
 * ring of samples not yet read by its Carrefour period.
 */
#ifndef KVMNUMA_SAMPLER_H
#define KVMNUMA_SAMPLER_H

#include <linux/list.h>
#include <linux/spinlock.h>
#include <linux/types.h>

#include "../common/carrefour.h"

struct kvm;
struct kvm_vcpu;
struct mm_struct;
struct kvmnuma_ram;
struct kvmnuma_sampling;

/**
 * struct kvmnuma_sampler_ops - one way of sampling guest accesses
 * @name: as shown in sysfs ("ibs", "software")
 * @sees_page_once: a page yields at most one sample per period
 * @unmaps: @arm unmaps guest pages from QEMU's page tables (a page move
 *	of that moment finds nothing to move)
 * @supports: whether guest RAM of @kvm can be sampled; may sleep
 * @get: starts sampling for @s (s->kvm, s->nr_gfns set); 0 or -errno;
 *	may sleep
 * @put: stops sampling for @s; no sample is added after it returns
 * @arm: once per period, after its samples are read, with the VM's RAM
 *	and QEMU's mm (referenced, mmap_lock not held); may be NULL
 * @fault: a TDP fault of @s's VM (kvm_page_fault probe, atomic); may be NULL
 * @estimate: DRAM accesses the @nr samples of a period of @period_us
 *	stand for, given the engine's gate @maptu_min (accesses per us)
 */
struct kvmnuma_sampler_ops {
	const char *name;
	bool sees_page_once;
	bool unmaps;
	bool (*supports)(struct kvm *kvm);
	int (*get)(struct kvmnuma_sampling *s);
	void (*put)(struct kvmnuma_sampling *s);
	void (*arm)(struct kvmnuma_sampling *s, const struct kvmnuma_ram *ram,
		    struct mm_struct *mm);
	void (*fault)(struct kvmnuma_sampling *s, struct kvm_vcpu *vcpu,
		      u64 gfn, u64 error_code);
	u64 (*estimate)(u32 nr, u64 period_us, u32 maptu_min);
};

/* One VM's sampling: the sampler, its per-VM state, the sample ring. */
struct kvmnuma_sampling {
	const struct kvmnuma_sampler_ops *ops;
	struct kvm *kvm;		/* valid while sampling */
	u64 nr_gfns;			/* frames below this can be sampled */
	void *priv;			/* the sampler's */

	spinlock_t ring_lock;
	u32 ring_len;
	u64 ring_overflows;		/* samples lost: ring full */
	u64 pressure_skips;		/* pages not armed: node under pressure */
	struct kvmnuma_cf_sample *ring;
};

/* Parses cf_sampler= and finds the ibs_op PMU; module init. */
int kvmnuma_sampler_init(void);
void kvmnuma_sampler_exit(void);
/* The sampler chosen at load. */
const struct kvmnuma_sampler_ops *kvmnuma_sampler_selected(void);

/*
 * Starts sampling @kvm's RAM below frame @nr_gfns with the selected
 * sampler, or with the software one when IBS cannot start and the RAM
 * allows it.  NULL: no sampler (logged with @who) or no memory.  May sleep.
 */
struct kvmnuma_sampling *kvmnuma_sampling_start(struct kvm *kvm, u64 nr_gfns,
						const char *who);
void kvmnuma_sampling_stop(struct kvmnuma_sampling *s);

/*
 * Adds one sample of frame @gfn (vCPU @vcpu, from host node @node, which
 * is kept only if the engine can tell it, see kvmnuma_cf_sample_node();
 * KVMNUMA_CF_WRITE in @flags); any context but NMI.  0, or -EINVAL if
 * @gfn is beyond what @s samples.  A full ring counts the sample lost.
 */
int kvmnuma_sampling_add(struct kvmnuma_sampling *s, u64 gfn, u16 vcpu,
			 int node, u8 flags);
/* Moves the ring's samples to @out (room for KVMNUMA_SAMPLING_RING); count. */
u32 kvmnuma_sampling_drain(struct kvmnuma_sampling *s,
			   struct kvmnuma_cf_sample *out);

#define KVMNUMA_SAMPLING_RING 16384

/* The two samplers (sampler_soft.c, sampler_ibs.c). */
extern const struct kvmnuma_sampler_ops kvmnuma_soft_sampler;
extern const struct kvmnuma_sampler_ops kvmnuma_ibs_sampler;

enum kvmnuma_ibs_mode {
	KVMNUMA_IBS_OFF,		/* cf_sampler=software */
	KVMNUMA_IBS_IF_PRESENT,		/* cf_sampler=auto */
	KVMNUMA_IBS_REQUIRED,		/* cf_sampler=ibs */
};

/*
 * Checks the IBS parameters and, unless @mode is KVMNUMA_IBS_OFF, looks
 * for the ibs_op PMU.  Returns 1 if IBS is to be used, 0 if not, or
 * -EINVAL (bad parameter) / -ENODEV (IBS required, no PMU).
 */
int kvmnuma_ibs_probe(int mode);
void kvmnuma_ibs_exit(void);

/* What the IBS sampler saw, for debugfs. */
struct kvmnuma_ibs_counters {
	int ibs_op_type;
	unsigned int period;
	unsigned int users;
	int events;
	u64 samples, dropped, not_guest, not_mem;	/* since the last start */
	u64 resolved_phys, resolved_walk, walk_failures, unresolved;
	u64 unknown_vm, rejected, event_failures;
};

void kvmnuma_ibs_counters(struct kvmnuma_ibs_counters *c);

#endif /* KVMNUMA_SAMPLER_H */
