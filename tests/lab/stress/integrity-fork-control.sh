# lab: nodes=2 mem=4096 timeout=170
# Control for integrity-fork.sh (issue 12): the same guest, the same fork
# storm and memory churn on both vCPUs for the same time, with no kvmnuma
# at all (no kvmnuma.ko in L1, no guest driver in L2), so that a guest
# reset seen under integrity-fork can be weighed against the emulator's
# own rate under this load.
FORK_SECONDS=${FORK_SECONDS:-40}
. "$LAB_TREE_L1/tests/lab/forcing.inc"   # fork_storm_run only: no force_start
l2_start f --vcpus 2 --pin 0,1 --mem 512 --no-guest-module || die "L2 did not start"
fork_storm_run "$FORK_SECONDS"
[ $rc = 0 ] || [ $rc = 1 ] || die "guest did not finish the storm (l2 status $rc)"
forks=$(echo "$out" | awk '/^forks / { n += $2 } END { print n + 0 }')
metric forks "$forks"
expect_ge "children forked" 200 "$forks"
l2_stop f
