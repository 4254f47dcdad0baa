/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_FIRSTTOUCH_H
#define KVMNUMA_FIRSTTOUCH_H

#include <linux/types.h>

struct kvm_vcpu;
struct kvmnuma_vm;

long kvmnuma_ft_flush(struct kvmnuma_vm *vm, struct kvm_vcpu *vcpu,
		      unsigned long gpa, unsigned long count);
void kvmnuma_ft_vm_free(struct kvmnuma_vm *vm);
void kvmnuma_tdp_fault_probe(void *data, struct kvm_vcpu *vcpu,
			     u64 fault_address, u64 error_code);

#endif /* KVMNUMA_FIRSTTOUCH_H */
