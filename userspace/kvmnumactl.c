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
 *   6 set --wait: placement ended degraded (pages off their layout node)
 */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../common/policy.h"
#include "advise_cmd.h"
#include "jsonout.h"
#include "layout_image.h"
#include "metrics.h"
#include "top.h"
#include "nodelist.h"
#include "placement_view.h"
#include "residency.h"
#include "vcpu_pin.h"
#include "vmname.h"
#include "vmsysfs.h"

enum {
	EXIT_USAGE = 1, EXIT_NOT_LOADED = 2, EXIT_NO_VM = 3, EXIT_REFUSED = 4,
	EXIT_SYSTEM = 5, EXIT_DEGRADED = 6,
};

#define MAX_VCPUS 4096

/* Options, as bits: which command takes which. */
enum {
	OPT_JSON = 1 << 0, OPT_NODES = 1 << 1, OPT_SAMPLE = 1 << 2,
	OPT_SECONDS = 1 << 3, OPT_DRY_RUN = 1 << 4, OPT_ONCE = 1 << 5,
	OPT_SORT = 1 << 6, OPT_LAYOUT = 1 << 7, OPT_WAIT = 1 << 8,
	OPT_MIN_SAMPLES = 1 << 9,
};

struct opts {
	unsigned int given;	/* OPT_* bits seen on the command line */
	bool json, dry_run, once, wait;
	unsigned long sample;
	unsigned long seconds;
	unsigned long min_samples;	/* advise: stop at this many accesses */
	const char *nodes;
	const char *layout;	/* show --layout FILE */
	int sort;		/* enum top_sort */
	char nodes_list[4096];	/* --nodes in the kernel's list format */
};

static const struct command {
	const char *name;
	int operands;		/* after the command name; -N: at least N */
	unsigned int options;	/* OPT_* bits accepted */
	const char *synopsis;
} commands[] = {
	{ "list", 0, OPT_JSON | OPT_SAMPLE, "list [--sample N] [--json]" },
	{ "show", 1, OPT_JSON | OPT_SAMPLE | OPT_LAYOUT,
	  "show VM [--sample N] [--json | --layout FILE.png]" },
	{ "set", 2, OPT_NODES | OPT_WAIT, "set VM POLICY [--nodes LIST] [--wait]" },
	{ "pin", 1, OPT_DRY_RUN, "pin VM [--dry-run]" },
	{ "advise", 1, OPT_JSON | OPT_SECONDS | OPT_MIN_SAMPLES,
	  "advise VM [--seconds N] [--min-samples N] [--json]" },
	{ "policies", 0, OPT_JSON, "policies [--json]" },
	{ "metrics", 0, OPT_SAMPLE, "metrics [--sample N]" },
	{ "layout", -2, 0, "layout OUT.png LABEL=LAYOUT.txt..." },
	{ "top", 0, OPT_ONCE | OPT_SECONDS | OPT_SORT,
	  "top [--once] [--seconds N] [--sort vm|memory|discards|refaults|moves|carrefour]" },
};

#define NR_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static const struct option long_options[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "nodes", required_argument, NULL, 'n' },
	{ "sample", required_argument, NULL, 's' },
	{ "seconds", required_argument, NULL, 't' },
	{ "min-samples", required_argument, NULL, 'm' },
	{ "dry-run", no_argument, NULL, 'd' },
	{ "once", no_argument, NULL, 'o' },
	{ "sort", required_argument, NULL, 'S' },
	{ "layout", required_argument, NULL, 'L' },
	{ "wait", no_argument, NULL, 'w' },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'V' },
	{ NULL, 0, NULL, 0 },
};

static void usage(FILE *out)
{
	fprintf(out, "usage:");
	for (size_t i = 0; i < NR_COMMANDS; i++)
		fprintf(out, "%s kvmnumactl %s\n", i ? "      " : "", commands[i].synopsis);
	fprintf(out,
		"       kvmnumactl --help | --version\n"
		"list shows where each VM's RAM is, asking every N-th page (--sample,\n"
		"    default 64: estimates; root or CAP_SYS_NICE, else \"?\").\n"
		"VM is an id from 'list' (the QEMU pid for its first VM) or the VM's name\n"
		"    (QEMU -name, libvirt's domain name).\n"
		"show --sample N asks the node of every N-th page only (large VMs);\n"
		"    --layout FILE draws the guest RAM by host node with gnuplot (PNG,\n"
		"    or SVG for a name ending in .svg; \"-\": PNG on stdout).\n"
		"set --nodes LIST (\"0-3\", \"0,2\", libnuma syntax) writes the allowed\n"
		"    nodes before the policy; --wait shows the placement's progress\n"
		"    (percentage, ETA) and returns when it is done (exit 0) or degraded\n"
		"    (exit 6: some pages stay off their layout node, the reason is printed).\n"
		"pin spreads the threads \"CPU <n>/KVM\" (QEMU -name ...,debug-threads=on)\n"
		"    over the VM's nodes, one CPU each.\n"
		"advise samples the VM's accesses for N s (default 10) and applies the\n"
		"    thesis' metric: load imbalance -> class -> recommended policy;\n"
		"    --min-samples N stops as soon as N accesses are sampled, --seconds\n"
		"    (then default 60) bounding the wait (a slow guest needs longer).\n"
		"metrics prints every VM's settings, counters and per-node RAM in the\n"
		"    Prometheus text format (node_exporter's textfile collector).\n"
		"top shows per VM and node the resident pages and the rates of re-faults,\n"
		"    discards, moves and Carrefour orders every --seconds (1); keys: s\n"
		"    sorts, q quits; --once prints one frame.\n"
		"layout draws layout files (\"GFN NODE\" lines, as the lab writes them) side\n"
		"    by side, like show --layout.\n"
		"policies lists the policy names:");
	for (int p = 0; p < KVMNUMA_NR_POLICIES; p++)
		fprintf(out, " %s", kvmnuma_policy_name(p));
	fprintf(out, "\n"
		"--json prints one JSON object (with \"schema_version\") instead of text.\n"
		"environment: KVMNUMA_SYSFS (default " KVMNUMA_SYSFS_ROOT ")\n"
		"exit codes: 0 ok, 1 usage, 2 kvmnuma not loaded, 3 no such VM,\n"
		"            4 kernel refused, 5 other system error,\n"
		"            6 set --wait: placement degraded\n"
		"See kvmnumactl(8).\n");
}

/* This program's version and, when the module is loaded, the module's. */
static void print_version(void)
{
	char mod[64];

	printf("kvmnumactl %s\n", KVMNUMA_VERSION);
	if (!vm_read(NULL, "version", mod, sizeof(mod)))
		printf("kvmnuma module %s%s\n", mod,
		       strcmp(mod, KVMNUMA_VERSION) ? " (differs: reinstall one of them)" : "");
}

/* One line naming what is wrong, and where to look; exit code 1. */
static int usage_error(const char *fmt, ...)
{
	va_list ap;

	fputs("kvmnumactl: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputs(" (see 'kvmnumactl --help')\n", stderr);
	return EXIT_USAGE;
}

static int errno_exit(int err)
{
	return err == -ENOENT || err == -ESRCH ? EXIT_NO_VM : EXIT_SYSTEM;
}

struct list_ctx {
	struct json_object *vms;	/* NULL: text */
	unsigned long sample;
};

/* "0:61% 1:39%": share of the guest's pages on each node (text). */
static void share_text(const struct residency *r, char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (int n = 0; n < NODELIST_MAX && used < len; n++)
		if (r->on_node[n])
			used += snprintf(buf + used, len - used, "%s%d:%.0f%%", used ? " " : "",
					 n, 100.0 * r->on_node[n] / r->pages_total);
	if (!used)
		snprintf(buf, len, "-");
}

static struct json_object *share_json(const struct residency *r)
{
	struct json_object *ram = json_object_new_object(), *rows = json_object_new_array();

	json_object_object_add(ram, "sample", json_object_new_uint64(r->sample));
	json_object_object_add(ram, "pages_total", json_object_new_uint64(r->pages_total));
	for (int n = 0; n < NODELIST_MAX; n++) {
		struct json_object *row;

		if (!r->on_node[n])
			continue;
		row = json_object_new_object();
		json_object_object_add(row, "node", json_object_new_int(n));
		json_object_object_add(row, "pages", json_object_new_uint64(r->on_node[n]));
		json_object_object_add(row, "percent",
				       json_percent(100.0 * r->on_node[n] / r->pages_total));
		json_object_array_add(rows, row);
	}
	json_object_object_add(ram, "nodes", rows);
	return ram;
}

static int list_one(const char *id, void *arg)
{
	char pid[32], vcpus[32], mem[32], policy[64], nodes[256], name[256], state[32];
	char share[256];
	static struct residency r;
	struct list_ctx *ctx = arg;
	struct json_object *vm;
	bool ram_ok;

	vm_field(id, "pid", pid, sizeof(pid));
	vm_field(id, "vcpus", vcpus, sizeof(vcpus));
	vm_field(id, "memory_bytes", mem, sizeof(mem));
	vm_field(id, "policy", policy, sizeof(policy));
	vm_field(id, "nodes", nodes, sizeof(nodes));
	vm_field(id, "placement/state", state, sizeof(state));
	vm_name(id, name, sizeof(name));
	/* Where the RAM is: sampled (every sample-th page), needs CAP_SYS_NICE. */
	ram_ok = !residency_of_vm(id, ctx->sample, &r) && r.pages_total;
	if (ctx->vms) {
		vm = json_object_new_object();
		json_object_object_add(vm, "vm", json_object_new_string(id));
		json_object_object_add(vm, "name", *name ? json_object_new_string(name) : NULL);
		json_object_object_add(vm, "pid", json_sysfs_number(pid));
		json_object_object_add(vm, "vcpus", json_sysfs_number(vcpus));
		json_object_object_add(vm, "memory_bytes", json_sysfs_number(mem));
		json_object_object_add(vm, "policy", json_object_new_string(policy));
		json_object_object_add(vm, "state", json_object_new_string(state));
		json_object_object_add(vm, "nodes", json_object_new_string(nodes));
		json_object_object_add(vm, "ram", ram_ok ? share_json(&r) : NULL);
		json_object_array_add(ctx->vms, vm);
	} else {
		if (ram_ok)
			share_text(&r, share, sizeof(share));
		else
			snprintf(share, sizeof(share), "?");
		printf("%-12s %-16s %8s %6s %10llu %-22s %-10s %-8s %s\n", id,
		       *name ? name : "-", pid, vcpus, strtoull(mem, NULL, 10) >> 20,
		       policy, state, nodes, share);
	}
	return 0;
}

static int cmd_list(const struct opts *o)
{
	struct list_ctx ctx = { .sample = o->sample ? o->sample : 64 };
	struct json_object *doc = NULL;
	int ret;

	if (o->json) {
		doc = json_doc_new();
		ctx.vms = json_object_new_array();
		json_object_object_add(doc, "vms", ctx.vms);
	} else {
		printf("%-12s %-16s %8s %6s %10s %-22s %-10s %-8s %s\n", "VM", "NAME", "PID",
		       "VCPUS", "MEM(MiB)", "POLICY", "STATE", "NODES", "RAM PER NODE");
	}
	ret = vm_for_each(list_one, &ctx);
	if (o->json) {
		if (ret)
			json_object_put(doc);
		else
			json_doc_print(doc);
	}
	return ret ? EXIT_NOT_LOADED : 0;
}

/* The policy names, from common/policy.c: the launcher and completion ask here. */
static int cmd_policies(bool json)
{
	struct json_object *doc, *names;

	if (!json) {
		for (int p = 0; p < KVMNUMA_NR_POLICIES; p++)
			puts(kvmnuma_policy_name(p));
		return 0;
	}
	doc = json_doc_new();
	names = json_object_new_array();
	for (int p = 0; p < KVMNUMA_NR_POLICIES; p++)
		json_object_array_add(names, json_object_new_string(kvmnuma_policy_name(p)));
	json_object_object_add(doc, "policies", names);
	json_doc_print(doc);
	return 0;
}

static int cmd_show(const char *id, const struct opts *o)
{
	int ret;

	if (o->layout) {
		ret = layout_vm(id, o->sample, o->layout);
		if (ret) {
			fprintf(stderr, "kvmnumactl: VM %s: cannot draw %s: %s%s\n", id,
				o->layout, strerror(-ret),
				ret == -EPERM ? " (needs root or CAP_SYS_NICE)" :
				ret == -EIO ? " (gnuplot failed; package gnuplot-nox)" : "");
			return errno_exit(ret);
		}
		if (strcmp(o->layout, "-"))
			printf("%s\n", o->layout);
		return 0;
	}
	ret = show_vm(id, o->json, o->sample);
	return ret ? errno_exit(ret) : 0;
}

/* layout OUT LABEL=FILE...: no module needed (the files were recorded). */
static int cmd_layout(int n, char **args)
{
	struct layout_image *li = layout_image_open(args[0], "guest-physical layout per policy",
						    n - 1);
	int ret;

	if (!li) {
		fprintf(stderr, "kvmnumactl: cannot start gnuplot: %s\n", strerror(errno));
		return EXIT_SYSTEM;
	}
	for (int i = 1; i < n; i++) {
		char label[256], *eq = strchr(args[i], '=');
		const char *path = eq ? eq + 1 : args[i];

		snprintf(label, sizeof(label), "%.*s", eq ? (int)(eq - args[i]) : (int)strlen(path),
			 args[i]);
		ret = layout_image_add_file(li, label, path);
		if (ret)
			fprintf(stderr, "kvmnumactl: %s: %s\n", path, strerror(-ret));
	}
	if (layout_image_close(li)) {
		fprintf(stderr, "kvmnumactl: gnuplot failed drawing %s\n", args[0]);
		return EXIT_SYSTEM;
	}
	printf("%s\n", args[0]);
	return 0;
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

/* Checks set's operands before anything is read or written; 0 or EXIT_USAGE. */
static int check_set(const char *policy, struct opts *o)
{
	static int nodes[NODELIST_MAX];
	int n;

	if (kvmnuma_policy_parse(policy, strlen(policy)) < 0)
		return usage_error("unknown policy '%s' ('kvmnumactl policies' lists them)",
				   policy);
	if (!o->nodes)
		return 0;
	/* libnuma's syntax in, the kernel's list format out. */
	n = nodelist_parse(o->nodes, nodes, NODELIST_MAX);
	if (n < 0)
		return usage_error("--nodes '%s': not a list of this machine's nodes",
				   o->nodes);
	nodelist_format(nodes, n, o->nodes_list, sizeof(o->nodes_list));
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static unsigned long long placement_u64(const char *id, const char *file)
{
	char path[64], buf[32];

	snprintf(path, sizeof(path), "placement/%s", file);
	return vm_read(id, path, buf, sizeof(buf)) ? 0 : strtoull(buf, NULL, 10);
}

/*
 * set --wait: follows placement/ until the layout is in place.  Progress
 * (pages settled out of the total) and an ETA from the rate so far go to
 * stderr, one line a second (rewritten in place on a terminal).
 * Returns 0 when done (or idle: no layout to wait for); EXIT_DEGRADED when
 * placement ended degraded (pages failed to move or are unplaceable: the
 * reason is printed); EXIT_SYSTEM when moves failed (modules without a
 * degraded state), when moves wait for a kvmnumad that does not come
 * (10 s); EXIT_NO_VM when the VM went away.
 */
static int wait_placement(const char *id)
{
	bool tty = isatty(STDERR_FILENO);
	double t0 = now_s(), no_daemon_since = 0;
	char state[32], last[160] = "", buf[32];

	for (;;) {
		unsigned long long total, placed, moved, failed, pending, done, unpl;
		char line[160];
		double t = now_s(), pct, eta;

		if (vm_read(id, "placement/state", state, sizeof(state))) {
			if (vm_resolve(id, line, sizeof(line))) {
				fprintf(stderr, "%skvmnumactl: VM %s went away\n", tty ? "\n" : "", id);
				return EXIT_NO_VM;
			}
			return 0;	/* a module without placement/: nothing to wait for */
		}
		total = placement_u64(id, "pages_total");
		placed = placement_u64(id, "pages_placed");
		moved = placement_u64(id, "pages_moved");
		failed = placement_u64(id, "pages_move_failed");
		pending = placement_u64(id, "moves_pending");
		unpl = placement_u64(id, "pages_unplaceable");
		/*
		 * Modules with pages_unwalked keep a partition (placed counts
		 * the moved pages too): settled = total - unwalked - pending.
		 * Older ones counted found, moved and failed pages apart.
		 */
		if (!vm_read(id, "placement/pages_unwalked", buf, sizeof(buf))) {
			unsigned long long unwalked = strtoull(buf, NULL, 10);

			done = total > unwalked + pending ? total - unwalked - pending : 0;
		} else {
			done = placed + moved + failed;
		}
		if (!strcmp(state, "idle") || !strcmp(state, "done") ||
		    !strcmp(state, "degraded")) {
			fprintf(stderr, "%splacement %s: %llu pages in place, %llu moved, %llu failed",
				tty && *last ? "\r\033[K" : "", state, placed, moved, failed);
			if (unpl)
				fprintf(stderr, ", %llu unplaceable", unpl);
			fprintf(stderr, ", %.1f s\n", t - t0);
			if (!strcmp(state, "degraded")) {
				char reason[32];

				vm_field(id, "placement/unplaceable_reason", reason, sizeof(reason));
				fprintf(stderr, "kvmnumactl: VM %s: placement degraded: %llu pages off their layout node "
					"(%llu failed to move, %llu unplaceable, reason %s)\n",
					id, failed + unpl, failed, unpl, unpl ? reason : "none");
				return EXIT_DEGRADED;
			}
			if (failed) {
				fprintf(stderr, "kvmnumactl: VM %s: %llu page moves failed (see kvmnumad's log)\n",
					id, failed);
				return EXIT_SYSTEM;
			}
			return 0;
		}
		if (!strcmp(state, "waiting-for-kvmnumad")) {
			if (!no_daemon_since)
				no_daemon_since = t;
			if (t - no_daemon_since > 10) {
				fprintf(stderr, "%skvmnumactl: VM %s: %llu page moves wait for kvmnumad, "
					"which is not running (systemctl start kvmnumad)\n",
					tty ? "\n" : "", id, pending);
				return EXIT_SYSTEM;
			}
		} else {
			no_daemon_since = 0;
		}
		pct = total ? 100.0 * done / total : 0;
		eta = done && total > done ? (t - t0) * (total - done) / done : 0;
		/* Why the walk waits, if it does (memory-pressure, orders-cap). */
		if (vm_read(id, "placement/paused", buf, sizeof(buf)) || !strcmp(buf, "no"))
			buf[0] = '\0';
		snprintf(line, sizeof(line), "placement %s: %llu/%llu pages (%.1f%%), %llu moves pending, ETA %s%.0f s%s%s",
			 state, done, total, pct, pending, done ? "" : "? ", eta,
			 *buf ? ", paused: " : "", buf);
		if (strcmp(line, last)) {
			fprintf(stderr, tty ? "\r\033[K%s" : "%s\n", line);
			snprintf(last, sizeof(last), "%s", line);
		}
		usleep(tty ? 200000 : 1000000);
	}
}

static int cmd_set(const char *id, const char *policy, const struct opts *o)
{
	int ret;

	/* Nodes first: a policy that places at once must see the new node set. */
	if (o->nodes) {
		ret = set_attr(id, "nodes", o->nodes_list);
		if (ret)
			return ret;
	}
	ret = set_attr(id, "policy", policy);
	return ret || !o->wait ? ret : wait_placement(id);
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

static int parse_count(const char *opt, const char *arg, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 10);
	if (*arg < '0' || *arg > '9' || *end || errno || !*out)
		return usage_error("%s '%s': a positive integer", opt, arg);
	return 0;
}

/* Returns 0, or an exit code (EXIT_USAGE; or -1 after --help/--version). */
static int parse_args(int argc, char **argv, struct opts *o)
{
	int c;

	opterr = 0;	/* the errors below name the option */
	while ((c = getopt_long(argc, argv, ":jhV", long_options, NULL)) != -1) {
		switch (c) {
		case 'j':
			o->json = true;
			o->given |= OPT_JSON;
			break;
		case 'n':
			o->nodes = optarg;
			o->given |= OPT_NODES;
			break;
		case 's':
			o->given |= OPT_SAMPLE;
			if (parse_count("--sample", optarg, &o->sample))
				return EXIT_USAGE;
			break;
		case 'm':
			o->given |= OPT_MIN_SAMPLES;
			if (parse_count("--min-samples", optarg, &o->min_samples))
				return EXIT_USAGE;
			break;
		case 't':
			o->given |= OPT_SECONDS;
			if (parse_count("--seconds", optarg, &o->seconds))
				return EXIT_USAGE;
			break;
		case 'd':
			o->dry_run = true;
			o->given |= OPT_DRY_RUN;
			break;
		case 'o':
			o->once = true;
			o->given |= OPT_ONCE;
			break;
		case 'w':
			o->wait = true;
			o->given |= OPT_WAIT;
			break;
		case 'L':
			o->layout = optarg;
			o->given |= OPT_LAYOUT;
			break;
		case 'S':
			o->given |= OPT_SORT;
			o->sort = top_sort_parse(optarg);
			if (o->sort < 0)
				return usage_error("--sort '%s': vm, memory, discards, refaults, moves or carrefour",
						   optarg);
			break;
		case 'h':
			usage(stdout);
			return -1;
		case 'V':
			print_version();
			return -1;
		case ':':
			return usage_error("option '%s' needs a value", argv[optind - 1]);
		default:
			if (optopt)
				return usage_error("unknown option '-%c'", optopt);
			return usage_error("unknown option '%s'", argv[optind - 1]);
		}
	}
	return 0;
}

static const char *const option_names[] = {
	"--json", "--nodes", "--sample", "--seconds", "--dry-run", "--once",
	"--sort", "--layout", "--wait", "--min-samples",
};

/* The command, checked against its operand count and options. */
static const struct command *check_command(int nargs, char **args,
					   const struct opts *o, int *err)
{
	const struct command *cmd = NULL;

	*err = EXIT_USAGE;
	if (!nargs) {
		usage_error("no command");
		return NULL;
	}
	for (size_t i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(args[0], commands[i].name))
			cmd = &commands[i];
	if (!cmd) {
		usage_error("unknown command '%s'", args[0]);
		return NULL;
	}
	for (size_t b = 0; b < sizeof(option_names) / sizeof(option_names[0]); b++)
		if ((o->given & (1u << b)) && !(cmd->options & (1u << b))) {
			usage_error("'%s' takes no %s option", cmd->name, option_names[b]);
			return NULL;
		}
	if (cmd->operands >= 0 ? nargs - 1 != cmd->operands : nargs - 1 < -cmd->operands) {
		usage_error("usage: kvmnumactl %s", cmd->synopsis);
		return NULL;
	}
	*err = 0;
	return cmd;
}

int main(int argc, char **argv)
{
	/* sample stays 0 ("not given") until validated: list/set/pin refuse it. */
	struct opts o = { 0 };
	const struct command *cmd;
	char abi[16], id[64];
	char **args;
	int nargs, ret;

	ret = parse_args(argc, argv, &o);
	if (ret)
		return ret < 0 ? 0 : ret;
	args = argv + optind;
	nargs = argc - optind;
	cmd = check_command(nargs, args, &o, &ret);
	if (!cmd)
		return ret;
	if (!strcmp(cmd->name, "policies"))
		return cmd_policies(o.json);
	if (!strcmp(cmd->name, "layout"))
		return cmd_layout(nargs - 1, args + 1);
	if (o.json && o.layout)
		return usage_error("show takes --json or --layout, not both");
	if (!strcmp(cmd->name, "set") && check_set(args[2], &o))
		return EXIT_USAGE;
	if (vm_read(NULL, "abi_version", abi, sizeof(abi))) {
		fprintf(stderr, "kvmnumactl: kvmnuma is not loaded (no %s)\n",
			vm_sysfs_root());
		return EXIT_NOT_LOADED;
	}
	if (!strcmp(cmd->name, "list"))
		return cmd_list(&o);
	if (!strcmp(cmd->name, "top"))
		return top_run(o.once, o.seconds ? o.seconds : 1, o.sort);
	if (!strcmp(cmd->name, "metrics"))
		return metrics_print(o.sample ? o.sample : 1);
	ret = vm_lookup(args[1], id, sizeof(id));
	if (ret) {
		fprintf(stderr, ret == -EEXIST ?
			"kvmnumactl: several VMs are named '%s': give the id (see 'kvmnumactl list')\n" :
			"kvmnumactl: no VM '%s' (see 'kvmnumactl list')\n", args[1]);
		return EXIT_NO_VM;
	}
	if (!o.sample)
		o.sample = 1;
	if (!strcmp(cmd->name, "show"))
		return cmd_show(id, &o);
	if (!strcmp(cmd->name, "set"))
		return cmd_set(id, args[2], &o);
	if (!strcmp(cmd->name, "advise"))
		return advise_vm(id, o.seconds ? o.seconds : o.min_samples ? 60 : 10,
				 o.min_samples, o.json);
	return cmd_pin(id, &o);
}
