# lab: nodes=2 mem=2048 timeout=120
# lab-l1-append: page_poison=1
# The positive control of the poisoned runs (integrity-poison.sh,
# integrity-fpr.sh, carrefour-poison.sh; Documentation/lab.md class 3):
# their "no report" counts only if a write into a page while L1 has it
# free is reported in this lab.  tests/lab/guest-modules/
# kvmnuma_poison_probe.ko writes one word into a page it has just freed
# and allocates until it gets the page back.  This scenario fails on
# purpose.  Expected runner verdict, with nothing before "splat in" (a
# die of this script would put its message there):
#   FAIL poison-probe (...): splat in l1-dmesg.txt: [...] pagealloc: memory corruption
# and the scenario's own last lines: "note: probe wrote into a freed page
# and got it back", "ok: L1 reported the probe's word".  Any other verdict
# means the poisoned runs prove nothing.  Its negative control:
# poison-probe-off.sh (no page_poison=1: nothing reported, PASS).
# Run by hand: make check-lab SCENARIOS=$PWD/<this>.
grep -q 'page_poison=1' /proc/cmdline || die "L1 booted without page_poison=1"
. "$LAB_TREE_L1/tests/lab/stress/poison-probe.inc"
probe_run
dmesg | grep -q 'pagealloc: memory corruption' ||
	die "L1 (page_poison=1) did not report the write into a freed page"
# The probe's word, 0x5a5a00c0ffee0000, in the report's hex dump: this
# report and not another one.
dmesg | grep -q ': 00 00 ee ff c0 00 5a 5a ' ||
	die "L1 reported a corruption, but not the probe's word"
echo "ok: L1 reported the probe's word"
