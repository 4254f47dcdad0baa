// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/kvmnuma: kvmnumad reads move orders and writes back their results
 * (include/kvmnuma/user_abi.h).  Copying records and mapping errors only;
 * the orders themselves are moves.c's.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/poll.h>
#include <linux/uaccess.h>

#include "../include/kvmnuma/user_abi.h"
#include "dev.h"
#include "moves.h"

/*
 * Orders name QEMU processes and their guest RAM addresses: only a
 * daemon that may move other processes' pages (CAP_SYS_NICE, which
 * move_pages(2) with MPOL_MF_MOVE_ALL needs anyway) may read them, even
 * if the node's mode is loosened.  -EPERM otherwise.
 */
static int dev_open(struct inode *inode, struct file *file)
{
	int ret;

	if (!capable(CAP_SYS_NICE))
		return -EPERM;
	ret = kvmnuma_moves_attach();

	return ret ? ret : nonseekable_open(inode, file);
}

static int dev_release(struct inode *inode, struct file *file)
{
	kvmnuma_moves_detach();
	return 0;
}

static int copy_order(void *ctx, size_t i, const struct kvmnuma_move_order *rec)
{
	char __user *buf = ctx;

	return copy_to_user(buf + i * sizeof(*rec), rec, sizeof(*rec)) ?
	       -EFAULT : 0;
}

static ssize_t dev_read(struct file *file, char __user *buf, size_t len,
			loff_t *ppos)
{
	size_t max = len / sizeof(struct kvmnuma_move_order);
	ssize_t n;

	if (!max)
		return -EINVAL;
	n = kvmnuma_moves_hand_out(max, file->f_flags & O_NONBLOCK,
				   copy_order, buf);
	return n < 0 ? n : n * sizeof(struct kvmnuma_move_order);
}

static ssize_t dev_write(struct file *file, const char __user *buf,
			 size_t len, loff_t *ppos)
{
	size_t n, count = len / sizeof(struct kvmnuma_move_result);
	struct kvmnuma_move_result res;

	if (!count || len % sizeof(res))
		return -EINVAL;
	for (n = 0; n < count; n++) {
		if (copy_from_user(&res, buf + n * sizeof(res), sizeof(res)))
			return n ? n * sizeof(res) : -EFAULT;
		if (res.reserved || kvmnuma_moves_complete(&res))
			return n ? n * sizeof(res) : -EINVAL;
	}
	return count * sizeof(res);
}

/* KVMNUMA_IOC_CONFIRM: see include/kvmnuma/user_abi.h. */
static long dev_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	u64 id;

	if (cmd != KVMNUMA_IOC_CONFIRM)
		return -ENOTTY;
	if (get_user(id, (u64 __user *)arg))
		return -EFAULT;
	return kvmnuma_moves_confirm(id);
}

static __poll_t dev_poll(struct file *file, poll_table *wait)
{
	__poll_t mask = EPOLLOUT | EPOLLWRNORM;

	poll_wait(file, kvmnuma_moves_waitq(), wait);
	if (kvmnuma_moves_any_pending())
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}

static const struct file_operations dev_fops = {
	.owner = THIS_MODULE,
	.open = dev_open,
	.release = dev_release,
	.read = dev_read,
	.write = dev_write,
	.poll = dev_poll,
	.unlocked_ioctl = dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice kvmnuma_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KVMNUMA_DEV_NAME,
	.fops = &dev_fops,
	.mode = 0600,
};

int kvmnuma_dev_init(void)
{
	return misc_register(&kvmnuma_dev);
}

void kvmnuma_dev_exit(void)
{
	misc_deregister(&kvmnuma_dev);
}
