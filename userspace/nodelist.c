// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <numa.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "nodelist.h"

/*
 * libnuma reports parse errors by calling numa_warn(), which prints to
 * stderr; callers here report the error themselves, in their own words
 * (libnuma documents numa_warn and numa_error as overridable).
 */
void numa_warn(int num, char *fmt, ...)
{
	(void)num;
	(void)fmt;
}

void numa_error(char *where)
{
	(void)where;
}

int nodelist_parse(const char *s, int *nodes, int max)
{
	char buf[4096];
	struct bitmask *mask;
	size_t len = strlen(s);
	int n = 0;

	if (len && s[len - 1] == '\n')
		len--;
	if (!len || len >= sizeof(buf) || numa_available() < 0)
		return -EINVAL;
	memcpy(buf, s, len);
	buf[len] = '\0';
	mask = numa_parse_nodestring_all(buf);
	if (!mask)
		return -EINVAL;
	for (unsigned int i = 0; i < mask->size && i < NODELIST_MAX; i++) {
		if (!numa_bitmask_isbitset(mask, i))
			continue;
		if (n == max) {
			n = -EINVAL;
			break;
		}
		nodes[n++] = i;
	}
	numa_bitmask_free(mask);
	return n ? n : -EINVAL;
}

int nodelist_format(const int *nodes, int n, char *buf, size_t len)
{
	size_t used = 0;
	int i = 0, w;

	buf[0] = '\0';
	while (i < n) {
		int j = i;

		while (j + 1 < n && nodes[j + 1] == nodes[j] + 1)
			j++;
		if (j > i)
			w = snprintf(buf + used, len - used, "%s%d-%d", i ? "," : "",
				     nodes[i], nodes[j]);
		else
			w = snprintf(buf + used, len - used, "%s%d", i ? "," : "",
				     nodes[i]);
		if (w < 0 || (size_t)w >= len - used)
			return -ENOSPC;
		used += w;
		i = j + 1;
	}
	return 0;
}
