// SPDX-License-Identifier: GPL-2.0
/*
 * kvmnumactl: list KVM VMs known to kvmnuma, show and set their policy and
 * allowed nodes, pin their vCPU threads over those nodes.
 *
 * Exit codes (also in --help; scripts rely on them):
 *   0 success
 *   1 usage error
 *   2 kvmnuma not loaded (no sysfs root; $KVMNUMA_SYSFS overrides it)
 *   3 no such VM (or its process is gone)
 *   4 the kernel refused the request (the message gives the errno)
 *   5 other system error (move_pages, sched_setaffinity, /proc)
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../common/policy.h"
#include "advise_cmd.h"
#include "json.h"
#include "nodelist.h"
#include "placement_view.h"
#include "vcpu_pin.h"
#include "vmsysfs.h"

enum {
	EXIT_USAGE = 1, EXIT_NOT_LOADED = 2, EXIT_NO_VM = 3, EXIT_REFUSED = 4,
	EXIT_SYSTEM = 5,
};

#define MAX_VCPUS 4096

struct opts {
	bool json, dry_run;
	unsigned long sample;
	unsigned long seconds;
	const char *nodes;
	const char *args[3];	/* command and its operands */
	int nargs;
};

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kvmnumactl [--json] list\n"
		"       kvmnumactl [--json] show <vm> [--sample N]\n"
		"       kvmnumactl set <vm> <policy> [--nodes LIST]\n"
		"       kvmnumactl pin <vm> [--dry-run]\n"
		"       kvmnumactl [--json] advise <vm> [--seconds N]\n"
		"<vm> is an id from 'list' (the QEMU pid for its first VM).\n"
		"show --sample N asks the node of every N-th page only (large VMs).\n"
		"set --nodes LIST (\"0-3\", \"0,2\") writes the allowed nodes before the policy.\n"
		"pin spreads the threads \"CPU <n>/KVM\" (QEMU -name ...,debug-threads=on)\n"
		"    over the VM's nodes, one CPU each.\n"
		"advise samples the VM's accesses for N s (default 10) and applies the\n"
		"    thesis' metric: load imbalance -> class -> recommended policy.\n"
		"policies:");
	for (int p = 0; p < KVMNUMA_NR_POLICIES; p++)
		fprintf(out, " %s", kvmnuma_policy_name(p));
	fprintf(out, "\n"
		"environment: KVMNUMA_SYSFS (default " KVMNUMA_SYSFS_ROOT ")\n"
		"exit codes: 0 ok, 1 usage, 2 kvmnuma not loaded, 3 no such VM,\n"
		"            4 kernel refused, 5 other system error\n");
}

static int errno_exit(int err)
{
	return err == -ENOENT || err == -ESRCH ? EXIT_NO_VM : EXIT_SYSTEM;
}

static int list_one(const char *id, void *arg)
{
	char pid[32], vcpus[32], mem[32], policy[64], nodes[256];
	struct json *j = arg;

	vm_field(id, "pid", pid, sizeof(pid));
	vm_field(id, "vcpus", vcpus, sizeof(vcpus));
	vm_field(id, "memory_bytes", mem, sizeof(mem));
	vm_field(id, "policy", policy, sizeof(policy));
	vm_field(id, "nodes", nodes, sizeof(nodes));
	if (j) {
		json_begin_object(j, NULL);
		json_string(j, "id", id);
		json_number_text(j, "pid", pid);
		json_number_text(j, "vcpus", vcpus);
		json_number_text(j, "memory_bytes", mem);
		json_string(j, "policy", policy);
		json_string(j, "nodes", nodes);
		json_end_object(j);
	} else {
		printf("%-12s %8s %6s %10llu %-22s %s\n", id, pid, vcpus,
		       strtoull(mem, NULL, 10) >> 20, policy, nodes);
	}
	return 0;
}

static int cmd_list(bool json)
{
	struct json j;
	int ret;

	if (json) {
		json_init(&j, stdout);
		json_begin_object(&j, NULL);
		json_begin_array(&j, "vms");
	} else {
		printf("%-12s %8s %6s %10s %-22s %s\n", "VM", "PID", "VCPUS",
		       "MEM(MiB)", "POLICY", "NODES");
	}
	ret = vm_for_each(list_one, json ? &j : NULL);
	if (json) {
		json_end_array(&j);
		json_end_object(&j);
	}
	return ret ? EXIT_NOT_LOADED : 0;
}

static int cmd_show(const char *id, const struct opts *o)
{
	int ret = show_vm(id, o->json, o->sample);

	return ret ? errno_exit(ret) : 0;
}

/* Writes one VM attribute; reports a refusal with the VM, value and errno. */
static int set_attr(const char *id, const char *file, const char *value)
{
	int ret = vm_write(id, file, value);

	if (!ret)
		return 0;
	fprintf(stderr, "kvmnumactl: VM %s: cannot set %s '%s': %s\n",
		id, file, value, strerror(-ret));
	return ret == -ENOENT ? EXIT_NO_VM : EXIT_REFUSED;
}

static int cmd_set(const char *id, const char *policy, const struct opts *o)
{
	int ret;

	if (kvmnuma_policy_parse(policy, strlen(policy)) < 0) {
		fprintf(stderr, "kvmnumactl: VM %s: unknown policy '%s'\n", id, policy);
		usage(stderr);
		return EXIT_USAGE;
	}
	/* Nodes first: a policy that places at once must see the new node set. */
	if (o->nodes && (ret = set_attr(id, "nodes", o->nodes)))
		return ret;
	return set_attr(id, "policy", policy);
}

static int cmd_pin(const char *id, const struct opts *o)
{
	static struct vcpu_pin v[MAX_VCPUS];
	static int nodes[NODELIST_MAX];
	char pidbuf[32], list[256];
	int pid, n, k, ret, status = 0;

	if (vm_read(id, "pid", pidbuf, sizeof(pidbuf)))
		return EXIT_NO_VM;
	pid = atoi(pidbuf);
	if (vm_read(id, "nodes", list, sizeof(list)) ||
	    (k = nodelist_parse(list, nodes, NODELIST_MAX)) < 0) {
		fprintf(stderr, "kvmnumactl: VM %s: cannot read its nodes\n", id);
		return EXIT_SYSTEM;
	}
	n = vcpu_threads_find(pid, v, MAX_VCPUS);
	if (n < 0) {
		fprintf(stderr, "kvmnumactl: VM %s: process %d: %s\n", id, pid, strerror(-n));
		return errno_exit(n);
	}
	if (!n) {
		fprintf(stderr, "kvmnumactl: VM %s: no thread of process %d is named "
			"\"CPU <n>/KVM\"; start QEMU with -name <name>,debug-threads=on\n",
			id, pid);
		return EXIT_SYSTEM;
	}
	if (vcpu_pin_plan(v, n, nodes, k)) {
		fprintf(stderr, "kvmnumactl: VM %s: none of its nodes (%s) has a CPU\n",
			id, list);
		return EXIT_SYSTEM;
	}
	for (int i = 0; i < n; i++) {
		printf("vCPU %-4d thread %-8d -> node %-3d cpu %d%s\n", v[i].vcpu,
		       v[i].tid, v[i].node, v[i].cpu, o->dry_run ? " (dry run)" : "");
		if (o->dry_run || !(ret = vcpu_pin_apply(&v[i])))
			continue;
		fprintf(stderr, "kvmnumactl: VM %s: cannot pin thread %d to cpu %d: %s\n",
			id, v[i].tid, v[i].cpu, strerror(-ret));
		status = EXIT_SYSTEM;
	}
	return status;
}

static int parse_args(int argc, char **argv, struct opts *o)
{
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		char *end;

		if (!strcmp(a, "--json")) {
			o->json = true;
		} else if (!strcmp(a, "--dry-run")) {
			o->dry_run = true;
		} else if (!strcmp(a, "--nodes") && i + 1 < argc) {
			o->nodes = argv[++i];
		} else if (!strcmp(a, "--seconds") && i + 1 < argc) {
			o->seconds = strtoul(argv[++i], &end, 10);
			if (*end || !o->seconds)
				return -1;
		} else if (!strcmp(a, "--sample") && i + 1 < argc) {
			o->sample = strtoul(argv[++i], &end, 10);
			if (*end || !o->sample)
				return -1;
		} else if (a[0] == '-' && a[1]) {
			return -1;
		} else if (o->nargs < 3) {
			o->args[o->nargs++] = a;
		} else {
			return -1;
		}
	}
	return o->nargs ? 0 : -1;
}

/* Which command takes how many operands, and which options. */
static bool valid(const struct opts *o)
{
	const char *c = o->args[0];

	if (!strcmp(c, "list"))
		return o->nargs == 1 && !o->nodes && !o->sample && !o->dry_run;
	if (!strcmp(c, "show"))
		return o->nargs == 2 && !o->nodes && !o->dry_run;
	if (!strcmp(c, "set"))
		return o->nargs == 3 && !o->json && !o->sample && !o->dry_run;
	if (!strcmp(c, "pin"))
		return o->nargs == 2 && !o->json && !o->sample && !o->nodes &&
		       !o->seconds;
	if (!strcmp(c, "advise"))
		return o->nargs == 2 && !o->sample && !o->nodes && !o->dry_run;
	return false;
}

int main(int argc, char **argv)
{
	/* sample stays 0 ("not given") until validated: list/set/pin refuse it. */
	struct opts o = { 0 };
	char abi[16], id[64];

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		}
	if (parse_args(argc, argv, &o) || !valid(&o)) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (vm_read(NULL, "abi_version", abi, sizeof(abi))) {
		fprintf(stderr, "kvmnumactl: kvmnuma is not loaded (no %s)\n",
			vm_sysfs_root());
		return EXIT_NOT_LOADED;
	}
	if (!strcmp(o.args[0], "list"))
		return cmd_list(o.json);
	if (vm_resolve(o.args[1], id, sizeof(id))) {
		fprintf(stderr, "kvmnumactl: no VM '%s' (see 'kvmnumactl list')\n",
			o.args[1]);
		return EXIT_NO_VM;
	}
	if (!o.sample)
		o.sample = 1;
	if (!strcmp(o.args[0], "show"))
		return cmd_show(id, &o);
	if (!strcmp(o.args[0], "set"))
		return cmd_set(id, o.args[2], &o);
	if (!strcmp(o.args[0], "advise"))
		return advise_vm(id, o.seconds ? o.seconds : 10, o.json);
	return cmd_pin(id, &o);
}
