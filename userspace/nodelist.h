/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Node lists ("0-3", "0,2", and libnuma's "all", "!1") parsed by libnuma's
 * numa_parse_nodestring_all(), which accepts only nodes this machine has
 * (configured nodes, online or not), whatever the caller's own cpuset.
 * That is the right check for both uses: a list given to `set --nodes`
 * names host nodes for the kernel on this machine, and a VM's "nodes" file
 * is written by that kernel.  The kernel still has the last word (it
 * refuses nodes without memory).
 */
#ifndef KVMNUMA_NODELIST_H
#define KVMNUMA_NODELIST_H

#include <stddef.h>

#define NODELIST_MAX 1024	/* MAX_NUMNODES on the largest configs */

/*
 * Parses @s (one trailing newline allowed) into ascending, distinct node
 * numbers.  Returns how many (>= 1) or -EINVAL (empty, malformed, a node
 * this machine does not have, more than @max nodes).
 */
int nodelist_parse(const char *s, int *nodes, int max);

/*
 * Writes @nodes (ascending) in the kernel's list format ("0-2,5") into
 * @buf.  Returns 0 or -ENOSPC.
 */
int nodelist_format(const int *nodes, int n, char *buf, size_t len);

#endif /* KVMNUMA_NODELIST_H */
