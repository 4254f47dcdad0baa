/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kvmnumactl --json output, built with json-c.  Every document is one
 * object on one line with "schema_version" first; the same thing has the
 * same key in every command ("vm" for a VM id, "node" always a number,
 * "nodes" the kernel's node list string).  Bump the version on any
 * incompatible change (a key renamed or removed, a type changed).
 */
#ifndef KVMNUMA_JSONOUT_H
#define KVMNUMA_JSONOUT_H

#include <json-c/json.h>

#define KVMNUMA_JSON_SCHEMA_VERSION 1

/* A new top-level object holding "schema_version". */
struct json_object *json_doc_new(void);
/* Prints @doc as one line on stdout and frees it. */
void json_doc_print(struct json_object *doc);
/* A sysfs value: a decimal integer as a number, anything else ("?") as null. */
struct json_object *json_sysfs_number(const char *text);
/* A percentage with two decimals (68.36, not 68.359375). */
struct json_object *json_percent(double value);

#endif /* KVMNUMA_JSONOUT_H */
