/* SPDX-License-Identifier: GPL-2.0 */
/* Carrefour, the mechanism: periods, the engine, its orders. */
#ifndef KVMNUMA_CARREFOUR_H
#define KVMNUMA_CARREFOUR_H

#include <linux/types.h>

#include "../common/carrefour.h"

struct kvm_vcpu;
struct kvmnuma_vm;

#define KVMNUMA_CARREFOUR_NODES KVMNUMA_CF_MAX_NODES

/* What carrefour/status and carrefour/access_matrix show. */
struct kvmnuma_carrefour_status {
	bool deciding;
	u64 samples, samples_lost, samples_dropped, samples_unknown_home;
	u64 orders_migrate, orders_interleave, moves_ok, moves_failed;
	u64 moves_no_room;	/* target node without room: not moved */
	u64 sampler_pressure_skips;	/* pages the sampler left: pressure */
	u64 rounds_skipped_orders;	/* rounds skipped: orders at the cap */
	u64 moves_capped;	/* decisions not ordered: orders at the cap */
	u64 arms_skipped_placement;	/* sampler periods skipped: placement */
	struct kvmnuma_cf_stats last;	/* the last decision round */
	/* Samples [accessing node][home node] since the last clear. */
	u64 matrix[KVMNUMA_CARREFOUR_NODES][KVMNUMA_CARREFOUR_NODES];
};

/*
 * Starts or stops sampling and decisions to match the VM's policy and
 * vm->cf_sampling.  Caller holds no Carrefour lock; may sleep.
 */
void kvmnuma_carrefour_update(struct kvmnuma_vm *vm);
/*
 * Cancels Carrefour's orders kvmnumad has not read yet (policy or nodes
 * changed: they may target a node no longer allowed).  Caller holds no
 * Carrefour lock; may sleep.
 */
void kvmnuma_carrefour_cancel_moves(struct kvmnuma_vm *vm);
/* 0 if the VM's RAM can be sampled, else -EOPNOTSUPP (logged); may sleep. */
int kvmnuma_carrefour_supported(struct kvmnuma_vm *vm);
/* The sampler that would sample this VM: "ibs", "software" or "none". */
const char *kvmnuma_carrefour_sampler_name(struct kvmnuma_vm *vm);
/*
 * Adds one sample of guest frame @gfn (vCPU @vcpu, accessing host node
 * @node, KVMNUMA_CF_WRITE in @flags) to the VM's current period; any
 * context but NMI.  -ENODEV: the VM does not sample; -EINVAL: @gfn is
 * beyond its RAM.
 */
int kvmnuma_carrefour_add_sample(struct kvmnuma_vm *vm, u64 gfn, u16 vcpu,
				 int node, u8 flags);
/* A TDP fault of the VM (kvm_page_fault probe, atomic, under RCU). */
void kvmnuma_carrefour_tdp_fault(struct kvmnuma_vm *vm, struct kvm_vcpu *vcpu,
				 u64 gfn, u64 error_code);
/* A copy of the counters; -ENODEV if the VM does not sample.  May sleep. */
int kvmnuma_carrefour_status(struct kvmnuma_vm *vm,
			     struct kvmnuma_carrefour_status *st);
/* Empties the access matrix (start of a measurement); may sleep. */
void kvmnuma_carrefour_clear_matrix(struct kvmnuma_vm *vm);

#endif /* KVMNUMA_CARREFOUR_H */
