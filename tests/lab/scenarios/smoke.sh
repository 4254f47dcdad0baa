# lab: nodes=2 mem=4096 timeout=150
# kvmnuma.ko loads; VMs appear in sysfs (already running ones within 1 s of
# insmod, new ones within 1 s of starting) with their pid, vCPU count and
# RAM, and disappear within 1 s of their QEMU exiting; the guest driver
# finds the host module with a probe hypercall, or says once that it is
# absent; both modules unload cleanly while a guest runs.

VMS=/sys/kernel/kvmnuma/vms

# ms_until TIMEOUT_MS CMD...: milliseconds until CMD succeeds, or "timeout".
ms_until() {
	_limit=$1; shift
	_t0=$(lab_now)
	while ! "$@"; do
		_ms=$(awk -v a="$_t0" -v b="$(lab_now)" 'BEGIN { printf "%d", (b - a) * 1000 }')
		[ "$_ms" -gt "$_limit" ] && { echo timeout; return 1; }
		sleep 0.05
	done
	awk -v a="$_t0" -v b="$(lab_now)" 'BEGIN { printf "%d\n", (b - a) * 1000 }'
}

# --- a VM running before insmod is found within 1 s ------------------------
kvmnuma_load || die "cannot load kvmnuma.ko"
ms=$(ms_until 1000 test -d "$VMS/$KEEPALIVE_PID") ||
	fail "VM running before insmod not registered within 1 s"
metric register_existing_ms "$ms"
expect_eq "abi_version" 1 "$(cat /sys/kernel/kvmnuma/abi_version)"
expect_eq "default policy" none "$(cat /sys/kernel/kvmnuma/default_policy)"

# --- a new VM appears within 1 s, and goes within 1 s of QEMU exiting ------
vm_paused 16 --anon
qpid=$!
# The clock starts when QEMU has created the VM (its kvm-vm file), not at
# exec: QEMU's own start-up over 9p is not kvmnuma's latency.
has_vm_fd() { ls -l "/proc/$1/fd" 2>/dev/null | grep -q 'anon_inode:kvm-vm'; }
wait_for 20 has_vm_fd "$qpid" || fail "QEMU created no VM"
ms=$(ms_until 1000 test -d "$VMS/$qpid") || fail "new VM not registered within 1 s"
metric register_new_ms "$ms"
expect_eq "paused VM pid" "$qpid" "$(cat "$VMS/$qpid/pid" 2>/dev/null)"
# QEMU maps the legacy BIOS area (256 KiB below 1 MiB) read-only.
mem=$(cat "$VMS/$qpid/memory_bytes" 2>/dev/null)
expect_le "paused VM memory_bytes" $((16 << 20)) "$mem"
expect_ge "paused VM memory_bytes" $(((16 << 20) - (256 << 10))) "$mem"
kill "$qpid"; wait "$qpid" 2>/dev/null
ms=$(ms_until 1000 test ! -d "$VMS/$qpid") || fail "VM still registered 1 s after QEMU exited"
metric unregister_ms "$ms"

# --- a guest with the guest driver -----------------------------------------
l2_start g --vcpus 2 --mem 256 || die "L2 did not start"
pid=$(l2_pid g)
wait_for 2 test -d "$VMS/$pid" || die "guest VM not in sysfs"
expect_eq "guest pid" "$pid" "$(cat "$VMS/$pid/pid")"
expect_eq "guest vcpus" 2 "$(cat "$VMS/$pid/vcpus")"
mem=$(cat "$VMS/$pid/memory_bytes")
expect_le "guest memory_bytes" $((256 << 20)) "$mem"
expect_ge "guest memory_bytes" $(((256 << 20) - (256 << 10))) "$mem"
expect_eq "guest policy" none "$(cat "$VMS/$pid/policy")"
expect_ge "probe hypercalls answered" 1 "$(cat "$VMS/$pid/stats/probes")"
l2 g 'dmesg | grep kvmnuma_guest'
l2 g 'dmesg | grep -q "kvmnuma host found (ABI 1)"' ||
	fail "guest driver did not report the host module"
expect_eq "guest driver state (policy none)" disabled-by-host \
	"$(l2 g 'sleep 1; cat /sys/kernel/kvmnuma_guest/state')"

# --- unload both modules while the guest runs ------------------------------
l2 g rmmod kvmnuma_guest || fail "rmmod kvmnuma_guest in L2"
kvmnuma_unload
test -d /sys/kernel/kvmnuma && fail "/sys/kernel/kvmnuma still there after rmmod"
l2 g true || fail "guest stopped answering after rmmod"

# --- without the host module the guest driver stays disabled, once --------
l2 g insmod /lib/lab/kvmnuma_guest.ko || fail "insmod kvmnuma_guest without host"
expect_eq "guest 'absent' log lines" 1 \
	"$(l2 g 'dmesg | grep -c "kvmnuma host module absent: staying disabled"')"
expect_eq "guest driver state without host" off \
	"$(l2 g cat /sys/kernel/kvmnuma_guest/state)"
l2 g rmmod kvmnuma_guest || fail "rmmod idle kvmnuma_guest"

# --- reload: the running guest is found again, and goes when it stops -----
kvmnuma_load || die "cannot reload kvmnuma.ko"
ms=$(ms_until 1000 test -d "$VMS/$pid") || fail "running guest not re-registered within 1 s"
metric reregister_ms "$ms"
l2_stop g
ms=$(ms_until 1000 test ! -d "$VMS/$pid") || fail "stopped guest still registered after 1 s"
kvmnuma_unload
dmesg | grep 'kvmnuma:' | tail -n 20
