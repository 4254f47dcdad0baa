# lab: nodes=2 mem=2048 timeout=480
# lab-l1-append: page_poison=1
# (L1 with 2 GiB, not 4: poisoning every page freed at boot costs ~10 s
# of emulated time per GiB.)
# integrity-memfd (kvmnuma first-touch discards, tests/lab/integrity.inc)
# with L1's page poisoning on: every page L1 frees is filled with a poison
# pattern, checked when it is allocated again.  A write into a page after
# L1 freed it (by L2 through a stale mapping, or by kvmnuma after dropping
# its reference) is then reported at once ("pagealloc: memory corruption",
# a splat), instead of surfacing later as a rare crash such as the L1
# panic "corrupted stack end detected inside scheduler" (Documentation/
# lab.md).  Control: integrity-fpr.sh (same workload and poisoning, stock
# free page reporting instead of kvmnuma).  At the end it fills most of
# L1's free memory (poison-fill.inc), so that the freed pages are
# allocated, and checked, before L1 powers off.
#   make soak SCENARIOS="tests/lab/stress/integrity-poison.sh tests/lab/stress/integrity-fpr.sh" N=5
LAB_L2_BOOT_TIMEOUT=240   # a stress run on a loaded machine: let L2 boot
INT_SLACK=200             # and let the workload finish
. "$LAB_TREE_L1/tests/lab/integrity.inc"
grep -q 'page_poison=1' /proc/cmdline || die "L1 booted without page_poison=1"
integrity_scenario
. "$LAB_TREE_L1/tests/lab/stress/poison-fill.inc"
