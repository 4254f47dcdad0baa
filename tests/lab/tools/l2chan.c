/*
 * l2chan: run one shell command in an L2 guest over its virtio-serial
 * command port and relay the output and exit status.
 *
 *   l2chan [-t SECONDS] [-p QEMU_PID] FIFO_BASE COMMAND
 *
 * FIFO_BASE is the path given to QEMU's `-chardev pipe,path=FIFO_BASE`:
 * QEMU reads FIFO_BASE.in (guest input) and writes FIFO_BASE.out.
 *
 * Protocol (the other end is the loop in scripts/lab/l2-init):
 *   L1 -> L2:  "__RUN <id> <base64 of COMMAND>\n"
 *   L2 -> L1:  "__BEGIN__ <id>\n" <output> "\n__END__ <id> <status>\n"
 * The id is unique per call, so output left over from an earlier call that
 * timed out is recognised and dropped instead of being taken for ours.  The
 * newline before __END__ is always added by L2 and stripped here, so the
 * output is relayed byte for byte.
 *
 * Exit status: the command's, or 124 on timeout (the L2 tail is then the
 * caller's business: lib.sh prints the console), 125 on channel errors,
 * 126 when QEMU_PID (if given) has exited: no point waiting for a dead guest.
 * Written in C rather than ash because ash's `read` does one syscall per
 * byte and has only whole-second timeouts.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Alive and not a zombie (a dead child of the caller stays in /proc). */
static int alive(int pid)
{
	char path[64], buf[512], *p;
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	f = fopen(path, "r");
	if (!f)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, f);
	fclose(f);
	buf[n] = 0;
	p = strrchr(buf, ')');
	return !(p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X'));
}

static char *b64(const char *in, size_t n)
{
	static const char t[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc(4 * (n / 3 + 1) + 1), *o = out;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned v = (unsigned char)in[i] << 16 |
			     (unsigned char)in[i + 1] << 8 | (unsigned char)in[i + 2];
		*o++ = t[v >> 18]; *o++ = t[(v >> 12) & 63];
		*o++ = t[(v >> 6) & 63]; *o++ = t[v & 63];
	}
	if (n - i == 1) {
		unsigned v = (unsigned char)in[i] << 16;
		*o++ = t[v >> 18]; *o++ = t[(v >> 12) & 63]; *o++ = '='; *o++ = '=';
	} else if (n - i == 2) {
		unsigned v = (unsigned char)in[i] << 16 | (unsigned char)in[i + 1] << 8;
		*o++ = t[v >> 18]; *o++ = t[(v >> 12) & 63];
		*o++ = t[(v >> 6) & 63]; *o++ = '=';
	}
	*o = 0;
	return out;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= w;
	}
	return 0;
}

int main(int argc, char **argv)
{
	double timeout = 30, deadline;
	char path[4096], id[64], begin[96], endp[96];
	int opt, in, out, started = 0, first = 1, qpid = 0;
	char *buf = NULL;
	size_t len = 0, cap = 0;

	while ((opt = getopt(argc, argv, "t:p:")) != -1) {
		if (opt == 't')
			timeout = atof(optarg);
		else if (opt == 'p')
			qpid = atoi(optarg);
		else
			goto usage;
	}
	if (argc - optind != 2) {
usage:
		fprintf(stderr, "usage: l2chan [-t SECONDS] [-p QEMU_PID] FIFO_BASE COMMAND\n");
		return 125;
	}
	deadline = now() + timeout;

	/* QEMU holds both FIFOs open O_RDWR while it lives.  Without a reader
	 * (QEMU gone), a blocking open for writing would hang forever: open
	 * non-blocking (ENXIO then), and block only for the writes. */
	if (qpid && !alive(qpid)) {
		fprintf(stderr, "l2chan: QEMU (pid %d) has exited\n", qpid);
		return 126;
	}
	snprintf(path, sizeof(path), "%s.in", argv[optind]);
	in = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (in < 0 && errno == ENXIO) {
		fprintf(stderr, "l2chan: %s has no reader: QEMU has exited\n", path);
		return 126;
	}
	if (in < 0) { perror(path); return 125; }
	fcntl(in, F_SETFL, fcntl(in, F_GETFL) & ~O_NONBLOCK);
	snprintf(path, sizeof(path), "%s.out", argv[optind]);
	out = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (out < 0) { perror(path); return 125; }

	{
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		snprintf(id, sizeof(id), "%d.%ld.%ld", (int)getpid(),
			 (long)ts.tv_sec, ts.tv_nsec);
	}
	snprintf(begin, sizeof(begin), "__BEGIN__ %s", id);
	snprintf(endp, sizeof(endp), "__END__ %s ", id);
	{
		char *enc = b64(argv[optind + 1], strlen(argv[optind + 1]));
		size_t n = strlen(enc) + strlen(id) + 16;
		char *msg = malloc(n);
		snprintf(msg, n, "__RUN %s %s\n", id, enc);
		if (write_all(in, msg, strlen(msg)) < 0) {
			perror("l2chan: write");
			return 125;
		}
	}

	for (;;) {
		char *nl;
		double left = deadline - now();
		struct pollfd p = { .fd = out, .events = POLLIN };

		/* Handle every complete line already buffered. */
		while ((nl = memchr(buf, '\n', len))) {
			size_t ll = nl - buf;
			if (!started) {
				if (ll == strlen(begin) && !memcmp(buf, begin, ll))
					started = 1;
			} else if (ll > strlen(endp) && !memcmp(buf, endp, strlen(endp))) {
				fflush(stdout);
				return atoi(buf + strlen(endp)) & 255;
			} else {
				/* The newline of a line is printed only once the
				 * next line is known not to be the end marker. */
				if (!first)
					putchar('\n');
				fwrite(buf, 1, ll, stdout);
				first = 0;
			}
			memmove(buf, nl + 1, len - ll - 1);
			len -= ll + 1;
		}
		if (started)
			fflush(stdout);
		if (left <= 0) {
			fflush(stdout);
			fprintf(stderr, "l2chan: no answer within %.0f s (%s)\n",
				timeout, started ? "command still running" :
				"command not started: L2 shell not responding");
			return 124;
		}
		if (qpid && !alive(qpid)) {
			fflush(stdout);
			fprintf(stderr, "l2chan: QEMU (pid %d) has exited\n", qpid);
			return 126;
		}
		/* Wake up at least once a second to notice a dead QEMU. */
		if (left > 1)
			left = 1;
		if (poll(&p, 1, (int)(left * 1000) + 1) < 0 && errno != EINTR) {
			perror("l2chan: poll");
			return 125;
		}
		if (cap - len < 65536) {
			cap = cap * 2 + 65536;
			buf = realloc(buf, cap);
		}
		{
			ssize_t r = read(out, buf + len, cap - len);
			if (r > 0)
				len += r;
			else if (r == 0)
				usleep(10000); /* writer side closed: QEMU gone? keep polling until deadline */
			else if (errno != EAGAIN && errno != EINTR) {
				perror("l2chan: read");
				return 125;
			}
		}
	}
}
