# tests/lab/lib.sh — helpers for lab scenarios (busybox ash; sourced in L1).
#
# A scenario is tests/lab/scenarios/NAME.sh, run by scripts/lab/run-scenarios
# in a fresh L1 (emulated NUMA KVM host) with this file already sourced.
# Optional header line anywhere in the first 20 lines:
#     # lab: nodes=4 mem=4096 timeout=120
# (L1 NUMA nodes, L1 RAM in MiB split evenly over the nodes, hard time limit
# in seconds for the whole L1 run, boot included).
#
# Environment the scenario sees:
#   LAB_TREE       the project tree's path on the build machine, which is also
#                  its path for anything run under `chroot /hostroot` (QEMU)
#   LAB_TREE_L1    the same tree as L1 sees it (/hostroot$LAB_TREE), read-only
#   LAB_TOOLS      static helpers (gfn2node, l2chan, squatter), runnable in L1 directly
#   LAB_RESULTS    writable directory copied back as build/lab/results/NAME/
#   LAB_WORK       scratch directory in L1 (tmpfs)
#   LAB_NODES      number of L1 NUMA nodes; LAB_KVER kernel version
#   KEEPALIVE_PID  pid of the keep-alive VM: a paused 16 MiB VM started by
#                  L1's init before the scenario, alive until poweroff (KVM
#                  flips static keys on first VM create / last VM destroy,
#                  which oopsed L1 under multi-threaded TCG).  Scenarios see
#                  it as one more VM (e.g. in /sys/kernel/kvmnuma); never stop it.
# L1 state on entry: kernel.numa_balancing=0 (1 if the L1 command line has
# lab.numa_balancing=1, see scripts/lab/l1-init), THP "always" (see thp_set).
#
# This library keeps its state in globals named _something (busybox ash has
# `local`, but the functions call each other): scenarios should not use
# variable names that start with an underscore.
#
# Outcome: the scenario fails if it calls `fail` (recorded, the scenario goes
# on) or `die` (recorded, the scenario exits), if it exits non-zero, if it
# runs past its time limit, or if any kernel log (L1 dmesg/console, every L2
# console and dmesg) shows a splat.  Otherwise it passes.  L2 guests still
# running at the end are stopped (and their dmesg collected) automatically.
#
# `metric NAME VALUE` lines go to the runner's output and results.json.
# The library's own messages (note, ok, FAIL, metric, console tails) go to
# stderr, which lands in scenario.log and the console like stdout.

# L2 CPU: every model that offers XSAVE under this nested setup (host,
# EPYC-Rome, EPYC) makes the L2 kernel log "XSAVE consistency problem" +
# WARNING + Call Trace and then fall back to FXSAVE; removing AVX instead
# crashes L2's init (bad sigreturn frame).  L2 therefore boots with
# `noxsave`, which is the same end state (FXSAVE) without the splat.
LAB_L2_CPU=${LAB_L2_CPU:-host}
# tsc=reliable maxcpus=1 no_ipi_broadcast=1 mitigations=off: as in L1 (see
# L1_KARGS in scripts/lab/run-scenarios): the kernel patches its code only
# while one vCPU runs; L2's init onlines the others after its tracepoint
# pins, before the guest module loads.
LAB_L2_APPEND=${LAB_L2_APPEND:-noxsave tsc=reliable maxcpus=1 no_ipi_broadcast=1 mitigations=off}
LAB_L2_BOOT_TIMEOUT=${LAB_L2_BOOT_TIMEOUT:-90}
LAB_L2_CMD_TIMEOUT=${LAB_L2_CMD_TIMEOUT:-60}

# ---------------------------------------------------------------- reporting

lab_now() { cut -d' ' -f1 /proc/uptime; }

# lab_since T0: seconds (2 decimals) elapsed since a lab_now value.
lab_since() { awk -v a="$1" -v b="$(lab_now)" 'BEGIN { printf "%.2f\n", b - a }'; }

# Every message of this library goes to stderr (which ends up in
# scenario.log like stdout), so that `x=$(some_function)` captures only the
# function's real output, never a note or a FAIL line.
note() { echo "note: $*" >&2; }

metric() {
	echo "metric $1 $2" >&2
	echo "$1 $2" >> "$LAB_RESULTS/metrics"
}

# fail MSG: record a failure and return 1; the scenario goes on, so later
# checks still report.  Use `die` (or `... || exit 1`) when going on is
# pointless.
fail() {
	# Before the first failure is recorded, ask every running L2 guest's
	# QEMU whether the guest already reset itself: a host-side check that
	# fails because its guest died (e.g. "no access sampled") must count
	# after the reset, not before it just because it noticed first
	# (l2_diag then marks the reset; Documentation/lab.md, class 9).
	[ -s "$LAB_WORK/failures" ] || [ -s "$LAB_WORK/labfault" ] || _l2_reset_scan
	echo "FAIL: $*" >&2
	echo "$*" >> "$LAB_WORK/failures"
	return 1
}

# _l2_reset_scan: l2_diag every running L2 guest whose QEMU reports it
# "paused (shutdown)" (a reset, see l2_diag).  Never calls fail.
_l2_reset_scan() {
	for _rs_d in "$LAB_WORK"/l2/*/; do
		[ "$(cat "$_rs_d/state" 2>/dev/null)" = running ] || continue
		[ -e "$_rs_d/reset" ] && continue
		_rs_n=$(basename "$_rs_d")
		_alive "$(cat "$_rs_d/pid" 2>/dev/null)" || continue
		_l2_hmp_try 3 "$_rs_n" 'info status' | grep -q 'paused (shutdown)' &&
			l2_diag "$_rs_n"
	done
	return 0
}

die() {
	fail "$@"
	exit 1
}

# expect_eq DESC EXPECTED SEEN / expect_ne / expect_ge / expect_le (integers
# for ge/le): print both values; on mismatch record a failure, return 1.
expect_eq() {
	if [ "$3" = "$2" ]; then echo "ok: $1: $3" >&2; else fail "$1: expected $2, seen $3"; fi
}
expect_ne() {
	if [ "$3" != "$2" ]; then echo "ok: $1: $3" >&2; else fail "$1: expected not $2, seen $3"; fi
}
expect_ge() {
	if [ "$3" -ge "$2" ] 2>/dev/null; then echo "ok: $1: $3 >= $2" >&2; else fail "$1: expected >= $2, seen $3"; fi
}
expect_le() {
	if [ "$3" -le "$2" ] 2>/dev/null; then echo "ok: $1: $3 <= $2" >&2; else fail "$1: expected <= $2, seen $3"; fi
}

# wait_for TIMEOUT CMD...: run CMD every 0.2 s until it succeeds (return 0)
# or TIMEOUT seconds pass (return 1).
wait_for() {
	_wf_end=$(( $(cut -d. -f1 /proc/uptime) + $1 )); shift
	while ! "$@"; do
		[ "$(cut -d. -f1 /proc/uptime)" -ge "$_wf_end" ] && return 1
		sleep 0.2
	done
	return 0
}

# ---------------------------------------------------------------- L1 state

# thp_set always|madvise|never: L1's transparent huge pages (anonymous RAM
# gets 2 MiB pages under "always", which defeats 4 KiB placement; memfd RAM is
# 4 KiB shmem unless shmem_enabled says otherwise).
thp_set() {
	echo "$1" > /sys/kernel/mm/transparent_hugepage/enabled || fail "thp_set $1"
	echo "$1" > /sys/kernel/mm/transparent_hugepage/defrag 2>/dev/null
	note "THP enabled: $(cat /sys/kernel/mm/transparent_hugepage/enabled)"
}

# autonuma_tune KEY=VALUE...: host NUMA balancing's tunables (scan_delay_ms,
# scan_period_min_ms, scan_period_max_ms, scan_size_mb): debugfs'
# sched/numa_balancing/KEY, or kernel.numa_balancing_KEY on kernels that
# still have the sysctl.  Plain variables, no static key: safe while every
# CPU runs (numa_balancing itself is not: lab.numa_balancing=1, l1-init).
# Sets every key it can; returns 1 if one could not be set (named on
# stderr).
autonuma_tune() {
	grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	_rc=0
	for _kv in "$@"; do
		echo "${_kv#*=}" > "/sys/kernel/debug/sched/numa_balancing/${_kv%%=*}" 2>/dev/null ||
			echo "${_kv#*=}" > "/proc/sys/kernel/numa_balancing_${_kv%%=*}" 2>/dev/null ||
			{ echo "autonuma_tune: cannot set ${_kv%%=*}" >&2; _rc=1; }
	done
	return $_rc
}

# hugepages_set SIZE_KB NODE COUNT: reserve COUNT huge pages of SIZE_KB
# (2048 or 1048576) on L1 node NODE; prints how many were obtained (1 GiB
# pages need contiguous free memory: reserve them early in a scenario).
# hugetlbfs is mounted at /dev/hugepages (same path under chroot /hostroot).
hugepages_set() {
	_f=/sys/devices/system/node/node$2/hugepages/hugepages-${1}kB/nr_hugepages
	echo "$3" > "$_f" || { fail "hugepages_set: cannot write $_f"; return 1; }
	cat "$_f"
}

# node_cpus N: CPU list of L1 node N.
node_cpus() { cat "/sys/devices/system/node/node$1/cpulist"; }

# LAB_KVMNUMA_KO: the host module to load (the dkms scenario points it at
# the DKMS-built one); default the tree's kmod/kvmnuma.ko.
kvmnuma_load() {
	_ko=${LAB_KVMNUMA_KO:-$LAB_TREE_L1/kmod/kvmnuma.ko}
	[ -f "$_ko" ] || { fail "kvmnuma_load: $_ko not built"; return 1; }
	insmod "$_ko" "$@" || { fail "kvmnuma_load: insmod kvmnuma.ko $*"; dmesg | tail -n 20 >&2; return 1; }
	# The .text base names kvmnuma's addresses in scripts/lab/l1-monitor.
	note "kvmnuma.ko loaded $*; module kvmnuma .text at $(cat /sys/module/kvmnuma/sections/.text 2>/dev/null) size $(cat /sys/module/kvmnuma/coresize 2>/dev/null)"
}

kvmnuma_unload() {
	rmmod kvmnuma || { fail "kvmnuma_unload: rmmod kvmnuma"; return 1; }
	note "kvmnuma.ko unloaded"
}

# ---------------------------------------------------------------- L2 guests

_l2dir() { echo "$LAB_WORK/l2/$1"; }

l2_pid() { cat "$LAB_WORK/l2/$1/pid" 2>/dev/null; }

# l2_mem NAME: guest RAM in MiB.
l2_mem() { cat "$LAB_WORK/l2/$1/mem" 2>/dev/null; }

# _alive PID: running and not a zombie (a dead child stays in /proc until
# waited for, and `kill -0` succeeds on it).
_alive() {
	[ -r "/proc/$1/stat" ] || return 1
	[ "$(sed 's/.*) //' "/proc/$1/stat" | cut -c1)" != Z ]
}

# l2_console_tail NAME [LINES]: last lines of the L2 serial console (and of
# QEMU's own stderr) — printed on every L2 timeout.
l2_console_tail() {
	{
	echo "---- tail of $1 console ----"
	# Prefixed: scripts/lab/splat-check reads the guest's own console
	# file, not these copies (see its exemptions).
	tail -n "${2:-30}" "$LAB_WORK/l2/$1/console.log" 2>/dev/null | sed "s/^/l2 $1 console| /"
	echo "---- tail of $1 qemu log ----"
	tail -n 10 "$LAB_RESULTS/l2-$1.qemu.log" 2>/dev/null
	echo "----"
	} >&2
}

# l2_vcpu_tids NAME: "INDEX TID" per vCPU thread (needs debug-threads=on,
# which l2_start sets).
l2_vcpu_tids() {
	for _t in /proc/$(l2_pid "$1")/task/*; do
		_c=$(cat "$_t/comm" 2>/dev/null)
		case "$_c" in
		"CPU "*/KVM) _i=${_c#CPU }; echo "${_i%/KVM} ${_t##*/}" ;;
		esac
	done | sort -n
}

# l2_pin NAME NODE,NODE,...: pin vCPU i to the CPUs of the i-th listed L1 node.
l2_pin() {
	_nodes=$(echo "$2" | tr ',' ' ')
	l2_vcpu_tids "$1" > "$LAB_WORK/.tids"
	for _n in $_nodes; do
		read -r _i _tid || { fail "l2_pin $1: fewer vCPUs than nodes in '$2'"; return 1; }
		taskset -p -c "$(node_cpus "$_n")" "$_tid" > /dev/null ||
			{ fail "l2_pin $1: taskset vCPU $_i to node $_n"; return 1; }
		note "$1: vCPU $_i (tid $_tid) pinned to node $_n (cpus $(node_cpus "$_n"))"
	done < "$LAB_WORK/.tids"
}

# _l2_hmp_try SECONDS NAME COMMAND: run a QEMU monitor (HMP) command, print
# its output; status 1 if no answer within SECONDS.  Never calls fail (fail
# itself uses it, through _l2_reset_scan).
_l2_hmp_try() {
	_hd=$(_l2dir "$2")
	_before=$(wc -c < "$_hd/mon.log")
	echo "$3" > "$_hd/mon.in"
	# Output is complete when a new "(qemu) " prompt has been printed.
	wait_for "$1" sh -c "tail -c +$((_before + 1)) '$_hd/mon.log' | tail -c 7 | grep -q '(qemu) \$'" ||
		return 1
	tail -c +$((_before + 1)) "$_hd/mon.log" | tr -d '\r' | sed -e '1d' -e '$d' | grep -v '^(qemu)'
}

# l2_hmp NAME COMMAND: run a QEMU monitor (HMP) command, print its output.
l2_hmp() {
	_l2_hmp_try 10 "$1" "$2" || { fail "l2_hmp $1 '$2': no answer"; return 1; }
}

# l2_start NAME [--mem MiB] [--vcpus N] [--pin N0,N1,...] [--anon]
#          [--extra "qemu args"] [--append "kernel args"] [--no-guest-module]
#          [--hugetlb 2M|1G] [--backend OBJECT] [--cpu MODEL]
# Start an L2 guest with KVM; return once its command shell answers.
#   --mem       guest RAM, MiB (default 512; keep <= 2048 so gpa == offset
#               in the RAM mapping, see gfn2node)
#   --pin       L1 node of each vCPU; QEMU starts paused (-S) and is resumed
#               only after pinning, so even the guest's first boot touches
#               happen on the pinned nodes
#   --anon      anonymous RAM (memory-backend-ram) instead of the default
#               memfd with share=on (4 KiB shmem, punch-hole discard)
#   --append    extra kernel command line; kvmnuma_guest.PARAM=VALUE words are
#               passed to the guest module's insmod
#   --hugetlb   memfd RAM on huge pages of that size (reserve them first
#               with hugepages_set; --mem must be a multiple)
#   --backend   any QEMU memory backend object with id=ram, e.g.
#               "memory-backend-file,id=ram,size=512M,mem-path=/dev/hugepages,share=on"
#   --no-guest-module  do not load kvmnuma_guest.ko in L2
#   --cpu       L2 CPU model (default $LAB_L2_CPU)
# L2 console: $LAB_WORK/l2/NAME/console.log (kernel console at loglevel 5,
# so warnings and worse), copied to $LAB_RESULTS/l2-NAME.console.log by
# l2_stop (and by L1's init after a timeout); l2_stop also saves the full
# dmesg.  QEMU's stderr: $LAB_RESULTS/l2-NAME.qemu.log.
l2_start() {
	_name=$1; shift
	_mem=512 _vcpus=1 _pin= _backend=memfd _extra= _append= _gm=1 _cpu=$LAB_L2_CPU _huge= _obj=
	while [ $# -gt 0 ]; do
		case "$1" in
		--mem) _mem=$2; shift ;;
		--vcpus) _vcpus=$2; shift ;;
		--pin) _pin=$2; shift ;;
		--anon) _backend=ram ;;
		--hugetlb) _backend=memfd _huge=$2; shift ;;
		--backend) _obj=$2; _backend=custom; shift ;;
		--extra) _extra=$2; shift ;;
		--append) _append=$2; shift ;;
		--no-guest-module) _gm=0 ;;
		--cpu) _cpu=$2; shift ;;
		*) fail "l2_start: unknown option $1"; return 1 ;;
		esac
		shift
	done
	_d=$(_l2dir "$_name")
	if [ "$(cat "$_d/state" 2>/dev/null)" = running ]; then
		fail "l2_start $_name: already running"; return 1
	fi
	rm -rf "$_d"; mkdir -p "$_d"
	mkfifo "$_d/cmd.in" "$_d/cmd.out" "$_d/mon.in" "$_d/mon.out"
	: > "$_d/mon.log"
	echo "$_mem" > "$_d/mem"
	echo "$_vcpus" > "$_d/vcpus"
	case $_backend in
	memfd)	_obj="memory-backend-memfd,id=ram,size=${_mem}M,share=on"
		[ -n "$_huge" ] && _obj="$_obj,hugetlb=on,hugetlbsize=$_huge" ;;
	ram)	_obj="memory-backend-ram,id=ram,size=${_mem}M" ;;
	esac
	[ $_gm = 0 ] && _append="$_append lab.guestmod=0"
	_t0=$(lab_now)
	# -S: start paused, so that pinning (if any) precedes every guest
	# instruction; resumed with "cont" below.
	# shellcheck disable=SC2086  # _extra is a word list by design
	chroot /hostroot /usr/bin/qemu-system-x86_64 \
		-name "$_name,debug-threads=on" -enable-kvm -S \
		-machine q35,memory-backend=ram -cpu "$_cpu" \
		-smp "$_vcpus" -m "${_mem}M" -object "$_obj" \
		-nodefaults -display none -action reboot=shutdown,shutdown=pause \
		-kernel "/boot/vmlinuz-$LAB_KVER" \
		-initrd "${LAB_L2_INITRD:-$LAB_TREE/build/lab/l2-initramfs.cpio}" \
		-append "console=ttyS0 loglevel=5 panic=-1 $LAB_L2_APPEND lab.name=$_name $_append" \
		-chardev "file,id=con,path=$_d/console.log" \
		-serial chardev:con \
		-device virtio-serial \
		-chardev "pipe,id=cmd,path=$_d/cmd" \
		-device virtserialport,chardev=cmd,name=cmd \
		-chardev "pipe,id=mon,path=$_d/mon" -mon chardev=mon,mode=readline \
		$_extra \
		</dev/null >"$LAB_RESULTS/l2-$_name.qemu.log" 2>&1 &
	_pid=$!
	echo "$_pid" > "$_d/pid"
	# Drain the monitor's output, or QEMU blocks once the FIFO is full.
	cat "$_d/mon.out" >> "$_d/mon.log" &
	echo $! > "$_d/mon.cat"
	if ! wait_for 30 sh -c "grep -q '^CPU $((_vcpus - 1))/KVM' /proc/$_pid/task/*/comm 2>/dev/null || ! [ -d /proc/$_pid ]" ||
	   ! _alive "$_pid"; then
		l2_console_tail "$_name"
		fail "l2_start $_name: QEMU did not start"
		kill -KILL "$_pid" 2>/dev/null
		echo running > "$_d/state"   # so that lab_end reaps it
		return 1
	fi
	if [ -n "$_pin" ]; then
		l2_pin "$_name" "$_pin" || return 1
	fi
	echo cont > "$_d/mon.in"
	_st=$("$LAB_TOOLS/l2chan" -t "$LAB_L2_BOOT_TIMEOUT" -p "$_pid" "$_d/cmd" 'cat /run/lab-guestmod')
	_rc=$?
	if [ $_rc != 0 ]; then
		l2_console_tail "$_name"
		cp "$_d/console.log" "$LAB_RESULTS/l2-$_name.console.log" 2>/dev/null
		l2_diag "$_name"
		if [ $_rc = 126 ]; then
			fail "l2_start $_name: QEMU exited during boot"
		else
			fail "l2_start $_name: command shell did not answer within ${LAB_L2_BOOT_TIMEOUT}s (l2chan $_rc)"
		fi
		kill -KILL "$_pid" 2>/dev/null
		echo running > "$_d/state"   # so that lab_end reaps it
		return 1
	fi
	echo running > "$_d/state"
	note "$_name: up in $(lab_since "$_t0") s (pid $_pid, ${_mem} MiB $_backend, $_vcpus vCPU, cpu $_cpu), guest module: $_st"
	case "$_st" in
	failed*) fail "l2_start $_name: kvmnuma_guest.ko: $_st"; return 1 ;;
	esac
	return 0
}

# l2 [-t SECONDS] NAME CMD...: run CMD (joined with spaces, a shell command
# line; each call is a fresh `sh` in L2, stdin /dev/null) in L2, print its
# output (stdout and stderr), return its exit status.  Timeout (default 60 s):
# status 124 and the console tail; QEMU gone: status 126 and the tail.
l2() {
	_to=$LAB_L2_CMD_TIMEOUT
	if [ "$1" = -t ]; then _to=$2; shift 2; fi
	_n=$1; shift
	# Leave LAB_L2_DIAG_RESERVE s (default 30) of the scenario's budget for
	# l2_diag: a command that outwaits the budget is killed with the
	# scenario, and the hang it ran into is never diagnosed (a clean
	# integrity-fork run was killed in l2_diag, its guest livelocked).
	if [ -n "${LAB_DEADLINE:-}" ]; then
		_left=$((LAB_DEADLINE - $(cut -d. -f1 /proc/uptime) - ${LAB_L2_DIAG_RESERVE:-30}))
		[ "$_left" -lt 5 ] && _left=5
		if [ "${_to%.*}" -gt "$_left" ]; then
			note "l2 $_n: timeout $_to s cut to $_left s (the scenario's budget ends in $((_left + ${LAB_L2_DIAG_RESERVE:-30})) s)"
			_to=$_left
		fi
	fi
	# A guest found reset (l2_diag) never answers again: fail at once
	# instead of waiting out every later command's timeout.
	if [ -e "$(_l2dir "$_n")/reset" ]; then
		echo "l2 $_n: the guest reset itself or livelocked earlier; not sent: $*" >&2
		return 126
	fi
	"$LAB_TOOLS/l2chan" -t "$_to" -p "$(l2_pid "$_n")" "$(_l2dir "$_n")/cmd" "$*"
	_rc=$?
	# busy: the guest's shell is still running a command that timed out,
	# so l2_stop does not wait for a dmesg it cannot answer.
	case $_rc in
	124) : > "$(_l2dir "$_n")/busy"; l2_console_tail "$_n"; l2_diag "$_n" ;;
	126) l2_console_tail "$_n"; l2_diag "$_n" ;;
	125) ;;
	*) rm -f "$(_l2dir "$_n")/busy" ;;
	esac
	return $_rc
}

# l2_diag NAME: after a guest stopped answering, ask its QEMU why.  L2's
# QEMU runs with -action reboot=shutdown,shutdown=pause: a guest that
# resets itself (a triple fault, or a reboot after a panic) or powers off
# is paused, not gone, so that the runner can tell it from a QEMU crash.
# Writes the monitor's "info status" and every vCPU's registers (after a
# reset request QEMU has already reset them: useful only for a hang) to
# $LAB_RESULTS/l2-NAME.registers.txt and says on stderr what happened.
l2_diag() {
	_d=$(_l2dir "$1")
	_alive "$(l2_pid "$1")" || { echo "l2_diag $1: QEMU is gone" >&2; return 0; }
	_lines=$(wc -l < "$_d/mon.log")
	printf 'info status\ninfo registers -a\n' > "$_d/mon.in"
	# Every vCPU's RIP line (10 s: with a vCPU livelocked, L1 is loaded and
	# the monitor slow; a dump cut after CPU#0 was seen).
	wait_for 10 sh -c "[ \$(tail -n +$((_lines + 1)) '$_d/mon.log' | grep -c '^RIP=') -ge $(cat "$_d/vcpus" 2>/dev/null || echo 1) ]" || true
	tail -n +$((_lines + 1)) "$_d/mon.log" > "$LAB_RESULTS/l2-$1.registers.txt"
	case "$(grep -m1 'VM status' "$LAB_RESULTS/l2-$1.registers.txt")" in
	*'paused (shutdown)'*)
		echo "l2_diag $1: the guest reset or shut itself down (triple fault, or panic and reboot): QEMU paused it; registers in l2-$1.registers.txt" >&2
		: > "$_d/reset"
		# The emulator's signature (Documentation/lab.md, class 9) if
		# nothing failed before it; the runner still checks for splats.
		[ -s "$LAB_WORK/failures" ] || [ -s "$LAB_WORK/labfault" ] ||
			echo "L2 guest $1 reset itself (no failure before it)" > "$LAB_WORK/labfault" ;;
	*running*)
		echo "l2_diag $1: the guest is running but did not answer" >&2
		_l2_hang_diag "$1" ;;
	*)	echo "l2_diag $1: $(grep -m1 'VM status' "$LAB_RESULTS/l2-$1.registers.txt" || echo 'no answer from the monitor')" >&2 ;;
	esac
}

# _l2_addr_names KTEXT MODBASE: read kernel addresses (16 hex digits, no
# 0x) on stdin, print "ADDR WHERE" for each: "kvmnuma_guest:FUNC+0xOFF"
# (functions of the .ko's .text, MODBASE its .text base from the console
# line l2-init writes), "kernel:SYM+0xOFF" (L2 runs L1's kernel image:
# L1's kallsyms relocated by KTEXT, the guest's _text), "module-area" or
# "-".  Kernel
# text and modules share the top 32 bits ffffffff, so the low 32 bits
# compare exactly (awk's numbers are doubles).
_l2_addr_names() {
	_ko=$LAB_TREE_L1/guest-driver/kvmnuma_guest.ko
	{
		[ -n "$2" ] && chroot /hostroot objdump -t "${_ko#/hostroot}" 2>/dev/null |
			awk '/ F \.text\t/ { print "K", $1, $(NF - 1), $NF }'
		# Debian's System.map is a placeholder (the real one is in the
		# -dbg package); L1 runs the same kernel image, so its own
		# kallsyms, relocated by the difference of the _text's, serve.
		# Read once per run (reading kallsyms is slow under TCG), sorted.
		if [ -n "$1" ] && [ "$(uname -r)" = "$LAB_KVER" ]; then
			[ -s "$LAB_WORK/.l1-text" ] ||
				awk 'NF == 3 && $2 ~ /^[Tt]$/ { print "M", $1, 0, $3 }' /proc/kallsyms |
				sort -k2,2 > "$LAB_WORK/.l1-text"
			cat "$LAB_WORK/.l1-text"
		fi
		echo Q
		cat
	} | awk -v ktext="$1" -v mbase="$2" '
	function hex(s,  i, v) { v = 0; s = tolower(s); sub(/^0x/, "", s)
		s = substr(s, length(s) > 8 ? length(s) - 7 : 1)
		for (i = 1; i <= length(s); i++)
			v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
		return v }
	# Eight hex digits (busybox awk'"'"'s %x wraps above 2^31).
	function hex8(v,  i, s) { s = ""
		for (i = 0; i < 8; i++) { s = substr("0123456789abcdef", v % 16 + 1, 1) s; v = int(v / 16) }
		return s }
	function top(s) { s = tolower(s); sub(/^0x/, "", s)
		return length(s) == 16 && substr(s, 1, 8) == "ffffffff" }
	BEGIN { kt = ktext == "" ? -1 : hex(ktext); mb = mbase == "" ? -1 : hex(mbase) }
	# L1 symbols stay strings (16 hex digits compare as numbers do):
	# converting 80,000 of them costs tens of seconds under TCG.
	$1 == "M" { if ($4 == "_text") mt = hex($2); n++; ma[n] = $2; mn[n] = $4; next }
	$1 == "K" { k++; ka[k] = hex($2); kz[k] = hex($3); kn[k] = $4; next }
	$1 == "Q" { next }
	{	a = hex($1); w = "-"
		if (!top($1)) { print $1, w; next }
		if (mb >= 0) for (i = 1; i <= k; i++)
			if (a >= mb + ka[i] && a < mb + ka[i] + kz[i])
				w = sprintf("kvmnuma_guest:%s+0x%x", kn[i], a - mb - ka[i])
		if (w == "-" && kt >= 0 && n > 0 && a >= kt && a < kt + 67108864) {
			# The same address in L1, then the last symbol at or below it.
			q = a - kt + mt; qs = "ffffffff" hex8(q)
			lo = 1; hi = n; best = 0
			while (lo <= hi) {
				mid = int((lo + hi) / 2)
				if (ma[mid] <= qs) { best = mid; lo = mid + 1 } else hi = mid - 1
			}
			# Past the last function (_etext, _einittext): data, not text.
			if (best > 0 && mn[best] !~ /^_e/)
				w = sprintf("kernel:%s+0x%x", mn[best], q - hex(ma[best]))
		}
		if (w == "-" && a >= 3221225472 && a < 4278190080) w = "module-area"
		print $1, w }'
}

# _l2_hang_diag NAME: a guest runs but does not answer.  Say, compactly,
# where each vCPU is (RIP and the kernel/module function it is in, flags,
# the instructions there, return addresses on its stack) and what L1 does
# for it (its QEMU threads' state and CPU ticks, KVM's exit counters over
# 2 s), so that one log line tells a guest loop from a vCPU stuck in L1.
_l2_hang_diag() {
	_hd=$(_l2dir "$1")
	_pid=$(l2_pid "$1")
	_mbase=$(sed -n 's/.*kvmnuma_guest \.text at 0x\([0-9a-f]*\).*/\1/p' "$_hd/console.log" | tail -n 1)
	_ktext=$(sed -n 's/.*kernel _text at 0x\([0-9a-f]*\).*/\1/p' "$_hd/console.log" | tail -n 1)
	_regs=$LAB_RESULTS/l2-$1.registers.txt
	_out=$LAB_RESULTS/l2-$1.hang.txt
	: > "$_out"
	# L1's side first, nearest the moment the guest stopped answering:
	# every QEMU thread's state and CPU ticks over 2 s, KVM's counters
	# over the same 2 s, the kernel stack of any vCPU thread that sleeps.
	[ -d /sys/kernel/debug/kvm ] || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	_kvmd=$(ls -d /sys/kernel/debug/kvm/"$_pid"-* 2>/dev/null | head -n 1)
	_ticks() { for _t in /proc/"$_pid"/task/*; do
		printf '%s|%s\n' "$(cat "$_t/comm" 2>/dev/null)" "$(sed 's/.*) //' "$_t/stat" 2>/dev/null | cut -d' ' -f1,12,13)"
		done; }
	# Counters only (not the *_ns sums or histograms).
	_kstats() { [ -n "$_kvmd" ] && grep -H '^[0-9]*$' "$_kvmd"/* 2>/dev/null | sed "s|$_kvmd/||" | grep -v '_ns:'; }
	_ticks > "$LAB_WORK/.hang-t0"; _kstats > "$LAB_WORK/.hang-k0"
	sleep 2
	_ticks > "$LAB_WORK/.hang-t1"; _kstats > "$LAB_WORK/.hang-k1"
	{
	echo "L1 threads over 2 s (state, user+sys ticks): $(awk -F'|' 'NR == FNR { t0[$1] = $2; next }
		$1 ~ /KVM|qemu|worker|IO/ { split(t0[$1], a, " "); split($2, b, " ")
		printf "%s %s +%d+%d; ", $1, b[1], b[2] - a[2], b[3] - a[3] }' "$LAB_WORK/.hang-t0" "$LAB_WORK/.hang-t1")"
	echo "L1 KVM counters over 2 s: $(awk -F: 'NR == FNR { k0[$1] = $2; next }
		$2 ~ /^[0-9]+$/ && $2 != k0[$1] { printf "%s +%.0f ", $1, $2 - k0[$1] }' "$LAB_WORK/.hang-k0" "$LAB_WORK/.hang-k1")"
	for _t in /proc/"$_pid"/task/*; do
		case "$(cat "$_t/comm" 2>/dev/null)" in
		*/KVM) [ "$(sed 's/.*) //' "$_t/stat" | cut -d' ' -f1)" = R ] && continue
			echo "L1 $(cat "$_t/comm") sleeps in: $(head -n 4 "$_t/stack" 2>/dev/null | sed 's/^\[<[^>]*>\] //' | paste -sd ' ' -)" ;;
		esac
	done
	} >> "$_out"
	# The guest's side: registers from l2_diag's dump; the code at RIP and
	# the stack from the monitor; every address named in one pass.
	awk '/^CPU#/ { c = substr($1, 5) }
	     /^RIP=/ { split($1, r, "="); split($2, f, "="); rip[c] = r[2]; rfl[c] = f[2]
		       for (i = 3; i <= NF; i++) if ($i ~ /^(CPL|HLT)=/) x[c] = x[c] " " $i }
	     / RSP=/ { for (i = 1; i <= NF; i++) if ($i ~ /^RSP=/) rsp[c] = substr($i, 5) }
	     END { for (c in rip) print c, rip[c], rsp[c], rfl[c], x[c] }' "$_regs" | sort -n > "$LAB_WORK/.hang-cpus"
	: > "$LAB_WORK/.hang-stack"; : > "$LAB_WORK/.hang-code"
	# The code at each RIP first (the verdict below needs it), stacks after.
	while read -r _c _rip _rsp _rfl _x; do
		_l2_hmp_try 3 "$1" "cpu $_c" > /dev/null
		echo "$_c $(_l2_hmp_try 3 "$1" "x/3i 0x$_rip" | sed 's/^0x[0-9a-f]*: *//' | tr -s ' \t' ' ' | paste -sd ';' -)" >> "$LAB_WORK/.hang-code"
	done < "$LAB_WORK/.hang-cpus"
	# The emulator's livelock (Documentation/lab.md class 10, reproduced
	# with no kvmnuma code loaded): a vCPU whose RIP L1 cannot read takes
	# page fault after page fault, each an exit that L1's instruction
	# emulator answers by injecting #PF.  Such a guest never answers
	# again; it is the lab's when nothing failed before it.
	_exits=$(sed -n 's/^exits:\([0-9]*\)$/\1/p' "$LAB_WORK/.hang-k1")
	_exits0=$(sed -n 's/^exits:\([0-9]*\)$/\1/p' "$LAB_WORK/.hang-k0")
	_pf=$(sed -n 's/^pf_guest:\([0-9]*\)$/\1/p' "$LAB_WORK/.hang-k1")
	_pf0=$(sed -n 's/^pf_guest:\([0-9]*\)$/\1/p' "$LAB_WORK/.hang-k0")
	# Decided before the names below: naming reads L1's kallsyms, which
	# took tens of seconds under load, and a scenario killed at its budget
	# meanwhile must still carry the verdict.
	_unread=$(grep -c 'unable to read memory' "$LAB_WORK/.hang-code")
	_why=$(l2_livelock_verdict "$(( ${_exits:-0} - ${_exits0:-0} ))" "$(( ${_pf:-0} - ${_pf0:-0} ))" "$_unread")
	if [ -n "$_why" ]; then
		echo "livelocked: $_why" >> "$_out"
		: > "$_hd/reset"
		echo "$_why" > "$LAB_RESULTS/l2-$1.livelock"
		[ -s "$LAB_WORK/failures" ] || [ -s "$LAB_WORK/labfault" ] ||
			echo "L2 guest $1 livelocked: $_why (no failure before it)" > "$LAB_WORK/labfault"
	fi
	while read -r _c _rip _rsp _rfl _x; do
		_l2_hmp_try 3 "$1" "cpu $_c" > /dev/null
		_l2_hmp_try 3 "$1" "x/32gx 0x$_rsp" | sed 's/^[0-9a-f]*: *//' | tr ' ' '\n' |
			sed -n "s/^0x\(ffffffff[89a-f][0-9a-f]*\)\$/$_c \1/p" >> "$LAB_WORK/.hang-stack"
	done < "$LAB_WORK/.hang-cpus"
	{ cut -d' ' -f2 "$LAB_WORK/.hang-cpus"; cut -d' ' -f2 "$LAB_WORK/.hang-stack"; } |
		_l2_addr_names "$_ktext" "$_mbase" > "$LAB_WORK/.hang-names"
	while read -r _c _rip _rsp _rfl _x; do
		_if=0; [ $(( 0x$_rfl & 0x200 )) != 0 ] && _if=1
		_w=$(awk -v a="$_rip" '$1 == a { print $2; exit }' "$LAB_WORK/.hang-names")
		_code=$(sed -n "s/^$_c //p" "$LAB_WORK/.hang-code" | tail -n 1)
		echo "vCPU$_c RIP $_rip in $_w, RFL $_rfl (IF=$_if) $_x; code: $_code"
		_ret=$(awk -v c="$_c" 'NR == FNR { n[$1] = $2; next }
			$1 == c && n[$2] ~ /^(kernel|kvmnuma_guest):/ && n[$2] !~ /\+0x0$/ { print n[$2] }' \
			"$LAB_WORK/.hang-names" "$LAB_WORK/.hang-stack" | head -n 8 | paste -sd ' ' -)
		echo "vCPU$_c stack text words: ${_ret:-none}"
	done < "$LAB_WORK/.hang-cpus" >> "$_out"
	sed "s/^/l2_diag $1: /" "$_out" >&2
}

# l2_livelock_verdict EXITS PF_INJECTED UNREADABLE_RIPS: over l2_diag's
# 2 s window, KVM exits and page faults L1 injected into the guest, and
# how many vCPUs had a RIP L1 could not read.  Prints the reason if that
# is the emulator's livelock (at least 1,000 exits a second, 90% of them
# injected page faults, a vCPU at an unreadable RIP), nothing otherwise.
# Seen: 66,840 exits, 66,823 #PF, in 2 s; an idle guest: ~100 exits, 0.
l2_livelock_verdict() {
	[ "$1" -ge 2000 ] && [ $(( $2 * 10 )) -ge $(( $1 * 9 )) ] && [ "$3" -ge 1 ] &&
		echo "$2 page faults injected by L1 in $1 exits over 2 s, at a RIP L1 cannot read"
}

# l2_stop NAME: save L2's dmesg, quit QEMU cleanly (monitor "quit"; SIGTERM,
# then SIGKILL if it hangs), wait for the process to exit.
l2_stop() {
	_d=$(_l2dir "$1")
	_pid=$(l2_pid "$1")
	[ -n "$_pid" ] || { fail "l2_stop $1: no such guest"; return 1; }
	[ "$(cat "$_d/state" 2>/dev/null)" = stopped ] && return 0
	if _alive "$_pid"; then
		# A guest found reset or livelocked (l2_diag) cannot answer, nor
		# one whose shell still runs a command that timed out (busy).
		if [ ! -e "$_d/reset" ] && [ ! -e "$_d/busy" ]; then
			"$LAB_TOOLS/l2chan" -t 20 -p "$_pid" "$_d/cmd" dmesg > "$LAB_RESULTS/l2-$1.dmesg.txt" 2>&1 ||
				note "$1: could not read dmesg"
		fi
		echo quit > "$_d/mon.in"
		if ! wait_for 15 sh -c "! { [ -r /proc/$_pid/stat ] && [ \"\$(sed 's/.*) //' /proc/$_pid/stat | cut -c1)\" != Z ]; }"; then
			note "$1: QEMU ignored quit; SIGTERM"
			kill -TERM "$_pid" 2>/dev/null
			wait_for 10 sh -c "! [ -d /proc/$_pid ] || grep -q '^[^)]*) Z' /proc/$_pid/stat" ||
				{ kill -KILL "$_pid" 2>/dev/null; fail "l2_stop $1: QEMU had to be killed"; }
		fi
	fi
	wait "$_pid" 2>/dev/null
	kill "$(cat "$_d/mon.cat")" 2>/dev/null
	cp "$_d/console.log" "$LAB_RESULTS/l2-$1.console.log" 2>/dev/null
	echo stopped > "$_d/state"
	note "$1: stopped"
}

# l2_running: names of the L2 guests not yet stopped.
l2_running() {
	for _s in "$LAB_WORK"/l2/*/state; do
		[ -f "$_s" ] && [ "$(cat "$_s")" = running ] && basename "$(dirname "$_s")"
	done
}

# -------------------------------------------------------------- paused VMs
#
# A paused VM is a QEMU started with -S and no guest kernel: KVM creates the
# VM and its memslots, but no guest instruction ever runs, so no guest
# touch competes with what a scenario does to its RAM (placement faults it
# in, kvmnumad moves it, the sample injector feeds Carrefour).

# vm_qemu MIB [--anon | --hugetlb 2M|1G] [--prealloc] [--log FILE]: set
# VM_QEMU to the command line (paths as under chroot /hostroot, which binds
# $LAB_WORK at the same path) of a paused q35 QEMU with MIB MiB of guest RAM
# in one memory backend, and VM_QEMU_LOG to FILE (default /dev/null):
#   default     memory-backend-memfd with share=on (4 KiB shmem pages)
#   --anon      memory-backend-ram (anonymous; THP as thp_set left it)
#   --hugetlb   memfd on huge pages of that size (reserve them first with
#               hugepages_set; MIB must be a multiple of the size)
#   --prealloc  QEMU allocates all of its RAM before it goes on
#   --log FILE  QEMU's stdout and stderr, for vm_paused
# Each call gives the QEMU its own HMP monitor (a pipe chardev in a fresh
# directory under $LAB_WORK), which vm_wait asks whether QEMU has finished
# building the machine.  Use it as is for a QEMU that vm_paused cannot
# start (one in another pid namespace); a bad argument dies.
vm_qemu() {
	_pv_mib=$1 VM_QEMU_LOG=/dev/null
	case $_pv_mib in
	''|*[!0-9]*) die "vm_qemu: '$_pv_mib' is not a size in MiB" ;;
	esac
	_pv_obj="memory-backend-memfd,id=ram,size=${_pv_mib}M,share=on"
	shift
	while [ $# -gt 0 ]; do
		case $1 in
		--anon) _pv_obj="memory-backend-ram,id=ram,size=${_pv_mib}M" ;;
		--hugetlb) _pv_obj="$_pv_obj,hugetlb=on,hugetlbsize=$2"; shift ;;
		--prealloc) _pv_obj="$_pv_obj,prealloc=on" ;;
		--log) VM_QEMU_LOG=$2; shift ;;
		*) die "vm_qemu: unknown option $1" ;;
		esac
		shift
	done
	_pv_mon=$(mktemp -d "$LAB_WORK/vm.XXXXXX") || die "vm_qemu: mktemp"
	# QEMU opens both with O_RDWR: the FIFO never blocks it, and its
	# answers go to a plain file nobody has to drain.
	mkfifo "$_pv_mon/mon.in" && : > "$_pv_mon/mon.out" || die "vm_qemu: monitor files"
	VM_QEMU="/usr/bin/qemu-system-x86_64 -enable-kvm -S -nodefaults -display none \
-machine q35,memory-backend=ram -m ${_pv_mib}M -object $_pv_obj \
-chardev pipe,id=mon,path=$_pv_mon/mon -mon chardev=mon,mode=readline"
}

# vm_paused MIB [vm_qemu's options]: start the paused QEMU of vm_qemu in
# the background; QEMU's pid is then in $!, as after any `cmd &`: take it
# at once (`vm_paused 256; pid=$!`), then vm_wait for it before writing a
# policy.
# Call it in the scenario's own shell, never as `pid=$(vm_paused ...)`:
# QEMU would be the child of that subshell, and the scenario's
# `kill PID; wait PID` would not wait for it to exit.  A bad argument is a
# bug in the scenario: die (so that $! never names an older job).
vm_paused() {
	vm_qemu "$@"
	# shellcheck disable=SC2086  # VM_QEMU is a word list by design
	chroot /hostroot $VM_QEMU </dev/null >"$VM_QEMU_LOG" 2>&1 &
}

# _vm_seen PID: the VM of PID is registered, or QEMU is gone.
_vm_seen() { [ -d "/sys/kernel/kvmnuma/vms/$1" ] || ! _alive "$1"; }

# _vm_built PID OUT: QEMU answered the monitor (in OUT), or is gone.
_vm_built() { grep -aq '^VM status' "$2" || ! _alive "$1"; }

# vm_wait PID SECONDS: wait until the VM of QEMU PID (started from vm_qemu's
# command line) is listed in /sys/kernel/kvmnuma/vms AND QEMU has finished
# building its machine (return 0), for at most SECONDS in all (whole
# seconds; QEMU takes ~2.6 s to create its VM in the emulated L1).
# Returns 1 on timeout, or as soon as QEMU exits.  Records no failure: the
# caller does.
# Being listed is not enough: kvmnuma lists a VM at the first scan that
# finds a RAM memslot, and QEMU 7.2 sets its memslots up one ioctl at a
# time: guest RAM first as one slot (0+131072 pages for 512 MiB), then
# deleted and re-added as two (0+192 and 256+130816: 768 KiB-1 MiB becomes
# BIOS area).  A policy written in between places the slots there are (a
# clean clone's placement-full-node placed 192 pages of 512 MiB: QEMU's L1
# vCPU descheduled between two ioctls on a loaded build machine).  QEMU
# reads its monitor only in its main loop, which starts once the machine
# is built and reset: when "info status" is answered, the memslots are
# the ones the paused VM keeps (tests/lab/stress/vm-wait-setup.sh stops
# QEMU at its first slot: vm_wait must not return).
vm_wait() {
	_vw_end=$(( $(cut -d. -f1 /proc/uptime) + $2 ))
	wait_for "$2" _vm_seen "$1"
	[ -d "/sys/kernel/kvmnuma/vms/$1" ] || return 1
	_vw_mon=$(tr '\0' '\n' < "/proc/$1/cmdline" | sed -n 's/^pipe,id=mon,path=//p')
	[ -p "$_vw_mon.in" ] || { note "vm_wait $1: QEMU has no monitor of vm_qemu"; return 1; }
	# Our own read-write descriptor keeps the command in the FIFO even
	# if QEMU had not opened it yet (a write-only open would block).
	exec 9<>"$_vw_mon.in"
	echo "info status" >&9
	_vw_left=$(( _vw_end - $(cut -d. -f1 /proc/uptime) ))
	[ "$_vw_left" -ge 1 ] || _vw_left=1
	wait_for "$_vw_left" _vm_built "$1" "$_vw_mon.out"
	exec 9>&-
	grep -aq '^VM status' "$_vw_mon.out" && _alive "$1"
}

# vm_place PID POLICY SECONDS [NODES]: write NODES (if given) and then
# POLICY to the VM's nodes and policy, and wait until its placement/state
# is "done", for at most SECONDS (whole seconds).  Returns 0 once done;
# records a failure (nodes or policy refused, or the state seen at the
# timeout) and returns 1 otherwise.
vm_place() {
	_vp=/sys/kernel/kvmnuma/vms/$1
	if [ -n "$4" ]; then
		echo "$4" > "$_vp/nodes" || { fail "VM $1: nodes $4 refused"; return 1; }
	fi
	echo "$2" > "$_vp/policy" || { fail "VM $1: policy $2 refused"; return 1; }
	wait_for "$3" sh -c "[ \"\$(cat '$_vp/placement/state')\" = done ]" ||
		{ fail "VM $1: $2 placement '$(cat "$_vp/placement/state")' after $3 s"; return 1; }
}

# vm_layout PID MIB: "GFN NODE" for every page of the VM's RAM memslots
# (NODE "-" = not backed); also kept in $LAB_WORK/layout.
vm_layout() {
	awk '{ print $1 "-" $1 + $2 - 1 }' "/sys/kernel/kvmnuma/vms/$1/memslots" |
		"$LAB_TOOLS/gfn2node" "$1" "$2" - > "$LAB_WORK/layout"
	cat "$LAB_WORK/layout"
}

# vm_off_layout PID MIB [UNIT]: how many pages of the VM's RAM are not on
# their interleave node over nodes 0-1, int(gfn / UNIT) % 2 (UNIT in pages:
# 1 = round-4k, the default; 262144 = round-1g).  A page not backed counts:
# it is not where the layout wants it.  The layout is left in
# $LAB_WORK/layout.
vm_off_layout() {
	vm_layout "$1" "$2" > /dev/null
	awk -v u="${3:-1}" '{ if ($2 != int($1 / u) % 2) bad++ } END { print bad + 0 }' \
		"$LAB_WORK/layout"
}

# --------------------------------------------------------------- placement

# l2_placement NAME GFN...: "GFN NODE" per guest page (GFN: number, 0x-hex,
# or inclusive range A-B; "-" reads more from stdin).  NODE "-" = not backed.
l2_placement() {
	_n=$1; shift
	"$LAB_TOOLS/gfn2node" "$(l2_pid "$_n")" "$(l2_mem "$_n")" "$@"
}

# l2_placement_summary NAME [GFN...]: per-node page counts ("node0 N",
# ..., "absent N", "other N", "total N") over the given gfns, or all of RAM.
l2_placement_summary() {
	_n=$1; shift
	"$LAB_TOOLS/gfn2node" -s "$(l2_pid "$_n")" "$(l2_mem "$_n")" "$@"
}

# -------------------------------------------------------------- begin/end

lab_begin() {
	mkdir -p "$LAB_WORK/l2"
	: > "$LAB_WORK/failures"
	LAB_T0=$(lab_now)
	trap 'lab_end $?' EXIT
	note "scenario $LAB_SCENARIO: L1 $LAB_NODES nodes, kernel $LAB_KVER, uptime $LAB_T0 s, keep-alive pid $KEEPALIVE_PID"
}

lab_end() {
	_rc=$1
	trap - EXIT
	for _g in $(l2_running); do l2_stop "$_g"; done
	echo "$_rc" > "$LAB_WORK/scen.rc"
	note "scenario finished (status $_rc) after $(lab_since "$LAB_T0") s"
	exit "$_rc"
}
