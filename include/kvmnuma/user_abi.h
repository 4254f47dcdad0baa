/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * kvmnuma kernel <-> userspace ABI for page migrations.
 *
 * The host module decides which pages of a VM must move to which node;
 * kvmnumad moves them with move_pages(2) (a module cannot migrate pages:
 * migrate_pages() and friends are not exported) and reports back.
 *
 * /dev/kvmnuma (misc device, mode 0600, one opener at a time: EBUSY):
 *   read()  returns whole struct kvmnuma_move_order records (at least one;
 *           blocks while none is pending, EAGAIN with O_NONBLOCK); the
 *           pid in each is translated into the reader's pid namespace (a
 *           kvmnumad in a container with its QEMUs), 0 if not visible
 *           there; poll()
 *           reports POLLIN when orders are pending.  A short buffer
 *           (< one record) gets EINVAL.
 *   write() takes whole struct kvmnuma_move_result records, one per order
 *           read, in any order; a record for an unknown id gets EINVAL (the
 *           records before it are accepted; the return value counts them).
 *   ioctl(KVMNUMA_IOC_CONFIRM, &id) (__u64 id of an order read and not yet
 *           answered): 0 if the order's pid names, in the caller's pid
 *           namespace, a task whose address space is still the VM's;
 *           -ESRCH if no task has that pid or its address space is another
 *           (QEMU exited and the pid was recycled, or it exec'd): the order
 *           is stale, answer it with error -ESRCH and move nothing;
 *           -EINVAL for an unknown id; -EFAULT for a bad pointer.
 *           The pid in an order is a name, the address space the identity:
 *           kvmnumad opens a pidfd for the pid before it asks and checks
 *           that the pidfd's process still exists after move_pages(2); a
 *           pid number is recycled only after its process is reaped, so
 *           success on both sides means the pages moved were the VM's
 *           (Documentation/architecture.rst, "Stale move orders").
 *   Orders read and not answered when the file is closed go back to the
 *   pending queue.
 */
#ifndef KVMNUMA_USER_ABI_H
#define KVMNUMA_USER_ABI_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define KVMNUMA_DEV_NAME	"kvmnuma"

/* Is the order (its __u64 id) still bound to the VM's process?  See above. */
#define KVMNUMA_IOC_CONFIRM	_IOW(0xb7, 1, __u64)

/* Move npages pages of pid's address space, from start, to node. */
struct kvmnuma_move_order {
	__u64 id;		/* echoed in the result */
	/*
	 * The VMM process (QEMU), as the reader's pid namespace numbers it;
	 * 0 if that namespace cannot see it (answer -ESRCH, move nothing).
	 */
	__s32 pid;
	__s32 node;		/* target NUMA node */
	__u64 start;		/* page-aligned virtual address in pid */
	__u64 npages;
};

struct kvmnuma_move_result {
	__u64 id;		/* of the order */
	__u64 moved;		/* pages now on the target node */
	__u64 failed;		/* pages not moved (busy, absent, no memory) */
	/*
	 * 0, or -errno for the whole order: -ESRCH the VM is gone; -ENOMEM
	 * the target node had no room, the pages not moved stay put.
	 */
	__s32 error;
	__u32 reserved;		/* must be 0 */
};

#endif /* KVMNUMA_USER_ABI_H */
