// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/kvmnuma/: test interfaces, not an ABI.
 *
 * inject (write-only, root): one sample per line,
 *	"<vm id> <gfn> <accessing node> <r|w>"
 * (vm id as in /sys/kernel/kvmnuma/vms/, gfn and node in decimal), fed to
 * kvmnuma_carrefour_add_sample() as if a sampler had seen that access: it
 * lands in the same ring as IBS samples, usable where no IBS exists (the
 * lab).  Lines are
 * applied in order; the first bad one fails the write() and the lines
 * before it stay applied.  Errors: EINVAL (syntax, node not online, gfn
 * beyond the VM's RAM), ENOENT (no such VM), ENODEV (the VM does not
 * sample).  A line may span several write() calls of one open file; an
 * unterminated last line is applied at close (its error is then lost).
 *
 * ibs (read-only): counters of the IBS sampler, "name value" per line.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/mutex.h>
#include <linux/nodemask.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "../common/carrefour.h"
#include "carrefour.h"
#include "debugfs.h"
#include "kvmnuma.h"
#include "registry.h"
#include "sampler.h"

#define INJECT_LINE_MAX 128
#define INJECT_CHUNK 4096

static struct dentry *kvmnuma_debugfs_dir;

struct inject_buf {
	struct mutex lock;
	size_t len;
	char line[INJECT_LINE_MAX];
};

static int inject_line(char *line)
{
	unsigned long long gfn;
	struct kvmnuma_vm *vm;
	char id[32], rw, extra;
	unsigned int node;
	int n, ret;

	line = strim(line);
	if (!*line)
		return 0;
	n = sscanf(line, "%31s %llu %u %c %c", id, &gfn, &node, &rw, &extra);
	if (n != 4 || (rw != 'r' && rw != 'w') || node >= MAX_NUMNODES ||
	    !node_online(node))
		return -EINVAL;
	vm = kvmnuma_registry_get_by_id(id);
	if (!vm)
		return -ENOENT;
	ret = kvmnuma_carrefour_add_sample(vm, gfn, 0, node,
					   rw == 'w' ? KVMNUMA_CF_WRITE : 0);
	kvmnuma_vm_put(vm);
	return ret;
}

static int inject_open(struct inode *inode, struct file *file)
{
	struct inject_buf *b = kzalloc(sizeof(*b), GFP_KERNEL);

	if (!b)
		return -ENOMEM;
	mutex_init(&b->lock);
	file->private_data = b;
	return nonseekable_open(inode, file);
}

static ssize_t inject_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct inject_buf *b = file->private_data;
	size_t n = min_t(size_t, count, INJECT_CHUNK), i;
	ssize_t ret = n;
	char *kbuf;
	int err;

	kbuf = memdup_user(ubuf, n);
	if (IS_ERR(kbuf))
		return PTR_ERR(kbuf);
	mutex_lock(&b->lock);
	for (i = 0; i < n; i++) {
		if (kbuf[i] != '\n') {
			if (b->len == INJECT_LINE_MAX - 1) {
				ret = -EINVAL;	/* line too long */
				break;
			}
			b->line[b->len++] = kbuf[i];
			continue;
		}
		b->line[b->len] = '\0';
		b->len = 0;
		err = inject_line(b->line);
		if (err) {
			ret = err;
			break;
		}
	}
	if (ret < 0)
		b->len = 0;
	mutex_unlock(&b->lock);
	kfree(kbuf);
	return ret;
}

static int inject_release(struct inode *inode, struct file *file)
{
	struct inject_buf *b = file->private_data;

	if (b->len) {
		b->line[b->len] = '\0';
		inject_line(b->line);
	}
	kfree(b);
	return 0;
}

static const struct file_operations inject_fops = {
	.owner = THIS_MODULE,
	.open = inject_open,
	.write = inject_write,
	.release = inject_release,
};

static int ibs_show(struct seq_file *m, void *v)
{
	struct kvmnuma_ibs_counters c;

	kvmnuma_ibs_counters(&c);
	seq_printf(m, "sampler %s\nibs_op_type %d\nperiod %u\nusers %u\nevents %d\n",
		   kvmnuma_sampler_selected()->name, c.ibs_op_type, c.period,
		   c.users, c.events);
	/* Per-CPU counts restart with every start; the others do not. */
	seq_printf(m, "samples %llu\ndropped %llu\nnot_guest %llu\nnot_mem %llu\n",
		   c.samples, c.dropped, c.not_guest, c.not_mem);
	seq_printf(m, "resolved_phys %lld\nresolved_walk %lld\nwalk_failures %lld\n"
		   "unresolved %lld\nunknown_vm %lld\nrejected %lld\nevent_failures %lld\n",
		   c.resolved_phys, c.resolved_walk, c.walk_failures,
		   c.unresolved, c.unknown_vm, c.rejected, c.event_failures);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ibs);

void kvmnuma_debugfs_init(void)
{
	kvmnuma_debugfs_dir = debugfs_create_dir("kvmnuma", NULL);
	debugfs_create_file("inject", 0200, kvmnuma_debugfs_dir, NULL,
			    &inject_fops);
	debugfs_create_file("ibs", 0444, kvmnuma_debugfs_dir, NULL, &ibs_fops);
}

void kvmnuma_debugfs_exit(void)
{
	debugfs_remove_recursive(kvmnuma_debugfs_dir);
}
