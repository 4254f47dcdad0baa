#!/bin/bash
# The lab runner's splat rule (scripts/lab/splat-check) on recorded logs:
# a splat anywhere fails a scenario, except the RCU stall report of a guest
# l2_diag found livelocked (Documentation/lab.md class 10) and L2 console
# lines the scenario echoed into L1's console when the guest's own console
# file is there; L1's "corrupted stack end" panic in a vCPU thread as the
# run's first splat is the emulator's signature (status 3).  Ends with
# "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
check=$top/scripts/lab/splat-check
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
p=0 f=0
# expect DESC WANT(splat|clean) FILE...
expect() {
	desc=$1 want=$2; shift 2
	if out=$("$check" "$@"); then got=splat; else got=clean; fi
	if [ "$got" = "$want" ]; then
		echo "ok: $desc: $got${out:+ ($out)}"; p=$((p + 1))
	else
		echo "FAIL: $desc: expected $want, got $got${out:+ ($out)}"; f=$((f + 1))
	fi
}
stall='[   50.301693] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:
[   50.301700] rcu: 	(detected by 1, t=5256 jiffies, g=1389, q=808 ncpus=2)
[   50.301800] Call Trace:
[   50.301900]  <TASK>'
printf '%s\n' '[ 1.0] booted' "$stall" > "$d/l2-int.console.log"
expect "an RCU stall with a call trace, guest not livelocked" splat "$d/l2-int.console.log"
echo "66823 page faults injected" > "$d/l2-int.livelock"
expect "the same stall in a livelocked guest" clean "$d/l2-int.console.log"
printf '%s\n' '[ 1.0] booted' '[ 9.0] BUG: unable to handle page fault for address: 0' "$stall" > "$d/l2-int.console.log"
expect "a BUG before the livelocked guest's stall" splat "$d/l2-int.console.log"
printf '%s\n' '[ 1.0] booted' "$stall" '[ 60.0] BUG: later' > "$d/l2-int.console.log"
expect "a BUG after the livelocked guest's stall (its consequence)" clean "$d/l2-int.console.log"
printf '%s\n' '[ 1.0] booted' "$stall" > "$d/l2-int.dmesg.txt"
expect "the livelocked guest's dmesg" clean "$d/l2-int.dmesg.txt"
printf '%s\n' '[ 1.0] booted' "$stall" > "$d/l2-other.console.log"
expect "another guest's stall in the same scenario" splat "$d/l2-int.console.log" "$d/l2-other.console.log"
rm -f "$d/l2-other.console.log"
# L1's console carries what the scenario printed, L2 tails included.
sed 's/^/l2 int console| /' "$d/l2-int.console.log" > "$d/l1-console.log"
expect "an L2 tail echoed in L1's console, guest console kept" clean "$d/l1-console.log"
sed 's/^/l2 gone console| /' "$d/l2-int.console.log" > "$d/l1-console.log"
expect "an L2 tail echoed in L1's console, its console file missing" splat "$d/l1-console.log"
printf '%s\n' '[ 3.0] kvmnuma: loaded' '[ 9.0] WARNING: CPU: 1 PID: 200 at mm/page_alloc.c:1 x' > "$d/l1-console.log"
expect "L1's own warning" splat "$d/l1-console.log"
printf '%s\n' '[ 3.0] Kernel panic - not syncing: corrupted stack end detected inside scheduler' > "$d/l1-dmesg.txt"
expect "L1 panic, whatever the guests did" splat "$d/l1-dmesg.txt" "$d/l2-int.console.log"
# The emulator's L1 panic (lab.md class 3), seen with no kvmnuma code.
panic='[   72.898460] Kernel panic - not syncing: corrupted stack end detected inside scheduler'
rm -f "$d"/l2-* "$d"/l1-*
printf '%s\n' '[ 14.5] kvm: kvm [224]: vcpu0' "$panic" \
	'[   72.900015] CPU: 0 UID: 0 PID: 240 Comm: CPU 0/KVM Not tainted 6.12.117+deb12-amd64 #1' \
	'[   72.901213] Call Trace:' > "$d/l1-console.log"
"$check" "$d/l1-console.log" > /dev/null; rc=$?
if [ $rc = 3 ]; then echo "ok: corrupted stack end in a vCPU thread: lab signature (3)"; p=$((p + 1))
else echo "FAIL: corrupted stack end in a vCPU thread: status $rc, wanted 3"; f=$((f + 1)); fi
sed -i 's|Comm: CPU 0/KVM|Comm: kvmnumad|' "$d/l1-console.log"
expect "corrupted stack end in another thread" splat "$d/l1-console.log"
printf '%s\n' '[ 60.0] BUG: unable to handle page fault' "$panic" \
	'[   72.900015] CPU: 0 UID: 0 PID: 240 Comm: CPU 0/KVM Not tainted' > "$d/l1-console.log"
"$check" "$d/l1-console.log" > /dev/null; rc=$?
if [ $rc = 0 ]; then echo "ok: the same panic after another splat: a failure (0)"; p=$((p + 1))
else echo "FAIL: the same panic after another splat: status $rc, wanted 0"; f=$((f + 1)); fi
printf '%s\n' '[ 9.0] BUG: soft lockup' > "$d/l2-int.console.log"
printf '%s\n' "$panic" '[   72.900015] CPU: 0 UID: 0 PID: 240 Comm: CPU 0/KVM Not tainted' > "$d/l1-console.log"
"$check" "$d/l1-dmesg.txt" "$d/l2-int.console.log" "$d/l1-console.log" > /dev/null; rc=$?
if [ $rc = 0 ]; then echo "ok: the same panic with a guest splat: a failure (0)"; p=$((p + 1))
else echo "FAIL: the same panic with a guest splat: status $rc, wanted 0"; f=$((f + 1)); fi
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
