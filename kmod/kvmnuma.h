/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmnuma host module: types and entry points shared by its files.
 *
 * registry.c       which VMs exist (one struct kvmnuma_vm per struct kvm)
 * sysfs.c          /sys/kernel/kvmnuma/
 * kvm_tracepoints.c  finding and hooking KVM's tracepoints
 * hypercall.c      the guest's doorbell: probe and flush hypercalls
 * firsttouch.c     handling of a first-touch batch
 * discard.c        giving guest pages back to the host
 * placement.c      eager placement for round-4k and round-1g
 * moves.c          migration orders for kvmnumad (/dev/kvmnuma)
 * carrefour.c      sampling and the Carrefour engine
 * ibs.c            AMD IBS sampling through perf
 * debugfs.c        test interface: injected samples, IBS counters
 */
#ifndef KVMNUMA_KMOD_H
#define KVMNUMA_KMOD_H

#include <linux/atomic.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "../common/policy.h"

struct kvm;
struct kvm_vcpu;
struct kvmnuma_ft_vm;
struct kvmnuma_cf_vm;

/* Counters shown in /sys/kernel/kvmnuma/vms/<id>/stats/. */
struct kvmnuma_vm_stats {
	atomic64_t probes;		/* PROBE hypercalls answered */
	atomic64_t batches;		/* FLUSH batches accepted */
	atomic64_t entries;		/* entries in accepted batches */
	atomic64_t bad_batches;		/* FLUSH batches rejected */
	atomic64_t disabled_batches;	/* FLUSH answered "disabled" */
	atomic64_t pages_discarded;	/* guest pages given back to the host */
	atomic64_t discard_failures;	/* ranges that could not be discarded */
	atomic64_t pages_not_discardable;	/* e.g. hugetlbfs, pinned */
	atomic64_t flush_ns;		/* time spent serving FLUSH calls */
	atomic64_t refaults;		/* TDP faults on discarded pages */
	atomic64_t refaults_node[MAX_NUMNODES];
};

enum kvmnuma_placement_state {
	KVMNUMA_PLACEMENT_IDLE,		/* policy without a static layout */
	KVMNUMA_PLACEMENT_RUNNING,	/* walking guest RAM */
	KVMNUMA_PLACEMENT_DONE,		/* walked; moves may be pending */
};

/* round-4k / round-1g placement progress, see placement.c. */
struct kvmnuma_placement {
	struct work_struct work;
	atomic_t generation;		/* bumped by every (re)start or stop */
	int state;			/* enum kvmnuma_placement_state */
	unsigned int largest_page_shift;	/* of the pages backing RAM */
	atomic64_t pages_total;
	atomic64_t pages_placed;	/* found or faulted in on their node */
	atomic64_t pages_to_move;	/* found on another node */
	atomic64_t moves_pending;	/* queued for kvmnumad, not answered */
	atomic64_t pages_moved;
	atomic64_t pages_move_failed;
	atomic64_t pages_unplaceable;	/* could not be faulted in */
};

struct kvmnuma_vm {
	struct kobject kobj;		/* /sys/kernel/kvmnuma/vms/<id> */
	struct list_head list;		/* in the registry, RCU-protected */
	struct kvm *kvm;		/* referenced until unregistration */
	pid_t pid;			/* tgid of the QEMU process */
	char id[32];
	int policy;			/* enum kvmnuma_policy, READ_ONCE */
	struct mutex policy_lock;	/* serialises policy and nodes changes */
	nodemask_t nodes;		/* host nodes the policy may use */
	struct kvmnuma_placement place;
	struct mutex cf_lock;		/* creation and removal of cf */
	struct kvmnuma_cf_vm *cf;	/* Carrefour state, see carrefour.c */
	bool cf_sampling;		/* sample even without carrefour */
	struct kvmnuma_vm_stats stats;
	struct kvmnuma_ft_vm *ft;	/* first-touch state, see firsttouch.c */
};

static inline bool kvmnuma_vm_has(struct kvmnuma_vm *vm, unsigned int mech)
{
	return kvmnuma_policy_mechanisms(READ_ONCE(vm->policy)) & mech;
}

/* registry.c */
int kvmnuma_registry_init(void);
void kvmnuma_registry_exit(void);
struct kvmnuma_vm *kvmnuma_vm_get_or_add(struct kvm *kvm, pid_t pid);
struct kvmnuma_vm *kvmnuma_vm_lookup_rcu(struct kvm *kvm);
/* The VM named @id in sysfs, with a reference (kvmnuma_vm_put()), or NULL. */
struct kvmnuma_vm *kvmnuma_vm_get_by_id(const char *id);
void kvmnuma_vm_put(struct kvmnuma_vm *vm);
u64 kvmnuma_vm_memory_bytes(struct kvmnuma_vm *vm);
extern int kvmnuma_default_policy;

/* Mechanisms this version implements; other policies are refused. */
#define KVMNUMA_MECH_SUPPORTED \
	(KVMNUMA_MECH_FIRST_TOUCH | KVMNUMA_MECH_ROUND_4K | \
	 KVMNUMA_MECH_ROUND_1G | KVMNUMA_MECH_CARREFOUR)

/* sysfs.c */
int kvmnuma_sysfs_init(void);
void kvmnuma_sysfs_exit(void);
int kvmnuma_sysfs_add_vm(struct kvmnuma_vm *vm);
extern const struct kobj_type kvmnuma_vm_ktype;

/* kvm_tracepoints.c */
int kvmnuma_kvm_tracepoints_init(void);
void kvmnuma_kvm_tracepoints_exit(void);

/* hypercall.c */
void kvmnuma_hypercall_probe(void *data, unsigned long nr, unsigned long a0,
			     unsigned long a1, unsigned long a2,
			     unsigned long a3);
void kvmnuma_hypercall_drain(void);

#endif /* KVMNUMA_KMOD_H */
