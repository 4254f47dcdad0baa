/* SPDX-License-Identifier: GPL-2.0 */
/* Node lists as sysfs writes them: "0-3", "0,2", "0-1,4". */
#ifndef KVMNUMA_NODELIST_H
#define KVMNUMA_NODELIST_H

#define NODELIST_MAX 1024	/* MAX_NUMNODES on the largest configs */

/*
 * Parses @s (one trailing newline allowed) into ascending, distinct node
 * numbers.  Returns how many (>= 1) or -EINVAL (empty, malformed, a
 * reversed range, a node >= NODELIST_MAX).
 */
int nodelist_parse(const char *s, int *nodes, int max);

#endif /* KVMNUMA_NODELIST_H */
