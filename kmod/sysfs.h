/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_SYSFS_H
#define KVMNUMA_SYSFS_H

#include <linux/kobject.h>

struct kvmnuma_vm;

#define kvmnuma_sysfs_vm(k) container_of(k, struct kvmnuma_vm, kobj)

/* /sys/kernel/kvmnuma/ and vms/; 0 or -errno. */
int kvmnuma_sysfs_init(void);
void kvmnuma_sysfs_exit(void);
/* Initialises vm->kobj and adds vms/<id>/ (a kvmnuma_publish_fn). */
int kvmnuma_sysfs_add_vm(struct kvmnuma_vm *vm);

/* vms/<id>/carrefour/, sysfs_carrefour.c */
extern const struct attribute_group kvmnuma_sysfs_carrefour_group;

#endif /* KVMNUMA_SYSFS_H */
