# lab: nodes=2 mem=4096 timeout=80
# The runner's view of an L1 that wrote nothing more and whose own budget
# watchdog did not act (Documentation/lab.md class 6: if L1's timers stop,
# only the host still sees its vCPUs).  The scenario stops L1's watchdog
# (SIGSTOP to it and its sleep) and waits past the limit.  Expected runner
# verdict: "FAIL l1-hang-monitor (...): timeout: L1 killed after 80 s
# without a result; vCPU0: RIP ... (l1-hang.txt)", each vCPU's RIP named
# (an idle L1: pv_native_safe_halt or default_idle), each vCPU's APIC
# read twice ("vCPU0: APIC: timer armed (one-shot, vec 236, ...)": this
# L1's timers work, so no "silent L1" line and no NMI), and l1-monitor.txt
# holding the monitor's answers.  With LAB_L1_MONITOR_NMI=always in the
# runner's environment the monitor sends its NMI anyway: "NMI sent
# (LAB_L1_MONITOR_NMI=always); in 2 s L1 printed 1 line(s) about it: ...
# NMI received for unknown reason ..." and the registers after it.
# Run by hand: make check-lab SCENARIOS=$PWD/<this>.
k=$(cat /tmp/lab/killer.pid)
for p in /proc/[0-9]*; do
	[ "$(sed 's/.*) [^ ]* \([0-9]*\).*/\1/' "$p/stat" 2>/dev/null)" = "$k" ] && kill -STOP "${p#/proc/}"
done
kill -STOP "$k" || die "no watchdog to stop (pid $k)"
note "L1's budget watchdog stopped; waiting past the runner's limit"
sleep 300
