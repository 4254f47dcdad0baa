// SPDX-License-Identifier: GPL-2.0
/*
 * kvmnuma: NUMA placement policies for KVM virtual machines.
 *
 * Module entry and exit, and the wiring between layers (the registry
 * publishes VMs through sysfs).  Exit order matters: first stop new
 * hypercall work (unhook tracepoints), then let queued work finish, then
 * drop the VMs, then sysfs.  VMs keep running throughout; they only lose
 * kvmnuma.
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/module.h>

#include "../common/policy.h"
#include "../include/kvmnuma/hypercall_abi.h"
#include "debugfs.h"
#include "dev.h"
#include "hypercall.h"
#include "kvm_tracepoints.h"
#include "moves.h"
#include "placement.h"
#include "registry.h"
#include "sampler.h"
#include "sysfs.h"
#include "vm.h"

static char *default_policy = "none";
module_param(default_policy, charp, 0444);
MODULE_PARM_DESC(default_policy,
		 "Policy of newly found VMs (default \"none\": leave placement to Linux)");

static int __init kvmnuma_init(void)
{
	int ret;

	ret = kvmnuma_policy_parse(default_policy, strlen(default_policy));
	if (ret < 0 || !kvmnuma_vm_policy_implemented(ret)) {
		pr_err("default_policy=%s: unknown or not implemented\n",
		       default_policy);
		return -EINVAL;
	}
	kvmnuma_vm_set_default_policy(ret);

	ret = kvmnuma_sampler_init();
	if (ret)
		return ret;
	ret = kvmnuma_placement_init();
	if (ret)
		return ret;
	ret = kvmnuma_dev_init();
	if (ret)
		goto err_placement;
	ret = kvmnuma_sysfs_init();
	if (ret)
		goto err_dev;
	ret = kvmnuma_registry_init(kvmnuma_sysfs_add_vm);
	if (ret)
		goto err_sysfs;
	ret = kvmnuma_kvm_tracepoints_init();
	if (ret)
		goto err_registry;
	kvmnuma_debugfs_init();

	pr_info("loaded (ABI %d, default policy %s)\n", KVMNUMA_ABI_VERSION,
		kvmnuma_policy_name(kvmnuma_vm_default_policy()));
	return 0;

err_registry:
	kvmnuma_registry_exit();
err_sysfs:
	kvmnuma_sysfs_exit();
err_dev:
	kvmnuma_dev_exit();
	kvmnuma_moves_exit();
err_placement:
	kvmnuma_placement_exit();
	return ret;
}

static void __exit kvmnuma_exit(void)
{
	kvmnuma_debugfs_exit();
	kvmnuma_kvm_tracepoints_exit();
	kvmnuma_hypercall_drain();
	kvmnuma_registry_exit();
	kvmnuma_sampler_exit();
	kvmnuma_sysfs_exit();
	kvmnuma_dev_exit();
	kvmnuma_moves_exit();
	kvmnuma_placement_exit();
	pr_info("unloaded\n");
}

module_init(kvmnuma_init);
module_exit(kvmnuma_exit);

MODULE_DESCRIPTION("NUMA placement policies for KVM virtual machines");
MODULE_LICENSE("GPL");
MODULE_VERSION(KVMNUMA_VERSION);
