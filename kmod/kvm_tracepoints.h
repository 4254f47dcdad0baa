/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_KVM_TRACEPOINTS_H
#define KVMNUMA_KVM_TRACEPOINTS_H

/*
 * Hooks KVM's kvm_hypercall (required) and kvm_page_fault, each only if
 * kvm.ko records the layout its probe expects (common/tp_fields.h).  0,
 * -ENOENT (kvm_hypercall absent or not registered) or -ENOEXEC (its record
 * differs: another TP_PROTO); logged.
 */
int kvmnuma_kvm_tracepoints_init(void);
/* "on", or "off: <why>" for kvm_page_fault (TDP-fault accounting). */
const char *kvmnuma_kvm_tracepoints_tdp_state(void);
/* Unhooks them; no probe runs once this returns. */
void kvmnuma_kvm_tracepoints_exit(void);

#endif /* KVMNUMA_KVM_TRACEPOINTS_H */
