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
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/wait.h>

#include "../common/tally.h"
#include "moves.h"

static unsigned int max_orders_per_vm = 1024;
module_param(max_orders_per_vm, uint, 0644);
MODULE_PARM_DESC(max_orders_per_vm,
		 "Move orders a VM may have queued or in flight for kvmnumad (default 1024, min 1)");

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

/*
 * Sums the free pages and the low and high watermarks of @nid's zones
 * that can hold guest pages.  False if @nid has no memory.
 */
static bool node_free_wmarks(int nid, u64 *free, u64 *low, u64 *high)
{
	pg_data_t *pgdat;
	int z;

	*free = *low = *high = 0;
	if (nid < 0 || nid >= MAX_NUMNODES || !node_state(nid, N_MEMORY))
		return false;
	pgdat = NODE_DATA(nid);
	for (z = 0; z < MAX_NR_ZONES; z++) {
		struct zone *zone = &pgdat->node_zones[z];

#ifdef CONFIG_ZONE_DMA
		/* Kept for ISA DMA (lowmem_reserve): not for guest pages. */
		if (z == ZONE_DMA)
			continue;
#endif
		if (!managed_zone(zone))
			continue;
		*free += zone_page_state(zone, NR_FREE_PAGES);
		*low += low_wmark_pages(zone);
		*high += high_wmark_pages(zone);
	}
	return true;
}

unsigned int kvmnuma_moves_cap(void)
{
	return max(READ_ONCE(max_orders_per_vm), 1U);
}

u64 kvmnuma_moves_node_room(int nid, u64 committed)
{
	u64 free, low, high;

	if (!node_free_wmarks(nid, &free, &low, &high))
		return 0;
	return kvmnuma_room_pages(free, high, committed);
}

bool kvmnuma_moves_node_pressure(int nid)
{
	u64 free, low, high;

	if (!node_free_wmarks(nid, &free, &low, &high))
		return false;
	return kvmnuma_node_pressure(free, low);
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
		m->error = 0;
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

/*
 * Orders record the VM's pid as kvmnuma saw it, in the initial pid
 * namespace; kvmnumad may run in a container's pid namespace (with the
 * QEMUs it serves), where the same process has another number, or none.
 * Returns the number of the process whose init-namespace pid is @nr as the
 * caller's pid namespace names it; 0 if there is no such process or the
 * caller cannot see it.
 */
static pid_t pid_in_caller_ns(pid_t nr)
{
	struct pid *pid;
	pid_t vnr;

	rcu_read_lock();
	pid = find_pid_ns(nr, &init_pid_ns);
	vnr = pid ? pid_nr_ns(pid, task_active_pid_ns(current)) : 0;
	rcu_read_unlock();
	return vnr;
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
		struct kvmnuma_move_order rec = m->rec;

		/* In the reader's pid namespace: the pid it passes to move_pages(2). */
		rec.pid = pid_in_caller_ns(m->rec.pid);
		if (n == max || copy(ctx, n, &rec))
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
		/*
		 * rec.pid is an init-namespace number; the task must also be
		 * visible from the caller's namespace, where hand-out gave
		 * kvmnumad its (constant while it lives) number.
		 */
		task = pid_task(find_pid_ns(m->rec.pid, &init_pid_ns), PIDTYPE_PID);
		if (task && !task_tgid_nr_ns(task, task_active_pid_ns(current)))
			task = NULL;
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
	/* -ENOMEM: no room on the node, accounted by the requester. */
	if (res->error && res->error != -ESRCH && res->error != -ENOMEM)
		pr_info_ratelimited("%s: kvmnumad could not move pages: %d\n",
				    m->who, res->error);
	m->error = res->error;
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
