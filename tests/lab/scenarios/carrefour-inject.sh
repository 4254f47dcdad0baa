# lab: nodes=2 mem=4096 timeout=150
# carrefour fed by the debugfs sample injector (the path IBS samples take;
# TCG has no IBS): a paused QEMU's memfd RAM is placed on node 0
# (round-1g), then 256 of its frames get samples from node 1 only; those
# frames end up on node 1 (moved by kvmnumad), every other frame stays on
# node 0.  Malformed inject lines are refused, the lines before them kept.

VMS=/sys/kernel/kvmnuma/vms
INJ=/sys/kernel/debug/kvmnuma/inject
MIB=256
FIRST=16384		# injected frames: FIRST .. FIRST + 255 (64 MiB in)
LAST=$((FIRST + 255))

kvmnuma_load cf_period_ms=500 cf_sample_pages=0 || die "cannot load kvmnuma.ko"
[ -d /sys/kernel/debug/kvmnuma ] || mount -t debugfs debugfs /sys/kernel/debug ||
	die "cannot mount debugfs"
[ -e "$INJ" ] || die "$INJ missing"
cat /sys/kernel/debug/kvmnuma/ibs

vm_paused "$MIB" --log "$LAB_RESULTS/qemu.log"
pid=$!
vm=$VMS/$pid
vm_wait "$pid" 5 || die "VM not registered"

# All of RAM on node 0: 256 MiB is within round-1g's first GiB.
vm_place "$pid" round-1g 90 || exit 1
awk '{ print $1 "-" $1 + $2 - 1 }' "$vm/memslots" > "$LAB_WORK/ram"
"$LAB_TOOLS/gfn2node" -s "$pid" "$MIB" - < "$LAB_WORK/ram"
"$LAB_TOOLS/gfn2node" "$pid" "$MIB" - < "$LAB_WORK/ram" > "$LAB_WORK/before"
expect_eq "frames off node 0 after round-1g" 0 \
	"$(awk '$2 != 0 { n++ } END { print n + 0 }' "$LAB_WORK/before")"

chroot /hostroot "$LAB_TREE/userspace/kvmnumad" > "$LAB_RESULTS/kvmnumad.log" 2>&1 &
daemon=$!
wait_for 5 sh -c '[ "$(cat /sys/kernel/kvmnuma/daemon_connected)" = 1 ]' ||
	die "kvmnumad did not connect"

echo carrefour > "$vm/policy" || die "carrefour refused"
# cf_sampler=auto: IBS only where the ibs_op PMU exists (never under TCG).
want=software
[ -e /sys/bus/event_source/devices/ibs_op ] && want=ibs
expect_eq "sampler" "$want" "$(cat "$vm/carrefour/sampler")"

# --- bad lines: refused; a good line before a bad one is kept
echo 1 > "$vm/carrefour/access_matrix"
for bad in "$pid" "$pid $FIRST 1" "$pid $FIRST 1 x" "$pid $FIRST 1 r extra" \
	"$pid -1 1 r" "$pid 0x10 1 r" "$pid $FIRST 7 r" "$pid 99999999 1 r" \
	"nosuchvm $FIRST 1 r"; do
	if echo "$bad" > "$INJ" 2>/dev/null; then
		fail "inject line accepted: '$bad'"
	else
		echo "ok: refused: '$bad'" >&2
	fi
done
if printf '%s\n%s\n' "$pid $FIRST 1 r" "$pid $FIRST" > "$INJ" 2>/dev/null; then
	fail "inject: good line + bad line accepted"
fi
wait_for 5 grep -q '^1 0 1$' "$vm/carrefour/access_matrix" ||
	fail "good line before a bad one not kept: $(cat "$vm/carrefour/access_matrix")"

# --- 256 frames sampled from node 1, 2 samples each per period, 4 periods
t0=$(lab_now)
for round in 1 2 3 4; do
	awk -v id="$pid" -v a="$FIRST" -v b="$LAST" 'BEGIN {
		for (k = 0; k < 2; k++)
			for (g = a; g <= b; g++)
				printf "%s %d 1 %s\n", id, g, (g % 2) ? "w" : "r"
	}' > "$INJ" || fail "inject round $round failed"
	sleep 0.6
done
cat "$vm/carrefour/status"
moved() {
	"$LAB_TOOLS/gfn2node" "$pid" "$MIB" "$FIRST-$LAST" |
		awk '$2 == 1 { n++ } END { print n + 0 }'
}
all_moved() { [ "$(moved)" = 256 ]; }
wait_for 40 all_moved
metric inject_to_node1_s "$(lab_since "$t0")"
cat "$vm/carrefour/status"
cat "$vm/carrefour/access_matrix"
metric injected_on_node1 "$(moved)"
expect_eq "injected frames on node 1" 256 "$(moved)"
"$LAB_TOOLS/gfn2node" "$pid" "$MIB" - < "$LAB_WORK/ram" > "$LAB_WORK/after"
others=$(awk -v a="$FIRST" -v b="$LAST" '($1 < a || $1 > b) && $2 != 0 { n++ } END { print n + 0 }' "$LAB_WORK/after")
metric others_off_node0 "$others"
expect_eq "other frames off node 0" 0 "$others"
expect_ge "orders_migrate" 256 "$(awk '$1 == "orders_migrate" { print $2 }' "$vm/carrefour/status")"
# Carrefour's orders are its own: placement/ counts placement's only
# (round-1g above had nothing to move).
expect_eq "placement/pages_moved after Carrefour's moves" 0 \
	"$(cat "$vm/placement/pages_moved")"
cat /sys/kernel/debug/kvmnuma/ibs

kill "$pid"; wait "$pid" 2>/dev/null
kill "$daemon"; wait "$daemon" 2>/dev/null
wait_for 5 sh -c "! [ -d $vm ]" || fail "VM not unregistered"
kvmnuma_unload
