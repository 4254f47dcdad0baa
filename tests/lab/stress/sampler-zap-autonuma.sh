# lab: nodes=2 mem=4096 timeout=300
# A second stock-means control for sampler-zap.sh, at a rate like the
# sampler's (tools/pageout, the first control, unmaps only ~1,000 pages/s):
# no kvmnuma; host NUMA balancing on with its scanner at full speed
# (every 100 ms, all of QEMU's memory): task_numa_work() makes QEMU's guest
# RAM PROT_NONE, which invalidates KVM's TDP entries exactly as an unmap
# does, and the guest's next access faults (and may migrate the page).
LAB_L2_BOOT_TIMEOUT=240
ZAP_SECONDS=${ZAP_SECONDS:-60}
. "$LAB_TREE_L1/tests/lab/stress/zap-load.inc"
l2_start z --vcpus 2 --pin 0,1 --mem 384 --no-guest-module || die "L2 did not start"
# shellcheck disable=SC2086  # a list of KEY=VALUE words
autonuma_tune ${AUTONUMA_TUNABLES-scan_delay_ms=0 scan_period_min_ms=100 scan_period_max_ms=200 scan_size_mb=1024} ||
	note "some numa_balancing tunables kept their defaults"
f0=$(awk '$1 == "numa_pte_updates" { print $2 }' /proc/vmstat)
echo 1 > /proc/sys/kernel/numa_balancing || die "cannot enable NUMA balancing"
zap_load_start z
sleep "$ZAP_SECONDS"
metric numa_pte_updates $(( $(awk '$1 == "numa_pte_updates" { print $2 }' /proc/vmstat) - f0 ))
grep -E '^numa_(hint_faults|pages_migrated) ' /proc/vmstat
zap_load_check z
echo 0 > /proc/sys/kernel/numa_balancing
l2_stop z
