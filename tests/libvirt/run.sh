#!/bin/bash
# Tests of the libvirt QEMU hook (scripts/libvirt-qemu-hook, installed as
# /etc/libvirt/hooks/qemu.d/kvmnuma) without libvirtd: the hook is run as
# libvirt runs it (DOMAIN OPERATION SUBOP -, the domain XML on stdin) with
# the recorded domain XML files beside this script, against a fake sysfs,
# a fake kvmnumactl (records its arguments), a fake libvirt pid file and a
# fake cgroup tree.
# Usage: tests/libvirt/run.sh   (from anywhere)
# Ends with "N passed, N failed"; exit status 0 iff nothing failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
hook=$here/../../scripts/libvirt-qemu-hook
tmp=$(mktemp -d /tmp/kvmnuma-hook-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { echo "PASS: $1"; passed=$((passed + 1)); }
ko() { echo "FAIL: $1${2:+ ($2)}"; failed=$((failed + 1)); }

# The fake host: kvmnuma with VM 4242 (libvirt's pid file says so), two
# nodes, cgroup cpuset.mems 0-1.
export KVMNUMA_SYSFS=$tmp/sysfs KVMNUMA_LIBVIRT_RUN=$tmp/run KVMNUMA_PROC=$tmp/proc
export KVMNUMA_CGROUP=$tmp/cg KVMNUMACTL=$tmp/kvmnumactl KVMNUMA_HOOK_NO_SYSLOG=1
export KVMNUMA_HOOK_REGISTER_TIMEOUT=2 KVMNUMA_HOOK_PLACE_TIMEOUT=2 KVMNUMA_HOOK_CTL_TIMEOUT=2
scope=/machine.slice/machine-qemu\\x2d3\\x2dweb.scope
reset() {
	rm -rf "$tmp/sysfs" "$tmp/run" "$tmp/proc" "$tmp/cg" "$tmp/ctl.log"
	mkdir -p "$tmp/sysfs/vms/4242/placement" "$tmp/run" "$tmp/proc/4242" "$tmp/cg$scope"
	echo 1 > "$tmp/sysfs/abi_version"
	echo 0-1 > "$tmp/sysfs/vms/4242/nodes"
	echo idle > "$tmp/sysfs/vms/4242/placement/state"
	echo 4242 > "$tmp/run/web.pid"
	echo "0::$scope" > "$tmp/proc/4242/cgroup"
	echo 0-1 > "$tmp/cg$scope/cpuset.mems.effective"
	: > "$tmp/ctl.log"
	export FAKE_CTL_MODE=ok
}
# kvmnumactl as the hook uses it: set (placement done), pin, list --json.
cat > "$tmp/kvmnumactl" <<'EOF'
#!/bin/bash
echo "$*" >> "${KVMNUMACTL%/*}/ctl.log"
case $FAKE_CTL_MODE in hang) exec sleep 60 ;; fail) echo "kvmnumactl: kernel refused" >&2; exit 4 ;; esac
case $1 in
set) echo "$3" > "$KVMNUMA_SYSFS/vms/$2/policy"
     [ "$FAKE_CTL_MODE" = running ] && s=running || s=done
     echo $s > "$KVMNUMA_SYSFS/vms/$2/placement/state" ;;
list) echo '{"schema_version":1,"vms":[{"vm":"4242","name":"web","pid":4242}]}' ;;
esac
exit 0
EOF
chmod +x "$tmp/kvmnumactl"

# run NAME XML [OP SUBOP]: runs the hook; $out (stderr+stdout), $rc, $secs.
run() {
	local t0=$SECONDS
	local xml=$2
	[ "${xml#/}" = "$xml" ] && xml=$here/$xml	# recorded, or made below
	out=$("$hook" web "${3:-started}" "${4:-begin}" - < "$xml" 2>&1)
	rc=$? secs=$((SECONDS - t0))
}
lines() { if [ -z "$out" ]; then echo 0; else wc -l <<<"$out"; fi; }
ctl_log() { cat "$tmp/ctl.log"; }
is() { if [ "$2" = "$3" ]; then ok "$1"; else ko "$1" "got '$3', wanted '$2'; output: $out"; fi; }
has() { if grep -Eq -- "$2" <<<"$3"; then ok "$1"; else ko "$1" "no /$2/ in: $3"; fi; }
hasnt() { if grep -Eq -- "$2" <<<"$3"; then ko "$1" "/$2/ in: $3"; else ok "$1"; fi; }

# --- policy applied from <metadata>
reset
run "policy applied" round4k.xml
is "applied: exit 0" 0 "$rc"
is "applied: kvmnumactl set, then pin" "set 4242 round-4k --nodes 0-1|pin 4242" "$(ctl_log | paste -sd'|')"
is "applied: one log line" 1 "$(lines)"
has "applied: says what it did" "domain web: policy round-4k on nodes 0,1 \(VM 4242\), placement done; vCPUs pinned" "$out"
reset
run "first-touch, no nodes, no pin" first-touch.xml
is "first-touch: kvmnumactl set only" "set 4242 first-touch" "$(ctl_log | paste -sd'|')"
has "first-touch: nodes from sysfs" "policy first-touch on nodes 0,1" "$out"

reset
run "unprefixed children" unprefixed.xml
is "children without the namespace prefix: read" "set 4242 round-1g --nodes 1" "$(ctl_log | paste -sd'|')"

# --- by name when libvirt's pid file is missing
reset
rm "$tmp/run/web.pid"
run "by name" round4k.xml
has "by name: VM found with kvmnumactl list" "^list --json" "$(ctl_log)"
has "by name: set by id" "^set 4242 round-4k" "$(ctl_log)"

# --- no metadata, other operations: nothing
reset
run "no metadata" no-metadata.xml
is "no metadata: exit 0" 0 "$rc"
is "no metadata: silent" 0 "$(lines)"
is "no metadata: kvmnumactl not run" "" "$(ctl_log)"
for op in "prepare begin" "start begin" "started end" "stopped end" "release end" "reconnect begin"; do
	reset
	run "$op" round4k.xml $op
	is "$op: exit 0, nothing done" "0 0 " "$rc $(lines) $(ctl_log)"
done

# --- kvmnuma not loaded: one line, exit 0, nothing run
reset
KVMNUMA_SYSFS=$tmp/none run "absent" round4k.xml
is "kvmnuma absent: exit 0" 0 "$rc"
is "kvmnuma absent: one log line" 1 "$(lines)"
has "kvmnuma absent: says so" "kvmnuma is not loaded: policy round-4k not applied" "$out"
is "kvmnuma absent: kvmnumactl not run" "" "$(ctl_log)"

# --- malformed XML: one line, exit 0
reset
run "malformed" malformed.xml
is "malformed XML: exit 0" 0 "$rc"
is "malformed XML: one log line" 1 "$(lines)"
has "malformed XML: says so" "domain XML does not parse" "$out"
is "malformed XML: kvmnumactl not run" "" "$(ctl_log)"

# --- libvirt's own limits
reset
run "numatune" numatune-conflict.xml
is "numatune conflict: exit 0" 0 "$rc"
has "numatune conflict: warning" "warning: <numatune> strict nodeset 0 excludes node\(s\) 1 of kvmnuma's 0,1" "$out"
has "numatune conflict: pin refused" "pin refused" "$out"
is "numatune conflict: policy set, no pin" "set 4242 round-4k --nodes 0-1" "$(ctl_log | paste -sd'|')"
reset
echo 1 > "$tmp/cg$scope/cpuset.mems.effective"
run "cpuset" round4k.xml
has "cpuset conflict: warning" "warning: cgroup cpuset.mems 1 excludes node\(s\) 0 of kvmnuma's 0,1" "$out"
hasnt "cpuset conflict: no pin" "^pin" "$(ctl_log)"
reset
run "vcpupin" vcpupin.xml
has "vcpupin: vCPUs left to libvirt" "vCPUs left to libvirt's <vcpupin>" "$out"
hasnt "vcpupin: no warning (numatune interleave 0-1 allows 0,1)" "warning" "$out"
hasnt "vcpupin: no kvmnumactl pin" "^pin" "$(ctl_log)"

# --- bounded waits, failures: exit 0 and one line each
reset
echo 999 > "$tmp/run/web.pid"
run "never registered" round4k.xml
is "VM never registered: exit 0, one line" "0 1" "$rc $(lines)"
has "VM never registered: says so" "kvmnuma does not know the VM \(QEMU pid 999\)" "$out"
is "VM never registered: bounded (< 5 s)" 1 "$((secs < 5))"
reset
export FAKE_CTL_MODE=hang
run "hang" round4k.xml
is "kvmnumactl hangs: exit 0, one line" "0 1" "$rc $(lines)"
has "kvmnumactl hangs: timed out" "failed \(124\): no answer in 2 s" "$out"
is "kvmnumactl hangs: bounded (< 6 s)" 1 "$((secs < 6))"
reset
export FAKE_CTL_MODE=fail
run "refused" round4k.xml
is "kvmnumactl refuses: exit 0, one line" "0 1" "$rc $(lines)"
has "kvmnumactl refuses: its message" "failed \(4\): kvmnumactl: kernel refused" "$out"
reset
export FAKE_CTL_MODE=running
run "slow placement" round4k.xml
is "placement not done: exit 0" 0 "$rc"
has "placement not done: not waited for further" "placement running \(not waited for further\)" "$out"
is "placement not done: bounded (< 6 s)" 1 "$((secs < 6))"

# Hostile domain XML: generated from round4k.xml with one element replaced.
# hostile NAME SED-EXPR: writes $tmp/NAME.xml.
hostile() { sed -e "$2" "$here/round4k.xml" > "$tmp/$1.xml"; }
not_applied() {	# NAME: exit 0, one log line, kvmnumactl never run
	is "$1: exit 0, one line" "0 1" "$rc $(lines)"
	is "$1: kvmnumactl not run" "" "$(ctl_log)"
}
reset
hostile opt-policy 's|>round-4k<|>--help<|'
run "policy that is an option" "$tmp/opt-policy.xml"
not_applied "policy '--help'"
reset
hostile space-policy 's|>round-4k<|>round-4k --nodes 0<|'
run "policy with a space" "$tmp/space-policy.xml"
not_applied "policy with a space"
reset
hostile big-range 's|>0-1</kvmnuma:nodes>|>0-999999</kvmnuma:nodes>|'
run "huge range" "$tmp/big-range.xml"
not_applied "nodes 0-999999"
reset
hostile arabic 's|>0-1</kvmnuma:nodes>|>\xd9\xa1</kvmnuma:nodes>|'
run "non-ASCII digits" "$tmp/arabic.xml"
not_applied "nodes in Arabic-Indic digits"
reset
hostile plus 's|>0-1</kvmnuma:nodes>|>+0-1</kvmnuma:nodes>|'
run "signed node" "$tmp/plus.xml"
not_applied "nodes '+0-1'"
reset
# 200000 ranges of 4096 nodes each (1.4 MB): refused at once, not expanded.
awk '{ if (sub(/>0-1<\/kvmnuma:nodes>/, "")) { printf "%s>0-4095", $0
	for (i = 1; i < 200000; i++) printf ",0-4095"; print "</kvmnuma:nodes>" } else print }' \
	"$here/round4k.xml" > "$tmp/long-list.xml"
run "long node list" "$tmp/long-list.xml"
n=$(lines) out=${out:0:300}	# a failure would quote 1.4 MB
is "200000 node ranges: exit 0, one line" "0 1" "$rc $n"
is "200000 node ranges: kvmnumactl not run" "" "$(ctl_log | cut -c1-100)"
is "200000 node ranges: bounded (< 5 s)" 1 "$((secs < 5))"
reset
# Billion laughs: expat refuses the amplification; the hook logs and exits.
{
	echo '<?xml version="1.0"?><!DOCTYPE domain [<!ENTITY a0 "lollollollol">'
	for i in $(seq 1 9); do
		printf '<!ENTITY a%d "%s">' "$i" "$(printf "&a$((i - 1));%.0s" $(seq 10))"
	done
	echo ']>'
	sed -e '1,2d' -e 's|>round-4k<|>&a9;<|' "$here/round4k.xml"
} > "$tmp/laughs.xml"
run "billion laughs" "$tmp/laughs.xml"
not_applied "billion laughs"
is "billion laughs: bounded (< 5 s)" 1 "$((secs < 5))"
reset
hostile wrong-ns 's|urn:x-kvmnuma:libvirt:1|urn:x-kvmnuma:libvirt:2|'
run "wrong namespace" "$tmp/wrong-ns.xml"
is "other namespace: exit 0, silent" "0 0" "$rc $(lines)"
is "other namespace: kvmnumactl not run" "" "$(ctl_log)"

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
