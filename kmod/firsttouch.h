/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_FIRSTTOUCH_H
#define KVMNUMA_FIRSTTOUCH_H

#include <linux/types.h>

struct kvm_vcpu;
struct kvmnuma_vm;

/*
 * Serves a FLUSH hypercall: @count (<= KVMNUMA_MAX_BATCH) entries at guest
 * physical address @gpa.  Returns a KVMNUMA_RES_* code for the guest.
 * vCPU thread, process context; may sleep.
 */
long kvmnuma_ft_flush(struct kvmnuma_vm *vm, struct kvm_vcpu *vcpu,
		      unsigned long gpa, unsigned long count);
/* A TDP fault on @gfn (kvm_page_fault probe, atomic, under RCU). */
void kvmnuma_ft_tdp_fault(struct kvmnuma_vm *vm, u64 gfn);
/*
 * Looks at the VM's RAM for what forbids discards (hugetlbfs, userfaultfd,
 * mlock, pinned pages: backing.h) and records it in vm->ft_block, logging
 * one line when it changes; while set, FLUSH answers "disabled".  Returns
 * the enum kvmnuma_discard_block found.  May sleep.
 */
int kvmnuma_ft_check_discards(struct kvmnuma_vm *vm);
/* "on", "off" (the policy has no first-touch) or "disabled: <why>". */
int kvmnuma_ft_state(struct kvmnuma_vm *vm, char *buf, size_t size);
/* Frees the first-touch state of a VM nobody else references. */
void kvmnuma_ft_release(struct kvmnuma_vm *vm);

#endif /* KVMNUMA_FIRSTTOUCH_H */
