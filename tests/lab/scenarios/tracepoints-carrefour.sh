# lab: nodes=2 mem=4096 timeout=150
# kvmnuma_carrefour_decision and Carrefour's kvmnuma_move_queued/done
# events (Documentation/tracepoints.rst) against carrefour/status: as in
# carrefour-inject, a paused QEMU's RAM is placed on node 0 (round-1g) and
# 256 frames get samples from node 1 through the debugfs injector; once
# they moved and no sample comes any more, the decision events' order
# counts and the move events must equal the status counters.  Events are
# enabled while only one L1 CPU is online (trace.inc).

. "$LAB_TREE_L1/tests/lab/trace.inc"
VMS=/sys/kernel/kvmnuma/vms
INJ=/sys/kernel/debug/kvmnuma/inject
MIB=256
FIRST=16384
LAST=$((FIRST + 255))

trace_begin 4096 cf_period_ms=500 cf_sample_pages=0
[ -d /sys/kernel/debug/kvmnuma ] || mount -t debugfs debugfs /sys/kernel/debug ||
	die "cannot mount debugfs"

vm_paused "$MIB" --log "$LAB_RESULTS/qemu.log"
pid=$!
vm=$VMS/$pid
vm_wait "$pid" 5 || die "VM not registered"
vm_place "$pid" round-1g 90 || exit 1

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
trace_stop "$LAB_RESULTS/trace.txt"
expect_eq "status unchanged while the trace stopped" "$s_mig $s_il $s_ok $s_failed" \
	"$(st orders_migrate) $(st orders_interleave) $(st moves_ok) $(st moves_failed)"
cat "$vm/carrefour/status"

# shellcheck disable=SC2016  # an awk program
trace_sums "$pid" "$LAB_RESULTS/trace.txt" '
{
	if ($1 == "kvmnuma_carrefour_decision") {
		rounds++; mig += f["migrate"]; il += f["interleave"]; hot += f["hot_pages"]
		if (f["gate"] == "open") open++
	} else if ($1 == "kvmnuma_move_queued" && f["source"] == "carrefour") {
		q++; if (f["from"] == 0 && f["to"] == 1) q01++
	} else if ($1 == "kvmnuma_move_done" && f["source"] == "carrefour") {
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
trace_end
