/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The record layout (TP_STRUCT__entry) of the KVM trace events kvmnuma
 * hooks, as the probes were written for, and the comparison with the
 * layout of the running kvm.ko.
 *
 * Why: a probe attached with tracepoint_probe_register() is not
 * type-checked, and arch/x86/kvm/trace.h (the TP_PROTO) is not in the
 * linux-headers package.  The event's fields are, at run time, in kvm.ko's
 * struct trace_event_call (class->fields_array: one {type, name} per
 * __field, type and name as written in the source).  An upstream change of
 * a TP_PROTO changes what TP_fast_assign records, so a layout that is not
 * exactly the expected one means the probe would read its arguments
 * wrongly: the probe is not registered.
 *
 * kvm_page_fault is the example: vanilla 6.1 passes (unsigned long
 * fault_address, unsigned int error_code) and records those two fields;
 * 6.12 and Debian's 6.1.0-56 pass (struct kvm_vcpu *, u64, u64) and record
 * vcpu_id, guest_rip, fault_address, error_code.
 */
#ifndef KVMNUMA_COMMON_TP_FIELDS_H
#define KVMNUMA_COMMON_TP_FIELDS_H

#include "compat.h"

/* One recorded field: its C type and name as written in TP_STRUCT__entry. */
struct kvmnuma_tp_field {
	const char *type;
	const char *name;
};

/* An event's expected layout: @nr fields in order. */
struct kvmnuma_tp_layout {
	const char *event;
	const struct kvmnuma_tp_field *fields;
	unsigned int nr;
};

/* Layout kvmnuma's kvm_page_fault probe (vcpu, u64, u64) was written for. */
extern const struct kvmnuma_tp_layout kvmnuma_tp_kvm_page_fault;
/* Layout kvmnuma's kvm_hypercall probe (nr, a0..a3 unsigned long) expects. */
extern const struct kvmnuma_tp_layout kvmnuma_tp_kvm_hypercall;

/* More fields than this in an event is a mismatch for every layout above. */
#define KVMNUMA_TP_MAX_FIELDS 16

/**
 * kvmnuma_tp_fields_mismatch - compares an event's fields with a layout
 * @want: the layout the probe was written for
 * @got: the event's fields in order; a NULL type or name never matches
 * @nr_got: number of entries in @got
 *
 * Return: -1 if @got is exactly @want (same number of fields, same type
 * and name strings in the same order); otherwise the index of the first
 * field that differs, which is min(@nr_got, @want->nr) when one list is a
 * prefix of the other.
 */
int kvmnuma_tp_fields_mismatch(const struct kvmnuma_tp_layout *want,
			       const struct kvmnuma_tp_field *got,
			       unsigned int nr_got);

#endif /* KVMNUMA_COMMON_TP_FIELDS_H */
