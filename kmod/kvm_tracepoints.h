/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_KVM_TRACEPOINTS_H
#define KVMNUMA_KVM_TRACEPOINTS_H

/* Hooks KVM's kvm_hypercall (required) and kvm_page_fault; 0 or -ENOENT. */
int kvmnuma_kvm_tracepoints_init(void);
/* Unhooks them; no probe runs once this returns. */
void kvmnuma_kvm_tracepoints_exit(void);

#endif /* KVMNUMA_KVM_TRACEPOINTS_H */
