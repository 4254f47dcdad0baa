# lab: nodes=2 mem=4096 timeout=90
# The runner's check of a reset followed by a timeout: the guest resets
# itself (sysrq b, as in l2-diag.sh), nothing failed before it, then the
# scenario waits past its budget on the dead guest (as integrity-anon's
# wait for its stress processes did in CI).  Expected runner verdict:
# "LAB-FAULT l2-diag-timeout: L2 guest t reset itself (no failure before
# it); the scenario then timed out after N s" - not FAIL, and a splat would
# still make it one.  Run by hand: make check-lab SCENARIOS=$PWD/<this>.
l2_start t --vcpus 2 --pin 0,1 --mem 256 --no-guest-module || die "L2 did not start"
l2 -t 15 t 'echo b > /proc/sysrq-trigger' >/dev/null 2>&1
[ -s "$LAB_WORK/labfault" ] || fail "l2_diag wrote no lab-fault marker"
sleep 300
