// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>

#include "json.h"

void json_init(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->count[0] = 0;
}

static void put_escaped(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* The comma and key every member starts with. */
static void member(struct json *j, const char *key)
{
	if (j->count[j->depth]++)
		fputc(',', j->out);
	if (key) {
		put_escaped(j->out, key);
		fputc(':', j->out);
	}
}

static void begin(struct json *j, const char *key, char c)
{
	member(j, key);
	fputc(c, j->out);
	if (j->depth < (int)(sizeof(j->count) / sizeof(j->count[0])) - 1)
		j->depth++;
	j->count[j->depth] = 0;
}

static void end(struct json *j, char c)
{
	fputc(c, j->out);
	if (j->depth > 0)
		j->depth--;
	if (!j->depth)
		fputc('\n', j->out);
}

void json_begin_object(struct json *j, const char *key) { begin(j, key, '{'); }
void json_begin_array(struct json *j, const char *key) { begin(j, key, '['); }
void json_end_object(struct json *j) { end(j, '}'); }
void json_end_array(struct json *j) { end(j, ']'); }

void json_string(struct json *j, const char *key, const char *value)
{
	member(j, key);
	put_escaped(j->out, value);
}

void json_u64(struct json *j, const char *key, unsigned long long value)
{
	member(j, key);
	fprintf(j->out, "%llu", value);
}

void json_double(struct json *j, const char *key, double value)
{
	member(j, key);
	fprintf(j->out, "%.2f", value);
}

void json_number_text(struct json *j, const char *key, const char *text)
{
	const char *p = text;

	if (*p == '-')
		p++;
	member(j, key);
	if (!*p) {
		fputs("null", j->out);
		return;
	}
	for (; *p; p++)
		if (!isdigit((unsigned char)*p)) {
			fputs("null", j->out);
			return;
		}
	fputs(text, j->out);
}
