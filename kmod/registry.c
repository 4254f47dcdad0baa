// SPDX-License-Identifier: GPL-2.0
/*
 * The VM registry: one struct kvmnuma_vm per KVM virtual machine.
 *
 * KVM has no notifier for VM creation that a module can use, so VMs are
 * found two ways: a periodic scan of every process' open files for KVM VM
 * files (which also finds VMs that were running before the module was
 * loaded, and paused VMs that never issue a hypercall), and directly by the
 * hypercall path when a guest talks to us first.  The registry holds a
 * reference on each struct kvm; a VM whose only remaining reference is
 * ours has been closed by its VMM and is unregistered by the next scan.
 * What a VM object is and does on registration and removal is vm.c's.
 *
 * Locking.  A guest's hypercall (a FLUSH runs while the guest holds a
 * queue spinlock with interrupts off) finds its VM under RCU alone;
 * registry_lock is taken only by the first hypercall of a VM not yet
 * registered, by the scan and by lookups by name.  registry_lock covers
 * list changes, naming and sysfs directories, never a VM's teardown:
 * stopping its mechanisms (Carrefour's per-CPU perf events, placement's
 * workers) and the grace period run after the lock is dropped, so one
 * VM's teardown cannot stall another VM's hypercalls or registration.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/delay.h>
#include <linux/kvm_host.h>
#include <linux/rculist.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/workqueue.h>

#include "kvmnuma.h"
#include "ram.h"
#include "registry.h"
#include "vm.h"

static unsigned int scan_interval_ms = 500;
module_param(scan_interval_ms, uint, 0644);
MODULE_PARM_DESC(scan_interval_ms,
		 "How often to look for new and closed VMs (ms, default 500)");

static unsigned int teardown_delay_ms;
module_param(teardown_delay_ms, uint, 0644);
MODULE_PARM_DESC(teardown_delay_ms,
		 "For testing only: sleep this long (ms) in each VM's teardown (default 0)");

/* Writers hold registry_lock; readers may walk the list under RCU. */
static LIST_HEAD(registered_vms);
static DEFINE_MUTEX(registry_lock);
static bool registry_closing;
static kvmnuma_publish_fn publish_vm;

static void scan_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(scan_work, scan_work_fn);

/* Caller holds registry_lock. */
static struct kvmnuma_vm *find_vm_locked(struct kvm *kvm)
{
	struct kvmnuma_vm *vm;

	list_for_each_entry(vm, &registered_vms, list)
		if (vm->kvm == kvm)
			return vm;
	return NULL;
}

struct kvmnuma_vm *kvmnuma_registry_lookup_rcu(struct kvm *kvm)
{
	struct kvmnuma_vm *vm;

	list_for_each_entry_rcu(vm, &registered_vms, list)
		if (vm->kvm == kvm)
			return vm;
	return NULL;
}

/* VMs of one process are named <pid>, <pid>.1, <pid>.2, ... */
static void name_vm_locked(struct kvmnuma_vm *new)
{
	struct kvmnuma_vm *vm;
	unsigned int n = 0;
	bool taken;

	do {
		if (n)
			snprintf(new->id, sizeof(new->id), "%d.%u", new->pid, n);
		else
			snprintf(new->id, sizeof(new->id), "%d", new->pid);
		taken = false;
		list_for_each_entry(vm, &registered_vms, list)
			if (!strcmp(vm->id, new->id))
				taken = true;
		n++;
	} while (taken);
}

/*
 * Registers @kvm, consuming the caller's reference on it in every case.
 * Caller holds registry_lock.
 */
static struct kvmnuma_vm *add_vm_locked(struct kvm *kvm, pid_t pid)
{
	struct kvmnuma_vm *vm;
	int ret;

	vm = kvmnuma_vm_create(kvm, pid);
	if (!vm)
		return NULL;
	name_vm_locked(vm);

	ret = publish_vm(vm);
	if (ret) {
		pr_warn("VM of pid %d: cannot create its sysfs directory (%d)\n",
			pid, ret);
		/* The kobject release drops the kvm reference and frees vm. */
		kobject_put(&vm->kobj);
		return NULL;
	}
	list_add_tail_rcu(&vm->list, &registered_vms);
	pr_info("VM %s: registered (%d vCPUs, policy %s)\n", vm->id,
		atomic_read(&kvm->online_vcpus),
		kvmnuma_policy_name(vm->policy));
	kvmnuma_vm_start(vm);
	return vm;
}

/*
 * First half of a removal: off the list and out of sysfs (its id is free
 * again).  Caller holds registry_lock, then calls teardown_vms() on @vm
 * without it.
 */
static void unlist_vm_locked(struct kvmnuma_vm *vm)
{
	list_del_rcu(&vm->list);
	/* Waits for sysfs readers, which use vm->kvm. */
	kobject_del(&vm->kobj);
}

/*
 * Second half, outside registry_lock: stops the mechanisms of @vms[0..n)
 * and drops the registry's references once no RCU reader (hypercall,
 * fault probe) can still find them.  May sleep for long.
 */
static void teardown_vms(struct kvmnuma_vm **vms, unsigned int n)
{
	unsigned int i;

	if (!n)
		return;
	for (i = 0; i < n; i++)
		kvmnuma_vm_stop(vms[i]);
	synchronize_rcu();
	for (i = 0; i < n; i++) {
		if (READ_ONCE(teardown_delay_ms)) {
			pr_info("VM %s: testing: teardown delayed %u ms\n",
				vms[i]->id, READ_ONCE(teardown_delay_ms));
			msleep(READ_ONCE(teardown_delay_ms));
		}
		pr_info("VM %s: unregistered\n", vms[i]->id);
		kobject_put(&vms[i]->kobj);
	}
}

struct kvmnuma_vm *kvmnuma_registry_get_or_add(struct kvm *kvm, pid_t pid)
{
	struct kvmnuma_vm *vm;

	/*
	 * The hot path: a registered VM, found without a lock.  The
	 * registry's reference is dropped only a grace period after the VM
	 * left the list, so it still holds while we take ours.
	 */
	rcu_read_lock();
	vm = kvmnuma_registry_lookup_rcu(kvm);
	if (vm)
		kvmnuma_vm_get(vm);
	rcu_read_unlock();
	if (vm)
		return vm;

	/* Once per VM: registration, never held across a teardown. */
	mutex_lock(&registry_lock);
	vm = find_vm_locked(kvm);
	if (!vm && !registry_closing) {
		kvm_get_kvm(kvm);
		vm = add_vm_locked(kvm, pid);
	}
	if (vm)
		kvmnuma_vm_get(vm);
	mutex_unlock(&registry_lock);
	return vm;
}

struct kvmnuma_vm *kvmnuma_registry_get_by_id(const char *id)
{
	struct kvmnuma_vm *vm, *found = NULL;

	mutex_lock(&registry_lock);
	list_for_each_entry(vm, &registered_vms, list) {
		if (!strcmp(vm->id, id)) {
			found = vm;
			kvmnuma_vm_get(vm);
			break;
		}
	}
	mutex_unlock(&registry_lock);
	return found;
}

/* --- The scan --------------------------------------------------------- */

#define SCAN_BATCH 32

struct scan_found {
	struct kvm *kvm;
	pid_t pid;
};

struct scan_ctx {
	struct kvmnuma_vm *dead[SCAN_BATCH];	/* unlisted, to tear down */
	unsigned int nr_dead;
	struct scan_found found[SCAN_BATCH];
	unsigned int nr_found;
	bool overflow;
	pid_t pid;
};

/* Called by iterate_fd() with the file table's lock held: no sleeping. */
static int scan_file(const void *arg, struct file *file, unsigned int fd)
{
	struct scan_ctx *ctx = (struct scan_ctx *)arg;
	struct kvmnuma_vm *vm;
	struct kvm *kvm;

	if (!file_is_kvm(file))
		return 0;
	kvm = file->private_data;

	list_for_each_entry(vm, &registered_vms, list)
		if (vm->kvm == kvm)
			return 0;
	if (ctx->nr_found == SCAN_BATCH) {
		ctx->overflow = true;
		return 0;
	}
	/* The open file holds a reference; ours outlives the lock. */
	if (kvm_get_kvm_safe(kvm)) {
		ctx->found[ctx->nr_found].kvm = kvm;
		ctx->found[ctx->nr_found].pid = ctx->pid;
		ctx->nr_found++;
	}
	return 0;
}

static void scan_processes_locked(struct scan_ctx *ctx)
{
	struct task_struct *p;

	rcu_read_lock();
	for_each_process(p) {
		task_lock(p);
		if (p->files && !(p->flags & PF_KTHREAD)) {
			ctx->pid = p->tgid;
			iterate_fd(p->files, 0, scan_file, ctx);
		}
		task_unlock(p);
	}
	rcu_read_unlock();
}

static void scan_work_fn(struct work_struct *work)
{
	struct kvmnuma_vm *vm, *tmp;
	struct scan_ctx *ctx;
	unsigned int i;
	bool again = false;

	ctx = kzalloc(sizeof(*ctx), GFP_KERNEL);
	if (!ctx)
		goto out;

	mutex_lock(&registry_lock);
	if (registry_closing)
		goto out_unlock;

	/* A VM whose files are all closed is held by our reference alone. */
	list_for_each_entry_safe(vm, tmp, &registered_vms, list) {
		if (refcount_read(&vm->kvm->users_count) != 1)
			continue;
		if (ctx->nr_dead == SCAN_BATCH) {
			again = true;
			break;
		}
		unlist_vm_locked(vm);
		ctx->dead[ctx->nr_dead++] = vm;
	}
	mutex_unlock(&registry_lock);
	teardown_vms(ctx->dead, ctx->nr_dead);

	mutex_lock(&registry_lock);
	if (registry_closing)
		goto out_unlock;
	scan_processes_locked(ctx);
	for (i = 0; i < ctx->nr_found; i++) {
		/*
		 * A VM open in two places (dup, fork) is found twice.  A VM
		 * without guest RAM yet is being set up by QEMU: a policy
		 * written now would be checked against no RAM and a placement
		 * would walk none, so it is registered by a later scan, once
		 * its memslots exist.
		 */
		if (find_vm_locked(ctx->found[i].kvm) ||
		    !kvmnuma_ram_present(ctx->found[i].kvm))
			kvm_put_kvm(ctx->found[i].kvm);
		else
			add_vm_locked(ctx->found[i].kvm, ctx->found[i].pid);
	}
	again |= ctx->overflow;

out_unlock:
	mutex_unlock(&registry_lock);
	kfree(ctx);
out:
	if (!READ_ONCE(registry_closing))
		schedule_delayed_work(&scan_work, again ? 0 :
				      msecs_to_jiffies(scan_interval_ms));
}

int kvmnuma_registry_init(kvmnuma_publish_fn publish)
{
	publish_vm = publish;
	schedule_delayed_work(&scan_work, 0);
	return 0;
}

void kvmnuma_registry_exit(void)
{
	struct kvmnuma_vm *vm, *batch[SCAN_BATCH];
	unsigned int n;

	mutex_lock(&registry_lock);
	WRITE_ONCE(registry_closing, true);
	mutex_unlock(&registry_lock);
	cancel_delayed_work_sync(&scan_work);

	/* Closing: nothing adds VMs any more; tear down a batch at a time. */
	do {
		n = 0;
		mutex_lock(&registry_lock);
		while (n < SCAN_BATCH &&
		       (vm = list_first_entry_or_null(&registered_vms,
						      struct kvmnuma_vm, list))) {
			unlist_vm_locked(vm);
			batch[n++] = vm;
		}
		mutex_unlock(&registry_lock);
		teardown_vms(batch, n);
	} while (n);
}
