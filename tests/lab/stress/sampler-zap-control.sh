# lab: nodes=2 mem=4096 timeout=300
# Control for sampler-zap.sh: the same guest and load, no kvmnuma.ko; the
# guest's pages are unmapped by stock means instead, migratepages(8) moving
# all of them between the nodes again and again (every page's mapping is
# removed and re-faulted, as the sampler does for its random pages).
LAB_L2_BOOT_TIMEOUT=240
ZAP_SECONDS=${ZAP_SECONDS:-60}
[ -x /hostroot/usr/bin/migratepages ] || die "migratepages missing (numactl, scripts/install-deps)"
l2_start z --vcpus 2 --pin 0,1 --mem 384 --no-guest-module || die "L2 did not start"
pid=$(l2_pid z)
l2 z '( taskset -c 0 fork-storm -t '"$ZAP_SECONDS"' > /tmp/f0 2>&1 & )
	( taskset -c 1 fork-storm -t '"$ZAP_SECONDS"' > /tmp/f1 2>&1 & )
	( taskset -c 0 mem-stress -t '"$ZAP_SECONDS"' -m 16 -k 2 > /tmp/s0 & )
	( taskset -c 1 mem-stress -t '"$ZAP_SECONDS"' -m 16 -k 2 > /tmp/s1 & )' ||
	die "workload did not start"
end=$(( $(cut -d. -f1 /proc/uptime) + ZAP_SECONDS ))
moves=0
while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
	chroot /hostroot /usr/bin/migratepages "$pid" $((moves % 2)) $(((moves + 1) % 2)) ||
		fail "migratepages failed"
	moves=$((moves + 1))
	_alive "$pid" || break
done
metric migrations "$moves"
out=$(l2 z 'for f in /tmp/f0 /tmp/f1 /tmp/s0 /tmp/s1; do
		while ! grep -qE "^(forks|rounds) " $f 2>/dev/null; do sleep 0.5; done; done
	cat /tmp/f0 /tmp/f1 /tmp/s0 /tmp/s1')
echo "$out"
expect_eq "fork-storm and mem-stress reports" 4 "$(echo "$out" | grep -cE '^(forks|rounds) ')"
expect_eq "mismatches" 0 "$(echo "$out" | awk '/^forks / { m += $6 } /^rounds / { m += $6 } END { print m + 0 }')"
l2_stop z
