// SPDX-License-Identifier: GPL-2.0
/*
 * The guest's doorbell: kvmnuma hypercalls.
 *
 * KVM traces every hypercall before handling it.  Our probe runs there, in
 * atomic context, so it only queues a task_work item on the vCPU thread;
 * KVM's run loop runs task work before the next guest entry, in process
 * context, where we may sleep, take mmap_lock and read guest memory.  By
 * then KVM has written its own answer in RAX: -KVM_ENOSYS for a CPL 0
 * caller (the number is unknown to KVM), -KVM_EPERM for a guest user-mode
 * caller.  Only the former is served; the guest reads our answer instead.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/delay.h>
#include <linux/kvm_host.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/wait.h>
#include <uapi/linux/kvm_para.h>

#include "../include/kvmnuma/hypercall_abi.h"
#include "firsttouch.h"
#include "hypercall.h"
#include "kvmnuma.h"
#include "registry.h"

#define KVMNUMA_HC_LAST KVMNUMA_HC_FLUSH

struct hypercall_work {
	struct callback_head cb;
	struct kvm_vcpu *vcpu;
	unsigned long nr, a0, a1;
};

static unsigned int hc_done_delay_ms;
module_param(hc_done_delay_ms, uint, 0644);
MODULE_PARM_DESC(hc_done_delay_ms,
		 "For testing only: once, busy-wait this long (ms) after a hypercall work item signals completion (default 0)");

/*
 * Work items queued and not yet finished; module exit waits for zero.  The
 * decrement is the work's last statement, but the function still has to
 * return through module text after it: kvmnuma_hypercall_drain() then
 * waits for an RCU-tasks grace period, which ends only once every task has
 * done a voluntary context switch or run in user mode, i.e. has left any
 * module code it was running or was preempted in (what ftrace and kprobes
 * rely on to free trampolines).  No sleep may follow the decrement.
 */
static atomic_t works_pending = ATOMIC_INIT(0);
static DECLARE_WAIT_QUEUE_HEAD(works_drained);

static long handle_probe(struct kvmnuma_vm *vm, unsigned long magic)
{
	if (magic != KVMNUMA_PROBE_MAGIC)
		return KVMNUMA_RES_EINVAL;
	atomic64_inc(&vm->stats.probes);
	return KVMNUMA_ABI_VERSION;
}

static void set_guest_rax(struct kvm_vcpu *vcpu, long value)
{
	/* kvm_rax_write() is private to KVM; this is what it does. */
	vcpu->arch.regs[VCPU_REGS_RAX] = value;
	vcpu->arch.regs_avail |= BIT(VCPU_REGS_RAX);
	vcpu->arch.regs_dirty |= BIT(VCPU_REGS_RAX);
}

static void serve_hypercall(struct hypercall_work *w)
{
	struct kvm_vcpu *vcpu = w->vcpu;
	struct kvm *kvm = vcpu->kvm;
	struct kvmnuma_vm *vm;
	long ret;

	/*
	 * KVM's answer tells who called: anything but -KVM_ENOSYS means a
	 * guest user-mode caller (-KVM_EPERM) or a call KVM truncated to
	 * 32 bits; leave KVM's answer alone.
	 */
	if (vcpu->arch.regs[VCPU_REGS_RAX] != (unsigned long)-KVM_ENOSYS)
		return;
	/* Never act on another address space (e.g. from exit_task_work). */
	if (current->mm != kvm->mm)
		return;

	vm = kvmnuma_registry_get_or_add(kvm, current->tgid);
	if (!vm)
		return;		/* the guest keeps -KVM_ENOSYS: "no host" */

	switch (w->nr) {
	case KVMNUMA_HC_PROBE:
		ret = handle_probe(vm, w->a0);
		break;
	case KVMNUMA_HC_FLUSH:
		ret = kvmnuma_ft_flush(vm, vcpu, w->a0, w->a1);
		break;
	default:
		ret = -KVM_ENOSYS;
		break;
	}
	set_guest_rax(vcpu, ret);
	kvmnuma_vm_put(vm);
}

static void hypercall_work_fn(struct callback_head *cb)
{
	struct hypercall_work *w = container_of(cb, struct hypercall_work, cb);
	struct kvm *kvm = w->vcpu->kvm;
	/* Read first: no shared cacheline written by every hypercall. */
	unsigned int delay = READ_ONCE(hc_done_delay_ms) ?
			     xchg(&hc_done_delay_ms, 0) : 0;

	serve_hypercall(w);
	kvm_put_kvm(kvm);
	kfree(w);
	if (delay)
		pr_info("testing: hypercall work busy for %u ms after its completion signal\n",
			delay);
	if (atomic_dec_and_test(&works_pending))
		wake_up(&works_drained);
	/* Testing: the worst moment for an unload (module text still runs). */
	if (delay)
		mdelay(delay);
}

/* kvm_hypercall tracepoint probe: atomic context, keep it short. */
void kvmnuma_hypercall_probe(void *data, unsigned long nr, unsigned long a0,
			     unsigned long a1, unsigned long a2,
			     unsigned long a3)
{
	struct hypercall_work *w;
	struct kvm_vcpu *vcpu;

	if (likely(nr < KVMNUMA_HC_BASE || nr > KVMNUMA_HC_LAST))
		return;
	vcpu = kvm_get_running_vcpu();
	if (!vcpu)
		return;

	w = kmalloc(sizeof(*w), GFP_ATOMIC | __GFP_NOWARN);
	if (!w)
		return;		/* the guest reads -KVM_ENOSYS and retries later */
	w->vcpu = vcpu;
	w->nr = nr;
	w->a0 = a0;
	w->a1 = a1;
	/* The VM must outlive the work even if the thread exits first. */
	kvm_get_kvm(vcpu->kvm);
	init_task_work(&w->cb, hypercall_work_fn);
	atomic_inc(&works_pending);
	if (task_work_add(current, &w->cb, TWA_RESUME)) {
		/* Thread exiting: its fds still pin the VM, so not the last ref. */
		kvm_put_kvm_no_destroy(vcpu->kvm);
		kfree(w);
		atomic_dec(&works_pending);
	}
}

/*
 * Called after the probe is unregistered: waits until every queued work
 * item has run.  A vCPU thread runs its task work before it re-enters the
 * guest or returns to its VMM, so this does not wait long.
 */
void kvmnuma_hypercall_drain(void)
{
	wait_event(works_drained, !atomic_read(&works_pending));
	/*
	 * The last work item may still be executing its final instructions
	 * after the decrement, possibly preempted there.  synchronize_rcu()
	 * would not wait for a task outside an RCU read-side section; an
	 * RCU-tasks grace period waits until that task has voluntarily
	 * scheduled or returned to user mode, so it has left our text.
	 */
	synchronize_rcu_tasks();
}
