/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_HYPERCALL_H
#define KVMNUMA_HYPERCALL_H

/* kvm_hypercall tracepoint probe: atomic context, queues the work. */
void kvmnuma_hypercall_probe(void *data, unsigned long nr, unsigned long a0,
			     unsigned long a1, unsigned long a2,
			     unsigned long a3);
/* After the probe is unhooked: waits until queued hypercall work has run. */
void kvmnuma_hypercall_drain(void);

#endif /* KVMNUMA_HYPERCALL_H */
