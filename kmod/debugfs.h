/* SPDX-License-Identifier: GPL-2.0 */
#ifndef KVMNUMA_KMOD_DEBUGFS_H
#define KVMNUMA_KMOD_DEBUGFS_H

/* /sys/kernel/debug/kvmnuma/: test interfaces; errors are not fatal. */
void kvmnuma_debugfs_init(void);
void kvmnuma_debugfs_exit(void);

#endif /* KVMNUMA_KMOD_DEBUGFS_H */
