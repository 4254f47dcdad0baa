/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VM names, as operators know them: QEMU's -name (libvirt passes
 * "-name guest=NAME,debug-threads=on", kvmnuma-launch "-name NAME,..."),
 * else the name of a pid file that holds the VMM's pid: libvirt's
 * /run/libvirt/qemu/NAME.pid ($KVMNUMA_LIBVIRT_RUN) or kvmnuma-launch's
 * /run/kvmnuma/NAME.pid ($KVMNUMA_RUNDIR).
 */
#ifndef KVMNUMA_VMNAME_H
#define KVMNUMA_VMNAME_H

#include <stddef.h>
#include <sys/types.h>

/* Fills @buf with the name of the VM run by @pid; 0, or -ENOENT if it has none. */
int vm_name_of_pid(pid_t pid, char *buf, size_t len);

/* The name of VM @id (its sysfs pid); "" when it has none. */
const char *vm_name(const char *id, char *buf, size_t len);

/*
 * Resolves @arg, a VM id or a VM name, to an id.  Returns 0, -ENOENT (no
 * such VM) or -EEXIST (the name is shared by several VMs: use the id).
 */
int vm_lookup(const char *arg, char *id, size_t len);

#endif /* KVMNUMA_VMNAME_H */
