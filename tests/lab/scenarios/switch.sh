# lab: nodes=2 mem=4096 timeout=240
# Live policy switches round-1g -> round-4k -> first-touch while a guest
# program keeps verifying its data: after each switch the data is intact
# and the layout is right (pages already present elsewhere are moved by
# kvmnumad with move_pages(2)).

kvmnuma_load || die "cannot load kvmnuma.ko"
chroot /hostroot "$LAB_TREE/userspace/kvmnumad" > "$LAB_RESULTS/kvmnumad.log" 2>&1 &
daemon=$!
wait_for 5 sh -c '[ "$(cat /sys/kernel/kvmnuma/daemon_connected)" = 1 ]' ||
	die "kvmnumad did not connect: $(cat "$LAB_RESULTS/kvmnumad.log")"

l2_start s --vcpus 2 --pin 0,1 --mem 512 || die "L2 did not start"
pid=$(l2_pid s)
vm=/sys/kernel/kvmnuma/vms/$pid
wait_for 2 test -d "$vm" || die "guest VM not in sysfs"
l2 s 'taskset -c 1 touch-mem -m 96 -h /tmp/stop -l > /tmp/v.out 2>&1 &
	sleep 3; cat /tmp/v.out' || die "verifier did not start"

# layout_check UNIT: share of backed pages on their layout node, UNIT =
# frames per interleave unit.
layout_check() {
	awk '{ print $1 "-" $1 + $2 - 1 }' "$vm/memslots" |
		"$LAB_TOOLS/gfn2node" "$pid" 512 - > "$LAB_WORK/layout"
	awk -v u="$1" '$2 ~ /^[0-9]+$/ { n++; if ($2 == int($1 / u) % 2) ok++ }
		END { printf "%d\n", n ? ok * 100 / n : 0 }' "$LAB_WORK/layout"
}

switch_to() {	# switch_to POLICY UNIT
	t0=$(lab_now)
	echo "$1" > "$vm/policy" || { fail "cannot set $1"; return 1; }
	wait_for 120 sh -c "[ \"\$(cat $vm/placement/state)\" = done ]" ||
		fail "$1: placement not done: $(cat "$vm/placement/state")"
	metric "${1}_switch_s" "$(lab_since "$t0")"
	grep -H . "$vm/placement/"* | sed "s|$vm/placement/|  $1 |"
	metric "${1}_pages_moved" "$(cat "$vm/placement/pages_moved")"
	ok=$(layout_check "$2")
	metric "${1}_layout_pct" "$ok"
	expect_ge "$1: backed pages on their layout node (%)" 99 "$ok"
	l2 s 'sleep 2; tail -c 0 /tmp/v.out; echo verifier alive' || fail "$1: guest stopped answering"
}

switch_to round-1g 262144
switch_to round-4k 1
echo first-touch > "$vm/policy" || fail "cannot set first-touch"
expect_eq "placement after first-touch" idle "$(cat "$vm/placement/state")"
sleep 2
out=$(l2 s 'touch /tmp/stop; while ! grep -q mismatches /tmp/v.out; do sleep 0.2; done; cat /tmp/v.out')
echo "$out"
case "$out" in
*" mismatches 0") ;;
*) fail "guest data changed across switches: $out" ;;
esac
passes=$(echo "$out" | awk '{ print $4 }')
expect_ge "verification passes over the guest's data" 2 "${passes:-0}"
l2_stop s
kill "$daemon"; wait "$daemon" 2>/dev/null
tail -n 5 "$LAB_RESULTS/kvmnumad.log"
kvmnuma_unload
