// SPDX-License-Identifier: GPL-2.0 OR MIT
/* Unit tests for common/policy.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "../../common/policy.h"

static void parses_every_name(void **state)
{
	int p;

	for (p = 0; p < KVMNUMA_NR_POLICIES; p++) {
		const char *name = kvmnuma_policy_name(p);
		char with_newline[64];

		assert_int_equal(kvmnuma_policy_parse(name, strlen(name)), p);
		snprintf(with_newline, sizeof(with_newline), "%s\n", name);
		assert_int_equal(kvmnuma_policy_parse(with_newline,
						      strlen(with_newline)), p);
	}
}

static void rejects_bad_names(void **state)
{
	assert_int_equal(kvmnuma_policy_parse("", 0), -EINVAL);
	assert_int_equal(kvmnuma_policy_parse("\n", 1), -EINVAL);
	assert_int_equal(kvmnuma_policy_parse("first", 5), -EINVAL);
	assert_int_equal(kvmnuma_policy_parse("first-touch2", 12), -EINVAL);
	assert_int_equal(kvmnuma_policy_parse("first-touch\n\n", 13), -EINVAL);
	assert_int_equal(kvmnuma_policy_parse("First-Touch", 11), -EINVAL);
}

static void combinations_have_both_mechanisms(void **state)
{
	assert_int_equal(kvmnuma_policy_mechanisms(KVMNUMA_POLICY_FIRST_TOUCH_CARREFOUR),
			 KVMNUMA_MECH_FIRST_TOUCH | KVMNUMA_MECH_CARREFOUR);
	assert_int_equal(kvmnuma_policy_mechanisms(KVMNUMA_POLICY_ROUND_4K_CARREFOUR),
			 KVMNUMA_MECH_ROUND_4K | KVMNUMA_MECH_CARREFOUR);
	assert_int_equal(kvmnuma_policy_mechanisms(KVMNUMA_POLICY_NONE), 0);
	assert_string_equal(kvmnuma_policy_name(KVMNUMA_NR_POLICIES), "?");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parses_every_name),
		cmocka_unit_test(rejects_bad_names),
		cmocka_unit_test(combinations_have_both_mechanisms),
	};

	return cmocka_run_group_tests_name("policy", tests, NULL, NULL);
}
