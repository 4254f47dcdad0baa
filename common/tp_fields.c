// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Expected record layouts of the KVM trace events kvmnuma hooks, and
 * their comparison with the running kernel's (see tp_fields.h).
 */
#include "tp_fields.h"

/* arch/x86/kvm/trace.h of 6.12 (and Debian 6.1.0-56, checked in its BTF). */
static const struct kvmnuma_tp_field kvm_page_fault_fields[] = {
	{ "unsigned int", "vcpu_id" },
	{ "unsigned long", "guest_rip" },
	{ "u64", "fault_address" },
	{ "u64", "error_code" },
};

const struct kvmnuma_tp_layout kvmnuma_tp_kvm_page_fault = {
	.event = "kvm_page_fault",
	.fields = kvm_page_fault_fields,
	.nr = ARRAY_SIZE(kvm_page_fault_fields),
};

/* Unchanged from 6.1 to 6.12. */
static const struct kvmnuma_tp_field kvm_hypercall_fields[] = {
	{ "unsigned long", "nr" },
	{ "unsigned long", "a0" },
	{ "unsigned long", "a1" },
	{ "unsigned long", "a2" },
	{ "unsigned long", "a3" },
};

const struct kvmnuma_tp_layout kvmnuma_tp_kvm_hypercall = {
	.event = "kvm_hypercall",
	.fields = kvm_hypercall_fields,
	.nr = ARRAY_SIZE(kvm_hypercall_fields),
};

static bool same_string(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

int kvmnuma_tp_fields_mismatch(const struct kvmnuma_tp_layout *want,
			       const struct kvmnuma_tp_field *got,
			       unsigned int nr_got)
{
	unsigned int i;

	for (i = 0; i < want->nr && i < nr_got; i++)
		if (!same_string(want->fields[i].type, got[i].type) ||
		    !same_string(want->fields[i].name, got[i].name))
			return (int)i;
	if (nr_got != want->nr)
		return (int)i;
	return -1;
}
