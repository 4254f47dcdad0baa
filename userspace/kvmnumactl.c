// SPDX-License-Identifier: GPL-2.0
/*
 * kvmnumactl: list KVM VMs known to kvmnuma, show and set their policy.
 *
 * Exit codes: 0 success, 1 usage error, 2 kvmnuma not loaded,
 * 3 no such VM, 4 the kernel refused the request.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/policy.h"
#include "vmsysfs.h"

enum { EXIT_USAGE = 1, EXIT_NOT_LOADED = 2, EXIT_NO_VM = 3, EXIT_REFUSED = 4 };

static bool json;

static const char *const stat_files[] = {
	"probes", "batches", "entries", "bad_batches", "disabled_batches",
	"pages_discarded", "discard_failures", "pages_not_discardable",
	"flush_ns", "refaults",
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kvmnumactl [--json] list\n"
		"       kvmnumactl [--json] show <vm>\n"
		"       kvmnumactl set <vm> <policy>\n"
		"<vm> is an id from 'list' (the QEMU pid for its first VM).\n"
		"policies:");
	for (int p = 0; p < KVMNUMA_NR_POLICIES; p++)
		fprintf(out, " %s", kvmnuma_policy_name(p));
	fprintf(out, "\n");
}

static void field(const char *id, const char *file, char *buf, size_t len)
{
	if (vm_read(id, file, buf, len))
		snprintf(buf, len, "?");
}

static int list_one(const char *id, void *arg)
{
	char pid[32], vcpus[32], mem[32], policy[64];
	int *n = arg;

	field(id, "pid", pid, sizeof(pid));
	field(id, "vcpus", vcpus, sizeof(vcpus));
	field(id, "memory_bytes", mem, sizeof(mem));
	field(id, "policy", policy, sizeof(policy));
	if (json)
		printf("%s{\"id\":\"%s\",\"pid\":%s,\"vcpus\":%s,\"memory_bytes\":%s,\"policy\":\"%s\"}",
		       (*n)++ ? "," : "", id, pid, vcpus, mem, policy);
	else
		printf("%-12s %8s %6s %10llu %s\n", id, pid, vcpus,
		       strtoull(mem, NULL, 10) >> 20, policy);
	return 0;
}

static int cmd_list(void)
{
	int n = 0, ret;

	if (json)
		printf("[");
	else
		printf("%-12s %8s %6s %10s %s\n", "VM", "PID", "VCPUS", "MEM(MiB)",
		       "POLICY");
	ret = vm_for_each(list_one, &n);
	if (json)
		printf("]\n");
	return ret;
}

static int cmd_show(const char *id)
{
	char buf[64], path[128];
	size_t i;

	list_one(id, &(int){ 0 });
	if (json)
		printf("\n");
	for (i = 0; i < sizeof(stat_files) / sizeof(stat_files[0]); i++) {
		snprintf(path, sizeof(path), "stats/%s", stat_files[i]);
		field(id, path, buf, sizeof(buf));
		printf(json ? "{\"%s\":%s}\n" : "  %-24s %s\n", stat_files[i], buf);
	}
	return 0;
}

static int cmd_set(const char *id, const char *policy)
{
	int ret;

	if (kvmnuma_policy_parse(policy, strlen(policy)) < 0) {
		fprintf(stderr, "kvmnumactl: VM %s: unknown policy '%s'\n", id, policy);
		usage(stderr);
		return EXIT_USAGE;
	}
	ret = vm_write(id, "policy", policy);
	if (ret) {
		fprintf(stderr, "kvmnumactl: VM %s: cannot set policy %s: %s\n",
			id, policy, strerror(-ret));
		return ret == -ENOENT ? EXIT_NO_VM : EXIT_REFUSED;
	}
	return 0;
}

int main(int argc, char **argv)
{
	char abi[16], id[64];
	int i = 1;

	if (i < argc && !strcmp(argv[i], "--json")) {
		json = true;
		i++;
	}
	if (i >= argc || !strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
		usage(i >= argc ? stderr : stdout);
		return i >= argc ? EXIT_USAGE : 0;
	}
	if (vm_read(NULL, "abi_version", abi, sizeof(abi))) {
		fprintf(stderr, "kvmnumactl: kvmnuma is not loaded (no %s)\n",
			KVMNUMA_SYSFS_ROOT);
		return EXIT_NOT_LOADED;
	}
	if (!strcmp(argv[i], "list") && argc == i + 1)
		return cmd_list() ? EXIT_NOT_LOADED : 0;
	if ((!strcmp(argv[i], "show") && argc == i + 2) ||
	    (!strcmp(argv[i], "set") && argc == i + 3)) {
		if (vm_resolve(argv[i + 1], id, sizeof(id))) {
			fprintf(stderr, "kvmnumactl: no VM '%s' (see 'kvmnumactl list')\n",
				argv[i + 1]);
			return EXIT_NO_VM;
		}
		return argv[i][1] == 'h' ? cmd_show(id) : cmd_set(id, argv[i + 2]);
	}
	usage(stderr);
	return EXIT_USAGE;
}
