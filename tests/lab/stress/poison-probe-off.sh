# lab: nodes=2 mem=2048 timeout=120
# Negative control of poison-probe.sh: the same probe on an L1 booted
# without page_poison=1.  The probe still writes into a freed page and
# gets it back; nothing checks it, so nothing is reported: the report in
# poison-probe.sh comes from the poisoning.  Expected: PASS.
# Run by hand: make check-lab SCENARIOS=$PWD/<this>.
if grep -q 'page_poison=1' /proc/cmdline; then
	die "L1 booted with page_poison=1"
fi
. "$LAB_TREE_L1/tests/lab/stress/poison-probe.inc"
probe_run
if dmesg | grep -q 'pagealloc:'; then
	die "a pagealloc report without page_poison=1: $(dmesg | grep pagealloc: | head -n 1)"
fi
echo "ok: no pagealloc report without page_poison=1"
