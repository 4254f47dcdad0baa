# lab: nodes=2 mem=4096 timeout=170
# Forcing test (issue 9): a fork/exit storm on both vCPUs (every child
# gets a vmalloc'ed kernel stack, taken without an allocation event, and
# verifies a private buffer) plus pattern-verified memory churn, with a
# 20 ms guest flush interval and every discard held back 1 ms.  A kernel
# stack or buffer page discarded under a live process crashes the guest
# or is a mismatch.  0 failed children, 0 mismatches, no splat,
# > 0 pages discarded.
. "$LAB_TREE_L1/tests/lab/forcing.inc"
FORK_SECONDS=${FORK_SECONDS:-40}
force_start --mem 512 --append "kvmnuma_guest.flush_interval_ms=20"
fork_storm_run "$FORK_SECONDS"
[ $rc = 0 ] || [ $rc = 1 ] || die "guest did not finish the storm (l2 status $rc)"
[ "$(echo "$out" | grep -c '^forks ')" = 2 ] || fail "a fork-storm did not finish"
[ "$(echo "$out" | grep -c '^rounds ')" = 2 ] || fail "a mem-stress did not finish"
forks=$(echo "$out" | awk '/^forks / { n += $2 } END { print n + 0 }')
failed=$(echo "$out" | awk '/^forks / { n += $4 } END { print n + 0 }')
mism=$(echo "$out" | awk '/^rounds / { n += $6 } END { print n + 0 }')
metric forks "$forks"
metric failed_children "$failed"
metric churn_mismatches "$mism"
expect_ge "children forked" 200 "$forks"
expect_eq "children that failed" 0 "$failed"
force_finish "$mism"
