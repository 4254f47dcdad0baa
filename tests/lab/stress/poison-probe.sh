# lab: nodes=2 mem=2048 timeout=120
# lab-l1-append: page_poison=1
# The positive control of the poisoned runs (integrity-poison.sh,
# carrefour-poison.sh; Documentation/lab.md class 3): their "no report"
# counts only if a write into a page L1 has freed is reported in this lab.
# tests/lab/guest-modules/kvmnuma_poison_probe.ko writes one word into a
# page it has just freed and allocates until it gets the page back.
# Expected runner verdict: "FAIL poison-probe (...): splat in L1 console:
# pagealloc: memory corruption" (the report this scenario exists to
# cause, so it fails on purpose); the scenario's own last lines: "ok:
# probe wrote into a freed page and got it back" and "ok: L1 reported
# it". Any other verdict means the poisoned runs prove nothing.
# Run by hand: make check-lab SCENARIOS=$PWD/<this>.
grep -q 'page_poison=1' /proc/cmdline || die "L1 booted without page_poison=1"
insmod "$LAB_TREE_L1/tests/lab/guest-modules/kvmnuma_poison_probe.ko" 2>/dev/null
dmesg | grep -q 'kvmnuma_poison_probe: wrote into a freed page' ||
	die "the probe did not get its freed page back: $(dmesg | grep kvmnuma_poison_probe)"
note "probe wrote into a freed page and got it back"
dmesg | grep -q 'pagealloc: memory corruption' ||
	die "L1 (page_poison=1) did not report the write into a freed page"
echo "ok: L1 reported it"
