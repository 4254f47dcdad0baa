/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmnuma host module: the per-VM types every layer shares, like
 * include/linux/damon.h.  Types and trivial inline helpers only: no file
 * that includes this header depends on any kmod/ function by doing so.
 *
 * Documentation/architecture.rst lists the files by layer and the
 * direction in which they may depend on each other.
 */
#ifndef KVMNUMA_KMOD_H
#define KVMNUMA_KMOD_H

#include <linux/atomic.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/workqueue.h>

#include "../common/policy.h"
#include "../common/tally.h"

struct kvm;
struct kvmnuma_ft;
struct kvmnuma_carrefour;

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
	atomic64_t pages_dma_pinned;	/* of which: folio maybe DMA-pinned */
	atomic64_t flush_ns;		/* time spent serving FLUSH calls */
	atomic64_t refaults;		/* TDP faults on discarded pages */
	atomic64_t refaults_node[MAX_NUMNODES];
};

enum kvmnuma_placement_phase {
	KVMNUMA_PLACEMENT_IDLE,		/* policy without a static layout */
	KVMNUMA_PLACEMENT_RUNNING,	/* walking guest RAM */
	KVMNUMA_PLACEMENT_DONE,		/* walked; moves may be pending */
};

/* Why a running walk waits (placement/paused). */
enum kvmnuma_placement_pause {
	KVMNUMA_PLACEMENT_NOT_PAUSED,
	KVMNUMA_PLACEMENT_PAUSED_PRESSURE,	/* node below its low watermark */
	KVMNUMA_PLACEMENT_PAUSED_ORDERS,	/* the VM's orders at the cap */
};

/*
 * round-4k / round-1g placement progress, see placement.c.  The tally
 * (common/tally.h) counts placement's own pages and orders only; @lock
 * keeps its sums whole for readers.
 */
struct kvmnuma_placement {
	struct work_struct work;
	atomic_t generation;		/* bumped by every (re)start or stop */
	u64 owner;			/* of its move orders, moves.c cookie */
	int phase;			/* enum kvmnuma_placement_phase */
	unsigned int largest_page_shift;	/* of the pages backing RAM */
	int paused;			/* enum kvmnuma_placement_pause */
	atomic64_t pressure_waits;	/* back-off steps under pressure */
	atomic64_t orders_pauses;	/* times the walk stopped at the cap */
	wait_queue_head_t orders_wq;	/* woken when its orders are answered */
	spinlock_t lock;		/* protects tally and tally_gen */
	int tally_gen;			/* generation the tally counts */
	struct kvmnuma_tally tally;
};

struct kvmnuma_vm {
	struct kobject kobj;		/* /sys/kernel/kvmnuma/vms/<id> */
	struct list_head list;		/* in the registry, RCU-protected */
	struct kvm *kvm;		/* referenced until the VM is released */
	pid_t pid;			/* tgid of the QEMU process */
	char id[32];
	int policy;			/* enum kvmnuma_policy, READ_ONCE */
	struct mutex policy_lock;	/* serialises policy and nodes changes */
	nodemask_t nodes;		/* host nodes the policy may use */
	struct kvmnuma_placement place;
	/* Move orders of this VM's (placement + Carrefour) not yet answered. */
	atomic_t orders;
	struct mutex cf_lock;		/* creation and removal of cf */
	struct kvmnuma_carrefour *cf;	/* Carrefour state, see carrefour.c */
	bool cf_sampling;		/* sample even without carrefour */
	struct kvmnuma_vm_stats stats;
	struct kvmnuma_ft *ft;		/* first-touch state, see firsttouch.c */
	int ft_block;			/* enum kvmnuma_discard_block, READ_ONCE */
	int ft_nomem;			/* re-fault bitmap not allocated, READ_ONCE */
};

static inline bool kvmnuma_vm_has(struct kvmnuma_vm *vm, unsigned int mech)
{
	return kvmnuma_policy_mechanisms(READ_ONCE(vm->policy)) & mech;
}

/* A reference keeps the struct (and vm->kvm) alive, not the registration. */
static inline void kvmnuma_vm_get(struct kvmnuma_vm *vm)
{
	kobject_get(&vm->kobj);
}

/* Drops a reference; the last one frees the VM and may sleep. */
static inline void kvmnuma_vm_put(struct kvmnuma_vm *vm)
{
	kobject_put(&vm->kobj);
}

#endif /* KVMNUMA_KMOD_H */
