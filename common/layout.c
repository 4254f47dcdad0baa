// SPDX-License-Identifier: GPL-2.0 OR MIT
#include "layout.h"
#include "policy.h"

/* log2 of the interleave unit in frames, or -1 without a static layout. */
static int unit_shift(int policy)
{
	unsigned int mech = kvmnuma_policy_mechanisms(policy);

	if (mech & KVMNUMA_MECH_ROUND_4K)
		return 0;
	if (mech & KVMNUMA_MECH_ROUND_1G)
		return KVMNUMA_1G_FRAMES_SHIFT;
	return -1;
}

int kvmnuma_layout_index(int policy, u64 gfn, unsigned int nr_nodes)
{
	int shift = unit_shift(policy);

	if (shift < 0 || !nr_nodes)
		return -1;
	return (int)((gfn >> shift) % nr_nodes);
}

u64 kvmnuma_layout_run(int policy, u64 gfn, u64 end)
{
	int shift = unit_shift(policy);
	u64 unit_end;

	if (gfn >= end)
		return 0;
	if (shift < 0)
		return end - gfn;
	unit_end = ((gfn >> shift) + 1) << shift;
	return (unit_end < end ? unit_end : end) - gfn;
}

u64 kvmnuma_layout_next(int policy, u64 gfn, u64 end, unsigned int index,
			unsigned int nr_nodes)
{
	int shift = unit_shift(policy);
	u64 unit, cur;

	if (shift < 0 || !nr_nodes || index >= nr_nodes || gfn >= end)
		return end;
	unit = gfn >> shift;
	cur = unit % nr_nodes;
	if (cur != index)
		unit += (index + nr_nodes - cur) % nr_nodes;
	/* Still inside @gfn's own unit: @gfn itself. */
	if (unit == gfn >> shift)
		return gfn;
	unit <<= shift;
	return unit < end ? unit : end;
}
