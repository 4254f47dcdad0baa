/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VM object's lifecycle: creation, policy and nodes, the start and
 * stop of each mechanism, release.  The registry (registry.c) decides
 * when; this file decides what happens.
 */
#ifndef KVMNUMA_VM_H
#define KVMNUMA_VM_H

#include <linux/nodemask.h>
#include <linux/types.h>

struct kvm;
struct kvmnuma_vm;

/* Mechanisms this version implements; other policies are refused. */
#define KVMNUMA_MECH_SUPPORTED \
	(KVMNUMA_MECH_FIRST_TOUCH | KVMNUMA_MECH_ROUND_4K | \
	 KVMNUMA_MECH_ROUND_1G | KVMNUMA_MECH_CARREFOUR)

/* Whether every mechanism of @policy (enum kvmnuma_policy) is implemented. */
bool kvmnuma_vm_policy_implemented(int policy);
/* Policy of VMs found from now on. */
int kvmnuma_vm_default_policy(void);
/* 0, or -EOPNOTSUPP (logged) for a policy not implemented. */
int kvmnuma_vm_set_default_policy(int policy);

/*
 * A VM object for @kvm (run by process @pid), with the default policy and
 * every node with memory; consumes the caller's reference on @kvm even
 * when it fails (NULL).  vm->kobj is not initialised: the caller
 * publishes it, and its release calls kvmnuma_vm_release().
 */
struct kvmnuma_vm *kvmnuma_vm_create(struct kvm *kvm, pid_t pid);
/*
 * Starts the mechanisms of the VM's initial policy: placement, Carrefour.
 * A Carrefour policy on RAM that cannot be sampled is refused (logged)
 * and the VM gets policy none.  May sleep.
 */
void kvmnuma_vm_start(struct kvmnuma_vm *vm);
/* Stops every mechanism; the VM keeps running without kvmnuma. May sleep. */
void kvmnuma_vm_stop(struct kvmnuma_vm *vm);
/* Frees a VM nobody references any more (kobject release). */
void kvmnuma_vm_release(struct kvmnuma_vm *vm);

/*
 * Switches the VM to @policy and (re)starts its mechanisms.  Errors,
 * logged: -EOPNOTSUPP (not implemented, or Carrefour cannot sample this
 * RAM), -EBUSY (first-touch with an assigned device), -EINVAL (round-4k
 * on huge pages).  May sleep.
 */
int kvmnuma_vm_set_policy(struct kvmnuma_vm *vm, int policy);
/*
 * Restricts the policy to @nodes and re-places if they changed.  -EINVAL
 * (not logged) unless @nodes is a non-empty set of nodes with memory.
 */
int kvmnuma_vm_set_nodes(struct kvmnuma_vm *vm, const nodemask_t *nodes);
nodemask_t kvmnuma_vm_nodes(struct kvmnuma_vm *vm);
/*
 * Samples the VM's accesses even when its policy has no Carrefour (the
 * access matrix).  -EOPNOTSUPP (logged) if its RAM cannot be sampled.
 */
int kvmnuma_vm_set_sampling(struct kvmnuma_vm *vm, bool on);

#endif /* KVMNUMA_VM_H */
