# lab: nodes=2 mem=4096 timeout=300
# Control experiment for the L2 double fault seen while kvmnumad moved
# pages under a writing guest (carrefour-combined, Documentation/lab.md):
# no kvmnuma.ko, no guest driver; the page moves are done by stock means,
# migratepages(8) (numactl: migrate_pages(2), the same migration code as
# move_pages(2)) on the running guest's QEMU, all its pages from node 0 to
# node 1 and back, again and again, while the guest writes 32 MiB in a loop
# (hammer, as in carrefour-combined) and churns memory on both vCPUs.
#   make soak SCENARIOS=tests/lab/stress/move-pages.sh N=5
LAB_L2_BOOT_TIMEOUT=240   # a stress run on a loaded machine: let L2 boot
MP_SECONDS=${MP_SECONDS:-60}
[ -x /hostroot/usr/bin/migratepages ] || die "migratepages missing (numactl, scripts/install-deps)"
l2_start mv --vcpus 2 --pin 0,1 --mem 384 --no-guest-module || die "L2 did not start"
pid=$(l2_pid mv)
l2 mv 'taskset -c 0 touch-mem -m 64 > /dev/null
	hammer -m 32 -a 0 -b 1 -o /tmp/h.gfns -h /tmp/h.stop > /tmp/h.out 2>&1 &
	while [ ! -e /tmp/h.gfns.done ]; do sleep 0.1; done
	( taskset -c 0 mem-stress -t '"$MP_SECONDS"' -m 16 -k 2 > /tmp/s0 & )
	( taskset -c 1 mem-stress -t '"$MP_SECONDS"' -m 16 -k 2 > /tmp/s1 & )' ||
	die "workload did not start"
end=$(( $(cut -d. -f1 /proc/uptime) + MP_SECONDS ))
moves=0
while [ "$(cut -d. -f1 /proc/uptime)" -lt $end ]; do
	from=$((moves % 2)) to=$(( (moves + 1) % 2 ))
	chroot /hostroot /usr/bin/migratepages "$pid" "$from" "$to" ||
		fail "migratepages $pid $from $to failed"
	moves=$((moves + 1))
	l2_placement_summary mv | tr '\n' ' ' >&2; echo >&2
	_alive "$pid" || break
done
metric migrations "$moves"
out=$(l2 mv 'touch /tmp/h.stop; while ! grep -q mismatches /tmp/h.out; do sleep 0.2; done
	cat /tmp/h.out
	for f in /tmp/s0 /tmp/s1; do while ! grep -q "^rounds" $f 2>/dev/null; do sleep 0.5; done; done
	cat /tmp/s0 /tmp/s1')
echo "$out"
case "$out" in *"passes "*" mismatches 0"*) ;; *) fail "hammered data changed or guest gone: $out" ;; esac
expect_eq "mem-stress mismatches" 0 "$(echo "$out" | awk '/^rounds / { m += $6 } END { print m + 0 }')"
l2_stop mv
