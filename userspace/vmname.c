// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <stdbool.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "vmname.h"
#include "vmsysfs.h"

/*
 * The NAME of a QEMU -name value: "guest=NAME,..." or "NAME,..." (the
 * legacy form: a first element without '=').  QEMU doubles a comma that
 * belongs to a value (",,").
 */
static int parse_name_opt(const char *v, char *buf, size_t len)
{
	for (bool first = true; *v; first = false) {
		char elem[256];
		size_t e = 0;
		const char *name;

		/* One element, up to a single comma; ",," is a comma in it. */
		for (; *v && !(v[0] == ',' && v[1] != ','); v++) {
			if (v[0] == ',')
				v++;
			if (e < sizeof(elem) - 1)
				elem[e++] = *v;
		}
		elem[e] = '\0';
		if (*v == ',')
			v++;
		if (!strncmp(elem, "guest=", 6))
			name = elem + 6;
		else if (first && !strchr(elem, '='))
			name = elem;
		else
			continue;
		if (!*name)
			return -ENOENT;
		return (size_t)snprintf(buf, len, "%s", name) < len ? 0 : -ENAMETOOLONG;
	}
	return -ENOENT;
}

static int name_from_cmdline(pid_t pid, char *buf, size_t len)
{
	char path[64], args[16384];
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, args, sizeof(args) - 1);
	close(fd);
	if (n <= 0)
		return -ENOENT;
	args[n] = '\0';
	for (char *a = args; a < args + n; a += strlen(a) + 1) {
		char *next = a + strlen(a) + 1;

		if (strcmp(a, "-name") && strcmp(a, "--name"))
			continue;
		if (next >= args + n)
			break;
		return parse_name_opt(next, buf, len);
	}
	return -ENOENT;
}

/* A pid file in @dir (NAME.pid) that holds @pid: NAME. */
static int name_from_pidfiles(const char *dir, pid_t pid, char *buf, size_t len)
{
	struct dirent *de;
	int ret = -ENOENT;
	DIR *d = opendir(dir);

	if (!d)
		return -ENOENT;
	while (ret && (de = readdir(d))) {
		size_t l = strlen(de->d_name);
		char path[4096], text[32];
		FILE *f;

		if (l <= 4 || strcmp(de->d_name + l - 4, ".pid"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		f = fopen(path, "r");
		if (!f)
			continue;
		if (fgets(text, sizeof(text), f) && atoi(text) == pid &&
		    l - 4 < len) {
			memcpy(buf, de->d_name, l - 4);
			buf[l - 4] = '\0';
			ret = 0;
		}
		fclose(f);
	}
	closedir(d);
	return ret;
}

static const char *env_or(const char *var, const char *def)
{
	const char *v = getenv(var);

	return v && *v ? v : def;
}

int vm_name_of_pid(pid_t pid, char *buf, size_t len)
{
	if (pid <= 0)
		return -ENOENT;
	if (!name_from_cmdline(pid, buf, len))
		return 0;
	if (!name_from_pidfiles(env_or("KVMNUMA_LIBVIRT_RUN", "/run/libvirt/qemu"),
				pid, buf, len))
		return 0;
	return name_from_pidfiles(env_or("KVMNUMA_RUNDIR", "/run/kvmnuma"), pid, buf, len);
}

const char *vm_name(const char *id, char *buf, size_t len)
{
	char pid[32];

	if (vm_read(id, "pid", pid, sizeof(pid)) ||
	    vm_name_of_pid(atoi(pid), buf, len))
		buf[0] = '\0';
	return buf;
}

struct lookup {
	const char *name;
	char *id;
	size_t len;
	int found;
};

static int match_name(const char *id, void *arg)
{
	struct lookup *l = arg;
	char name[256];

	if (strcmp(vm_name(id, name, sizeof(name)), l->name))
		return 0;
	if (!l->found++)
		snprintf(l->id, l->len, "%s", id);
	return 0;
}

int vm_lookup(const char *arg, char *id, size_t len)
{
	struct lookup l = { .name = arg, .id = id, .len = len };

	/* An id wins: names are free-form, ids are what sysfs has. */
	if (!vm_resolve(arg, id, len))
		return 0;
	if (!*arg || vm_for_each(match_name, &l))
		return -ENOENT;
	return l.found == 1 ? 0 : l.found ? -EEXIST : -ENOENT;
}
