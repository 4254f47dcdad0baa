# lab: nodes=2 mem=4096 timeout=60
# The budget watchdog against a scenario that ends while it dumps
# (scripts/lab/l1-init): the scenario waits for the watchdog's timedout
# marker, written as its dump starts, then ends at once, normally.
# Expected runner verdict: "PASS l1-hang-race": a scenario that reached
# its end is judged on its own result, and the dump, never cut short,
# closes its sysrq window (no splat counted).  Before (db0a387): "fail
# timeout", and the watchdog was killed mid-dump.
# Run by hand: make check-lab SCENARIOS=$PWD/<this>.
while [ ! -e "$LAB_WORK/timedout" ]; do sleep 0.2; done
note "the watchdog fired; ending now, during its dump"
