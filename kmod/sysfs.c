// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/kvmnuma/: the interface users and kvmnumactl script against.
 * Documentation/ABI/testing/sysfs-kernel-kvmnuma describes every file.
 * Parsing, printing and errno only: the rules are vm.c's.  The
 * carrefour/ group is in sysfs_carrefour.c.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/kvm_host.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include "../include/kvmnuma/hypercall_abi.h"
#include "firsttouch.h"
#include "kvm_tracepoints.h"
#include "kvmnuma.h"
#include "moves.h"
#include "placement.h"
#include "ram.h"
#include "sysfs.h"
#include "vm.h"

static struct kobject *kvmnuma_kobj;
static struct kobject *vms_kobj;

#define to_vm(k) kvmnuma_sysfs_vm(k)

/* How much of a refused value to quote in the log: one line, bounded. */
static int quoted_len(const char *buf, size_t count)
{
	const char *newline = memchr(buf, '\n', count);
	size_t len = newline ? newline - buf : count;

	return (int)min_t(size_t, len, 32);
}

/* --- per-VM files ----------------------------------------------------- */

static ssize_t pid_show(struct kobject *kobj, struct kobj_attribute *attr,
			char *buf)
{
	return sysfs_emit(buf, "%d\n", to_vm(kobj)->pid);
}

static ssize_t vcpus_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%d\n",
			  atomic_read(&to_vm(kobj)->kvm->online_vcpus));
}

static ssize_t memory_bytes_show(struct kobject *kobj,
				 struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", kvmnuma_ram_bytes(to_vm(kobj)->kvm));
}

static ssize_t policy_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  kvmnuma_policy_name(READ_ONCE(to_vm(kobj)->policy)));
}

static ssize_t policy_store(struct kobject *kobj, struct kobj_attribute *attr,
			    const char *buf, size_t count)
{
	struct kvmnuma_vm *vm = to_vm(kobj);
	int policy, ret;

	policy = kvmnuma_policy_parse(buf, count);
	if (policy < 0) {
		pr_info("VM %s: unknown policy '%.*s'\n", vm->id,
			quoted_len(buf, count), buf);
		return -EINVAL;
	}
	ret = kvmnuma_vm_set_policy(vm, policy);
	return ret ? ret : count;
}

static ssize_t nodes_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	nodemask_t nodes = kvmnuma_vm_nodes(to_vm(kobj));

	return sysfs_emit(buf, "%*pbl\n", nodemask_pr_args(&nodes));
}

static ssize_t nodes_store(struct kobject *kobj, struct kobj_attribute *attr,
			   const char *buf, size_t count)
{
	struct kvmnuma_vm *vm = to_vm(kobj);
	nodemask_t nodes;

	if (nodelist_parse(buf, nodes) || kvmnuma_vm_set_nodes(vm, &nodes)) {
		pr_info("VM %s: nodes '%.*s' refused: need a non-empty list of online nodes with memory\n",
			vm->id, quoted_len(buf, count), buf);
		return -EINVAL;
	}
	return count;
}

#define MEMSLOTS_TRUNCATED "truncated\n"

/*
 * "<first gfn> <pages> <QEMU address>" per guest RAM slot.  sysfs gives
 * one page: slots that do not fit are replaced by a last line
 * "truncated", never silently dropped (a line is at most 61 bytes, so
 * about 65 slots fit).
 */
static ssize_t memslots_show(struct kobject *kobj, struct kobj_attribute *attr,
			     char *buf)
{
	const int room = PAGE_SIZE - (int)strlen(MEMSLOTS_TRUNCATED);
	struct kvm *kvm = to_vm(kobj)->kvm;
	struct kvm_memory_slot *slot;
	int idx, bkt, len = 0;
	bool cut = false;

	/* Under kvm->srcu, no snapshot: a read allocates nothing. */
	idx = srcu_read_lock(&kvm->srcu);
	kvm_for_each_memslot(slot, bkt, kvm_memslots(kvm)) {
		char line[64];
		int n;

		if (!kvmnuma_ram_slot_is_ram(slot))
			continue;
		n = scnprintf(line, sizeof(line), "%llu %lu 0x%lx\n",
			      slot->base_gfn, slot->npages,
			      slot->userspace_addr);
		/* Keep room for the marker: a cut table says so. */
		if (len + n > room) {
			cut = true;
			break;
		}
		len += sysfs_emit_at(buf, len, "%s", line);
	}
	srcu_read_unlock(&kvm->srcu, idx);
	if (cut)
		len += sysfs_emit_at(buf, len, MEMSLOTS_TRUNCATED);
	return len;
}

static ssize_t first_touch_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return kvmnuma_ft_state(to_vm(kobj), buf, PAGE_SIZE);
}

static struct kobj_attribute pid_attr = __ATTR_RO(pid);
static struct kobj_attribute first_touch_attr = __ATTR_RO(first_touch);
static struct kobj_attribute vcpus_attr = __ATTR_RO(vcpus);
static struct kobj_attribute memory_bytes_attr = __ATTR_RO(memory_bytes);
static struct kobj_attribute policy_attr = __ATTR_RW(policy);
static struct kobj_attribute nodes_attr = __ATTR_RW(nodes);
/* Root only: QEMU's addresses of guest RAM would defeat its ASLR. */
static struct kobj_attribute memslots_attr = __ATTR(memslots, 0400,
						    memslots_show, NULL);

static struct attribute *vm_attrs[] = {
	&pid_attr.attr,
	&vcpus_attr.attr,
	&memory_bytes_attr.attr,
	&policy_attr.attr,
	&nodes_attr.attr,
	&memslots_attr.attr,
	&first_touch_attr.attr,
	NULL,
};

static const struct attribute_group vm_group = {
	.attrs = vm_attrs,
};

/*
 * stats/: one counter per file, so scripts need no parsing.  Root only:
 * the counters follow the guest's page allocations and accesses, which
 * another user must not watch.
 */
#define VM_STAT_ATTR(field)						\
static ssize_t field##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n",				\
			  atomic64_read(&to_vm(kobj)->stats.field));	\
}									\
static struct kobj_attribute field##_attr = __ATTR(field, 0400,	\
						   field##_show, NULL)

VM_STAT_ATTR(probes);
VM_STAT_ATTR(batches);
VM_STAT_ATTR(entries);
VM_STAT_ATTR(bad_batches);
VM_STAT_ATTR(disabled_batches);
VM_STAT_ATTR(pages_discarded);
VM_STAT_ATTR(discard_failures);
VM_STAT_ATTR(pages_not_discardable);
VM_STAT_ATTR(pages_dma_pinned);
VM_STAT_ATTR(flush_ns);
VM_STAT_ATTR(refaults);

/* One line per online host node: "<node> <re-faults>". */
static ssize_t refaults_per_node_show(struct kobject *kobj,
				      struct kobj_attribute *attr, char *buf)
{
	struct kvmnuma_vm *vm = to_vm(kobj);
	int node, len = 0;

	for_each_online_node(node)
		len += sysfs_emit_at(buf, len, "%d %lld\n", node,
				     atomic64_read(&vm->stats.refaults_node[node]));
	return len;
}

static struct kobj_attribute refaults_per_node_attr =
	__ATTR(refaults_per_node, 0400, refaults_per_node_show, NULL);

static struct attribute *vm_stats_attrs[] = {
	&probes_attr.attr,
	&batches_attr.attr,
	&entries_attr.attr,
	&bad_batches_attr.attr,
	&disabled_batches_attr.attr,
	&pages_discarded_attr.attr,
	&discard_failures_attr.attr,
	&pages_not_discardable_attr.attr,
	&pages_dma_pinned_attr.attr,
	&flush_ns_attr.attr,
	&refaults_attr.attr,
	&refaults_per_node_attr.attr,
	NULL,
};

static const struct attribute_group vm_stats_group = {
	.name = "stats",
	.attrs = vm_stats_attrs,
};

/* placement/: progress of round-4k / round-1g, see placement.c. */
static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	return sysfs_emit(buf, "%s\n", kvmnuma_placement_state_name(to_vm(kobj)));
}

static ssize_t granularity_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct kvmnuma_vm *vm = to_vm(kobj);
	unsigned int shift = READ_ONCE(vm->place.largest_page_shift);

	if (shift >= 30)
		return sysfs_emit(buf, "1g\n");
	if (kvmnuma_policy_mechanisms(READ_ONCE(vm->policy)) &
	    KVMNUMA_MECH_ROUND_1G)
		return sysfs_emit(buf, "1g-chunks\n");
	return sysfs_emit(buf, shift >= 21 ? "2m\n" : "4k\n");
}

/* Counters of one consistent snapshot of the tally (common/tally.h). */
#define PLACEMENT_ATTR(name, expr)					\
static ssize_t name##_show(struct kobject *kobj,			\
			   struct kobj_attribute *attr, char *buf)	\
{									\
	struct kvmnuma_tally t;						\
									\
	kvmnuma_placement_tally(to_vm(kobj), &t);			\
	return sysfs_emit(buf, "%llu\n", (unsigned long long)(expr));	\
}									\
static struct kobj_attribute name##_attr = __ATTR_RO(name)

PLACEMENT_ATTR(pages_total, t.total);
PLACEMENT_ATTR(pages_placed, t.placed);
PLACEMENT_ATTR(pages_misplaced, kvmnuma_tally_misplaced(&t));
PLACEMENT_ATTR(pages_unwalked, t.unwalked);
PLACEMENT_ATTR(pages_to_move, t.to_move);
PLACEMENT_ATTR(moves_pending, t.pending);
PLACEMENT_ATTR(pages_moved, t.moved);
PLACEMENT_ATTR(pages_move_failed, t.failed);
PLACEMENT_ATTR(pages_unplaceable, kvmnuma_tally_unplaceable(&t));

/* The reason most unplaceable pages have, or "none". */
static ssize_t unplaceable_reason_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	struct kvmnuma_tally t;
	int reason;

	kvmnuma_placement_tally(to_vm(kobj), &t);
	reason = kvmnuma_tally_main_reason(&t);
	return sysfs_emit(buf, "%s\n", reason < 0 ? "none" :
			  kvmnuma_unplaceable_reason_name(reason));
}

/* One line per reason: "<reason> <pages>". */
static ssize_t unplaceable_by_reason_show(struct kobject *kobj,
					  struct kobj_attribute *attr,
					  char *buf)
{
	struct kvmnuma_tally t;
	int r, len = 0;

	kvmnuma_placement_tally(to_vm(kobj), &t);
	for (r = 0; r < KVMNUMA_UNPLACEABLE_NR; r++)
		len += sysfs_emit_at(buf, len, "%s %llu\n",
				     kvmnuma_unplaceable_reason_name(r),
				     t.unplaceable_by[r]);
	return len;
}

/* "no", or why the running walk waits ("memory-pressure"). */
static ssize_t paused_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	return sysfs_emit(buf, "%s\n", kvmnuma_placement_paused_name(to_vm(kobj)));
}

/* Back-off steps (100 ms each) taken under memory pressure, all walks. */
static ssize_t pressure_waits_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  atomic64_read(&to_vm(kobj)->place.pressure_waits));
}

/* Times a walk stopped at the VM's orders cap (max_orders_per_vm). */
static ssize_t orders_pauses_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  atomic64_read(&to_vm(kobj)->place.orders_pauses));
}

/* The VM's move orders not answered yet (placement and Carrefour). */
static ssize_t orders_outstanding_show(struct kobject *kobj,
				       struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", atomic_read(&to_vm(kobj)->orders));
}

static struct kobj_attribute orders_pauses_attr = __ATTR_RO(orders_pauses);
static struct kobj_attribute orders_outstanding_attr =
	__ATTR_RO(orders_outstanding);
static struct kobj_attribute paused_attr = __ATTR_RO(paused);
static struct kobj_attribute pressure_waits_attr = __ATTR_RO(pressure_waits);
static struct kobj_attribute unplaceable_reason_attr =
	__ATTR_RO(unplaceable_reason);
static struct kobj_attribute unplaceable_by_reason_attr =
	__ATTR_RO(unplaceable_by_reason);
static struct kobj_attribute state_attr = __ATTR_RO(state);
static struct kobj_attribute granularity_attr = __ATTR_RO(granularity);

static struct attribute *vm_placement_attrs[] = {
	&state_attr.attr,
	&granularity_attr.attr,
	&pages_total_attr.attr,
	&pages_placed_attr.attr,
	&pages_misplaced_attr.attr,
	&pages_unwalked_attr.attr,
	&pages_to_move_attr.attr,
	&moves_pending_attr.attr,
	&pages_moved_attr.attr,
	&pages_move_failed_attr.attr,
	&pages_unplaceable_attr.attr,
	&unplaceable_reason_attr.attr,
	&unplaceable_by_reason_attr.attr,
	&paused_attr.attr,
	&pressure_waits_attr.attr,
	&orders_pauses_attr.attr,
	&orders_outstanding_attr.attr,
	NULL,
};

static const struct attribute_group vm_placement_group = {
	.name = "placement",
	.attrs = vm_placement_attrs,
};

static const struct attribute_group *vm_groups[] = {
	&vm_group,
	&vm_stats_group,
	&vm_placement_group,
	&kvmnuma_sysfs_carrefour_group,
	NULL,
};

static void vm_release(struct kobject *kobj)
{
	kvmnuma_vm_release(to_vm(kobj));
}

static const struct kobj_type vm_ktype = {
	.release = vm_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = vm_groups,
};

int kvmnuma_sysfs_add_vm(struct kvmnuma_vm *vm)
{
	return kobject_init_and_add(&vm->kobj, &vm_ktype, vms_kobj,
				    "%s", vm->id);
}

/* --- top-level files -------------------------------------------------- */

static ssize_t abi_version_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", KVMNUMA_ABI_VERSION);
}

/* The release (VERSION file, as MODULE_VERSION), for tools and bug reports. */
static ssize_t version_show(struct kobject *kobj, struct kobj_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%s\n", KVMNUMA_VERSION);
}

static ssize_t default_policy_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n",
			  kvmnuma_policy_name(kvmnuma_vm_default_policy()));
}

static ssize_t default_policy_store(struct kobject *kobj,
				    struct kobj_attribute *attr,
				    const char *buf, size_t count)
{
	int policy = kvmnuma_policy_parse(buf, count);
	int ret;

	if (policy < 0) {
		pr_info("default_policy: unknown policy '%.*s'\n",
			quoted_len(buf, count), buf);
		return -EINVAL;
	}
	ret = kvmnuma_vm_set_default_policy(policy);
	return ret ? ret : count;
}

static ssize_t daemon_connected_show(struct kobject *kobj,
				     struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%d\n", kvmnuma_moves_daemon_connected());
}

static ssize_t tdp_fault_hook_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%s\n", kvmnuma_kvm_tracepoints_tdp_state());
}

static struct kobj_attribute abi_version_attr = __ATTR_RO(abi_version);
static struct kobj_attribute version_attr = __ATTR_RO(version);
static struct kobj_attribute tdp_fault_hook_attr = __ATTR_RO(tdp_fault_hook);
static struct kobj_attribute daemon_connected_attr = __ATTR_RO(daemon_connected);
static struct kobj_attribute default_policy_attr = __ATTR_RW(default_policy);

static struct attribute *top_attrs[] = {
	&abi_version_attr.attr,
	&version_attr.attr,
	&daemon_connected_attr.attr,
	&default_policy_attr.attr,
	&tdp_fault_hook_attr.attr,
	NULL,
};

static const struct attribute_group top_group = {
	.attrs = top_attrs,
};

int kvmnuma_sysfs_init(void)
{
	int ret;

	kvmnuma_kobj = kobject_create_and_add("kvmnuma", kernel_kobj);
	if (!kvmnuma_kobj)
		return -ENOMEM;
	ret = sysfs_create_group(kvmnuma_kobj, &top_group);
	if (ret)
		goto err_put;
	vms_kobj = kobject_create_and_add("vms", kvmnuma_kobj);
	if (!vms_kobj) {
		ret = -ENOMEM;
		goto err_group;
	}
	return 0;

err_group:
	sysfs_remove_group(kvmnuma_kobj, &top_group);
err_put:
	kobject_put(kvmnuma_kobj);
	return ret;
}

void kvmnuma_sysfs_exit(void)
{
	kobject_put(vms_kobj);
	sysfs_remove_group(kvmnuma_kobj, &top_group);
	kobject_put(kvmnuma_kobj);
}
