// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#include "nodelist.h"

static int parse_num(const char **p, long *out)
{
	char *end;

	/* strtol would accept signs and spaces the kernel's list parser rejects. */
	if (!isdigit((unsigned char)**p))
		return -EINVAL;
	*out = strtol(*p, &end, 10);
	if (*out >= NODELIST_MAX)
		return -EINVAL;
	*p = end;
	return 0;
}

int nodelist_parse(const char *s, int *nodes, int max)
{
	/* A bitmap first: "2,0-3" must come out ascending and without duplicates. */
	static bool seen[NODELIST_MAX];
	const char *p = s;
	int n = 0;
	long a, b;

	for (int i = 0; i < NODELIST_MAX; i++)
		seen[i] = false;
	for (;;) {
		if (parse_num(&p, &a))
			return -EINVAL;
		b = a;
		if (*p == '-') {
			p++;
			if (parse_num(&p, &b) || b < a)
				return -EINVAL;
		}
		for (long i = a; i <= b; i++)
			seen[i] = true;
		if (*p != ',')
			break;
		p++;
	}
	if (*p == '\n')
		p++;
	if (*p)
		return -EINVAL;
	for (int i = 0; i < NODELIST_MAX; i++) {
		if (!seen[i])
			continue;
		if (n == max)
			return -EINVAL;
		nodes[n++] = i;
	}
	return n;
}
