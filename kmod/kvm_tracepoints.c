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
 * Probe prototypes are not type-checked by tracepoint_probe_register(),
 * and arch/x86/kvm/trace.h (the TP_PROTO) is not in the headers package.
 * Before registering a probe we compare the event's record layout, read
 * from kvm.ko's struct trace_event_call, with the one the probe was written
 * for (common/tp_fields.c): a TP_PROTO change upstream changes what the
 * event records.  A probe whose event differs is not registered: the
 * module refuses to load for kvm_hypercall, and runs without TDP-fault
 * accounting for kvm_page_fault (tdp_fault_hook in sysfs says why).
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
#include <linux/trace_events.h>
#include <linux/tracepoint.h>

#include "../common/tp_fields.h"

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

#ifndef CONFIG_EVENT_TRACING
#error "kvmnuma checks its probes against kvm.ko's trace event records: needs CONFIG_EVENT_TRACING"
#endif

enum hook_state {
	HOOK_ABSENT,		/* no such tracepoint in kvm.ko (yet) */
	HOOK_REFUSED,		/* the event's record differs from the probe's */
	HOOK_FAILED,		/* tracepoint_probe_register() failed */
	HOOK_ON,
};

struct kvm_tracepoint_hook {
	const struct kvmnuma_tp_layout *layout;	/* names the tracepoint */
	void *probe;
	bool required;
	enum hook_state state;
	struct tracepoint *tp;		/* set while the probe is registered */
};

enum { HOOK_HYPERCALL, HOOK_TDP_FAULT };

static struct kvm_tracepoint_hook hooks[] = {
	[HOOK_HYPERCALL] = { &kvmnuma_tp_kvm_hypercall,
			     kvmnuma_hypercall_probe, true },
	/* Only statistics and the software sampler depend on it. */
	[HOOK_TDP_FAULT] = { &kvmnuma_tp_kvm_page_fault, tdp_fault_probe,
			     false },
};

/*
 * The fields @mod's trace event for @tp records, in @out; their number, or
 * -ENOENT (no trace event for @tp), -E2BIG (more than @out holds, or
 * fields defined by a function).
 */
static int event_fields(struct module *mod, struct tracepoint *tp,
			struct kvmnuma_tp_field *out)
{
	unsigned int i;

	for (i = 0; i < mod->num_trace_events; i++) {
		struct trace_event_call *call = mod->trace_events[i];
		struct trace_event_fields *f;
		int n = 0;

		if (!call || !(call->flags & TRACE_EVENT_FL_TRACEPOINT) ||
		    call->tp != tp)
			continue;
		for (f = call->class->fields_array; f && f->type; f++) {
			if (f->type == TRACE_FUNCTION_TYPE ||
			    n == KVMNUMA_TP_MAX_FIELDS)
				return -E2BIG;
			out[n].type = f->type;
			out[n].name = f->name;
			n++;
		}
		return n;
	}
	return -ENOENT;
}

/* Whether @hook's probe may be attached to @tp of @mod; logs why not. */
static bool layout_matches(struct kvm_tracepoint_hook *hook,
			   struct module *mod, struct tracepoint *tp)
{
	const struct kvmnuma_tp_layout *want = hook->layout;
	struct kvmnuma_tp_field got[KVMNUMA_TP_MAX_FIELDS];
	const char *then = hook->required ? "module not loaded" :
			   "TDP-fault accounting and the software sampler are off";
	int n = event_fields(mod, tp, got);
	int bad;

	if (n < 0) {
		pr_err("%s: cannot read its record layout in kvm.ko (%d): not hooked, %s\n",
		       want->event, n, then);
		return false;
	}
	bad = kvmnuma_tp_fields_mismatch(want, got, n);
	if (bad < 0)
		return true;
	pr_err("%s: kvm.ko records field %d as '%s %s', the probe expects '%s %s' (another TP_PROTO): not hooked, %s\n",
	       want->event, bad,
	       bad < n ? got[bad].type : "", bad < n ? got[bad].name : "(none)",
	       (unsigned int)bad < want->nr ? want->fields[bad].type : "",
	       (unsigned int)bad < want->nr ? want->fields[bad].name : "(none)",
	       then);
	return false;
}

static void hook_module(struct module *mod)
{
	unsigned int i, h;

	for (i = 0; i < mod->num_tracepoints; i++) {
		struct tracepoint *tp =
			tracepoint_ptr_deref(&mod->tracepoints_ptrs[i]);

		for (h = 0; h < ARRAY_SIZE(hooks); h++) {
			int ret;

			if (hooks[h].tp || strcmp(tp->name, hooks[h].layout->event))
				continue;
			if (!layout_matches(&hooks[h], mod, tp)) {
				hooks[h].state = HOOK_REFUSED;
				continue;
			}
			ret = tracepoint_probe_register(tp, hooks[h].probe,
							NULL);
			if (ret) {
				pr_err("cannot hook tracepoint %s: %d\n",
				       tp->name, ret);
				hooks[h].state = HOOK_FAILED;
				continue;
			}
			hooks[h].tp = tp;
			hooks[h].state = HOOK_ON;
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
		if (hooks[h].state == HOOK_ON || !hooks[h].required)
			continue;
		/* Refusals and failures were logged by hook_module(). */
		if (hooks[h].state == HOOK_ABSENT)
			pr_err("tracepoint %s not found in module kvm\n",
			       hooks[h].layout->event);
		ret = hooks[h].state == HOOK_REFUSED ? -ENOEXEC : -ENOENT;
		kvmnuma_kvm_tracepoints_exit();
		return ret;
	}
	return 0;
}

const char *kvmnuma_kvm_tracepoints_tdp_state(void)
{
	static const char * const names[] = {
		[HOOK_ABSENT] = "off: kvm_page_fault not found",
		[HOOK_REFUSED] = "off: kvm_page_fault records another layout than the probe expects",
		[HOOK_FAILED] = "off: kvm_page_fault could not be hooked",
		[HOOK_ON] = "on",
	};

	return names[READ_ONCE(hooks[HOOK_TDP_FAULT].state)];
}

void kvmnuma_kvm_tracepoints_exit(void)
{
	unsigned int h;

	for (h = 0; h < ARRAY_SIZE(hooks); h++) {
		if (!hooks[h].tp)
			continue;
		tracepoint_probe_unregister(hooks[h].tp, hooks[h].probe, NULL);
		hooks[h].tp = NULL;
		hooks[h].state = HOOK_ABSENT;
	}
	unregister_tracepoint_module_notifier(&tracepoint_module_nb);
	/* No probe runs past this point. */
	tracepoint_synchronize_unregister();
}
