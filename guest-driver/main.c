// SPDX-License-Identifier: GPL-2.0
/*
 * kvmnuma_guest: module entry.  Loads everywhere; does something only on
 * KVM with the kvmnuma host module present, and says once why not.
 */
#define pr_fmt(fmt) "kvmnuma_guest: " fmt

#include <linux/kvm_para.h>
#include <linux/mm.h>
#include <linux/module.h>

#include "../include/kvmnuma/hypercall_abi.h"
#include "guest.h"

struct kvmnuma_guest_stats kvmnuma_guest_stats;

static bool hooked;

static int __init kvmnuma_guest_init(void)
{
	long host_abi;
	int ret;

	/* A discarded page reads as zeros, not as the poison pattern. */
	if (page_poisoning_enabled_static()) {
		pr_err("page poisoning is on: first-touch would corrupt it; not loading\n");
		return -EINVAL;
	}
	ret = kvmnuma_guest_sysfs_init();
	if (ret)
		return ret;

	if (!kvm_para_available()) {
		pr_info("not running on KVM: staying disabled\n");
		return 0;
	}
	host_abi = kvmnuma_host_probe();
	if (host_abi == KVMNUMA_RES_ENOSYS) {
		pr_info("kvmnuma host module absent: staying disabled\n");
		return 0;
	}
	if (host_abi < 0) {
		pr_info("host answered probe with %ld: staying disabled\n",
			host_abi);
		return 0;
	}
	if (host_abi != KVMNUMA_ABI_VERSION) {
		pr_info("host speaks ABI %ld, we speak %d: staying disabled\n",
			host_abi, KVMNUMA_ABI_VERSION);
		return 0;
	}

	ret = kvmnuma_pending_init();
	if (ret)
		goto err_sysfs;
	ret = kvmnuma_page_events_init();
	if (ret)
		goto err_pending;
	hooked = true;
	kvmnuma_report_free_memory();
	pr_info("kvmnuma host found (ABI %ld): reporting freed pages (%lu frames tracked)\n",
		host_abi, kvmnuma_tracked_pfns());
	return 0;

err_pending:
	/* sysfs first: its "pending" file reads the bitmap. */
	kvmnuma_guest_sysfs_exit();
	kvmnuma_pending_exit();
	return ret;
err_sysfs:
	kvmnuma_guest_sysfs_exit();
	return ret;
}

static void __exit kvmnuma_guest_exit(void)
{
	/* sysfs first: its "pending" file reads the bitmap. */
	kvmnuma_guest_sysfs_exit();
	if (hooked) {
		kvmnuma_page_events_exit();
		kvmnuma_pending_exit();
	}
}

module_init(kvmnuma_guest_init);
module_exit(kvmnuma_guest_exit);

MODULE_DESCRIPTION("kvmnuma guest driver: freed pages for first-touch placement");
MODULE_LICENSE("GPL");
MODULE_VERSION(KVMNUMA_VERSION);
