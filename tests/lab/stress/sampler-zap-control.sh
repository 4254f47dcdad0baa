# lab: nodes=2 mem=4096 timeout=300
# Control for sampler-zap.sh: the same guest and load, no kvmnuma.ko; the
# same page traffic by stock means: tools/pageout unmaps ZAP_PAGES random
# guest pages every ZAP_PERIOD_MS with process_madvise(MADV_PAGEOUT) (on
# shared memfd RAM without swap: unmapped from QEMU, so KVM drops the TDP
# entry, and kept in the page cache), as the software sampler does.
LAB_L2_BOOT_TIMEOUT=240
ZAP_SECONDS=${ZAP_SECONDS:-60}
l2_start z --vcpus 2 --pin 0,1 --mem 384 --no-guest-module || die "L2 did not start"
pid=$(l2_pid z)
l2 z '( taskset -c 0 fork-storm -t '"$ZAP_SECONDS"' > /tmp/f0 2>&1 & )
	( taskset -c 1 fork-storm -t '"$ZAP_SECONDS"' > /tmp/f1 2>&1 & )
	( taskset -c 0 mem-stress -t '"$ZAP_SECONDS"' -m 16 -k 2 > /tmp/s0 & )
	( taskset -c 1 mem-stress -t '"$ZAP_SECONDS"' -m 16 -k 2 > /tmp/s1 & )' ||
	die "workload did not start"
zap=$("$LAB_TOOLS/pageout" -p "$pid" -m 384 -n "${ZAP_PAGES:-16384}" \
	-i "${ZAP_PERIOD_MS:-100}" -t "$ZAP_SECONDS") || fail "pageout failed: $zap"
echo "pageout: $zap"
metric pages_unmapped "$(echo "$zap" | awk '{ print $4 }')"
out=$(l2 z 'for f in /tmp/f0 /tmp/f1 /tmp/s0 /tmp/s1; do
		while ! grep -qE "^(forks|rounds) " $f 2>/dev/null; do sleep 0.5; done; done
	cat /tmp/f0 /tmp/f1 /tmp/s0 /tmp/s1')
echo "$out"
expect_eq "fork-storm and mem-stress reports" 4 "$(echo "$out" | grep -cE '^(forks|rounds) ')"
expect_eq "mismatches" 0 "$(echo "$out" | awk '/^forks / { m += $6 } /^rounds / { m += $6 } END { print m + 0 }')"
l2_stop z
