# lab: nodes=2 mem=4096 timeout=420
# lab-l1-append: lab.numa_balancing=1
# Host AutoNUMA against round-4k (issue 11): with kernel.numa_balancing=1
# in L1, a guest with anonymous RAM (with memfd RAM this lab measured 1
# page migrated by AutoNUMA in 60 s; why was not established) placed by
# round-4k runs a program on its vCPU of node 1
# that keeps touching 256 MiB for 60 s.  AutoNUMA's hinting faults migrate
# guest pages towards node 1.  Passes if the layout keeps >= 95% of the
# backed pages on their layout node, or if kvmnuma reports the conflict
# (`kvmnumactl show` warns about host AutoNUMA).  The sysctl flips a
# static key (live text patching, which raced other vCPUs under
# multi-threaded TCG: Documentation/lab.md class 1), so the scenario never
# writes it: lab.numa_balancing=1 on L1's line makes L1's init write 1
# while only one vCPU runs, and it stays on until L1 powers off.

kvmnuma_load || die "cannot load kvmnuma.ko"
chroot /hostroot "$LAB_TREE/userspace/kvmnumad" > "$LAB_RESULTS/kvmnumad.log" 2>&1 &
daemon=$!
wait_for 5 sh -c '[ "$(cat /sys/kernel/kvmnuma/daemon_connected)" = 1 ]' ||
	die "kvmnumad did not connect: $(cat "$LAB_RESULTS/kvmnumad.log")"
[ "$(cat /proc/sys/kernel/numa_balancing)" = 1 ] ||
	die "L1's numa_balancing is $(cat /proc/sys/kernel/numa_balancing), not 1 (lab.numa_balancing=1)"
note "numa_balancing=1"

# Anonymous RAM without THP: round-4k needs 4 KiB pages.
thp_set never
l2_start g --vcpus 2 --pin 0,1 --mem 512 --anon || die "L2 did not start"
pid=$(l2_pid g)
vm=/sys/kernel/kvmnuma/vms/$pid
wait_for 30 test -d "$vm" || die "guest VM not in sysfs"
echo round-4k > "$vm/policy" || die "round-4k refused"
wait_for 120 sh -c "s=\$(cat $vm/placement/state); [ \"\$s\" = done ] || [ \"\$s\" = degraded ]" ||
	fail "placement not over: $(cat "$vm/placement/state")"

# Share of backed pages on their layout node, in percent.
layout_pct() {
	awk '{ print $1 "-" $1 + $2 - 1 }' "$vm/memslots" |
		"$LAB_TOOLS/gfn2node" "$pid" 512 - > "$LAB_WORK/layout"
	awk '$2 ~ /^[0-9]+$/ { n++; if ($2 == $1 % 2) ok++ }
		END { printf "%d\n", n ? ok * 100 / n : 0 }' "$LAB_WORK/layout"
}

before=$(layout_pct)
metric layout_pct_placed "$before"
mig0=$(awk '/^numa_pages_migrated/ { print $2 }' /proc/vmstat)
grep '^numa_' /proc/vmstat > "$LAB_WORK/vmstat0"
# The guest program on the vCPU of node 1, verifying its data in a loop.
l2 g 'taskset -c 1 touch-mem -m 256 -h /tmp/stop -l > /tmp/v.out 2>&1 &
	sleep 2; cat /tmp/v.out' || fail "guest program did not start"
# AutoNUMA's scanner starts at its own pace (task runtime, emulated
# CPUs): give it up to 60 s more when it has hardly migrated yet.
sleep 60
mig=$(( $(awk '/^numa_pages_migrated/ { print $2 }' /proc/vmstat) - mig0 ))
[ "$mig" -lt 1000 ] && { note "AutoNUMA migrated $mig pages in 60 s: 60 s more"; sleep 60; }
after=$(layout_pct)
mig=$(( $(awk '/^numa_pages_migrated/ { print $2 }' /proc/vmstat) - mig0 ))
metric layout_pct_after "$after"
metric autonuma_pages_migrated "$mig"
# AutoNUMA's own activity in the 60 s: PTEs made PROT_NONE, hinting faults.
grep '^numa_' /proc/vmstat | awk 'NR == FNR { a[$1] = $2; next }
	{ printf "metric autonuma_%s %d\n", $1, $2 - a[$1] }' "$LAB_WORK/vmstat0" - |
	while read -r _ k v; do metric "$k" "$v"; done
l2 g 'touch /tmp/stop; sleep 3; cat /tmp/v.out' || fail "guest stopped answering"

show=$(chroot /hostroot "$LAB_TREE/userspace/kvmnumactl" show "$pid" 2>&1)
echo "$show" | head -n 12 >&2
reported=0
echo "$show" | grep -q "warning: host AutoNUMA" && reported=1
metric conflict_reported "$reported"
if [ "$after" -ge 95 ]; then
	echo "ok: layout kept: $after% >= 95%" >&2
elif [ "$reported" = 1 ]; then
	echo "ok: layout eroded to $after%, and the conflict is reported" >&2
else
	fail "layout eroded to $after% and kvmnuma reports no conflict"
fi

l2_stop g
kill "$daemon"; wait "$daemon" 2>/dev/null
kvmnuma_unload
