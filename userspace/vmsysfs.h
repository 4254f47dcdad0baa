/* SPDX-License-Identifier: GPL-2.0 */
/* Reading and writing /sys/kernel/kvmnuma/ (see Documentation/ABI). */
#ifndef KVMNUMA_VMSYSFS_H
#define KVMNUMA_VMSYSFS_H

#include <stddef.h>
#include <stdio.h>

#define KVMNUMA_SYSFS_ROOT "/sys/kernel/kvmnuma"

/* The sysfs root: $KVMNUMA_SYSFS if set (tests use a fake tree), else the default. */
const char *vm_sysfs_root(void);
/* Path of one file of VM @id (NULL: a top-level file). */
void vm_path(char *path, size_t len, const char *id, const char *file);
/* Reads one sysfs file of VM @id (NULL: a top-level file) without the newline. */
int vm_read(const char *id, const char *file, char *buf, size_t len);
/* vm_read() for display: "?" when the file is missing or unreadable. */
const char *vm_field(const char *id, const char *file, char *buf, size_t len);
/* Writes @value; returns 0 or -errno as the kernel reported it. */
int vm_write(const char *id, const char *file, const char *value);
/* Opens a multi-line file (memslots, stats/refaults_per_node); NULL + errno. */
FILE *vm_fopen(const char *id, const char *file);
/* Calls @fn for every registered VM id, in directory order. */
int vm_for_each(int (*fn)(const char *id, void *arg), void *arg);
/* Accepts "<pid>" or a full id; fills @id (size >= 32). */
int vm_resolve(const char *name, char *id, size_t len);

#endif /* KVMNUMA_VMSYSFS_H */
