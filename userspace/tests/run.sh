#!/bin/bash
# Tests of kvmnumactl, kvmnumad and kvmnuma-launch without the kernel module:
# a fake sysfs tree ($KVMNUMA_SYSFS), a test process standing in for QEMU
# (fakevm: memory, threads named "CPU n/KVM"), a regular file as the device
# ($KVMNUMA_DEV: kvmnumad reads the orders in it and appends its results).
# move_pages() to node 0 works on any Linux.  Root is needed only for the
# EPERM test (skipped otherwise); QEMU+KVM only for the launcher's live test.
# Usage: userspace/tests/run.sh   (from anywhere; builds what it needs)
# Ends with "N passed, N failed"; exit status 0 iff nothing failed.
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
ctl=$repo/userspace/kvmnumactl
daemon=$repo/userspace/kvmnumad
launch=$repo/scripts/kvmnuma-launch
tmp=$(mktemp -d /tmp/kvmnuma-test.XXXXXX)
pids=()
passed=0 failed=0

cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	wait 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT

ok() { echo "PASS: $1"; passed=$((passed + 1)); }
ko() { echo "FAIL: $1${2:+ ($2)}"; failed=$((failed + 1)); }
skip() { echo "SKIP: $1"; }
# expect NAME WANTED_STATUS CMD...: runs CMD (stdout+stderr in $out).
expect() {
	local name=$1 want=$2
	shift 2
	out=$("$@" 2>&1)
	local rc=$?
	if [ "$rc" = "$want" ]; then ok "$name"; else ko "$name" "exit $rc, wanted $want: $out"; fi
}
# has NAME PATTERN: $out matches the extended regex.
has() { if grep -Eq -- "$2" <<<"$out"; then ok "$1"; else ko "$1" "no /$2/ in: $out"; fi; }
json_ok() {
	if command -v jq >/dev/null; then jq -e . >/dev/null <<<"$out"
	else python3 -m json.tool >/dev/null <<<"$out"; fi
}

make -s -C "$repo" userspace || { echo "0 passed, 1 failed"; exit 1; }
cc -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -I"$repo/include" \
	-o "$tmp/fakevm" "$repo/userspace/tests/fakevm.c" -lpthread || { echo "0 passed, 1 failed"; exit 1; }

# --- a fake module with one VM: 1024 pages in two slots, 700 touched, 3 vCPUs
export KVMNUMA_SYSFS=$tmp/sysfs
mkdir -p "$KVMNUMA_SYSFS/vms"
echo 1 >"$KVMNUMA_SYSFS/abi_version"
"$tmp/fakevm" vm 1024 700 3 >"$tmp/vm.out" &
vm=$!
pids+=("$vm")
for _ in $(seq 50); do [ -s "$tmp/vm.out" ] && break; sleep 0.1; done
hva=$(<"$tmp/vm.out")

mkvm() {	# mkvm ID PID HVA: the files the module provides
	local d=$KVMNUMA_SYSFS/vms/$1 f
	mkdir -p "$d/stats" "$d/placement"
	echo "$2" >"$d/pid"; echo 3 >"$d/vcpus"; echo $((1024 * 4096)) >"$d/memory_bytes"
	echo none >"$d/policy"; echo 0 >"$d/nodes"
	printf '0 512 %s\n1048576 512 0x%x\n' "$3" $(($3 + 512 * 4096)) >"$d/memslots"
	for f in probes batches refaults; do echo 5 >"$d/stats/$f"; done
	echo "0 12" >"$d/stats/refaults_per_node"
	echo running >"$d/placement/state"; echo 4k >"$d/placement/granularity"
	for f in pages_total pages_placed pages_to_move moves_pending pages_moved pages_move_failed; do
		echo 3 >"$d/placement/$f"
	done
}
mkvm "$vm" "$vm" "$hva"

echo "== kvmnumactl"
expect "help exits 0" 0 "$ctl" --help
has "help documents exit codes" "4 kernel refused, 5 other system error"
expect "no command: usage" 1 "$ctl"
expect "unknown option: usage" 1 "$ctl" list --bogus
expect "--sample on list: usage" 1 "$ctl" list --sample 3
expect "not loaded: exit 2" 2 env KVMNUMA_SYSFS="$tmp/none" "$ctl" list
expect "no such VM: exit 3" 3 "$ctl" show 999999999
expect "list" 0 "$ctl" list
has "list shows the VM" "^$vm +$vm +3 +4 +none +0$"
expect "list --json" 0 "$ctl" --json list
if json_ok; then ok "list --json is valid JSON"; else ko "list --json is valid JSON" "$out"; fi
expect "show" 0 "$ctl" show "$vm"
has "show: node 0 holds the 700 touched pages" "^  0 +700 +2\.7 +68\.4$"
has "show: 324 pages not backed" "^  not backed +324 "
has "show: placement progress" "placement: running, granularity 4k"
has "show: refaults per node" "refaults_per_node +0:12"
expect "show --json" 0 "$ctl" show "$vm" --json
if json_ok; then ok "show --json is valid JSON"; else ko "show --json is valid JSON" "$out"; fi
has "show --json: node 0 row" '\{"node":0,"pages":700,'
expect "show --sample 7" 0 "$ctl" show "$vm" --sample 7
has "show --sample: estimates" "every 7-th page"
# Host AutoNUMA: shown, and a warning for a policy it works against.
echo 1 >"$tmp/nb"
echo round-4k >"$KVMNUMA_SYSFS/vms/$vm/policy"
expect "show, AutoNUMA on" 0 env KVMNUMA_NUMA_BALANCING="$tmp/nb" "$ctl" show "$vm"
has "show: host numa_balancing" "host numa_balancing +autonuma"
has "show: AutoNUMA conflict warning" "warning: host AutoNUMA .* behind round-4k"
expect "show --json, AutoNUMA on" 0 env KVMNUMA_NUMA_BALANCING="$tmp/nb" "$ctl" show "$vm" --json
has "show --json: conflict" '"host_numa_balancing_conflict":"yes"'
echo 0 >"$tmp/nb"
expect "show, AutoNUMA off" 0 env KVMNUMA_NUMA_BALANCING="$tmp/nb" "$ctl" show "$vm"
if grep -q "warning: host AutoNUMA" <<<"$out"; then ko "no warning with AutoNUMA off" "$out"; else ok "no warning with AutoNUMA off"; fi
echo none >"$KVMNUMA_SYSFS/vms/$vm/policy"
expect "set policy" 0 "$ctl" set "$vm" first-touch --nodes 0
if [ "$(<"$KVMNUMA_SYSFS/vms/$vm/policy")" = first-touch ]; then ok "set wrote the policy"; else ko "set wrote the policy"; fi
expect "set unknown policy: usage" 1 "$ctl" set "$vm" bogus

# A second VM whose attributes refuse writes (directories: EISDIR).
mkvm "$vm.1" "$vm" "$hva"
rm "$KVMNUMA_SYSFS/vms/$vm.1/nodes"; mkdir "$KVMNUMA_SYSFS/vms/$vm.1/nodes"
echo round-4k >"$KVMNUMA_SYSFS/vms/$vm.1/policy"
expect "set refused nodes: exit 4" 4 "$ctl" set "$vm.1" none --nodes 0-1
has "refusal names VM, value, errno" "VM $vm\.1: cannot set nodes '0-1': Is a directory"
if [ "$(<"$KVMNUMA_SYSFS/vms/$vm.1/policy")" = round-4k ]; then ok "policy untouched after nodes refused"; else ko "policy untouched after nodes refused"; fi
rm -rf "$KVMNUMA_SYSFS/vms/$vm.1"

expect "pin --dry-run" 0 "$ctl" pin "$vm" --dry-run
n=$(grep -c "dry run" <<<"$out")
if [ "$n" = 3 ]; then ok "pin --dry-run maps 3 vCPUs"; else ko "pin --dry-run maps 3 vCPUs" "$out"; fi
expect "pin" 0 "$ctl" pin "$vm"
good=1
while read -r _ v _ tid _ _ node _ cpu; do
	[ "$v" = "" ] && continue
	allowed=$(awk '/Cpus_allowed_list/ {print $2}' "/proc/$vm/task/$tid/status")
	[ "$allowed" = "$cpu" ] && [ "$node" = 0 ] || good=0
done <<<"$out"
if [ "$good" = 1 ]; then ok "pin set each vCPU thread's affinity to its CPU"; else ko "pin affinity" "$out"; fi

# A VM whose process has no "CPU n/KVM" threads (this shell's pid).
mkvm "$$" "$$" "$hva"
expect "pin without named threads: exit 5" 5 "$ctl" pin "$$"
has "pin explains debug-threads" "debug-threads=on"
rm -rf "${KVMNUMA_SYSFS:?}/vms/$$"

# A VM whose process is gone.  (Not "sleep & kill": a SIGTERM that lands
# before the child execs runs this script's EXIT trap in the child.)
/bin/true & gone=$!
wait "$gone"
mkvm "$gone" "$gone" "$hva"
expect "show of an exited VM: exit 3" 3 "$ctl" show "$gone"
rm -rf "${KVMNUMA_SYSFS:?}/vms/$gone"

echo "== kvmnumad"
"$tmp/fakevm" vm 8192 5000 1 >"$tmp/vm2.out" &
vm2=$!
pids+=("$vm2")
for _ in $(seq 50); do [ -s "$tmp/vm2.out" ] && break; sleep 0.1; done
hva2=$(<"$tmp/vm2.out")
dev=$tmp/dev
"$tmp/fakevm" orders "$dev" \
	"$vm2" 0 "$hva2" 5000 \
	"$vm2" 0 $((hva2 + 5000 * 4096)) 100 \
	"$gone" 0 "$hva2" 10 \
	"$vm2" 7 "$hva2" 10 \
	"$vm2" 0 $((hva2 + 1)) 1
expect "kvmnumad --once" 0 env KVMNUMA_DEV="$dev" "$daemon" -v --once
has "one log line per order" "order 5: "
out=$("$tmp/fakevm" results "$dev" 5 | tr '\n' ';')
if [ "$(id -u)" = 0 ]; then
	want="1 5000 0 0 0;2 0 100 0 0;3 0 10 -3 0;4 0 10 -19 0;5 0 1 -22 0;"
	what="moved in chunks, untouched failed, ESRCH, ENODEV, EINVAL"
else
	# MPOL_MF_MOVE_ALL needs CAP_SYS_NICE even for one's own pages.
	want="1 0 5000 -1 0;2 0 100 -1 0;3 0 10 -1 0;4 0 10 -1 0;5 0 1 -22 0;"
	what="EPERM without CAP_SYS_NICE, EINVAL"
fi
if [ "$out" = "$want" ]; then ok "results: $what"
else ko "results" "got '$out', wanted '$want'"; fi

# Room first: node 0 without room above its high watermark gets no
# move_pages() call at all (-ENOMEM, nothing tried), whatever the privileges.
cat >"$tmp/zoneinfo" <<'ZI'
Node 0, zone      DMA
  pages free     100000
        high     10
Node 0, zone   Normal
  pages free     600
        high     500
ZI
"$tmp/fakevm" orders "$tmp/dev3" "$vm2" 0 "$hva2" 50 "$vm2" 0 "$hva2" 100 "$vm2" 0 "$hva2" 60
expect "kvmnumad, node 0 full" 0 env KVMNUMA_DEV="$tmp/dev3" \
	KVMNUMA_ZONEINFO="$tmp/zoneinfo" "$daemon" --once
has "one rate-limited 'no room' line" "pid $vm2: no room on node 0"
n=$(grep -c "no room" <<<"$out")
if [ "$n" = 1 ]; then ok "no room logged once for 2 refused orders"; else ko "no room lines" "$n: $out"; fi
out=$("$tmp/fakevm" results "$tmp/dev3" 3 | tr '\n' ';')
# The first order fits in the 100 pages of room (DMA is not counted); the
# two others do not.  Unprivileged, the first gets EPERM from move_pages().
case "$out" in
"1 "*";2 0 100 -12 0;3 0 60 -12 0;") ok "results: no room -> -ENOMEM, nothing tried" ;;
*) ko "no-room results" "got '$out'" ;;
esac

expect "--once without device: exit 2" 2 env KVMNUMA_DEV="$tmp/nodev" "$daemon" --once
expect "bad option: exit 1" 1 "$daemon" --bogus

KVMNUMA_DEV=$tmp/nodev "$daemon" 2>"$tmp/d1.err" & d=$!
sleep 2.3; kill -TERM "$d"; wait "$d"; rc=$?
if [ "$rc" = 0 ]; then ok "waits for the device, SIGTERM exits 0"; else ko "SIGTERM while waiting" "exit $rc"; fi
if [ "$(grep -c "absent" "$tmp/d1.err")" = 1 ]; then ok "absent device logged once"; else ko "absent device logged once" "$(cat "$tmp/d1.err")"; fi

mkfifo "$tmp/fifo"
KVMNUMA_DEV=$tmp/fifo "$daemon" 2>"$tmp/d2.err" & d=$!
sleep 0.5; kill -INT "$d"; wait "$d"; rc=$?
if [ "$rc" = 0 ]; then ok "SIGINT while polling exits 0"; else ko "SIGINT while polling" "exit $rc"; fi

if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	"$tmp/fakevm" orders "$dev" "$vm2" 0 "$hva2" 10
	chmod 755 "$tmp"; chmod 666 "$dev"	# nobody must reach the fake device
	expect "unprivileged kvmnumad" 0 env KVMNUMA_DEV="$dev" \
		setpriv --reuid=65534 --regid=65534 --clear-groups "$daemon" --once
	has "EPERM explains CAP_SYS_NICE" "needs CAP_SYS_NICE"
	out=$("$tmp/fakevm" results "$dev" 1)
	if [ "$out" = "1 0 10 -1 0" ]; then ok "EPERM result"; else ko "EPERM result" "$out"; fi
else
	skip "EPERM test (needs root and setpriv)"
fi

echo "== kvmnuma-launch"
expect "launch --dry-run" 0 "$launch" --name t1 --mem 2048 --vcpus 4 --policy round-4k --hugepages 2M --dry-run -- -display none
has "paused, named threads" "-name t1,debug-threads=on -S "
has "hugetlb memfd" "memory-backend-memfd,id=ram,size=2048M,share=on,hugetlb=on,hugetlbsize=2M"
has "extra args last" "-display none$"
has "round-4k with huge pages warns" "warning: round-4k with 2M pages"
expect "launch round-1g small pages" 0 "$launch" --name t1 --mem 2048 --vcpus 4 --policy round-1g --dry-run
has "round-1g warns about chunks" "1 GiB chunks of small pages"
expect "launch --anon" 0 "$launch" --name t1 --mem 64 --vcpus 1 --anon --dry-run
has "anonymous RAM" "memory-backend-ram,id=ram,size=64M "
expect "launch without --name: exit 1" 1 "$launch" --mem 64 --vcpus 1
expect "launch bad policy: exit 1" 1 "$launch" --name a --mem 64 --vcpus 1 --policy bogus
expect "launch 1G pages, odd size: exit 1" 1 "$launch" --name a --mem 1000 --vcpus 1 --hugepages 1G
expect "launch, module not loaded: exit 2" 2 env KVMNUMA_SYSFS="$tmp/none" "$launch" --name a --mem 64 --vcpus 1

# Live: real QEMU/KVM, paused; this script plays the module.
if [ -w /dev/kvm ] && command -v qemu-system-x86_64 >/dev/null && command -v python3 >/dev/null; then
	rd=$tmp/run
	(
		for _ in $(seq 100); do [ -s "$rd/live.pid" ] && break; sleep 0.1; done
		p=$(<"$rd/live.pid")
		mkdir -p "$KVMNUMA_SYSFS/vms/$p/placement"
		echo "$p" >"$KVMNUMA_SYSFS/vms/$p/pid"; echo none >"$KVMNUMA_SYSFS/vms/$p/policy"
		echo 0 >"$KVMNUMA_SYSFS/vms/$p/nodes"; echo running >"$KVMNUMA_SYSFS/vms/$p/placement/state"
		sleep 1
		echo "done" >"$KVMNUMA_SYSFS/vms/$p/placement/state"
	) &
	expect "launch a paused QEMU, set, pin, resume" 0 env KVMNUMA_RUNDIR="$rd" KVMNUMACTL="$ctl" \
		timeout 60 "$launch" --name live --mem 128 --vcpus 2 --policy first-touch --nodes 0 \
		--daemonize -- -display none -nodefaults
	qpid=$(cat "$rd/live.pid" 2>/dev/null)
	[ -n "$qpid" ] && pids+=("$qpid")
	has "prints the VM id" "^$qpid$"
	if [ "$(cat "$KVMNUMA_SYSFS/vms/$qpid/policy" 2>/dev/null)" = first-touch ]; then ok "launch set the policy"; else ko "launch set the policy"; fi
	status=$(python3 - "$rd/live.qmp" <<'PY'
import socket, sys, json
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); f = s.makefile("rw"); f.readline()
for c in ("qmp_capabilities", "query-status"):
    f.write(json.dumps({"execute": c}) + "\n"); f.flush(); r = json.loads(f.readline())
print(r["return"]["status"])
PY
)
	if [ "$status" = running ]; then ok "guest resumed"; else ko "guest resumed" "$status"; fi
else
	skip "live launch (needs /dev/kvm, qemu-system-x86_64, python3)"
fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
