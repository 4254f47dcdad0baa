// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "jsonout.h"

struct json_object *json_doc_new(void)
{
	struct json_object *doc = json_object_new_object();

	json_object_object_add(doc, "schema_version",
			       json_object_new_int(KVMNUMA_JSON_SCHEMA_VERSION));
	return doc;
}

void json_doc_print(struct json_object *doc)
{
	puts(json_object_to_json_string_ext(doc, JSON_C_TO_STRING_PLAIN |
					    JSON_C_TO_STRING_NOSLASHESCAPE));
	json_object_put(doc);
}

struct json_object *json_sysfs_number(const char *text)
{
	char *end;
	long long v;
	unsigned long long u;

	if (!*text)
		return NULL;
	errno = 0;
	if (*text == '-') {
		v = strtoll(text, &end, 10);
		return *end || errno ? NULL : json_object_new_int64(v);
	}
	if (*text < '0' || *text > '9')
		return NULL;
	u = strtoull(text, &end, 10);
	return *end || errno ? NULL : json_object_new_uint64(u);
}

struct json_object *json_percent(double value)
{
	char text[32];

	snprintf(text, sizeof(text), "%.2f", value);
	return json_object_new_double_s(value, text);
}
