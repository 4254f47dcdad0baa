# lab: nodes=2 mem=4096 timeout=300
# Stress for the L2 double fault seen in carrefour-combined (Documentation/
# lab.md, class 5), reduced to one kvmnuma mechanism at a high rate: the
# software sampler alone (policy carrefour, no kvmnumad so no page moves,
# no guest driver so no discards) unmaps ZAP_PAGES random guest pages every
# ZAP_PERIOD_MS while the guest forks (kernel stacks, exceptions from user
# mode) and writes memory on both vCPUs.  The stock-means control is
# sampler-zap-control.sh (same guest load, no kvmnuma, the same unmapping
# by process_madvise(MADV_PAGEOUT) from tools/pageout).
#   make soak SCENARIOS="tests/lab/stress/sampler-zap.sh" N=5
LAB_L2_BOOT_TIMEOUT=240
ZAP_SECONDS=${ZAP_SECONDS:-60}
. "$LAB_TREE_L1/tests/lab/stress/zap-load.inc"
kvmnuma_load cf_period_ms="${ZAP_PERIOD_MS:-100}" cf_sample_pages="${ZAP_PAGES:-16384}" ||
	die "cannot load kvmnuma.ko"
l2_start z --vcpus 2 --pin 0,1 --mem 384 --no-guest-module || die "L2 did not start"
vm=/sys/kernel/kvmnuma/vms/$(l2_pid z)
wait_for 5 test -d "$vm" || die "guest VM not in sysfs"
echo carrefour > "$vm/policy" || die "carrefour refused"
zap_load_start z
sleep "$ZAP_SECONDS"
cat "$vm/carrefour/status" | grep -E '^(samples|periods|deciding) ' || true
zap_load_check z
metric samples "$(awk '$1 == "samples" { print $2 }' "$vm/carrefour/status")"
l2_stop z
kvmnuma_unload
