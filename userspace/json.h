/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A minimal JSON writer for kvmnumactl --json: it tracks nesting so that
 * callers never place commas by hand, and escapes every string.
 */
#ifndef KVMNUMA_JSON_H
#define KVMNUMA_JSON_H

#include <stdio.h>

struct json {
	FILE *out;
	int depth;
	int count[16];	/* members written so far at each depth */
};

void json_init(struct json *j, FILE *out);
/* @key is NULL inside arrays and for the top-level value. */
void json_begin_object(struct json *j, const char *key);
void json_begin_array(struct json *j, const char *key);
void json_end_object(struct json *j);
void json_end_array(struct json *j);	/* the top level ends with a newline */
void json_string(struct json *j, const char *key, const char *value);
void json_u64(struct json *j, const char *key, unsigned long long value);
void json_double(struct json *j, const char *key, double value);
/* A sysfs value: a decimal number as is, anything else ("?") as null. */
void json_number_text(struct json *j, const char *key, const char *text);

#endif /* KVMNUMA_JSON_H */
