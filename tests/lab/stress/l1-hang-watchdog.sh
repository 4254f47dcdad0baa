# lab: nodes=2 mem=4096 timeout=80
# The budget watchdog's diagnosis (scripts/lab/l1-init, Documentation/lab.md
# class 6).  A process leaves the scenario's process group (setsid) and
# keeps its stdout, the pipe to tee; the scenario then waits past its
# budget.  Before the watchdog, this ended as class 6 did: the kill of the
# group left the pipe open, L1's init never wrote a result, and the runner
# said "timeout: L1 killed after 80 s without a result".  Expected runner
# verdict now: "FAIL l1-hang-watchdog (...): timeout: scenario killed after
# N s; processes outside its group kept its output open (...)", without
# "splat in" (the sysrq dumps' call traces are not splats), and on L1's
# console: "lab-diag: pid ... comm sleep", the sysrq markers with "Show
# Blocked State" and "NMI backtrace for cpu 1" between them, and "lab-diag:
# the scenario's output pipe is still open".
# Run by hand: make check-lab SCENARIOS=$PWD/<this>.
setsid sleep 100000 &
note "a process outside the scenario's group holds its output; waiting past the budget"
sleep 300
