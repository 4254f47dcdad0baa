// SPDX-License-Identifier: GPL-2.0
/* /sys/kernel/kvmnuma/vms/<id>/carrefour/: sampling and Carrefour state. */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "carrefour.h"
#include "kvmnuma.h"
#include "sysfs.h"
#include "vm.h"

#define to_vm(k) kvmnuma_sysfs_vm(k)
#define CF_NODES KVMNUMA_CARREFOUR_NODES

static ssize_t sampler_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  kvmnuma_carrefour_sampler_name(to_vm(kobj)));
}

static ssize_t sampling_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	return sysfs_emit(buf, "%d\n", READ_ONCE(to_vm(kobj)->cf_sampling));
}

static ssize_t sampling_store(struct kobject *kobj, struct kobj_attribute *attr,
			      const char *buf, size_t count)
{
	bool on;
	int ret;

	if (kstrtobool(buf, &on))
		return -EINVAL;
	ret = kvmnuma_vm_set_sampling(to_vm(kobj), on);
	return ret ? ret : count;
}

/* "<accessing node> <home node> <samples>" for every non-zero cell. */
static ssize_t access_matrix_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	struct kvmnuma_carrefour_status *st;
	int from, to, len = 0;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	if (!kvmnuma_carrefour_status(to_vm(kobj), st))
		for (from = 0; from < CF_NODES; from++)
			for (to = 0; to < CF_NODES; to++)
				if (st->matrix[from][to])
					len += sysfs_emit_at(buf, len, "%d %d %llu\n",
							     from, to,
							     st->matrix[from][to]);
	kfree(st);
	return len;
}

/* Writing anything empties the matrix (start of a measurement). */
static ssize_t access_matrix_store(struct kobject *kobj,
				   struct kobj_attribute *attr,
				   const char *buf, size_t count)
{
	kvmnuma_carrefour_clear_matrix(to_vm(kobj));
	return count;
}

/* Totals, then the last decision round, one "name value" per line. */
static ssize_t status_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct kvmnuma_carrefour_status *st;
	const struct kvmnuma_cf_stats *l;
	int len = 0;

	st = kmalloc(sizeof(*st), GFP_KERNEL);
	if (!st)
		return -ENOMEM;
	l = &st->last;
	if (!kvmnuma_carrefour_status(to_vm(kobj), st))
		len = sysfs_emit(buf,
				 "deciding %d\nsamples %llu\nsamples_lost %llu\nsamples_dropped %llu\n"
				 "samples_unknown_home %llu\norders_migrate %llu\n"
				 "orders_interleave %llu\nmoves_ok %llu\nmoves_failed %llu\n"
				 "round %llu\nround_samples %llu\nround_hot_pages %u\n"
				 "round_gate %d\nround_lar_pct %u\nround_imbalance_pct %u\n"
				 "round_migrate %u\nround_interleave %u\n"
				 "moves_no_room %llu\nsampler_pressure_skips %llu\n"
				 "rounds_skipped_orders %llu\nmoves_capped %llu\n"
				 "sampler_placement_skips %llu\n",
				 st->deciding, st->samples, st->samples_lost,
				 st->samples_dropped, st->samples_unknown_home,
				 st->orders_migrate, st->orders_interleave,
				 st->moves_ok, st->moves_failed, l->round,
				 l->samples, l->hot_pages, l->gate, l->lar_pct,
				 l->imbalance_pct, l->nr_migrate,
				 l->nr_interleave, st->moves_no_room,
				 st->sampler_pressure_skips,
				 st->rounds_skipped_orders, st->moves_capped,
				 st->arms_skipped_placement);
	kfree(st);
	return len;
}

static struct kobj_attribute sampler_attr = __ATTR_RO(sampler);
static struct kobj_attribute sampling_attr = __ATTR_RW(sampling);
/* Root only: which node touches which memory is the guest's behaviour. */
static struct kobj_attribute access_matrix_attr =
	__ATTR(access_matrix, 0600, access_matrix_show, access_matrix_store);
static struct kobj_attribute status_attr = __ATTR(status, 0400, status_show,
						  NULL);

static struct attribute *cf_attrs[] = {
	&sampler_attr.attr,
	&sampling_attr.attr,
	&access_matrix_attr.attr,
	&status_attr.attr,
	NULL,
};

const struct attribute_group kvmnuma_sysfs_carrefour_group = {
	.name = "carrefour",
	.attrs = cf_attrs,
};
