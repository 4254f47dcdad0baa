// SPDX-License-Identifier: GPL-2.0
/* /sys/kernel/kvmnuma_guest/: state and counters, one value per file. */
#include <linux/kobject.h>
#include <linux/sysfs.h>

#include "guest.h"

static struct kobject *guest_kobj;

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", kvmnuma_pending_state());
}

static ssize_t tracked_pfns_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", kvmnuma_tracked_pfns());
}

static ssize_t pending_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%lu\n", kvmnuma_pending_pages());
}

static ssize_t events_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%llu\n", kvmnuma_events());
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
GUEST_STAT_ATTR(flushes_threshold);
GUEST_STAT_ATTR(flushes_timer);
GUEST_STAT_ATTR(entries_flushed);
GUEST_STAT_ATTR(pages_flushed);
GUEST_STAT_ATTR(pages_not_free);
GUEST_STAT_ATTR(pages_untracked);
GUEST_STAT_ATTR(zone_lock_holds);
GUEST_STAT_ATTR(zone_lock_ns);
GUEST_STAT_ATTR(zone_lock_max_ns);
GUEST_STAT_ATTR(host_ok);
GUEST_STAT_ATTR(host_disabled);
GUEST_STAT_ATTR(host_errors);

static struct kobj_attribute state_attr = __ATTR_RO(state);
static struct kobj_attribute tracked_pfns_attr = __ATTR_RO(tracked_pfns);
static struct kobj_attribute pending_attr = __ATTR_RO(pending);
static struct kobj_attribute events_attr = __ATTR_RO(events);
static struct kobj_attribute event_ns_attr = __ATTR_RO(event_ns);

static struct attribute *guest_attrs[] = {
	&state_attr.attr,
	&tracked_pfns_attr.attr,
	&pending_attr.attr,
	&events_attr.attr,
	&event_ns_attr.attr,
	&flushes_attr.attr,
	&flushes_threshold_attr.attr,
	&flushes_timer_attr.attr,
	&entries_flushed_attr.attr,
	&pages_flushed_attr.attr,
	&pages_not_free_attr.attr,
	&pages_untracked_attr.attr,
	&zone_lock_holds_attr.attr,
	&zone_lock_ns_attr.attr,
	&zone_lock_max_ns_attr.attr,
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
