// SPDX-License-Identifier: GPL-2.0
/*
 * kvmnumad: carries out the page migrations the kvmnuma host module orders
 * (a module cannot migrate pages itself; see include/kvmnuma/user_abi.h).
 *
 * Reads struct kvmnuma_move_order records from /dev/kvmnuma ($KVMNUMA_DEV),
 * moves the pages with move_pages(2), writes one struct kvmnuma_move_result
 * per order.  Runs in the foreground (systemd's Type=simple), logs to
 * stderr.  Needs CAP_SYS_NICE to move other processes' pages (and
 * CAP_SYS_PTRACE for a QEMU running as another user).
 *
 * Exit codes: 0 stopped by SIGTERM/SIGINT or --once done, 1 usage,
 * 2 cannot open the device (busy, no permission; or absent with --once),
 * 3 the device failed (read/write error).
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "move_exec.h"

#define BATCH 1024	/* orders per read(): round-4k sends one per page */

static bool verbose, once;
static volatile sig_atomic_t stop_signal;
static sigset_t stop_set;	/* SIGTERM, SIGINT: blocked except while waiting */
static unsigned long long total_orders, total_moved, total_failed, total_stale;
static int confirm_dev = -1;	/* the device, if it is one (see main) */

static void log_msg(const char *fmt, ...)
{
	va_list ap;

	fputs("kvmnumad: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void on_signal(int sig)
{
	stop_signal = sig;
}

/* Sleeps up to @ms; true if SIGTERM/SIGINT arrived (now or before). */
static bool wait_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	int sig = sigtimedwait(&stop_set, NULL, &ts);

	if (sig > 0)
		stop_signal = sig;
	return stop_signal;
}

static const char *dev_path(void)
{
	const char *p = getenv("KVMNUMA_DEV");

	return p && *p ? p : "/dev/" KVMNUMA_DEV_NAME;
}

/*
 * Opens the device, waiting while it does not exist (module not loaded yet:
 * the daemon may start before the module).  Returns the fd, -1 on a stop
 * signal, or -2 for an error worth exiting on.
 */
static int open_device(void)
{
	bool told = false;
	int fd;

	for (;;) {
		/* O_NONBLOCK: read() never blocks past ppoll(), where signals land. */
		fd = open(dev_path(), O_RDWR | O_NONBLOCK | O_CLOEXEC);
		if (fd >= 0) {
			if (told || verbose)
				log_msg("%s opened", dev_path());
			return fd;
		}
		if (errno != ENOENT && errno != ENODEV && errno != ENXIO) {
			log_msg("cannot open %s: %s%s", dev_path(), strerror(errno),
				errno == EBUSY ? " (another kvmnumad is running)" : "");
			return -2;
		}
		if (once) {
			log_msg("%s: %s (kvmnuma module not loaded?)", dev_path(),
				strerror(errno));
			return -2;
		}
		if (!told) {
			log_msg("%s absent: kvmnuma module not loaded; retrying every second",
				dev_path());
			told = true;
		}
		if (wait_ms(1000))
			return -1;
	}
}

/*
 * Expected failures (a node without room) are logged once per VM and
 * reason per NOTE_INTERVAL seconds, with what was left since the last line:
 * the module counts every page (placement/unplaceable_by_reason).
 */
#define NOTE_INTERVAL 60
#define NOTE_SLOTS 64

static struct note_slot {
	int pid;
	int error;
	time_t last;
	unsigned long long orders, pages;	/* since the last line */
} notes[NOTE_SLOTS];

static void note_expected(const struct kvmnuma_move_order *o,
			  const struct kvmnuma_move_result *r)
{
	struct note_slot *n = NULL, *oldest = &notes[0];
	time_t now = time(NULL);

	for (int i = 0; i < NOTE_SLOTS; i++) {
		if (notes[i].pid == o->pid && notes[i].error == r->error) {
			n = &notes[i];
			break;
		}
		if (notes[i].last < oldest->last)
			oldest = &notes[i];
	}
	if (!n) {	/* a new VM or reason: reuse the stalest slot */
		n = oldest;
		*n = (struct note_slot){ .pid = o->pid, .error = r->error };
	}
	n->orders++;
	n->pages += r->failed;
	if (n->last && now - n->last < NOTE_INTERVAL)
		return;
	log_msg("pid %d: no room on node %d above its high watermark: %llu pages "
		"in %llu orders left where they are (counted as unplaceable; "
		"next note for this VM in %d s at the earliest)",
		o->pid, o->node, n->pages, n->orders, NOTE_INTERVAL);
	n->last = now;
	n->orders = n->pages = 0;
}

static void report(const struct kvmnuma_move_order *o,
		   const struct kvmnuma_move_result *r)
{
	static bool told_eperm, told_ns;

	total_orders++;
	total_moved += r->moved;
	total_failed += r->failed;
	total_stale += r->error == -ESRCH;
	if (r->error == -EPERM && !told_eperm) {
		log_msg("move_pages(pid %d): %s: kvmnumad needs CAP_SYS_NICE to move "
			"another process's pages, and CAP_SYS_PTRACE if QEMU runs as "
			"another user (run it as root or grant the capabilities)",
			o->pid, strerror(EPERM));
		told_eperm = true;
	} else if (o->pid == 0 && !told_ns) {
		log_msg("order %llu: its VM's QEMU is not in kvmnumad's pid namespace: "
			"answered as stale (run kvmnumad in the host's pid namespace or "
			"in the one of the QEMUs it serves)", (unsigned long long)o->id);
		told_ns = true;
	} else if (r->error == -ENOMEM) {
		note_expected(o, r);
	} else if (r->error && r->error != -ESRCH && r->error != -EPERM) {
		log_msg("order %llu (pid %d, node %d): %s", (unsigned long long)o->id,
			o->pid, o->node, strerror(-r->error));
	}
	if (verbose)
		log_msg("order %llu: pid %d %llu pages at 0x%llx -> node %d: moved %llu, failed %llu%s%s",
			(unsigned long long)o->id, o->pid, (unsigned long long)o->npages,
			(unsigned long long)o->start, o->node,
			(unsigned long long)r->moved, (unsigned long long)r->failed,
			r->error ? ", " : "", r->error ? strerror(-r->error) : "");
}

/* Handles one read()'s worth of orders; -1 when the device failed. */
static int handle_batch(int fd, const struct kvmnuma_move_order *orders, int n)
{
	static struct kvmnuma_move_result results[BATCH];
	unsigned long late = 0;
	ssize_t len;

	move_orders_exec_bound(confirm_dev, orders, n, results, &late);
	if (late)
		log_msg("%lu orders: their process exited or exec'd while move_pages(2) ran "
			"(its pid may have been recycled): answered as stale", late);
	for (int i = 0; i < n; i++)
		report(&orders[i], &results[i]);
	len = write(fd, results, n * sizeof(results[0]));
	if (len < 0) {
		log_msg("writing %d results: %s", n, strerror(errno));
		return -1;
	}
	/* The module took the results before a bad one (EINVAL stops the write). */
	if ((size_t)len != n * sizeof(results[0]))
		log_msg("the module accepted %zd of %d results", len / (ssize_t)sizeof(results[0]), n);
	return 0;
}

/*
 * Forcing knob for the stale-order lab scenario: with $KVMNUMAD_TEST_HOLD
 * naming a FIFO, the first batch read is logged (up to 8 orders) and held
 * until a line is written to the FIFO, so that the scenario can kill QEMU
 * and recycle its pid while the orders are in kvmnumad's hands: the window
 * between read() and move_pages(2), widened without any sleep.
 */
static void test_hold(const struct kvmnuma_move_order *orders, int n)
{
	static bool held;
	const char *fifo = getenv("KVMNUMAD_TEST_HOLD");
	char c;
	int fd;

	if (held || !fifo || !*fifo)
		return;
	held = true;
	for (int i = 0; i < n && i < 8; i++)
		log_msg("held order %llu: pid %d node %d start 0x%llx npages %llu",
			(unsigned long long)orders[i].id, orders[i].pid, orders[i].node,
			(unsigned long long)orders[i].start,
			(unsigned long long)orders[i].npages);
	log_msg("holding %d orders until %s is written (test)", n, fifo);
	fd = open(fifo, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || read(fd, &c, 1) < 0)
		log_msg("%s: %s", fifo, strerror(errno));
	if (fd >= 0)
		close(fd);
	log_msg("released %d orders", n);
}

/* Serves orders until a stop signal (0), the device fails (-1), or --once is done (0). */
static int serve(int fd)
{
	static struct kvmnuma_move_order orders[BATCH];
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	sigset_t waitmask;
	ssize_t len;

	/* ppoll() unblocks SIGTERM/SIGINT only while waiting: no lost wake-up. */
	sigprocmask(SIG_SETMASK, NULL, &waitmask);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGINT);
	while (!stop_signal) {
		if (ppoll(&pfd, 1, once ? &(struct timespec){ 0, 0 } : NULL, &waitmask) < 0) {
			if (errno == EINTR)
				continue;
			log_msg("poll: %s", strerror(errno));
			return -1;
		}
		if (pfd.revents & (POLLERR | POLLHUP | POLLNVAL)) {
			log_msg("%s: device error (module unloading?)", dev_path());
			return -1;
		}
		if (!(pfd.revents & POLLIN)) {
			if (once)
				return 0;
			continue;
		}
		len = read(fd, orders, sizeof(orders));
		if (len < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN) {
				if (once)
					return 0;
				continue;
			}
			log_msg("read: %s", strerror(errno));
			return -1;
		}
		if (len == 0) {
			/* The module never returns 0; a regular file (tests) does at its end. */
			if (once || wait_ms(1000))
				return 0;
			continue;
		}
		if (len % sizeof(orders[0]))
			log_msg("read %zd bytes: not whole orders; ignoring the tail", len);
		test_hold(orders, len / sizeof(orders[0]));
		if (handle_batch(fd, orders, len / sizeof(orders[0])))
			return -1;
	}
	return 0;
}

static void usage(FILE *out)
{
	fprintf(out,
		"usage: kvmnumad [-f] [-v] [--once] | --help | --version\n"
		"  -f, --foreground  the default: it never forks; systemd runs it so\n"
		"  -v, --verbose     log one line per migration order\n"
		"  --once            handle the orders pending now, then exit\n"
		"environment: KVMNUMA_DEV (default /dev/" KVMNUMA_DEV_NAME ")\n"
		"exit codes: 0 stopped or done, 1 usage, 2 cannot open the device,\n"
		"            3 device error\n"
		"See kvmnumad(8).\n");
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct stat st;
	int fd, ret = 0;

	static const struct option long_options[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "once", no_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 },
	};
	int c;

	opterr = 0;	/* the error below names the option */
	while ((c = getopt_long(argc, argv, "fvhV", long_options, NULL)) != -1) {
		switch (c) {
		case 'f':
			break;
		case 'v':
			verbose = true;
			break;
		case 'o':
			once = true;
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'V':
			printf("kvmnumad %s\n", KVMNUMA_VERSION);
			return 0;
		default:
			if (optopt)
				fprintf(stderr, "kvmnumad: unknown option '-%c'", optopt);
			else
				fprintf(stderr, "kvmnumad: unknown option '%s'", argv[optind - 1]);
			fprintf(stderr, " (see 'kvmnumad --help')\n");
			return 1;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "kvmnumad: unexpected argument '%s' (see 'kvmnumad --help')\n",
			argv[optind]);
		return 1;
	}
	sigemptyset(&stop_set);
	sigaddset(&stop_set, SIGTERM);
	sigaddset(&stop_set, SIGINT);
	sigprocmask(SIG_BLOCK, &stop_set, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	/* journald gets whole lines even if stderr is a pipe. */
	setvbuf(stderr, NULL, _IOLBF, 0);

	while (!stop_signal) {
		fd = open_device();
		if (fd == -1)
			break;
		if (fd == -2) {
			ret = 2;
			break;
		}
		/*
		 * Orders are confirmed with the module before each move
		 * (KVMNUMA_IOC_CONFIRM); a regular file standing in for the
		 * device (tests) cannot confirm anything.
		 */
		confirm_dev = fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) ? fd : -1;
		ret = serve(fd) ? 3 : 0;
		close(fd);	/* unanswered orders go back to the module's queue */
		if (once || !ret)
			break;
		/* The device failed: the module may be reloading; open it afresh. */
		ret = 0;
		if (wait_ms(1000))
			break;
	}
	if (stop_signal)
		log_msg("stopping on signal %d", (int)stop_signal);
	if (verbose || total_orders)
		log_msg("%llu orders, %llu pages moved, %llu failed, %llu stale (VM gone)",
			total_orders, total_moved, total_failed, total_stale);
	return ret;
}
