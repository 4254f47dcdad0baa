/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Spreading a VM's vCPU threads over its allowed host nodes, so that
 * first-touch and round-robin policies see vCPUs on every node.
 */
#ifndef KVMNUMA_VCPU_PIN_H
#define KVMNUMA_VCPU_PIN_H

#include <sys/types.h>

struct vcpu_pin {
	int vcpu;	/* N of the thread name "CPU N/KVM" */
	pid_t tid;
	int node;
	int cpu;
};

/*
 * Finds the threads of @pid that QEMU named "CPU <n>/KVM" (QEMU names its
 * threads only with -name ...,debug-threads=on), sorted by vCPU number.
 * Returns how many (<= max) or -errno (-ESRCH: no such process).
 */
int vcpu_threads_find(pid_t pid, struct vcpu_pin *v, int max);

/*
 * Assigns vCPU i (in the order found) to node nodes[i % k] and to the
 * (i / k)-th CPU of that node, wrapping.  Nodes without CPUs are skipped.
 * Returns 0 or -ENODEV when no node in @nodes has a CPU.
 */
int vcpu_pin_plan(struct vcpu_pin *v, int n, const int *nodes, int k);

/* sched_setaffinity() of one thread to its CPU; 0 or -errno. */
int vcpu_pin_apply(const struct vcpu_pin *v);

#endif /* KVMNUMA_VCPU_PIN_H */
