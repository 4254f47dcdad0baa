// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Unit tests for common/tp_fields.c: the record layouts of kvm_page_fault
 * that existed upstream, and which of them kvmnuma's probe accepts.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "../../common/tp_fields.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* 6.12, and Debian 6.1.0-56: TP_PROTO(struct kvm_vcpu *, u64, u64). */
static const struct kvmnuma_tp_field pf_612[] = {
	{ "unsigned int", "vcpu_id" },
	{ "unsigned long", "guest_rip" },
	{ "u64", "fault_address" },
	{ "u64", "error_code" },
};

/* Vanilla 6.1: TP_PROTO(unsigned long fault_address, unsigned int error_code). */
static const struct kvmnuma_tp_field pf_vanilla_61[] = {
	{ "unsigned long", "fault_address" },
	{ "unsigned int", "error_code" },
};

/* A proposed step between them: (vcpu, unsigned long, unsigned int). */
static const struct kvmnuma_tp_field pf_vcpu_narrow[] = {
	{ "unsigned int", "vcpu_id" },
	{ "unsigned long", "guest_rip" },
	{ "unsigned long", "fault_address" },
	{ "unsigned int", "error_code" },
};

/* Another proposed step: (unsigned long fault_address, u64 error_code). */
static const struct kvmnuma_tp_field pf_u64_error[] = {
	{ "unsigned long", "fault_address" },
	{ "u64", "error_code" },
};

static const struct kvmnuma_tp_field hc_612[] = {
	{ "unsigned long", "nr" },
	{ "unsigned long", "a0" },
	{ "unsigned long", "a1" },
	{ "unsigned long", "a2" },
	{ "unsigned long", "a3" },
};

static void page_fault_of_612_accepted(void **state)
{
	assert_int_equal(kvmnuma_tp_fields_mismatch(&kvmnuma_tp_kvm_page_fault,
						    pf_612, N(pf_612)), -1);
}

static void page_fault_of_vanilla_61_refused(void **state)
{
	/* The probe would take fault_address for a struct kvm_vcpu *. */
	assert_int_equal(kvmnuma_tp_fields_mismatch(&kvmnuma_tp_kvm_page_fault,
						    pf_vanilla_61,
						    N(pf_vanilla_61)), 0);
}

static void page_fault_with_narrow_arguments_refused(void **state)
{
	/* Same vcpu first argument, but a 32-bit error_code. */
	assert_int_equal(kvmnuma_tp_fields_mismatch(&kvmnuma_tp_kvm_page_fault,
						    pf_vcpu_narrow,
						    N(pf_vcpu_narrow)), 2);
	assert_int_equal(kvmnuma_tp_fields_mismatch(&kvmnuma_tp_kvm_page_fault,
						    pf_u64_error,
						    N(pf_u64_error)), 0);
}

static void extra_or_missing_fields_refused(void **state)
{
	struct kvmnuma_tp_field longer[N(pf_612) + 1];

	memcpy(longer, pf_612, sizeof(pf_612));
	longer[N(pf_612)] = (struct kvmnuma_tp_field){ "u64", "gpa" };
	assert_int_equal(kvmnuma_tp_fields_mismatch(&kvmnuma_tp_kvm_page_fault,
						    longer, N(longer)), 4);
	assert_int_equal(kvmnuma_tp_fields_mismatch(&kvmnuma_tp_kvm_page_fault,
						    pf_612, 3), 3);
	assert_int_equal(kvmnuma_tp_fields_mismatch(&kvmnuma_tp_kvm_page_fault,
						    pf_612, 0), 0);
}

static void null_strings_never_match(void **state)
{
	struct kvmnuma_tp_field f[N(pf_612)];

	memcpy(f, pf_612, sizeof(pf_612));
	f[1].type = NULL;
	assert_int_equal(kvmnuma_tp_fields_mismatch(&kvmnuma_tp_kvm_page_fault,
						    f, N(f)), 1);
	memcpy(f, pf_612, sizeof(pf_612));
	f[3].name = NULL;
	assert_int_equal(kvmnuma_tp_fields_mismatch(&kvmnuma_tp_kvm_page_fault,
						    f, N(f)), 3);
}

static void hypercall_checked_too(void **state)
{
	struct kvmnuma_tp_field f[N(hc_612)];

	assert_int_equal(kvmnuma_tp_fields_mismatch(&kvmnuma_tp_kvm_hypercall,
						    hc_612, N(hc_612)), -1);
	memcpy(f, hc_612, sizeof(hc_612));
	f[4].type = "unsigned int";
	assert_int_equal(kvmnuma_tp_fields_mismatch(&kvmnuma_tp_kvm_hypercall,
						    f, N(f)), 4);
	/* A page-fault layout is not a hypercall layout. */
	assert_int_equal(kvmnuma_tp_fields_mismatch(&kvmnuma_tp_kvm_hypercall,
						    pf_612, N(pf_612)), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(page_fault_of_612_accepted),
		cmocka_unit_test(page_fault_of_vanilla_61_refused),
		cmocka_unit_test(page_fault_with_narrow_arguments_refused),
		cmocka_unit_test(extra_or_missing_fields_refused),
		cmocka_unit_test(null_strings_never_match),
		cmocka_unit_test(hypercall_checked_too),
	};

	return cmocka_run_group_tests_name("tp_fields", tests, NULL, NULL);
}
