# lab: nodes=2 mem=4096 timeout=360
# Control experiment for class 5 of Documentation/lab.md (an L2 double
# fault whose saved flags are a data word, seen in carrefour's remote
# phase): carrefour's remote phase with every kvmnuma part replaced by its
# stock counterpart.  The same guest (2 vCPUs pinned to nodes 0 and 1, 384
# MiB) and the same workload (hammer touches 32 MiB on vCPU 0, then
# hammers it from vCPU 1); instead of kvmnuma's software sampler (4,096
# pages unmapped per 500 ms round) and kvmnumad's move_pages(2), host NUMA
# balancing at the same rate: task_numa_work() makes 16 MiB (4,096 pages)
# of QEMU's guest RAM PROT_NONE every 500 ms, which drops KVM's TDP entries
# as the sampler's unmap does, and its hint faults migrate the hammered
# pages to node 1 as Carrefour's orders do.  No kvmnuma.ko, no guest driver.
#   make soak SCENARIOS="$PWD/tests/lab/stress/carrefour-autonuma.sh" N=8
LAB_L2_BOOT_TIMEOUT=240   # a stress run on a loaded machine: let L2 boot
CA_SECONDS=${CA_SECONDS:-90}
HOT_MIB=32
l2_start r --vcpus 2 --pin 0,1 --mem 384 --no-guest-module || die "L2 did not start"
l2 r "hammer -m $HOT_MIB -a 0 -b 1 -o /tmp/hot.gfns -h /tmp/hot.stop > /tmp/hot.out 2>&1 &
	while [ ! -e /tmp/hot.gfns.done ]; do sleep 0.1; done" || die "hammer did not start"
l2 r cat /tmp/hot.gfns | awk '{ print $1 "-" $1 + $2 - 1 }' > "$LAB_WORK/hot.ranges"
l2_placement_summary r - < "$LAB_WORK/hot.ranges" | sed 's/^/  hot before: /' >&2
autonuma_tune scan_delay_ms=0 scan_period_min_ms=500 scan_period_max_ms=500 scan_size_mb=16 ||
	die "cannot set numa_balancing's tunables"
grep -E '^numa_(pte_updates|hint_faults|pages_migrated) ' /proc/vmstat > "$LAB_WORK/v0"
echo 1 > /proc/sys/kernel/numa_balancing || die "cannot enable NUMA balancing"
sleep "$CA_SECONDS"
echo 0 > /proc/sys/kernel/numa_balancing
grep -E '^numa_(pte_updates|hint_faults|pages_migrated) ' /proc/vmstat |
	awk 'NR == FNR { b[$1] = $2; next } { print $1, $2 - b[$1] }' "$LAB_WORK/v0" - |
	while read -r k v; do metric "$k" "$v"; done
l2_placement_summary r - < "$LAB_WORK/hot.ranges" > "$LAB_WORK/hot.after"
sed 's/^/  hot after: /' "$LAB_WORK/hot.after" >&2
metric hot_on_node1_after_pct "$(awk '$1 == "node1" { n = $2 } $1 == "total" { t = $2 }
	END { printf "%d\n", t ? n * 100 / t : 0 }' "$LAB_WORK/hot.after")"
out=$(l2 r 'touch /tmp/hot.stop; while ! grep -q mismatches /tmp/hot.out; do sleep 0.2; done; cat /tmp/hot.out')
echo "$out"
case "$out" in *"mismatches 0") ;; *) fail "hammered data changed or guest gone: $out" ;; esac
l2_stop r
