# lab: nodes=2 mem=4096 timeout=300
# A second stock-means control for sampler-zap.sh, at a rate like the
# sampler's (tools/pageout, the first control, unmaps only ~1,000 pages/s):
# no kvmnuma; host NUMA balancing on with its scanner at full speed
# (every 100 ms, all of QEMU's memory): task_numa_work() makes QEMU's guest
# RAM PROT_NONE, which invalidates KVM's TDP entries exactly as an unmap
# does, and the guest's next access faults (and may migrate the page).
LAB_L2_BOOT_TIMEOUT=240
ZAP_SECONDS=${ZAP_SECONDS:-60}
l2_start z --vcpus 2 --pin 0,1 --mem 384 --no-guest-module || die "L2 did not start"
grep -q " /sys/kernel/debug " /proc/mounts || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
for k in ${AUTONUMA_TUNABLES-scan_delay_ms=0 scan_period_min_ms=100 scan_period_max_ms=200 scan_size_mb=1024}; do
	echo "${k#*=}" > "/sys/kernel/debug/sched/numa_balancing/${k%%=*}" 2>/dev/null ||
		echo "${k#*=}" > "/proc/sys/kernel/numa_balancing_${k%%=*}" 2>/dev/null ||
		note "cannot set numa_balancing ${k%%=*}"
done
f0=$(awk '$1 == "numa_pte_updates" { print $2 }' /proc/vmstat)
echo 1 > /proc/sys/kernel/numa_balancing || die "cannot enable NUMA balancing"
l2 z '( taskset -c 0 fork-storm -t '"$ZAP_SECONDS"' > /tmp/f0 2>&1 & )
	( taskset -c 1 fork-storm -t '"$ZAP_SECONDS"' > /tmp/f1 2>&1 & )
	( taskset -c 0 mem-stress -t '"$ZAP_SECONDS"' -m 16 -k 2 > /tmp/s0 & )
	( taskset -c 1 mem-stress -t '"$ZAP_SECONDS"' -m 16 -k 2 > /tmp/s1 & )' ||
	die "workload did not start"
sleep "$ZAP_SECONDS"
metric numa_pte_updates $(( $(awk '$1 == "numa_pte_updates" { print $2 }' /proc/vmstat) - f0 ))
grep -E '^numa_(hint_faults|pages_migrated) ' /proc/vmstat
out=$(l2 z 'for f in /tmp/f0 /tmp/f1 /tmp/s0 /tmp/s1; do
		while ! grep -qE "^(forks|rounds) " $f 2>/dev/null; do sleep 0.5; done; done
	cat /tmp/f0 /tmp/f1 /tmp/s0 /tmp/s1')
echo "$out"
echo 0 > /proc/sys/kernel/numa_balancing
expect_eq "fork-storm and mem-stress reports" 4 "$(echo "$out" | grep -cE '^(forks|rounds) ')"
expect_eq "mismatches" 0 "$(echo "$out" | awk '/^forks / { m += $6 } /^rounds / { m += $6 } END { print m + 0 }')"
l2_stop z
