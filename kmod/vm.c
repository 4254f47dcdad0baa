// SPDX-License-Identifier: GPL-2.0
/*
 * The VM object and its lifecycle.  Every policy rule lives here: which
 * policies are implemented, which a VM may take, and which mechanisms run
 * for it.  The mechanisms themselves (firsttouch.c, placement.c,
 * carrefour.c) are told to start and stop; they do not know each other.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/kvm_host.h>
#include <linux/slab.h>

#include "backing.h"
#include "carrefour.h"
#include "firsttouch.h"
#include "kvmnuma.h"
#include "placement.h"
#include "vm.h"

static int default_policy = KVMNUMA_POLICY_NONE;

bool kvmnuma_vm_policy_implemented(int policy)
{
	return !(kvmnuma_policy_mechanisms(policy) & ~KVMNUMA_MECH_SUPPORTED);
}

int kvmnuma_vm_default_policy(void)
{
	return READ_ONCE(default_policy);
}

/* @who names the target in the log: "VM <id>" or "default_policy". */
static int check_implemented(const char *who, const char *id, int policy)
{
	if (kvmnuma_vm_policy_implemented(policy))
		return 0;
	pr_info("%s%s: policy %s is not implemented by this version\n",
		who, id, kvmnuma_policy_name(policy));
	return -EOPNOTSUPP;
}

int kvmnuma_vm_set_default_policy(int policy)
{
	int ret = check_implemented("default_policy", "", policy);

	if (!ret)
		WRITE_ONCE(default_policy, policy);
	return ret;
}

struct kvmnuma_vm *kvmnuma_vm_create(struct kvm *kvm, pid_t pid)
{
	struct kvmnuma_vm *vm = kzalloc(sizeof(*vm), GFP_KERNEL_ACCOUNT);

	if (!vm) {
		kvm_put_kvm(kvm);
		return NULL;
	}
	vm->kvm = kvm;
	vm->pid = pid;
	vm->policy = kvmnuma_vm_default_policy();
	vm->nodes = node_states[N_MEMORY];
	mutex_init(&vm->policy_lock);
	mutex_init(&vm->cf_lock);
	kvmnuma_placement_vm_init(vm);
	return vm;
}

/*
 * Called under the registry's lock: no look at the VM's RAM here; the
 * first FLUSH finds what forbids discards (firsttouch.c).
 */
void kvmnuma_vm_start(struct kvmnuma_vm *vm)
{
	/*
	 * A default policy with Carrefour on RAM the sampler cannot sample
	 * is refused as a write to vms/<id>/policy would be (the one log
	 * line is kvmnuma_carrefour_supported()'s); the VM starts with none.
	 */
	if (kvmnuma_vm_has(vm, KVMNUMA_MECH_CARREFOUR) &&
	    kvmnuma_carrefour_supported(vm)) {
		mutex_lock(&vm->policy_lock);
		WRITE_ONCE(vm->policy, KVMNUMA_POLICY_NONE);
		mutex_unlock(&vm->policy_lock);
	}
	if (kvmnuma_vm_has(vm, KVMNUMA_MECH_ROUND_4K | KVMNUMA_MECH_ROUND_1G))
		kvmnuma_placement_start(vm);
	kvmnuma_carrefour_update(vm);
}

void kvmnuma_vm_stop(struct kvmnuma_vm *vm)
{
	kvmnuma_placement_stop(vm);
	WRITE_ONCE(vm->cf_sampling, false);
	WRITE_ONCE(vm->policy, KVMNUMA_POLICY_NONE);
	kvmnuma_carrefour_update(vm);
}

void kvmnuma_vm_release(struct kvmnuma_vm *vm)
{
	kvmnuma_ft_release(vm);
	if (vm->kvm)
		kvm_put_kvm(vm->kvm);
	kfree(vm);
}

int kvmnuma_vm_set_policy(struct kvmnuma_vm *vm, int policy)
{
	unsigned int mechs = kvmnuma_policy_mechanisms(policy);
	unsigned int page_shift;
	int ret;

	ret = check_implemented("VM ", vm->id, policy);
	if (ret)
		return ret;
	/* Pages pinned for a device's DMA cannot be replaced behind it. */
	if ((mechs & KVMNUMA_MECH_FIRST_TOUCH) &&
	    kvm_arch_has_assigned_device(vm->kvm)) {
		pr_info("VM %s: first-touch refused: the VM has an assigned device\n",
			vm->id);
		return -EBUSY;
	}
	if (mechs & KVMNUMA_MECH_CARREFOUR) {
		ret = kvmnuma_carrefour_supported(vm);
		if (ret)
			return ret;
	}
	/* A huge page cannot be spread over nodes 4 KiB at a time. */
	if (mechs & KVMNUMA_MECH_ROUND_4K) {
		kvmnuma_backing_of_ram(vm->kvm, &page_shift);
		if (page_shift > PAGE_SHIFT) {
			pr_info("VM %s: round-4k refused: guest RAM is on huge pages\n",
				vm->id);
			return -EINVAL;
		}
	}

	mutex_lock(&vm->policy_lock);
	if (vm->policy != policy)
		pr_info("VM %s: policy %s -> %s\n", vm->id,
			kvmnuma_policy_name(vm->policy),
			kvmnuma_policy_name(policy));
	WRITE_ONCE(vm->policy, policy);
	mutex_unlock(&vm->policy_lock);
	/* First-touch stays chosen, but off while discards are unsafe. */
	if (mechs & KVMNUMA_MECH_FIRST_TOUCH)
		kvmnuma_ft_check_discards(vm);
	/* Re-place for the new policy (or just cancel the old layout). */
	kvmnuma_placement_start(vm);
	/* As before the layers: every unread order of the VM is moot. */
	kvmnuma_carrefour_cancel_moves(vm);
	kvmnuma_carrefour_update(vm);
	return 0;
}

int kvmnuma_vm_set_nodes(struct kvmnuma_vm *vm, const nodemask_t *nodes)
{
	bool changed;

	if (nodes_empty(*nodes) || !nodes_subset(*nodes, node_states[N_MEMORY]))
		return -EINVAL;
	mutex_lock(&vm->policy_lock);
	changed = !nodes_equal(*nodes, vm->nodes);
	vm->nodes = *nodes;
	mutex_unlock(&vm->policy_lock);
	if (changed) {
		kvmnuma_placement_start(vm);
		/* Carrefour's unread orders may target a node now excluded. */
		kvmnuma_carrefour_cancel_moves(vm);
	}
	return 0;
}

nodemask_t kvmnuma_vm_nodes(struct kvmnuma_vm *vm)
{
	nodemask_t nodes;

	mutex_lock(&vm->policy_lock);
	nodes = vm->nodes;
	mutex_unlock(&vm->policy_lock);
	return nodes;
}

int kvmnuma_vm_set_sampling(struct kvmnuma_vm *vm, bool on)
{
	if (on && kvmnuma_carrefour_supported(vm))
		return -EOPNOTSUPP;
	WRITE_ONCE(vm->cf_sampling, on);
	kvmnuma_carrefour_update(vm);
	return 0;
}
