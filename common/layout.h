/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Static layouts of round-4k and round-1g: which of the VM's allowed host
 * nodes backs guest frame gfn.  Frames are interleaved by guest-physical
 * frame number, so "page i on the (i mod n)-th allowed node" holds for
 * every gfn, holes (e.g. the PCI hole below 4 GiB) included.
 */
#ifndef KVMNUMA_COMMON_LAYOUT_H
#define KVMNUMA_COMMON_LAYOUT_H

#include "compat.h"

/* 1 GiB in 4 KiB frames. */
#define KVMNUMA_1G_FRAMES_SHIFT 18

/*
 * Index, in the list of allowed nodes, of the node backing @gfn under
 * @policy (round-4k or round-1g, alone or with carrefour); -1 for policies
 * without a static layout.
 */
int kvmnuma_layout_index(int policy, u64 gfn, unsigned int nr_nodes);

/*
 * Frames from @gfn (included) up to @end (excluded) that share @gfn's
 * node: lets callers walk a layout run by run.
 */
u64 kvmnuma_layout_run(int policy, u64 gfn, u64 end);

/*
 * The next frame >= @gfn, below @end, whose index is @index; @end if none.
 * Walks one node's share of a range without visiting the others.
 */
u64 kvmnuma_layout_next(int policy, u64 gfn, u64 end, unsigned int index,
			unsigned int nr_nodes);

#endif /* KVMNUMA_COMMON_LAYOUT_H */
