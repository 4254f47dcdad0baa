# lab: nodes=2 mem=4096 timeout=150
# kvmnuma_carrefour_decision and Carrefour's kvmnuma_move_queued/done
# events (Documentation/tracepoints.rst) against carrefour/status: as in
# carrefour-inject, a paused QEMU's RAM is placed on node 0 (round-1g) and
# 256 frames get samples from node 1 through the debugfs injector; once
# they moved and no sample comes any more, the decision events' order
# counts and the move events must equal the status counters.  Events are
# enabled while only one L1 CPU is online (see tracepoints.sh).

T=/sys/kernel/tracing
I=$T/instances/kvmnuma_lab
VMS=/sys/kernel/kvmnuma/vms
INJ=/sys/kernel/debug/kvmnuma/inject
MIB=256
FIRST=16384
LAST=$((FIRST + 255))

cpus_online() {
	for c in /sys/devices/system/cpu/cpu[1-9]*; do
		[ -f "$c/online" ] && echo "$1" > "$c/online"
	done
	note "CPUs online: $(cat /sys/devices/system/cpu/online)"
}

cpus_online 0
kvmnuma_load cf_period_ms=500 cf_sample_pages=0 || { cpus_online 1; die "cannot load kvmnuma.ko"; }
mkdir -p $I && echo 4096 > $I/buffer_size_kb &&
	echo 1 > $I/events/kvmnuma/enable || { cpus_online 1; die "cannot enable events/kvmnuma"; }
cpus_online 1
[ -d /sys/kernel/debug/kvmnuma ] || mount -t debugfs debugfs /sys/kernel/debug ||
	die "cannot mount debugfs"

chroot /hostroot /usr/bin/qemu-system-x86_64 -enable-kvm -S -nodefaults \
	-display none -machine q35,memory-backend=ram -m "${MIB}M" \
	-object "memory-backend-memfd,id=ram,size=${MIB}M,share=on" \
	</dev/null >"$LAB_RESULTS/qemu.log" 2>&1 &
pid=$!
vm=$VMS/$pid
wait_for 5 test -d "$vm" || die "VM not registered"
echo round-1g > "$vm/policy" || die "round-1g refused"
wait_for 90 sh -c "[ \"\$(cat $vm/placement/state)\" = done ]" ||
	die "placement not done: $(cat "$vm/placement/state")"

chroot /hostroot "$LAB_TREE/userspace/kvmnumad" > "$LAB_RESULTS/kvmnumad.log" 2>&1 &
daemon=$!
wait_for 5 sh -c '[ "$(cat /sys/kernel/kvmnuma/daemon_connected)" = 1 ]' ||
	die "kvmnumad did not connect"
echo carrefour > "$vm/policy" || die "carrefour refused"

for round in 1 2 3 4; do
	awk -v id="$pid" -v a="$FIRST" -v b="$LAST" 'BEGIN {
		for (k = 0; k < 2; k++)
			for (g = a; g <= b; g++)
				printf "%s %d 1 r\n", id, g
	}' > "$INJ" || fail "inject round $round failed"
	sleep 0.6
done
moved() {
	"$LAB_TOOLS/gfn2node" "$pid" "$MIB" "$FIRST-$LAST" |
		awk '$2 == 1 { n++ } END { print n + 0 }'
}
all_moved() { [ "$(moved)" = 256 ]; }
wait_for 40 all_moved || fail "injected frames not all on node 1: $(moved)"
# No sample any more (paused guest, cf_sample_pages=0): once the last
# injected samples are drained (one period), no order can be decided; wait
# until kvmnumad answered every order, then the counters stay.
st() { awk -v k="$1" '$1 == k { print $2 }' "$vm/carrefour/status"; }
answered() { [ $(($(st moves_ok) + $(st moves_failed))) = $(($(st orders_migrate) + $(st orders_interleave))) ]; }
sleep 1
wait_for 20 answered || fail "orders not all answered: $(cat "$vm/carrefour/status")"
s_mig=$(st orders_migrate) s_il=$(st orders_interleave)
s_ok=$(st moves_ok) s_failed=$(st moves_failed)
echo 0 > $I/tracing_on
expect_eq "status unchanged while the trace stopped" "$s_mig $s_il $s_ok $s_failed" \
	"$(st orders_migrate) $(st orders_interleave) $(st moves_ok) $(st moves_failed)"
cat $I/trace > "$LAB_RESULTS/trace.txt"
cat "$vm/carrefour/status"
overrun=$(awk '/overrun:/ { n += $2 } END { print n + 0 }' $I/per_cpu/cpu*/stats)
expect_eq "trace: events lost (overrun)" 0 "$overrun"

grep ' kvmnuma_' "$LAB_RESULTS/trace.txt" | awk -v vm="$pid" '
{
	ev = ""
	for (i = 1; i <= NF; i++)
		if ($i ~ /^kvmnuma_[a-z_]*:$/) { ev = substr($i, 1, length($i) - 1); s = i + 1; break }
	if (ev == "")
		next
	for (i = s; i <= NF; i++) {
		k = $i; sub(/=.*/, "", k); v = $i; sub(/^[^=]*=/, "", v); f[k] = v
	}
	if (f["vm"] != vm)
		next
	if (ev == "kvmnuma_carrefour_decision") {
		rounds++; mig += f["migrate"]; il += f["interleave"]; hot += f["hot_pages"]
		if (f["gate"] == "open") open++
	} else if (ev == "kvmnuma_move_queued" && f["source"] == "carrefour") {
		q++; if (f["from"] == 0 && f["to"] == 1) q01++
	} else if (ev == "kvmnuma_move_done" && f["source"] == "carrefour") {
		if (f["result"] == "ok") ok++
		else if (f["result"] != "cancelled") bad++
	}
}
END { printf "rounds %d\nopen %d\nhot %d\nmigrate %d\ninterleave %d\nqueued %d\nqueued_0_1 %d\nok %d\nbad %d\n",
	rounds, open, hot, mig, il, q, q01, ok, bad }' > "$LAB_WORK/sums"
cat "$LAB_WORK/sums"
t() { sed -n "s/^$1 //p" "$LAB_WORK/sums"; }

expect_ge "decision rounds traced" 4 "$(t rounds)"
expect_ge "rounds with the gate open" 1 "$(t open)"
expect_ge "hot pages over the rounds" 256 "$(t hot)"
expect_ge "migrate orders" 256 "$(t migrate)"
expect_eq "decision migrate = orders_migrate" "$s_mig" "$(t migrate)"
expect_eq "decision interleave = orders_interleave" "$s_il" "$(t interleave)"
expect_eq "carrefour orders queued = orders decided" "$((s_mig + s_il))" "$(t queued)"
# The injected frames were on node 0 and sampled from node 1 only.
expect_ge "orders queued from node 0 to node 1" 256 "$(t queued_0_1)"
expect_eq "move_done ok = moves_ok" "$s_ok" "$(t ok)"
expect_eq "move_done failed/partial = moves_failed" "$s_failed" "$(t bad)"
metric decision_rounds "$(t rounds)"

kill "$pid"; wait "$pid" 2>/dev/null
kill "$daemon"; wait "$daemon" 2>/dev/null
wait_for 5 sh -c "! [ -d $vm ]" || fail "VM not unregistered"
cpus_online 0
echo 0 > $I/events/kvmnuma/enable
kvmnuma_unload
cpus_online 1
