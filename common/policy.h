/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Placement policy names and what each one is made of; shared by the host
 * module (sysfs parsing) and kvmnumactl.
 */
#ifndef KVMNUMA_COMMON_POLICY_H
#define KVMNUMA_COMMON_POLICY_H

#include "compat.h"

enum kvmnuma_policy {
	KVMNUMA_POLICY_NONE,		/* leave placement to Linux */
	KVMNUMA_POLICY_FIRST_TOUCH,
	KVMNUMA_POLICY_ROUND_4K,
	KVMNUMA_POLICY_ROUND_1G,
	KVMNUMA_POLICY_CARREFOUR,
	KVMNUMA_POLICY_FIRST_TOUCH_CARREFOUR,
	KVMNUMA_POLICY_ROUND_4K_CARREFOUR,
	KVMNUMA_NR_POLICIES,
};

/* The mechanisms a policy combines. */
#define KVMNUMA_MECH_FIRST_TOUCH	0x1
#define KVMNUMA_MECH_ROUND_4K		0x2
#define KVMNUMA_MECH_ROUND_1G		0x4
#define KVMNUMA_MECH_CARREFOUR		0x8

const char *kvmnuma_policy_name(enum kvmnuma_policy policy);
unsigned int kvmnuma_policy_mechanisms(enum kvmnuma_policy policy);

/*
 * Parses a policy name, ignoring one trailing newline (as written by
 * `echo`).  Returns the policy or -EINVAL.
 */
int kvmnuma_policy_parse(const char *buf, size_t len);

#endif /* KVMNUMA_COMMON_POLICY_H */
