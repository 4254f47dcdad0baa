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

/*
 * Draws VM @id's guest RAM, coloured by the host node of each page (every
 * sample-th page), into the PNG (or .svg) @out with gnuplot.  Returns 0 or
 * -errno (-EIO: gnuplot failed).
 */
int layout_vm(const char *id, unsigned long sample, const char *out);

#endif /* KVMNUMA_PLACEMENT_VIEW_H */
