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
kvmnuma_load cf_period_ms="${ZAP_PERIOD_MS:-100}" cf_sample_pages="${ZAP_PAGES:-16384}" ||
	die "cannot load kvmnuma.ko"
l2_start z --vcpus 2 --pin 0,1 --mem 384 --no-guest-module || die "L2 did not start"
vm=/sys/kernel/kvmnuma/vms/$(l2_pid z)
wait_for 5 test -d "$vm" || die "guest VM not in sysfs"
echo carrefour > "$vm/policy" || die "carrefour refused"
l2 z '( taskset -c 0 fork-storm -t '"$ZAP_SECONDS"' > /tmp/f0 2>&1 & )
	( taskset -c 1 fork-storm -t '"$ZAP_SECONDS"' > /tmp/f1 2>&1 & )
	( taskset -c 0 mem-stress -t '"$ZAP_SECONDS"' -m 16 -k 2 > /tmp/s0 & )
	( taskset -c 1 mem-stress -t '"$ZAP_SECONDS"' -m 16 -k 2 > /tmp/s1 & )' ||
	die "workload did not start"
sleep "$ZAP_SECONDS"
cat "$vm/carrefour/status" | grep -E '^(samples|periods|deciding) ' || true
out=$(l2 z 'for f in /tmp/f0 /tmp/f1 /tmp/s0 /tmp/s1; do
		while ! grep -qE "^(forks|rounds) " $f 2>/dev/null; do sleep 0.5; done; done
	cat /tmp/f0 /tmp/f1 /tmp/s0 /tmp/s1')
echo "$out"
expect_eq "fork-storm and mem-stress reports" 4 "$(echo "$out" | grep -cE '^(forks|rounds) ')"
expect_eq "mismatches" 0 "$(echo "$out" | awk '/^forks / { m += $6 } /^rounds / { m += $6 } END { print m + 0 }')"
metric samples "$(awk '$1 == "samples" { print $2 }' "$vm/carrefour/status")"
l2_stop z
kvmnuma_unload
