// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "policy.h"

static const struct {
	const char *name;
	unsigned int mechanisms;
} policies[KVMNUMA_NR_POLICIES] = {
	[KVMNUMA_POLICY_NONE] = { "none", 0 },
	[KVMNUMA_POLICY_FIRST_TOUCH] = { "first-touch", KVMNUMA_MECH_FIRST_TOUCH },
	[KVMNUMA_POLICY_ROUND_4K] = { "round-4k", KVMNUMA_MECH_ROUND_4K },
	[KVMNUMA_POLICY_ROUND_1G] = { "round-1g", KVMNUMA_MECH_ROUND_1G },
	[KVMNUMA_POLICY_CARREFOUR] = { "carrefour", KVMNUMA_MECH_CARREFOUR },
	[KVMNUMA_POLICY_FIRST_TOUCH_CARREFOUR] = {
		"first-touch+carrefour",
		KVMNUMA_MECH_FIRST_TOUCH | KVMNUMA_MECH_CARREFOUR },
	[KVMNUMA_POLICY_ROUND_4K_CARREFOUR] = {
		"round-4k+carrefour",
		KVMNUMA_MECH_ROUND_4K | KVMNUMA_MECH_CARREFOUR },
};

const char *kvmnuma_policy_name(enum kvmnuma_policy policy)
{
	if ((unsigned int)policy >= KVMNUMA_NR_POLICIES)
		return "?";
	return policies[policy].name;
}

unsigned int kvmnuma_policy_mechanisms(enum kvmnuma_policy policy)
{
	if ((unsigned int)policy >= KVMNUMA_NR_POLICIES)
		return 0;
	return policies[policy].mechanisms;
}

int kvmnuma_policy_parse(const char *buf, size_t len)
{
	int i;

	if (len && buf[len - 1] == '\n')
		len--;
	for (i = 0; i < KVMNUMA_NR_POLICIES; i++)
		if (strlen(policies[i].name) == len &&
		    !memcmp(policies[i].name, buf, len))
			return i;
	return -EINVAL;
}
