// SPDX-License-Identifier: GPL-2.0
/*
 * Migration orders for kvmnumad, through /dev/kvmnuma.
 *
 * Modules cannot migrate pages (migrate_pages() and the internals of
 * move_pages(2) are not exported), so the module decides and kvmnumad
 * moves, with move_pages(2) on the QEMU process.  The protocol is in
 * include/kvmnuma/user_abi.h.  Orders hold a reference on their VM's
 * kobject so results can be accounted even after the VM went away.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/wait.h>

#include "../include/kvmnuma/user_abi.h"
#include "carrefour.h"
#include "kvmnuma.h"
#include "moves.h"

struct move_order {
	struct list_head list;
	struct kvmnuma_vm *vm;
	struct kvmnuma_move_order rec;
	bool carrefour;			/* feed the result back to the engine */
	u64 gfn;
};

static LIST_HEAD(pending);		/* not yet read by kvmnumad */
static LIST_HEAD(in_flight);		/* read, no result yet */
static DEFINE_MUTEX(orders_lock);
static DECLARE_WAIT_QUEUE_HEAD(orders_wait);
static u64 next_id = 1;
static atomic_t opened = ATOMIC_INIT(0);

bool kvmnuma_moves_daemon_connected(void)
{
	return atomic_read(&opened);
}

static void free_order(struct move_order *o)
{
	kvmnuma_vm_put(o->vm);
	kfree(o);
}

static struct move_order *queue_order(struct kvmnuma_vm *vm, unsigned long hva,
				      u64 npages, int node, bool carrefour,
				      u64 gfn)
{
	struct move_order *o = kzalloc(sizeof(*o), GFP_KERNEL);

	if (!o)
		return NULL;
	o->carrefour = carrefour;
	o->gfn = gfn;
	kobject_get(&vm->kobj);
	o->vm = vm;
	o->rec.pid = vm->pid;
	o->rec.node = node;
	o->rec.start = hva;
	o->rec.npages = npages;

	mutex_lock(&orders_lock);
	o->rec.id = next_id++;
	list_add_tail(&o->list, &pending);
	atomic64_add(npages, &vm->place.moves_pending);
	mutex_unlock(&orders_lock);
	wake_up_interruptible(&orders_wait);
	return o;
}

int kvmnuma_moves_queue(struct kvmnuma_vm *vm, unsigned long hva,
			u64 npages, int node)
{
	return queue_order(vm, hva, npages, node, false, 0) ? 0 : -ENOMEM;
}

int kvmnuma_moves_queue_gfn(struct kvmnuma_vm *vm, unsigned long hva,
			    u64 gfn, int node)
{
	return queue_order(vm, hva, 1, node, true, gfn) ? 0 : -ENOMEM;
}

void kvmnuma_moves_cancel_vm(struct kvmnuma_vm *vm)
{
	struct move_order *o, *tmp;
	LIST_HEAD(dropped);

	mutex_lock(&orders_lock);
	list_for_each_entry_safe(o, tmp, &pending, list) {
		if (o->vm != vm)
			continue;
		atomic64_sub(o->rec.npages, &vm->place.moves_pending);
		list_move(&o->list, &dropped);
	}
	mutex_unlock(&orders_lock);
	/* Outside the lock: the last put of a VM may sleep. */
	list_for_each_entry_safe(o, tmp, &dropped, list)
		free_order(o);
}

static int dev_open(struct inode *inode, struct file *file)
{
	/* One daemon at a time: results are matched to what it read. */
	if (atomic_cmpxchg(&opened, 0, 1))
		return -EBUSY;
	return nonseekable_open(inode, file);
}

static int dev_release(struct inode *inode, struct file *file)
{
	mutex_lock(&orders_lock);
	list_splice_init(&in_flight, &pending);	/* hand them out again */
	mutex_unlock(&orders_lock);
	atomic_set(&opened, 0);
	return 0;
}

static ssize_t dev_read(struct file *file, char __user *buf, size_t len,
			loff_t *ppos)
{
	size_t max = len / sizeof(struct kvmnuma_move_order), n = 0;
	struct move_order *o, *tmp;
	int ret;

	if (!max)
		return -EINVAL;
	for (;;) {
		mutex_lock(&orders_lock);
		if (!list_empty(&pending))
			break;
		mutex_unlock(&orders_lock);
		if (file->f_flags & O_NONBLOCK)
			return -EAGAIN;
		ret = wait_event_interruptible(orders_wait, !list_empty(&pending));
		if (ret)
			return ret;
	}
	list_for_each_entry_safe(o, tmp, &pending, list) {
		if (n == max)
			break;
		if (copy_to_user(buf + n * sizeof(o->rec), &o->rec,
				 sizeof(o->rec)))
			break;
		list_move_tail(&o->list, &in_flight);
		n++;
	}
	mutex_unlock(&orders_lock);
	return n ? n * sizeof(struct kvmnuma_move_order) : -EFAULT;
}

static void account_result(struct move_order *o,
			   const struct kvmnuma_move_result *res)
{
	struct kvmnuma_placement *place = &o->vm->place;
	u64 moved = min(res->moved, o->rec.npages);
	u64 failed = o->rec.npages - moved;

	atomic64_sub(o->rec.npages, &place->moves_pending);
	atomic64_add(moved, &place->pages_moved);
	atomic64_add(failed, &place->pages_move_failed);
	if (res->error && res->error != -ESRCH)
		pr_info_ratelimited("VM %s: kvmnumad could not move pages: %d\n",
				    o->vm->id, res->error);
	if (o->carrefour)
		kvmnuma_cf_vm_moved(o->vm, o->gfn, o->rec.node,
				    moved == o->rec.npages);
}

static ssize_t dev_write(struct file *file, const char __user *buf,
			 size_t len, loff_t *ppos)
{
	size_t n, count = len / sizeof(struct kvmnuma_move_result);
	struct kvmnuma_move_result res;
	struct move_order *o;

	if (!count || len % sizeof(res))
		return -EINVAL;
	for (n = 0; n < count; n++) {
		bool found = false;

		if (copy_from_user(&res, buf + n * sizeof(res), sizeof(res)))
			return n ? n * sizeof(res) : -EFAULT;
		if (res.reserved)
			return n ? n * sizeof(res) : -EINVAL;

		mutex_lock(&orders_lock);
		list_for_each_entry(o, &in_flight, list) {
			if (o->rec.id == res.id) {
				list_del(&o->list);
				found = true;
				break;
			}
		}
		mutex_unlock(&orders_lock);
		if (!found)
			return n ? n * sizeof(res) : -EINVAL;
		account_result(o, &res);
		free_order(o);
	}
	return count * sizeof(res);
}

static __poll_t dev_poll(struct file *file, poll_table *wait)
{
	__poll_t mask = 0;

	poll_wait(file, &orders_wait, wait);
	mutex_lock(&orders_lock);
	if (!list_empty(&pending))
		mask |= EPOLLIN | EPOLLRDNORM;
	mutex_unlock(&orders_lock);
	return mask | EPOLLOUT | EPOLLWRNORM;
}

static const struct file_operations dev_fops = {
	.owner = THIS_MODULE,
	.open = dev_open,
	.release = dev_release,
	.read = dev_read,
	.write = dev_write,
	.poll = dev_poll,
};

static struct miscdevice kvmnuma_dev = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = KVMNUMA_DEV_NAME,
	.fops = &dev_fops,
	.mode = 0600,
};

int kvmnuma_moves_init(void)
{
	return misc_register(&kvmnuma_dev);
}

/* The device is gone and no VM is registered: drop what is left. */
void kvmnuma_moves_exit(void)
{
	struct move_order *o, *tmp;

	misc_deregister(&kvmnuma_dev);
	list_splice_init(&in_flight, &pending);
	list_for_each_entry_safe(o, tmp, &pending, list)
		free_order(o);
}
