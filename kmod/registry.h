/* SPDX-License-Identifier: GPL-2.0 */
/* Which VMs exist: the list, lookups, and the scan that finds them. */
#ifndef KVMNUMA_REGISTRY_H
#define KVMNUMA_REGISTRY_H

#include <linux/types.h>

struct kvm;
struct kvmnuma_vm;

/*
 * Makes a new VM visible to users (its sysfs directory); must initialise
 * vm->kobj even when it fails, as kobject_init_and_add() does.
 */
typedef int (*kvmnuma_publish_fn)(struct kvmnuma_vm *vm);

/* Starts the scan; new VMs are handed to @publish.  0 or -errno. */
int kvmnuma_registry_init(kvmnuma_publish_fn publish);
/* Stops the scan and unregisters every VM; may sleep. */
void kvmnuma_registry_exit(void);
/*
 * The VM of @kvm, registered now if need be, with a reference; or NULL.
 * A registered VM is found under RCU, without a lock; only registration
 * takes the registry's mutex, which no VM's teardown holds.  May sleep.
 */
struct kvmnuma_vm *kvmnuma_registry_get_or_add(struct kvm *kvm, pid_t pid);
/* The VM of @kvm, or NULL; caller holds rcu_read_lock(). */
struct kvmnuma_vm *kvmnuma_registry_lookup_rcu(struct kvm *kvm);
/* The VM named @id in sysfs, with a reference (kvmnuma_vm_put()), or NULL. */
struct kvmnuma_vm *kvmnuma_registry_get_by_id(const char *id);

#endif /* KVMNUMA_REGISTRY_H */
