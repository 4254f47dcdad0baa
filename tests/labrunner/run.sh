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
# The budget watchdog's sysrq dumps (lab.md class 6): their call traces
# are not splats, anything else inside the window still is.
rm -f "$d"/l2-* "$d"/l1-*
sysrq='[  285.100000] lab-diag: sysrq begin
[  285.100100] sysrq: Show Blocked State
[  285.100200] task:l2chan          state:D stack:0     pid:512   tgid:512   ppid:300    flags:0x00004002
[  285.100300] Call Trace:
[  285.100400]  <TASK>
[  285.100500]  __schedule+0x3d0/0xb30
[  285.100600] sysrq: Show backtrace of all active CPUs
[  285.100700] NMI backtrace for cpu 1
[  285.100800] Call Trace:
[  285.100900]  <NMI>'
printf '%s\n' '[ 14.5] lab-l1: shell ready' "$sysrq" '[  285.200000] lab-diag: sysrq end' > "$d/l1-console.log"
expect "the watchdog's sysrq dumps" clean "$d/l1-console.log"
cp "$d/l1-console.log" "$d/l1-dmesg.txt"
printf '%s\n' '[  286.0] Call Trace:' >> "$d/l1-console.log"
expect "a call trace after the sysrq window" splat "$d/l1-console.log"
expect "the sysrq dumps in L1's dmesg" clean "$d/l1-dmesg.txt"
printf '%s\n' '[ 14.5] lab-l1: shell ready' "$sysrq" '[  285.150000] BUG: kernel NULL pointer dereference, address: 0000000000000008' \
	'[  285.200000] lab-diag: sysrq end' > "$d/l1-console.log"
expect "a BUG inside the sysrq window" splat "$d/l1-console.log"
printf '%s\n' '[ 14.5] lab-l1: shell ready' '[ 100.0] Call Trace:' "$sysrq" > "$d/l1-console.log"
expect "a call trace before the sysrq window" splat "$d/l1-console.log"
printf '%s\n' '[ 14.5] lab-l1: shell ready' "$sysrq" > "$d/l1-console.log"
expect "a window that never closes exempts nothing" splat "$d/l1-console.log"
# On the serial console, user-space output can precede a kernel line.
printf '%s\n' '[ 14.5] lab-l1: shell ready' "note: waiting for gu$sysrq" '[  285.200000] lab-diag: sysrq end' > "$d/l1-console.log"
expect "the begin marker after user-space text on the same line" clean "$d/l1-console.log"
# Only the dump's own reports: sysrq l's "NMI backtrace" with its CPU line
# is; a hung task, an RCU stall, an allocation failure or a bare
# dump_stack inside the window is not.
printf '%s\n' '[ 14.5] lab-l1: shell ready' "$sysrq" '[  285.101000] NMI backtrace for cpu 0' \
	'[  285.101100] CPU: 0 UID: 0 PID: 235 Comm: init Not tainted 6.12.117+deb12-amd64 #1' \
	'[  285.101200] Call Trace:' '[  285.200000] lab-diag: sysrq end' > "$d/l1-console.log"
expect "sysrq l's backtrace with its CPU line" clean "$d/l1-console.log"
for r in '[  285.100350] INFO: task l2chan:512 blocked for more than 120 seconds.' \
	 '[  285.100350] rcu: INFO: rcu_preempt detected stalls on CPUs/tasks:' \
	 '[  285.100350] kworker/0:1: page allocation failure: order:0, mode:0x820(GFP_ATOMIC)' \
	 '[  285.100350] CPU: 1 UID: 0 PID: 77 Comm: kworker/1:2 Not tainted 6.12.117+deb12-amd64 #1'; do
	printf '%s\n' '[ 14.5] lab-l1: shell ready' "$sysrq" "$r" '[  285.100360] Call Trace:' \
		'[  285.200000] lab-diag: sysrq end' > "$d/l1-console.log"
	expect "another report inside the sysrq window: ${r#*] }" splat "$d/l1-console.log"
done
printf '%s\n' '[ 14.5] lab-l1: shell ready' "$sysrq" 'l2 gone console| [ 9.0] Call Trace:' \
	'[  285.200000] lab-diag: sysrq end' > "$d/l1-console.log"
expect "a guest's echoed call trace inside the window, its console missing" splat "$d/l1-console.log"
printf '%s\n' '[ 9.0] Call Trace:' > "$d/l2-g.console.log"
printf '%s\n' "$sysrq" '[  285.200000] lab-diag: sysrq end' >> "$d/l2-g.console.log"
expect "no sysrq window in a guest's console" splat "$d/l2-g.console.log"
rm -f "$d/l2-g.console.log"
sed 's/^/l2 gone console| /' "$d/l1-console.log" > "$d/l1-console.log.2"
mv "$d/l1-console.log.2" "$d/l1-console.log"
expect "a guest's line cannot open the sysrq window" splat "$d/l1-console.log"

# scripts/lab/l1-monitor's summary of a recorded monitor dump: the
# kernel's addresses named from a symbol table of another boot, moved by
# this boot's _text; a module's from its ".text at" line.
mon=$top/scripts/lab/l1-monitor
rm -f "$d"/l1-*
printf '%s\n' 'ffffffff81000000 _text' 'ffffffff81c5a840 pv_native_safe_halt' \
	'ffffffff81c5a900 default_idle' 'ffffffff81c60000 do_idle' 'ffffffff81d00000 _etext' > "$d/kallsyms"
printf '%s\n' 'lab-l1: [0.9] kernel _text at 0xffffffff9a000000' \
	'lab-l1: [2.0] module labmod .text at 0xffffffffc0a00000' > "$d/l1-console.log"
regs() {	# regs CPU RIP HLT RSP
	printf 'CPU#%s\nRAX=0000000000000000 RBX=0000000000000000 RCX=0000000000000000 RDX=0000000000000000\n' "$1"
	printf 'RSI=0000000000000000 RDI=0000000000000000 RBP=ffffa0c000083e80 RSP=%s\n' "$4"
	printf 'RIP=%s RFL=00000246 [---Z-P-] CPL=0 II=0 A20=1 SMM=0 HLT=%s\n' "$2" "$3"
}
{
	printf '(qemu) info status\nVM status: running\n=== snapshot 1\n'
	regs 0 ffffffff9ac5a84f 1 ffffa0c000083e60; regs 1 ffffffffc0a01234 0 ffffa0c0000b3e00
	printf '=== stack of CPU#0\nffffa0c000083e60: 0xffffffff9ac5a905 0x0000000000000000\n'
	printf '=== snapshot 2\n'
	regs 0 ffffffff9ac5a84f 1 ffffa0c000083e60; regs 1 ffffffffc0a01240 0 ffffa0c0000b3e00
	printf '=== stack of CPU#0\nffffa0c000083e60: 0xffffffff9ac5a905 0xffffffff9ac60010\n'
} > "$d/raw"
cp "$d/raw" "$d/raw1"
out=$(LAB_L1_KALLSYMS=$d/kallsyms "$mon" name "$d/raw" "$d")
check_line() {	# check_line DESC PATTERN
	if echo "$out" | grep -q -- "$2"; then echo "ok: l1-monitor: $1"; p=$((p + 1))
	else echo "FAIL: l1-monitor: $1: no line matching '$2' in:"; echo "$out" | sed 's/^/    /'; f=$((f + 1)); fi
}
check_line "an idle vCPU named, relocated by _text" '^vCPU0: RIP ffffffff9ac5a84f pv_native_safe_halt+0xf, CPL 0, IF on, halted$'
check_line "a module address, RIP moved" '^vCPU1: RIP ffffffffc0a01240 labmod:.text+0x1240, CPL 0, IF on, running$'
check_line "return addresses on the stack" '^vCPU0: text addresses on its stack: default_idle+0x5, do_idle+0x10$'
check_line "the VM status" '^L1 at the runner.s limit: VM status running$'
# A module named by its last .text line and only within its size; an
# address past _etext unnamed; a stack reply right after a snapshot marker.
printf '%s\n' 'lab-l1: [0.9] kernel _text at 0xffffffff9a000000' \
	'lab: module labmod .text at 0xffffffffc0900000 size 4096' \
	'lab: module labmod .text at 0xffffffffc0a00000 size 65536' \
	'l2 g console| lab-l2: kernel _text at 0xffffffff82800000' \
	'l2 g console| lab-l2: module labmod .text at 0xffffffffc0b00000 size 65536' > "$d/l1-console.log"
{
	printf '=== snapshot 1\n=== stack of CPU#0\nffffa0c000083e60: 0xffffffff9ac5a905 0x0000000000000000\n'
	printf '=== snapshot 2\nffffa0c000083e60: 0xffffffff9ac5a905 0x0000000000000000\n'
	regs 0 ffffffffc0a01240 0 ffffa0c000083e60; regs 1 ffffffffc0a20000 0 ffffa0c0000b3e00
	printf '=== stack of CPU#1\nffffa0c0000b3e00: 0xffffffff9ad10000 0xffffffff9ac5a905\n'
} > "$d/raw"
out=$(LAB_L1_KALLSYMS=$d/kallsyms "$mon" name "$d/raw" "$d" 2>&1)
check_line "a reloaded module: its last .text line" '^vCPU0: RIP ffffffffc0a01240 labmod:.text+0x1240, CPL 0, IF on, one reading$'
check_line "past a module's size: unnamed" '^vCPU1: RIP ffffffffc0a20000 -, CPL 0, IF on, one reading$'
check_line "past _etext: unnamed; a guest's echoed _text and module lines ignored" '^vCPU1: text addresses on its stack: default_idle+0x5$'
out=$(LAB_L1_KALLSYMS=$d/none "$mon" name "$d/raw1" "$d")
check_line "no symbol table: bare addresses, said so" '^vCPU0: RIP ffffffff9ac5a84f -, CPL 0'
check_line "no symbol table: said so" 'addresses unnamed'

# Each vCPU's local APIC (QEMU 7.2's `info lapic`), judged for class 6
# over both reads 1 s apart: a deliverable vector left in IRR of a CPU
# halted with IF on, or a one-shot timer run out whose interrupt never
# came, in both reads, is a wakeup the emulator lost; one read only, IF
# off, a running CPU, a blocked IRR or a cut reply is not.  Only then is
# L1 "silent" (an NMI due); and the NMI's lines.
lapic() {	# lapic CPU LVTT INITIAL CURRENT ISR IRR [PPR]: no PPR = a reply cut short
	printf '=== lapic of CPU#%s\n(qemu) info lapic\ndumping local APIC state for CPU %s \n\n' "$1" "$1"
	printf 'LVT1\t 0x00000400 active-hi edge                              NMI   \n'
	printf 'LVTT\t 0x%s active-hi edge                 one-shot     Fixed  (vec 236)\n' "$2"
	printf 'Timer\t DCR=0x3 (divide by 16) initial_count = %s current_count = %s\n' "$3" "$4"
	printf 'ICR2\t 0x01000000 cpu 1 (APIC ID)\nISR\t %s\nIRR\t %s\n\n' "$5" "$6"
	[ -n "${7:-}" ] && printf 'APR 0x00 TPR 0x10 DFR 0x0f LDR 0x00 PPR 0x%s\n(qemu) \n' "$7"
	return 0
}
regs2() {	# regs2 CPU HLT RFL: an idle vCPU's registers with these flags
	regs "$1" ffffffff9ac5a84f "$2" ffffa0c000083e60 | sed "s/RFL=00000246/RFL=$3/"
}
apic_case() {	# apic_case NAME: snapshots 1 and 2 from the functions c1 and c2
	{
		printf '(qemu) info status\nVM status: running\n=== snapshot 1\n'; c1
		printf '=== snapshot 2\n'; c2
		[ "$(type -t c3)" = function ] && c3
	} > "$d/raw"
	out=$(LAB_L1_KALLSYMS=$d/kallsyms "$mon" name "$d/raw" "$d")
}
stranded() { regs2 0 1 00000246; regs2 1 1 00000246; lapic 0 000000ec 3136703 0 '(none)' '236' 10; lapic 1 000000ec 12838223 1263411 '(none)' '(none)' 10; }
c1() { stranded; }; c2() { stranded; }
c3() {
	printf '(qemu) nmi\n=== nmi sent (timers dead on vCPU0); in 2 s L1 printed 1 line(s) about it: [  400.1] Uhhuh. NMI received for unknown reason 00 on CPU 0.\n'
	printf '=== snapshot after nmi\n'
	regs2 0 0 00000246; regs2 1 1 00000246
	lapic 0 000000ec 3136703 3000000 '(none)' '(none)' 10
	lapic 1 000100ec 0 0 '236' '236' e0
}
apic_case
check_line "a deliverable vector pending in both reads of a halted CPU: a lost wakeup" '^vCPU0: APIC: timer expired (one-shot, vec 236, current_count 0 of 3136703); IRR 236, ISR none, PPR 0x10: vector 236 pending and deliverable while halted with IF on, in 2 reads 1 s apart: a wakeup the emulator lost$'
check_line "an armed timer, nothing pending" '^vCPU1: APIC: timer armed (one-shot, vec 236, current_count 1263411 of 12838223); IRR none, ISR none, PPR 0x10$'
check_line "a silent L1: timers dead on the stranded vCPU only" '^silent L1: every vCPU halted with IF on, timers dead on vCPU0$'
check_line "the NMI and what L1 printed" '^NMI sent (timers dead on vCPU0); in 2 s L1 printed 1 line(s) about it: \[  400.1\] Uhhuh'
check_line "after the NMI: running again, timer re-armed" '^vCPU0 after the NMI: RIP ffffffff9ac5a84f pv_native_safe_halt+0xf, not halted; APIC: timer armed (one-shot, vec 236, current_count 3000000 of 3136703); IRR none, ISR none, PPR 0x10$'
check_line "after the NMI: masked timer, IRR blocked by an interrupt in service" '^vCPU1 after the NMI: RIP [0-9a-f]* [^,]*, halted; APIC: timer masked (one-shot, vec 236); IRR 236, ISR 236, PPR 0xe0$'
unset -f c3
no_line() {	# no_line DESC PATTERN
	if echo "$out" | grep -q -- "$2"; then echo "FAIL: l1-monitor: $1: a line matching '$2' in:"; echo "$out" | sed 's/^/    /'; f=$((f + 1))
	else echo "ok: l1-monitor: $1"; p=$((p + 1)); fi
}
c1() { regs2 0 1 00000246; regs2 1 1 00000246; lapic 0 000000ec 3136703 0 '(none)' '236' 10; lapic 1 000000ec 12838223 1263411 '(none)' '(none)' 10; }
c2() { regs2 0 1 00000246; regs2 1 1 00000246; lapic 0 000000ec 3136703 3000 '(none)' '(none)' 10; lapic 1 000000ec 12838223 1263411 '(none)' '(none)' 10; }
apic_case
check_line "pending in one read only: in flight" '^vCPU0: APIC: .*IRR none, ISR none, PPR 0x10: an interrupt pending in one read only (in flight)$'
no_line "in flight: not silent" 'silent L1\|emulator'
c1() { regs2 0 1 00000046; regs2 1 1 00000246; lapic 0 000000ec 3136703 0 '(none)' '236' 10; }
c2() { c1; }
apic_case
no_line "IF off: no lost wakeup, not silent" 'silent L1\|emulator'
c1() { regs2 0 1 00000246; regs2 1 1 00000246; lapic 0 000000ec 3136703 0 '(none)' '236' 10; }
c2() { regs2 0 0 00000246; regs2 1 1 00000246; lapic 0 000000ec 3136703 0 '(none)' '236' 10; }
apic_case
no_line "running in the second read: no lost wakeup, not silent" 'silent L1\|emulator'
c1() { regs2 0 1 00000246; lapic 0 000000ec 3136703 0 '239' '236'; }
c2() { c1; }
apic_case
check_line "a reply cut before PPR: no verdict" '^vCPU0: APIC: APIC dump incomplete$'
no_line "a cut reply: not silent" 'silent L1\|emulator'
c1() { regs2 0 1 00000246; regs2 1 1 00000246; lapic 0 000000ec 3136703 0 '(none)' '(none)' 10; lapic 1 000000ec 12838223 1263411 '(none)' '(none)' 10; }
c2() { c1; }
apic_case
check_line "a timer run out, nothing pending, in both reads: never fired" '^vCPU0: APIC: timer expired .*: the emulator never fired it$'
check_line "a timer never fired: silent" '^silent L1: every vCPU halted with IF on, timers dead on vCPU0$'
c1() { regs2 0 1 00000246; lapic 0 000000ec 3136703 0 '236' '236' e0; }
c2() { c1; }
apic_case
check_line "IRR below PPR: blocked" '^vCPU0: APIC: .*IRR 236, ISR 236, PPR 0xe0: IRR blocked by PPR'
no_line "blocked: not silent" 'silent L1\|emulator'
c1() { regs2 0 1 00000246; printf '=== lapic of CPU#0\ndumping local APIC state for CPU 1 \nLVTT\t 0x000000ec\nTimer\t DCR=0x3 (divide by 16) initial_count = 5 current_count = 0\nISR\t (none)\nIRR\t 236\nAPR 0x00 TPR 0x10 DFR 0x0f LDR 0x00 PPR 0x10\n'; }
c2() { c1; }
apic_case
no_line "a late reply about another CPU: not credited" 'emulator'

# l1-monitor's watch mode against a fake QEMU monitor (tests/labrunner/
# fake-hmp): the NMI goes to an L1 whose timers are dead, and to no other
# unless LAB_L1_MONITOR_NMI=always asks for it.
watch_case() {	# watch_case MODE [ENV=VALUE]: runs the watch, leaves $out and $d/w/cmds
	rm -rf "$d/w"; mkdir -p "$d/w"; : > "$d/w/l1-console.log"
	"$top/tests/labrunner/fake-hmp" "$d/w/mon" "$d/w/cmds" "$1" & _hp=$!
	for _ in $(seq 50); do [ -S "$d/w/mon" ] && break; sleep 0.1; done
	sleep 300 & _sp=$!
	env ${2:+"$2"} LAB_L1_KALLSYMS="$d/kallsyms" "$mon" watch --at 0 --pid $_sp "$d/w/mon" "$d/w" > /dev/null 2>&1
	kill $_sp; wait $_sp 2>/dev/null; wait $_hp 2>/dev/null
	out=$(cat "$d/w/l1-hang.txt" 2>/dev/null)
}
sent() {	# sent DESC yes|no
	if grep -qx nmi "$d/w/cmds" 2>/dev/null; then _s=yes; else _s=no; fi
	if [ "$_s" = "$2" ]; then echo "ok: l1-monitor watch: $1"; p=$((p + 1))
	else echo "FAIL: l1-monitor watch: $1: nmi sent: $_s; commands: $(tr '\n' ' ' < "$d/w/cmds" 2>/dev/null)"; f=$((f + 1)); fi
}
watch_case stranded
sent "an L1 whose vCPU 0 lost a wakeup: the NMI sent" yes
check_line "watch: the silent L1 named" '^silent L1: every vCPU halted with IF on, timers dead on vCPU0$'
check_line "watch: the NMI reported" '^NMI sent (timers dead on vCPU0); in 2 s L1 printed 0 line(s) about it$'
check_line "watch: vCPU 0 runs after the NMI" '^vCPU0 after the NMI: .*, not halted; APIC: timer armed'
watch_case healthy
sent "an idle L1 with its timers armed: no NMI" no
no_line "watch: an idle L1 is not silent" 'silent L1'
check_line "watch: an idle L1's APIC read" '^vCPU0: APIC: timer armed (one-shot, vec 236, current_count 1955876 of 3136703); IRR none, ISR none, PPR 0x10$'
watch_case healthy LAB_L1_MONITOR_NMI=always
sent "LAB_L1_MONITOR_NMI=always: the NMI sent to an idle L1" yes

# scripts/compare-report --quick: a cell with the emulator's signature
# makes the check "not measured" (status 3, a lab fault), unless a cell
# failed or the measured cells already break the ordering (status 1).
cr=$top/scripts/compare-report
mkdir -p "$d/cr/res" "$d/cr/out"
quick() {	# quick DESC WANT_STATUS CONFIG=STATUS:LOCALITY...
	desc=$1 want=$2; shift 2
	rm -rf "$d/cr/res"/*; _j='['
	for a in "$@"; do
		c=${a%%=*} s=${a#*=}; loc=${s#*:}; s=${s%%:*}
		mkdir -p "$d/cr/res/cmp-reuse2-$c"
		[ "$loc" != - ] && printf 'reuse_t0_locality_pct %s\nmismatches 0\n' "$loc" > "$d/cr/res/cmp-reuse2-$c/metrics"
		_j="$_j{\"scenario\": \"cmp-reuse2-$c\", \"status\": \"$s\", \"duration_s\": 1, \"metrics\": {}, \"reason\": \"\"},"
	done
	echo "${_j%,}]" > "$d/cr/out/lab-results.json"
	python3 "$cr" --quick "$d/cr/res" "$d/cr/out" reuse2:stock reuse2:fpr reuse2:first-touch > "$d/cr/log" 2>&1
	got=$?
	if [ "$got" = "$want" ]; then echo "ok: compare --quick: $desc: status $got"; p=$((p + 1))
	else echo "FAIL: compare --quick: $desc: status $got, wanted $want: $(grep compare-quick "$d/cr/log")"; f=$((f + 1)); fi
}
quick "all measured, first-touch highest" 0 stock=pass:12 fpr=pass:13 first-touch=pass:98
quick "all measured, first-touch not highest" 1 stock=pass:12 fpr=pass:99 first-touch=pass:98
quick "first-touch's cell a lab fault" 3 stock=pass:12 fpr=pass:13 first-touch=lab-fault:-
quick "a lab fault, and the measured cells break the order" 1 stock=lab-fault:- fpr=pass:99 first-touch=pass:98
quick "a lab fault and a failed cell" 1 stock=fail:- fpr=pass:13 first-touch=lab-fault:-
# The runner's choice of L1 emulator (LAB_QEMU): one that does not run is
# refused before anything is built or booted, with its name.
emu() {	# emu DESC LAB_QEMU PATTERN
	out=$(LAB_QEMU=$2 "$top/scripts/lab/run-scenarios" no-such-scenario 2>&1); got=$?
	if [ "$got" = 2 ] && echo "$out" | grep -q -- "$3"; then echo "ok: LAB_QEMU: $1: status 2"; p=$((p + 1))
	else echo "FAIL: LAB_QEMU: $1: status $got: $out"; f=$((f + 1)); fi
}
emu "a path that does not exist" "$d/no-qemu" "cannot run the L1 emulator '$d/no-qemu' (LAB_QEMU)"
printf '#!/bin/sh\nexit 1\n' > "$d/bad-qemu"; chmod +x "$d/bad-qemu"
emu "a binary that does not answer --version" "$d/bad-qemu" "cannot run the L1 emulator"
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
