# lab: nodes=2 mem=4096 timeout=120
# tests/lab/lib.sh's l2 against the scenario's budget: a guest command that
# would outwait the budget (here -t 300 in a 120 s L1) is cut so that
# LAB_L2_DIAG_RESERVE (30) seconds remain, and l2_diag then says why the
# guest did not answer before the watchdog fires.  Before the cut, a clean
# run's integrity-fork was killed at its budget in the middle of l2_diag,
# its guest livelocked (class 10) but never classified.  Self-checking:
# passes if the command returned 124 and l2_diag wrote its diagnosis with
# time left; on the old lib.sh the scenario is killed at its budget.
# Run by hand: make check-lab SCENARIOS=$PWD/<this>.
l2_start g --vcpus 1 --mem 256 --no-guest-module || die "L2 did not start"
l2 -t 300 g 'sleep 1000'
expect_eq "l2 status of a command cut at the deadline" 124 "$?"
[ -s "$LAB_RESULTS/l2-g.hang.txt" ] || fail "l2_diag wrote no l2-g.hang.txt"
left=$((LAB_DEADLINE - $(cut -d. -f1 /proc/uptime)))
metric seconds_left_after_diag "$left"
expect_ge "seconds of budget left after l2_diag" 1 "$left"
# The guest's shell is still busy: l2_stop (at lab_end) must not wait for
# a dmesg it cannot get, or the watchdog fires after all.
