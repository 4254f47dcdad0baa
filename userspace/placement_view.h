/* SPDX-License-Identifier: GPL-2.0 */
/* `kvmnumactl show`: a VM's settings, counters, placement progress and RAM map. */
#ifndef KVMNUMA_PLACEMENT_VIEW_H
#define KVMNUMA_PLACEMENT_VIEW_H

#include <stdbool.h>

/*
 * Prints VM @id as text or as one JSON object.  @sample: ask the node of
 * every sample-th page only (huge VMs).  Returns 0, or -errno when the RAM
 * map could not be read (everything else is printed regardless).
 */
int show_vm(const char *id, bool json, unsigned long sample);

#endif /* KVMNUMA_PLACEMENT_VIEW_H */
