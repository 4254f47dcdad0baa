// SPDX-License-Identifier: GPL-2.0
/*
 * Move orders for kvmnumad.
 *
 * Modules cannot migrate pages (migrate_pages() and the internals of
 * move_pages(2) are not exported), so the module decides and kvmnumad
 * moves, with move_pages(2) on the QEMU process.  The protocol is in
 * include/kvmnuma/user_abi.h; dev.c is the device.  Each order carries
 * its requester's completion callback, which accounts the result where
 * the requester keeps its counters.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/atomic.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/wait.h>

#include "moves.h"

static LIST_HEAD(pending);		/* not yet read by kvmnumad */
static LIST_HEAD(in_flight);		/* read, no result yet */
static DEFINE_MUTEX(orders_lock);
static DECLARE_WAIT_QUEUE_HEAD(orders_wait);
static u64 next_id = 1;
static atomic_t opened = ATOMIC_INIT(0);
static atomic64_t last_owner = ATOMIC64_INIT(0);

bool kvmnuma_moves_daemon_connected(void)
{
	return atomic_read(&opened);
}

void kvmnuma_moves_queue(struct kvmnuma_move *m)
{
	mutex_lock(&orders_lock);
	m->rec.id = next_id++;
	list_add_tail(&m->list, &pending);
	mutex_unlock(&orders_lock);
	wake_up_interruptible(&orders_wait);
}

/* Outside orders_lock: a callback may drop the last reference of a VM. */
static void cancel_list(struct list_head *dropped)
{
	struct kvmnuma_move *m, *tmp;

	list_for_each_entry_safe(m, tmp, dropped, list) {
		list_del(&m->list);
		m->done(m, 0, true);
	}
}

u64 kvmnuma_moves_new_owner(void)
{
	return atomic64_inc_return(&last_owner);
}

void kvmnuma_moves_cancel(u64 owner)
{
	struct kvmnuma_move *m, *tmp;
	LIST_HEAD(dropped);

	if (!owner)
		return;
	mutex_lock(&orders_lock);
	list_for_each_entry_safe(m, tmp, &pending, list)
		if (m->owner == owner)
			list_move(&m->list, &dropped);
	mutex_unlock(&orders_lock);
	cancel_list(&dropped);
}

int kvmnuma_moves_attach(void)
{
	/* One daemon at a time: results are matched to what it read. */
	return atomic_cmpxchg(&opened, 0, 1) ? -EBUSY : 0;
}

void kvmnuma_moves_detach(void)
{
	mutex_lock(&orders_lock);
	list_splice_init(&in_flight, &pending);	/* hand them out again */
	mutex_unlock(&orders_lock);
	atomic_set(&opened, 0);
}

ssize_t kvmnuma_moves_hand_out(size_t max, bool nonblock,
			       int (*copy)(void *ctx, size_t i,
					   const struct kvmnuma_move_order *rec),
			       void *ctx)
{
	struct kvmnuma_move *m, *tmp;
	size_t n = 0;
	int ret;

	for (;;) {
		mutex_lock(&orders_lock);
		if (!list_empty(&pending))
			break;
		mutex_unlock(&orders_lock);
		if (nonblock)
			return -EAGAIN;
		ret = wait_event_interruptible(orders_wait, !list_empty(&pending));
		if (ret)
			return ret;
	}
	list_for_each_entry_safe(m, tmp, &pending, list) {
		if (n == max || copy(ctx, n, &m->rec))
			break;
		list_move_tail(&m->list, &in_flight);
		n++;
	}
	mutex_unlock(&orders_lock);
	return n ? n : -EFAULT;
}

int kvmnuma_moves_confirm(u64 id)
{
	struct task_struct *task;
	struct kvmnuma_move *m;
	int ret = -EINVAL;

	mutex_lock(&orders_lock);
	list_for_each_entry(m, &in_flight, list) {
		if (m->rec.id != id)
			continue;
		ret = -ESRCH;
		rcu_read_lock();
		task = pid_task(find_vpid(m->rec.pid), PIDTYPE_PID);
		if (task) {
			/* task->mm changes only under task_lock (exec, exit). */
			task_lock(task);
			if (m->mm && task->mm == m->mm)
				ret = 0;
			task_unlock(task);
		}
		rcu_read_unlock();
		break;
	}
	mutex_unlock(&orders_lock);
	return ret;
}

int kvmnuma_moves_complete(const struct kvmnuma_move_result *res)
{
	struct kvmnuma_move *m;
	bool found = false;
	u64 moved;

	mutex_lock(&orders_lock);
	list_for_each_entry(m, &in_flight, list) {
		if (m->rec.id == res->id) {
			list_del(&m->list);
			found = true;
			break;
		}
	}
	mutex_unlock(&orders_lock);
	if (!found)
		return -EINVAL;
	moved = min(res->moved, m->rec.npages);
	if (res->error && res->error != -ESRCH)
		pr_info_ratelimited("%s: kvmnumad could not move pages: %d\n",
				    m->who, res->error);
	m->done(m, moved, false);
	return 0;
}

bool kvmnuma_moves_any_pending(void)
{
	bool any;

	mutex_lock(&orders_lock);
	any = !list_empty(&pending);
	mutex_unlock(&orders_lock);
	return any;
}

wait_queue_head_t *kvmnuma_moves_waitq(void)
{
	return &orders_wait;
}

void kvmnuma_moves_exit(void)
{
	LIST_HEAD(dropped);

	mutex_lock(&orders_lock);
	list_splice_init(&in_flight, &dropped);
	list_splice_init(&pending, &dropped);
	mutex_unlock(&orders_lock);
	cancel_list(&dropped);
}
