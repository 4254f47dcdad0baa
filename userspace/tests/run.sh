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
json_ok() { python3 -m json.tool >/dev/null <<<"$out"; }
# jget EXPR: evaluates the Python expression EXPR on the JSON in $out (as d).
jget() { python3 -c 'import json, sys; d = json.loads(sys.stdin.read()); print(eval(sys.argv[1]))' "$1" <<<"$out"; }
# jis NAME EXPR WANTED: the expression's value is WANTED.
jis() {
	local got
	got=$(jget "$2" 2>&1)
	if [ "$got" = "$3" ]; then ok "$1"; else ko "$1" "$2 = '$got', wanted '$3'"; fi
}

make -s -C "$repo" userspace || { echo "0 passed, 1 failed"; exit 1; }
cc -O2 -Wall -Wextra -Werror -std=gnu11 -D_GNU_SOURCE -I"$repo/include" \
	-o "$tmp/fakevm" "$repo/userspace/tests/fakevm.c" -lpthread || { echo "0 passed, 1 failed"; exit 1; }

# --- a fake module with one VM: 1024 pages in two slots, 700 touched, 3 vCPUs
export KVMNUMA_SYSFS=$tmp/sysfs
mkdir -p "$KVMNUMA_SYSFS/vms"
echo 1 >"$KVMNUMA_SYSFS/abi_version"
"$tmp/fakevm" vm 1024 700 3 -name guest=web,,1,debug-threads=on >"$tmp/vm.out" &
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
has "unknown option is named" "^kvmnumactl: unknown option '--bogus'"
if grep -q "^usage:" <<<"$out"; then ko "unknown option: one line, no usage dump" "$out"; else ok "unknown option: one line, no usage dump"; fi
expect "unknown short option" 1 "$ctl" -x list
has "unknown short option is named" "unknown option '-x'"
expect "option without its value" 1 "$ctl" show "$vm" --sample
has "missing value is named" "option '--sample' needs a value"
expect "unknown command" 1 "$ctl" frobnicate
has "unknown command is named" "unknown command 'frobnicate'"
expect "--version" 0 "$ctl" --version
has "--version is VERSION" "^kvmnumactl $(cat "$repo/VERSION")$"
echo "$(cat "$repo/VERSION")" >"$KVMNUMA_SYSFS/version"
expect "--version with the module loaded" 0 "$ctl" --version
has "--version shows the module's version" "^kvmnuma module $(cat "$repo/VERSION")$"
echo 0.0.1 >"$KVMNUMA_SYSFS/version"
expect "--version, other module version" 0 "$ctl" --version
has "--version flags a mismatch" "^kvmnuma module 0.0.1 \(differs"
rm "$KVMNUMA_SYSFS/version"
expect "policies" 0 "$ctl" policies
if [ "$(tr '\n' ' ' <<<"$out")" = "none first-touch round-4k round-1g carrefour first-touch+carrefour round-4k+carrefour " ]; then ok "policies lists common/policy.c's names"; else ko "policies" "$out"; fi
expect "policies --json" 0 "$ctl" policies --json
jis "policies --json: schema_version" "d['schema_version']" 1
jis "policies --json: names" "len(d['policies'])" 7
expect "policies without the module" 0 env KVMNUMA_SYSFS="$tmp/none" "$ctl" policies
expect "--layout on list: usage" 1 "$ctl" list --layout x.png
expect "not loaded: exit 2" 2 env KVMNUMA_SYSFS="$tmp/none" "$ctl" list
expect "no such VM: exit 3" 3 "$ctl" show 999999999
expect "list" 0 "$ctl" list
has "list shows the VM, its name (-name guest=NAME), state, RAM per node (every 64th page)" "^$vm +web,1 +$vm +3 +4 +none +running +0 +0:69%$"
expect "list --sample 1" 0 "$ctl" list --sample 1
has "list --sample 1: exact share" "^$vm .* 0:68%$"
expect "show by name" 0 "$ctl" show web,1
has "show by name finds the VM" "^VM $vm web,1 \(pid $vm\)"
expect "unknown name: exit 3" 3 "$ctl" show web
export KVMNUMA_LIBVIRT_RUN=$tmp/libvirt
mkdir -p "$KVMNUMA_LIBVIRT_RUN"
mkvm "$$" "$$" "$hva"
echo "$$" >"$KVMNUMA_LIBVIRT_RUN/db-7.pid"
expect "a name from libvirt's pid file" 0 "$ctl" list
has "list: libvirt domain name" "^$$ +db-7 +$$ "
expect "set by libvirt name" 0 "$ctl" set db-7 first-touch
if [ "$(<"$KVMNUMA_SYSFS/vms/$$/policy")" = first-touch ]; then ok "set by name wrote that VM's policy"; else ko "set by name"; fi
mkvm "$vm.1" "$vm" "$hva"
expect "a name two VMs share: exit 3" 3 "$ctl" show web,1
has "shared name: asks for the id" "several VMs are named 'web,1'"
rm -rf "${KVMNUMA_SYSFS:?}/vms/$vm.1" "${KVMNUMA_SYSFS:?}/vms/$$"
expect "list --json" 0 "$ctl" --json list
if json_ok; then ok "list --json is valid JSON"; else ko "list --json is valid JSON" "$out"; fi
jis "list --json: schema_version" "d['schema_version']" 1
jis "list --json: vm key, pid a number, name" "(d['vms'][0]['vm'], d['vms'][0]['pid'] + 0, d['vms'][0]['name'])" "('$vm', $vm, 'web,1')"
expect "--json after the command" 0 "$ctl" list --json
jis "list --json (option last)" "d['vms'][0]['nodes']" 0
jis "list --json: state, RAM per node" "(d['vms'][0]['state'], d['vms'][0]['ram']['sample'], d['vms'][0]['ram']['nodes'][0]['node'], d['vms'][0]['ram']['nodes'][0]['pages'])" "('running', 64, 0, 704)"
expect "show" 0 "$ctl" show "$vm"
has "show: node 0 holds the 700 touched pages" "^  0 +700 +2\.7 +68\.4$"
has "show: 324 pages not backed" "^  not backed +324 "
has "show: placement progress" "placement: running, granularity 4k"
has "show: refaults per node" "refaults_per_node +0:12"
expect "show --json" 0 "$ctl" show "$vm" --json
if json_ok; then ok "show --json is valid JSON"; else ko "show --json is valid JSON" "$out"; fi
has "show --json: node 0 row" '\{"node":0,"pages":700,'
jis "show --json: schema_version, vm key, name" "(d['schema_version'], d['vm'], d['name'])" "(1, '$vm', 'web,1')"
jis "show --json: nodes are numbers" "[r['node'] for r in d['ram']['nodes']]" "[0]"
jis "show --json: not backed" "d['ram']['not_backed']['pages']" 324
jis "show --json: refaults per node" "d['stats']['refaults_per_node']" "[{'node': 0, 'refaults': 12}]"
# Strings from sysfs are escaped (the old hand-written JSON in advise was not).
printf 'first-touch"\\x\n' >"$KVMNUMA_SYSFS/vms/$vm/policy"
expect "show --json, a quote in a value" 0 "$ctl" show "$vm" --json
jis "show --json: value escaped" "d['policy']" 'first-touch"\x'
d=$KVMNUMA_SYSFS/vms/$vm/carrefour
mkdir -p "$d"; echo soft >"$d/sampler"; echo 0 >"$d/sampling"; : >"$d/access_matrix"
# advise resets the matrix, sleeps, reads it: the "samples" arrive meanwhile.
(sleep 0.5; printf '0 0 30\n0 1 10\n1 1 60\n' >"$d/access_matrix") &
expect "advise --json" 0 "$ctl" advise "$vm" --seconds=1 --json
if json_ok; then ok "advise --json is valid JSON (quote in the policy)"; else ko "advise --json is valid JSON" "$out"; fi
jis "advise --json: keys" "(d['schema_version'], d['vm'], d['policy'], d['samples'])" "(1, '$vm', 'first-touch\"\\\\x', 100)"
# --min-samples: stops once that many accesses are in (read every second),
# not after --seconds; --seconds bounds it (and is what JSON reports).
(sleep 0.5; printf '0 0 30\n0 1 10\n1 1 60\n' >"$d/access_matrix") &
expect "advise --min-samples reached" 0 "$ctl" advise "$vm" --min-samples 50 --seconds 20 --json
jis "advise --min-samples: stopped at once, all samples" "(d['seconds'] <= 2, d['samples'])" "(True, 100)"
(sleep 0.5; printf '0 0 30\n0 1 10\n1 1 60\n' >"$d/access_matrix") &
expect "advise --min-samples not reached" 0 "$ctl" advise "$vm" --min-samples 1000 --seconds 2 --json
jis "advise --min-samples: bounded by --seconds" "(d['seconds'], d['samples'])" "(2, 100)"
expect "advise --min-samples x" 1 "$ctl" advise "$vm" --min-samples x
expect "list --min-samples (not list's option)" 1 "$ctl" list --min-samples 5
rm -rf "$d"
echo none >"$KVMNUMA_SYSFS/vms/$vm/policy"
# metrics: the Prometheus text format, read back by prometheus_client's parser.
printf 'first-touch"\\x\n' >"$KVMNUMA_SYSFS/vms/$vm/policy"
expect "metrics" 0 "$ctl" metrics
echo none >"$KVMNUMA_SYSFS/vms/$vm/policy"
echo "$out" >"$tmp/metrics.txt"
# Debian's python3 (python3-prometheus-client), whatever python3 is on PATH.
if /usr/bin/python3 -c 'import prometheus_client' 2>/dev/null; then
	m=$(/usr/bin/python3 - "$tmp/metrics.txt" "$vm" <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
vm = sys.argv[2]
def val(fam, **labels):
    for s in fams[fam].samples:
        if all(s.labels.get(k) == v for k, v in labels.items()):
            return s.value
    return None
print(int(val("kvmnuma_vm_resident_pages", vm=vm, node="0")),
      int(val("kvmnuma_vm_not_backed_pages", vm=vm)),
      fams["kvmnuma_vm_refaults_per_node"].type,
      int(val("kvmnuma_vm_refaults_per_node", vm=vm, node="0")),
      int(val("kvmnuma_vm_batches", vm=vm)),
      val("kvmnuma_vm_info", vm=vm, name="web,1", policy="first-touch\"\\x") is not None)
PY
)
	if [ "$m" = "700 324 counter 12 5 True" ]; then ok "metrics parse (prometheus_client): pages per node, counters, escaped labels"
	else ko "metrics parse" "$m"; fi
else
	ko "metrics parse" "python3-prometheus-client not installed (make deps)"
fi
expect "metrics --json: refused" 1 "$ctl" metrics --json

# top --once: rates over one interval while the counters move.
d=$KVMNUMA_SYSFS/vms/$vm
echo 100 >"$d/stats/pages_discarded"
(sleep 0.4; echo 300 >"$d/stats/pages_discarded"; echo "0 62" >"$d/stats/refaults_per_node") &
expect "top --once" 0 "$ctl" top --once --seconds 1
has "top: VM line with name, policy, rates" "^$vm +web,1 +none +all +1024 +50\.0 +200\.0 +0\.0 +0\.0$"
has "top: node 0 line, resident pages and share" "^ +0 +700 +68\.4 +50\.0$"
expect "top --sort bogus: usage" 1 "$ctl" top --sort bogus
echo 5 >"$d/stats/pages_discarded"; echo "0 12" >"$d/stats/refaults_per_node"
# Interactive, in a terminal (tmux): s changes the sort, q quits.
if command -v tmux >/dev/null; then
	sock=$tmp/tmux
	tmux -S "$sock" new-session -d -x 132 -y 20 "env KVMNUMA_SYSFS=$KVMNUMA_SYSFS KVMNUMA_LIBVIRT_RUN=$KVMNUMA_LIBVIRT_RUN $ctl top; echo top-exited-\$?; sleep 30"
	for _ in $(seq 50); do tmux -S "$sock" capture-pane -p | grep -q "sorted by vm" && break; sleep 0.1; done
	tmux -S "$sock" send-keys s
	for _ in $(seq 50); do tmux -S "$sock" capture-pane -p | grep -q "sorted by memory" && break; sleep 0.1; done
	screen=$(tmux -S "$sock" capture-pane -p)
	if grep -q "sorted by memory (s: sort, q: quit)" <<<"$screen" && grep -q "^$vm .*web,1" <<<"$screen"; then
		ok "top in tmux: refreshes, s sorts by memory"
	else
		ko "top in tmux" "$screen"
	fi
	tmux -S "$sock" send-keys q
	for _ in $(seq 50); do tmux -S "$sock" capture-pane -p | grep -q "top-exited" && break; sleep 0.1; done
	if tmux -S "$sock" capture-pane -p | grep -q "top-exited-0"; then ok "top in tmux: q quits (exit 0)"; else ko "top in tmux: q quits" "$(tmux -S "$sock" capture-pane -p)"; fi
	tmux -S "$sock" kill-server 2>/dev/null
else
	skip "top in tmux (tmux not installed)"
fi
# A picture of the running (fake) VM, drawn by gnuplot.
if command -v gnuplot >/dev/null; then
	expect "show --layout out.png" 0 "$ctl" show web,1 --layout "$tmp/layout.png"
	if file "$tmp/layout.png" | grep -q "PNG image data, 580 x 760"; then ok "layout: a 580x760 PNG"; else ko "layout PNG" "$(file "$tmp/layout.png")"; fi
	"$ctl" show web,1 --layout - >"$tmp/stdout.png" 2>"$tmp/stdout.err"
	if file "$tmp/stdout.png" | grep -q "PNG image data, 580 x 760"; then ok "layout on stdout (--layout -)"; else ko "layout on stdout" "$(file "$tmp/stdout.png"; cat "$tmp/stdout.err")"; fi
	expect "show --layout out.svg --sample 4" 0 "$ctl" show "$vm" --sample 4 --layout "$tmp/layout.svg"
	if grep -q "node 0" "$tmp/layout.svg" && grep -q "not backed" "$tmp/layout.svg" &&
	   grep -q "VM $vm web,1: policy none, nodes 0" "$tmp/layout.svg"; then
		ok "layout: title and legend (node 0, not backed)"
	else
		ko "layout title and legend" "$(grep -c . "$tmp/layout.svg") lines"
	fi
	# Recorded layouts (the demo's): round-4k alternates nodes, first-touch
	# leaves a hole; the picture has a panel for each.
	awk 'BEGIN { for (g = 0; g < 8192; g++) print g, g % 2 }' >"$tmp/r4k.txt"
	awk 'BEGIN { for (g = 0; g < 8192; g++) print g, (g < 4096 ? 1 : "-") }' >"$tmp/ft.txt"
	expect "layout of recorded files" 0 env KVMNUMA_SYSFS="$tmp/none" "$ctl" layout "$tmp/demo.svg" round-4k="$tmp/r4k.txt" first-touch="$tmp/ft.txt"
	if grep -q "round-4k" "$tmp/demo.svg" && grep -q "first-touch" "$tmp/demo.svg" && grep -q "node 1" "$tmp/demo.svg"; then
		ok "layout: one panel per file, titled"; else ko "layout panels"; fi
	expect "layout needs files: usage" 1 "$ctl" layout "$tmp/x.png"
else
	skip "show --layout, layout (gnuplot not installed)"
fi
expect "show --layout with --json: usage" 1 "$ctl" show "$vm" --json --layout "$tmp/x.png"
expect "show --sample 7" 0 "$ctl" show "$vm" --sample 7
has "show --sample: estimates" "every 7-th page"
# Host AutoNUMA: shown, and a warning for a policy it works against.
echo 1 >"$tmp/nb"
echo round-4k >"$KVMNUMA_SYSFS/vms/$vm/policy"
expect "show, AutoNUMA on" 0 env KVMNUMA_NUMA_BALANCING="$tmp/nb" "$ctl" show "$vm"
has "show: host numa_balancing" "host numa_balancing +autonuma"
has "show: AutoNUMA conflict warning" "warning: host AutoNUMA .* behind round-4k"
expect "show --json, AutoNUMA on" 0 env KVMNUMA_NUMA_BALANCING="$tmp/nb" "$ctl" show "$vm" --json
has "show --json: conflict" '"host_numa_balancing_conflict":true'
echo 0 >"$tmp/nb"
expect "show, AutoNUMA off" 0 env KVMNUMA_NUMA_BALANCING="$tmp/nb" "$ctl" show "$vm"
if grep -q "warning: host AutoNUMA" <<<"$out"; then ko "no warning with AutoNUMA off" "$out"; else ok "no warning with AutoNUMA off"; fi
echo none >"$KVMNUMA_SYSFS/vms/$vm/policy"
expect "set policy" 0 "$ctl" set "$vm" first-touch --nodes 0
expect "set --nodes=LIST (getopt_long)" 0 "$ctl" set "$vm" first-touch --nodes=0
expect "set --nodes all (libnuma syntax)" 0 "$ctl" set "$vm" first-touch --nodes all
if [ "$(<"$KVMNUMA_SYSFS/vms/$vm/nodes")" = "$(tr -d '\n' </sys/devices/system/node/possible 2>/dev/null || echo 0)" ] || [ "$(<"$KVMNUMA_SYSFS/vms/$vm/nodes")" = "$(cat /sys/devices/system/node/online)" ]; then ok "set wrote libnuma's 'all' as the kernel's list"; else ko "set --nodes all" "$(<"$KVMNUMA_SYSFS/vms/$vm/nodes")"; fi
echo 0 >"$KVMNUMA_SYSFS/vms/$vm/nodes"
bad=$(( $(ls -d /sys/devices/system/node/node* | wc -l) + 7 ))
expect "set --nodes with a node this machine lacks: usage" 1 "$ctl" set "$vm" none --nodes "$bad"
has "names the bad list" "--nodes '$bad': not a list of this machine's nodes"
expect "set --nodes garbage: usage" 1 "$ctl" set "$vm" none --nodes 0-x
if [ "$(<"$KVMNUMA_SYSFS/vms/$vm/policy")" = first-touch ]; then ok "set wrote the policy"; else ko "set wrote the policy"; fi
expect "set unknown policy: usage" 1 "$ctl" set "$vm" bogus

# set --wait follows placement/ (here a script plays the module's walk).
p=$KVMNUMA_SYSFS/vms/$vm/placement
# (the state last: a reader never sees a final state with earlier counters)
place() { echo "$2" >"$p/pages_total"; echo "$3" >"$p/pages_placed"; echo "$4" >"$p/pages_moved"
	  echo "$5" >"$p/pages_move_failed"; echo "$6" >"$p/moves_pending"; echo "$1" >"$p/state"; }
place running 1000 0 0 0 0
(sleep 1.2; place running 1000 400 0 0 0; sleep 1.2; place moving 1000 700 200 0 100; sleep 1.2; place done 1000 700 300 0 0) &
expect "set --wait" 0 "$ctl" set "$vm" round-4k --wait
has "set --wait: progress with percentage and ETA" "^placement running: 400/1000 pages \(40\.0%\), 0 moves pending, ETA [0-9]+ s$"
has "set --wait: moves" "^placement moving: 900/1000 pages \(90\.0%\), 100 moves pending"
has "set --wait: done" "^placement done: 700 pages in place, 300 moved, 0 failed"
place running 1000 0 0 0 0
(sleep 1.2; place done 1000 990 0 10 0) &
expect "set --wait, moves failed: exit 5" 5 "$ctl" set "$vm" round-4k --wait
has "set --wait: failed moves reported" "10 page moves failed"
place waiting-for-kvmnumad 1000 990 0 0 10
expect "set --wait without kvmnumad: exit 5 after 10 s" 5 "$ctl" set "$vm" round-4k --wait
has "set --wait: says kvmnumad is not running" "10 page moves wait for kvmnumad, which is not running"
# A module with the partition (pages_unwalked): degraded is an end state,
# exit 6 with the reason; progress = total - unwalked - pending.
echo 0 >"$p/pages_unplaceable"; echo none >"$p/unplaceable_reason"
echo 1000 >"$p/pages_unwalked"
place running 1000 0 0 0 0
(sleep 1.2; echo 500 >"$p/pages_unwalked"; place running 1000 400 0 0 0
 sleep 1.2; echo 0 >"$p/pages_unwalked"; echo 160 >"$p/pages_unplaceable"
 echo no-room >"$p/unplaceable_reason"; place degraded 1000 830 30 10 0) &
expect "set --wait, degraded: exit 6" 6 "$ctl" set "$vm" round-4k --wait
has "set --wait: progress from the partition" "^placement running: 500/1000 pages \(50\.0%\)"
has "set --wait: degraded end line" "^placement degraded: 830 pages in place, 30 moved, 10 failed, 160 unplaceable"
has "set --wait: degraded reason" "placement degraded: 170 pages off their layout node \(10 failed to move, 160 unplaceable, reason no-room\)"
# Paused (memory pressure, orders cap): said on the progress line.
echo memory-pressure >"$p/paused"; echo 1000 >"$p/pages_unwalked"; place running 1000 0 0 0 0
(sleep 1.5; echo no >"$p/paused"; echo 0 >"$p/pages_unwalked"; place done 1000 1000 0 0 0) &
expect "set --wait, paused then done" 0 "$ctl" set "$vm" round-4k --wait
has "set --wait: says why placement waits" "^placement running: 0/1000 pages \(0\.0%\), 0 moves pending, ETA \? 0 s, paused: memory-pressure$"
rm -f "$p/paused"
place degraded 1000 990 0 10 0; echo 0 >"$p/pages_unplaceable"
expect "set --wait on an already degraded placement: exit 6" 6 "$ctl" set "$vm" round-4k --wait
has "set --wait: degraded by failed moves alone" "reason none"
rm -f "$p/pages_unwalked" "$p/pages_unplaceable" "$p/unplaceable_reason"
place running 3 3 3 3 3
echo none >"$KVMNUMA_SYSFS/vms/$vm/policy"

# A second VM whose attributes refuse writes (directories: EISDIR).
mkvm "$vm.1" "$vm" "$hva"
rm "$KVMNUMA_SYSFS/vms/$vm.1/nodes"; mkdir "$KVMNUMA_SYSFS/vms/$vm.1/nodes"
echo round-4k >"$KVMNUMA_SYSFS/vms/$vm.1/policy"
expect "set refused nodes: exit 4" 4 "$ctl" set "$vm.1" none --nodes 0
has "refusal names VM, value, errno" "VM $vm\.1: cannot set nodes '0': Is a directory"
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
has "kvmnumad names the bad option" "^kvmnumad: unknown option '--bogus'"
expect "kvmnumad --version" 0 "$daemon" --version
has "kvmnumad --version is VERSION" "^kvmnumad $(cat "$repo/VERSION")$"

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
expect "launch --name=NAME form" 0 "$launch" --name=t2 --mem=64 --vcpus=1 --dry-run
has "launch --name=NAME" "-name t2,debug-threads=on "
expect "launch unknown option: exit 1" 1 "$launch" --bogus
has "launch names the bad option" "unrecognized option '--bogus'"
expect "launch --version" 0 "$launch" --version
has "launch --version is VERSION" "^kvmnuma-launch $(cat "$repo/VERSION")$"
expect "launch policy list from kvmnumactl" 0 "$launch" --name a --mem 64 --vcpus 1 --policy round-4k+carrefour --dry-run
expect "launch bad policy: exit 1" 1 "$launch" --name a --mem 64 --vcpus 1 --policy bogus
expect "launch 1G pages, odd size: exit 1" 1 "$launch" --name a --mem 1000 --vcpus 1 --hugepages 1G
expect "launch first-touch on hugetlbfs: exit 1" 1 "$launch" --name a --mem 2048 --vcpus 1 --policy first-touch --hugepages 2M --dry-run
expect "launch, module not loaded: exit 2" 2 env KVMNUMA_SYSFS="$tmp/none" "$launch" --name a --mem 64 --vcpus 1

echo "== kvmnuma-launch: private run directory, checked QMP replies"
# A fake QEMU (userspace/tests/fakeqemu) registers itself in a fake module
# tree and answers QMP as $FAKEQMP_CONT says.
lsys=$tmp/lsys
mkdir -p "$lsys/vms"; echo 1 >"$lsys/abi_version"
fq=$repo/userspace/tests/fakeqemu
# flaunch NAME WANT_RC RUNDIR CONT [ENV...]: launches "f" on the fake QEMU as
# a daemon; $out is its stdout, $err its stderr, $fpid the fake QEMU's pid.
flaunch() {
	local name=$1 want=$2 rd=$3 cont=$4 rc
	shift 4
	out=$(env KVMNUMA_SYSFS="$lsys" KVMNUMA_RUNDIR="$rd" KVMNUMACTL="$ctl" FAKEQMP_CONT="$cont" \
		KVMNUMA_QMP_TIMEOUT=2 "$@" timeout 30 "$launch" --name f --mem 64 --vcpus 1 \
		--qemu "$fq" --daemonize 2>"$tmp/err")
	rc=$?
	err=$(<"$tmp/err")
	fpid=$(cat "$rd/f.pid" 2>/dev/null)
	[ -n "$fpid" ] && pids+=("$fpid")
	if [ "$rc" = "$want" ]; then ok "$name"; else ko "$name" "exit $rc, wanted $want: $out $err"; fi
}
# gone NAME: the fake QEMU $fpid was stopped (within 2 s).
gone() {
	local _
	for _ in $(seq 20); do kill -0 "$fpid" 2>/dev/null || { ok "$1"; return; }; sleep 0.1; done
	ko "$1" "fake QEMU $fpid still runs"
}
for client in socat python3; do
	if ! command -v $client >/dev/null; then skip "QMP replies through $client (not installed)"; continue; fi
	flaunch "QMP via $client: cont answered return, exit 0" 0 "$tmp/rd-$client-ok" ok KVMNUMA_QMP_CLIENT=$client
	if [ -n "$fpid" ] && [ "$out" = "$fpid" ]; then ok "QMP via $client: prints the VM id"; else ko "QMP via $client: prints the VM id" "'$out'"; fi
	kill "$fpid" 2>/dev/null
	flaunch "QMP via $client: cont answered error, exit 3" 3 "$tmp/rd-$client-err" error KVMNUMA_QMP_CLIENT=$client
	if [ -z "$out" ]; then ok "QMP via $client: no VM id after a failed cont"; else ko "QMP via $client: no VM id after a failed cont" "'$out'"; fi
	out=$err; has "QMP via $client: the error is reported" "cannot resume"
	gone "QMP via $client: QEMU stopped after a failed cont"
	flaunch "QMP via $client: cont never answered, exit 3" 3 "$tmp/rd-$client-silent" silent KVMNUMA_QMP_CLIENT=$client
	out=$err; has "QMP via $client: the timeout is reported" "no reply within 2 s"
	gone "QMP via $client: QEMU stopped after an unanswered cont"
	# Events do not extend the wait: the timeout is per reply, not per line.
	flaunch "QMP via $client: cont answered by events only, exit 3" 3 "$tmp/rd-$client-chatty" chatty KVMNUMA_QMP_CLIENT=$client
	out=$err; has "QMP via $client: events only: the timeout is reported" "no reply within 2 s"
	gone "QMP via $client: QEMU stopped after events only"
done

mkdir -m 700 "$tmp/target"; ln -s target "$tmp/rd-link"
flaunch "run directory: a symlink is refused" 3 "$tmp/rd-link" ok
[ -e "$tmp/target/f.pid" ] || [ -e "$tmp/target/f.qmp" ] &&
	ko "run directory: nothing created through the symlink" || ok "run directory: nothing created through the symlink"
mkdir -m 1777 "$tmp/rd-open"
flaunch "run directory: mode 1777 is refused" 3 "$tmp/rd-open" ok
out=$err; has "run directory: the mode is named" "mode 1777 lets group or others in"
flaunch "run directory: created when missing" 0 "$tmp/rd-new" ok
kill "$fpid" 2>/dev/null
if [ "$(stat -c %a "$tmp/rd-new")" = 700 ]; then ok "run directory: created 0700"; else ko "run directory: created 0700" "$(stat -c %a "$tmp/rd-new")"; fi
if [ "$(id -u)" = 0 ] && command -v setpriv >/dev/null; then
	mkdir -m 700 "$tmp/rd-foreign"; chown 65534:65534 "$tmp/rd-foreign"
	flaunch "run directory: one owned by another user is refused" 3 "$tmp/rd-foreign" ok
	out=$err; has "run directory: the owner is named" "owned by uid 65534"
	# nobody without a runtime directory: the old default was
	# /tmp/kvmnuma-65534/kvmnuma, which anyone could create first.  Plant it
	# (owned by root, open to all) and a foreign $XDG_RUNTIME_DIR.
	chmod 755 "$tmp"; chmod 1777 "$lsys/vms"
	planted=/tmp/kvmnuma-65534 ours_planted=0
	[ -e "$planted" ] || { mkdir -m 1777 "$planted" "$planted/kvmnuma" && ours_planted=1; }
	mkdir -m 700 "$tmp/xdg-root"
	for xdg in "" "$tmp/xdg-root"; do
		what=${xdg:+"a root-owned XDG_RUNTIME_DIR"}; what=${what:-"no XDG_RUNTIME_DIR"}
		out=$(env -u XDG_RUNTIME_DIR -u KVMNUMA_RUNDIR -u TMPDIR ${xdg:+XDG_RUNTIME_DIR=$xdg} \
			KVMNUMA_SYSFS="$lsys" KVMNUMACTL="$ctl" FAKEQMP_CONT=ok KVMNUMA_QMP_TIMEOUT=2 \
			setpriv --reuid=65534 --regid=65534 --clear-groups \
			timeout 30 "$launch" --name f --mem 64 --vcpus 1 --qemu "$fq" --daemonize 2>"$tmp/err")
		rc=$?
		err=$(<"$tmp/err")
		[[ $out =~ ^[0-9]+$ ]] && { pids+=("$out"); kill "$out" 2>/dev/null; }
		if [ "$rc" = 0 ]; then ok "nobody, $what: launches"; else ko "nobody, $what: launches" "exit $rc: $err"; fi
		if [ -e "$planted/kvmnuma/f.pid" ] || [ -e "$planted/kvmnuma/f.qmp" ]; then
			ko "nobody, $what: the planted /tmp/kvmnuma-65534 is not used" "$(ls -l "$planted/kvmnuma")"
			rm -f "$planted/kvmnuma/f.pid" "$planted/kvmnuma/f.qmp"
		else
			ok "nobody, $what: the planted /tmp/kvmnuma-65534 is not used"
		fi
		d=$(sed -n 's/^kvmnuma-launch: run directory \(\/tmp\/kvmnuma-launch\.[A-Za-z0-9]*\) .*/\1/p' <<<"$err")
		if [ -n "$d" ] && [ "$(stat -c '%U %a' "$d")" = "nobody 700" ]; then
			ok "nobody, $what: a fresh private mktemp directory"
		else
			ko "nobody, $what: a fresh private mktemp directory" "'$d': $err"
		fi
		[ -n "$d" ] && rm -rf "$d"
	done
	[ "$ours_planted" = 1 ] && rm -rf "$planted"
	chmod 700 "$tmp"
else
	skip "foreign-owned and unprivileged run directories (need root and setpriv)"
fi

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
