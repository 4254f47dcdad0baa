// SPDX-License-Identifier: GPL-2.0
/*
 * Hooking KVM's tracepoints.
 *
 * kvm.ko exports kvm_page_fault but not kvm_hypercall; both are reachable
 * through the module's tracepoint table, which the tracepoint module
 * notifier hands us (immediately for modules already loaded).  kvmnuma
 * links against kvm.ko, so kvm.ko is loaded before us and cannot go away
 * while we are loaded.
 *
 * Probe prototypes are not type-checked against TP_PROTO: they must match
 * arch/x86/kvm/trace.h exactly.
 *
 * kvm_hypercall goes to hypercall.c.  kvm_page_fault is handed, for a VM
 * kvmnuma knows, to the mechanisms that watch TDP faults: first-touch
 * (re-faults of discarded pages) and Carrefour (its sampler).
 */
#define pr_fmt(fmt) "kvmnuma: " fmt

#include <linux/kvm_host.h>
#include <linux/module.h>
#include <linux/rcupdate.h>
#include <linux/string.h>
#include <linux/tracepoint.h>

#include "carrefour.h"
#include "firsttouch.h"
#include "hypercall.h"
#include "kvm_tracepoints.h"
#include "kvmnuma.h"
#include "registry.h"

/* kvm_page_fault probe (atomic): a TDP fault of guest frame fault_address. */
static void tdp_fault_probe(void *data, struct kvm_vcpu *vcpu,
			    u64 fault_address, u64 error_code)
{
	u64 gfn = fault_address >> PAGE_SHIFT;
	struct kvmnuma_vm *vm;

	rcu_read_lock();
	vm = kvmnuma_registry_lookup_rcu(vcpu->kvm);
	if (vm) {
		kvmnuma_carrefour_tdp_fault(vm, vcpu, gfn, error_code);
		kvmnuma_ft_tdp_fault(vm, gfn);
	}
	rcu_read_unlock();
}

struct kvm_tracepoint_hook {
	const char *name;
	void *probe;
	bool required;
	struct tracepoint *tp;		/* set while the probe is registered */
};

static struct kvm_tracepoint_hook hooks[] = {
	{ "kvm_hypercall", kvmnuma_hypercall_probe, true },
	/* Only statistics depend on it. */
	{ "kvm_page_fault", tdp_fault_probe, false },
};

static void hook_module(struct module *mod)
{
	unsigned int i, h;

	for (i = 0; i < mod->num_tracepoints; i++) {
		struct tracepoint *tp =
			tracepoint_ptr_deref(&mod->tracepoints_ptrs[i]);

		for (h = 0; h < ARRAY_SIZE(hooks); h++) {
			int ret;

			if (hooks[h].tp || strcmp(tp->name, hooks[h].name))
				continue;
			ret = tracepoint_probe_register(tp, hooks[h].probe,
							NULL);
			if (ret) {
				pr_err("cannot hook tracepoint %s: %d\n",
				       tp->name, ret);
				continue;
			}
			hooks[h].tp = tp;
		}
	}
}

static int tracepoint_module_event(struct notifier_block *nb,
				   unsigned long state, void *data)
{
	struct tp_module *tp_mod = data;

	if (strcmp(tp_mod->mod->name, "kvm"))
		return NOTIFY_OK;
	/*
	 * GOING is not handled: kvm.ko cannot unload while we are loaded,
	 * and unregistering this notifier sends GOING for every module.
	 */
	if (state == MODULE_STATE_COMING)
		hook_module(tp_mod->mod);
	return NOTIFY_OK;
}

static struct notifier_block tracepoint_module_nb = {
	.notifier_call = tracepoint_module_event,
};

int kvmnuma_kvm_tracepoints_init(void)
{
	unsigned int h;
	int ret;

	ret = register_tracepoint_module_notifier(&tracepoint_module_nb);
	if (ret)
		return ret;

	for (h = 0; h < ARRAY_SIZE(hooks); h++) {
		if (hooks[h].tp || !hooks[h].required)
			continue;
		pr_err("tracepoint %s not found in module kvm\n",
		       hooks[h].name);
		kvmnuma_kvm_tracepoints_exit();
		return -ENOENT;
	}
	return 0;
}

void kvmnuma_kvm_tracepoints_exit(void)
{
	unsigned int h;

	for (h = 0; h < ARRAY_SIZE(hooks); h++) {
		if (!hooks[h].tp)
			continue;
		tracepoint_probe_unregister(hooks[h].tp, hooks[h].probe, NULL);
		hooks[h].tp = NULL;
	}
	unregister_tracepoint_module_notifier(&tracepoint_module_nb);
	/* No probe runs past this point. */
	tracepoint_synchronize_unregister();
}
