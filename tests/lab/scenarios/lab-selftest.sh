# lab: nodes=2 mem=4096 timeout=150
# Self-test of the lab itself; needs no project module.  Checks that an L2
# guest boots with pinned vCPUs, that commands and exit statuses come back,
# and that placement reads back from L1: pages first touched in L2 by the
# vCPU pinned to node 1 must mostly be backed on L1 node 1.

metric l1_boot_s "$(cat "$LAB_RESULTS/l1-boot-uptime")"

t=$(lab_now)
l2_start st --vcpus 2 --pin 0,1 --mem 512 --no-guest-module || die "L2 did not start"
metric l2_boot_s "$(lab_since "$t")"

expect_eq "vCPU threads in L1" 2 "$(l2_vcpu_tids st | wc -l)"
expect_eq "processors seen in L2" 2 "$(l2 st 'cat /proc/cpuinfo | grep -c processor')"
l2 st 'exit 3'; expect_eq "exit status relayed" 3 "$?"
expect_eq "output relayed byte for byte" "a
b" "$(l2 st 'printf "a\nb"')"

before=$(l2_placement_summary st)
echo "$before" | sed 's/^/  before: /'

# Touch 64 MiB of fresh guest memory from vCPU 1 (pinned to L1 node 1):
# tmpfs pages stay allocated, unlike a dd to /dev/null.
t=$(lab_now)
l2 st 'taskset -c 1 dd if=/dev/zero of=/tmp/fill bs=1M count=64 2>&1 | tail -n 1' ||
	fail "memory toucher failed"
metric touch_64m_s "$(lab_since "$t")"

after=$(l2_placement_summary st)
echo "$after" | sed 's/^/  after: /'
get() { echo "$1" | awk -v k="$2" '$1 == k { print $2 }'; }
total=$(get "$after" total)
expect_eq "summary covers all guest pages" $((512 * 256)) "$total"
sum=$(echo "$after" | awk '$1 ~ /^node/ || $1 == "absent" || $1 == "other" { s += $2 } END { print s }')
expect_eq "per-node counts sum to total" "$total" "$sum"
n0=$(get "$after" node0); n1=$(get "$after" node1)
expect_ge "guest pages backed in L1" 16384 $(( ${n0:-0} + ${n1:-0} ))
grown1=$(( ${n1:-0} - $(get "$before" node1 | grep . || echo 0) ))
grown0=$(( ${n0:-0} - $(get "$before" node0 | grep . || echo 0) ))
# 16384 pages were written; some are pages the guest freed during boot and
# reuses (already backed in L1, so not "new"), and how many varies with the
# boot: 9,791 / 11,280 / 13,618 / 13,640 seen (scripts/lab/spread over clean
# runs; the first failed the old threshold of 10,000).  Half of the pages
# written keeps a margin of 16% under the lowest seen and still fails if
# vCPU 1's touches land anywhere but node 1.  Node 0 must hardly grow (0 to
# 5 seen): that is what shows the pinning works.
expect_ge "pages newly backed on node 1 (touched by vCPU 1)" 8192 "$grown1"
expect_le "pages newly backed on node 0" 2000 "$grown0"
metric node1_new_pages "$grown1"
metric node0_new_pages "$grown0"

# Per-gfn mode: one line per page, node or "-".
lines=$(l2_placement st 0x0-0xf | wc -l)
expect_eq "per-gfn lines for 16 gfns" 16 "$lines"
l2_placement st 0x100 0x1000 | sed 's/^/  gfn /'

l2_hmp st 'info status' | sed 's/^/  hmp: /'

t=$(lab_now)
l2_stop st
metric l2_stop_s "$(lab_since "$t")"
[ -s "$LAB_RESULTS/l2-st.dmesg.txt" ] || fail "L2 dmesg not saved"
metric scenario_s "$(lab_since "$LAB_T0")"
