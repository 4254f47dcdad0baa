// SPDX-License-Identifier: GPL-2.0
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "vmsysfs.h"

const char *vm_sysfs_root(void)
{
	const char *root = getenv("KVMNUMA_SYSFS");

	return root && *root ? root : KVMNUMA_SYSFS_ROOT;
}

void vm_path(char *path, size_t len, const char *id, const char *file)
{
	if (id)
		snprintf(path, len, "%s/vms/%s/%s", vm_sysfs_root(), id, file);
	else
		snprintf(path, len, "%s/%s", vm_sysfs_root(), file);
}

FILE *vm_fopen(const char *id, const char *file)
{
	char path[512];

	vm_path(path, sizeof(path), id, file);
	return fopen(path, "r");
}

int vm_read(const char *id, const char *file, char *buf, size_t len)
{
	char path[512];
	ssize_t n;
	int fd;

	vm_path(path, sizeof(path), id, file);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = '\0';
	return 0;
}

int vm_write(const char *id, const char *file, const char *value)
{
	char path[512];
	ssize_t n;
	int fd;

	vm_path(path, sizeof(path), id, file);
	fd = open(path, O_WRONLY);
	if (fd < 0)
		return -errno;
	n = write(fd, value, strlen(value));
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return close(fd) ? -errno : 0;
}

int vm_for_each(int (*fn)(const char *id, void *arg), void *arg)
{
	struct dirent *de;
	char path[512];
	DIR *dir;
	int ret = 0;

	snprintf(path, sizeof(path), "%s/vms", vm_sysfs_root());
	dir = opendir(path);
	if (!dir)
		return -errno;
	while (!ret && (de = readdir(dir)))
		if (de->d_name[0] != '.')
			ret = fn(de->d_name, arg);
	closedir(dir);
	return ret;
}

int vm_resolve(const char *name, char *id, size_t len)
{
	char path[512];
	struct stat st;

	if (strchr(name, '/'))
		return -EINVAL;
	snprintf(path, sizeof(path), "%s/vms/%s", vm_sysfs_root(), name);
	if (stat(path, &st))
		return -ENOENT;
	snprintf(id, len, "%s", name);
	return 0;
}

const char *vm_field(const char *id, const char *file, char *buf, size_t len)
{
	if (vm_read(id, file, buf, len))
		snprintf(buf, len, "?");
	return buf;
}
