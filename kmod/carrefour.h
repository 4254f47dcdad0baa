/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_KMOD_CARREFOUR_H
#define KVMNUMA_KMOD_CARREFOUR_H

#include <linux/types.h>

struct kvm_vcpu;
struct kvmnuma_vm;
struct attribute_group;

/* Starts or stops sampling and decisions to match the VM's settings. */
void kvmnuma_cf_update(struct kvmnuma_vm *vm);
/* Stops everything and frees the VM's Carrefour state; may sleep. */
void kvmnuma_cf_vm_free(struct kvmnuma_vm *vm);
/* 0 if the VM can be sampled, else -EOPNOTSUPP (logged). */
int kvmnuma_cf_check_supported(struct kvmnuma_vm *vm);
/*
 * Adds one sample of guest frame @gfn (vCPU @vcpu, accessing host node
 * @node, KVMNUMA_CF_WRITE in @flags) to the VM's current period; any
 * context but NMI.  -ENODEV: the VM does not sample; -EINVAL: @gfn is
 * beyond its RAM.  For samplers other than the software one (IBS, the
 * debugfs injector).
 */
int kvmnuma_cf_add_sample(struct kvmnuma_vm *vm, u64 gfn, u16 vcpu, u8 node,
			  u8 flags);
/* From the kvm_page_fault probe, atomic. */
void kvmnuma_cf_tdp_fault(struct kvmnuma_vm *vm, struct kvm_vcpu *vcpu,
			  u64 gfn, u64 error_code);
/* kvmnumad's answer to a Carrefour order. */
void kvmnuma_cf_vm_moved(struct kvmnuma_vm *vm, u64 gfn, int node, bool ok);

extern const struct attribute_group kvmnuma_cf_group;

#endif /* KVMNUMA_KMOD_CARREFOUR_H */
