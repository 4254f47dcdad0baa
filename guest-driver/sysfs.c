// SPDX-License-Identifier: GPL-2.0
/* /sys/kernel/kvmnuma_guest/: state and counters, one value per file. */
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "guest.h"

static struct kobject *guest_kobj;

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", kvmnuma_queues_state());
}

static ssize_t nr_queues_show(struct kobject *kobj,
			      struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", kvmnuma_nr_queues());
}

static ssize_t events_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%llu\n", kvmnuma_events_queued());
}

static ssize_t event_ns_show(struct kobject *kobj,
			     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", kvmnuma_event_ns());
}

#define GUEST_STAT_ATTR(field)						\
static ssize_t field##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n",				\
			  atomic64_read(&kvmnuma_guest_stats.field));	\
}									\
static struct kobj_attribute field##_attr = __ATTR_RO(field)

GUEST_STAT_ATTR(flushes);
GUEST_STAT_ATTR(flushes_full);
GUEST_STAT_ATTR(flushes_timer);
GUEST_STAT_ATTR(entries_flushed);
GUEST_STAT_ATTR(entries_skipped);
GUEST_STAT_ATTR(host_ok);
GUEST_STAT_ATTR(host_disabled);
GUEST_STAT_ATTR(host_errors);

static struct kobj_attribute state_attr = __ATTR_RO(state);
static struct kobj_attribute nr_queues_attr = __ATTR_RO(nr_queues);
static struct kobj_attribute events_attr = __ATTR_RO(events);
static struct kobj_attribute event_ns_attr = __ATTR_RO(event_ns);

static struct attribute *guest_attrs[] = {
	&state_attr.attr,
	&nr_queues_attr.attr,
	&events_attr.attr,
	&event_ns_attr.attr,
	&flushes_attr.attr,
	&flushes_full_attr.attr,
	&flushes_timer_attr.attr,
	&entries_flushed_attr.attr,
	&entries_skipped_attr.attr,
	&host_ok_attr.attr,
	&host_disabled_attr.attr,
	&host_errors_attr.attr,
	NULL,
};

static const struct attribute_group guest_group = {
	.attrs = guest_attrs,
};

int kvmnuma_guest_sysfs_init(void)
{
	int ret;

	guest_kobj = kobject_create_and_add("kvmnuma_guest", kernel_kobj);
	if (!guest_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(guest_kobj, &guest_group);
	if (ret)
		kobject_put(guest_kobj);
	return ret;
}

void kvmnuma_guest_sysfs_exit(void)
{
	sysfs_remove_group(guest_kobj, &guest_group);
	kobject_put(guest_kobj);
}
