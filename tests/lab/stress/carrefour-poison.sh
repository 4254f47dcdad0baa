# lab: nodes=2 mem=4096 timeout=480
# lab-l1-append: page_poison=1
# carrefour-combined (first-touch+carrefour, round-4k+carrefour: kvmnumad
# migrating hot pages with move_pages(2), the software sampler unmapping
# 4,096 pages per 500 ms, first-touch discards) with L1's page poisoning
# on, for the L2 double fault of Documentation/lab.md class 5: a guest
# that read its stack through a wrong translation.  Each page L1 frees
# (the old copy of every migrated page, every discarded page) is filled
# with a poison pattern, checked when the page is allocated again; a
# write by L2 into the old copy after the migration (a stale mapping),
# or by kvmnuma after dropping its reference, is then reported
# ("pagealloc: memory corruption", a splat).  At the end the scenario
# fills most of L1's free memory, so that the freed pages are allocated,
# and checked, before L1 powers off.
#   make soak SCENARIOS="$PWD/tests/lab/stress/carrefour-poison.sh" N=5
LAB_L2_BOOT_TIMEOUT=240   # poisoning slows L1: let L2 boot
grep -q 'page_poison=1' /proc/cmdline || die "L1 booted without page_poison=1"
. "$LAB_TREE_L1/tests/lab/scenarios/carrefour-combined.sh"
. "$LAB_TREE_L1/tests/lab/stress/poison-fill.inc"
