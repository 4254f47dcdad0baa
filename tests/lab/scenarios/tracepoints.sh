# lab: nodes=2 mem=4096 timeout=300
# kvmnuma's tracepoints (Documentation/tracepoints.rst), recorded through
# tracefs in L1 during a first-touch guest workload and a round-4k
# placement of the running guest (kvmnumad moves what is misplaced); the
# events' counts and sums must equal the sysfs counters exactly, read with
# the guest stopped (SIGSTOP) so that nothing changes in between.
#
# Events are enabled while only one L1 CPU is online (trace.inc).

. "$LAB_TREE_L1/tests/lab/trace.inc"
VMS=/sys/kernel/kvmnuma/vms

# stopped PID: every thread of PID is stopped (state T).
stopped() {
	for s in /proc/$1/task/*/stat; do
		# The state follows "(comm)", which may hold spaces.
		[ "$(sed 's/.*) //' "$s" 2>/dev/null | cut -d' ' -f1)" = T ] || return 1
	done
}

trace_begin 8192

chroot /hostroot "$LAB_TREE/userspace/kvmnumad" > "$LAB_RESULTS/kvmnumad.log" 2>&1 &
daemon=$!
wait_for 5 sh -c '[ "$(cat /sys/kernel/kvmnuma/daemon_connected)" = 1 ]' ||
	die "kvmnumad did not connect: $(cat "$LAB_RESULTS/kvmnumad.log")"

l2_start t --vcpus 2 --pin 0,1 --mem 256 || die "L2 did not start"
pid=$(l2_pid t)
vm=$VMS/$pid
wait_for 2 test -d "$vm" || die "guest VM not in sysfs"

# First-touch: the guest allocates and frees; freed pages are discarded,
# touched again, re-faulted.
echo first-touch > "$vm/policy" || die "first-touch refused"
l2 t 'for i in 1 2 3 4; do dd if=/dev/zero of=/tmp/f bs=1M count=32 2>/dev/null; rm -f /tmp/f; done; sync' ||
	fail "guest workload"
# round-4k on the running guest: pages on the wrong node go to kvmnumad.
echo round-4k > "$vm/policy" || die "round-4k refused"
wait_for 120 sh -c "[ \"\$(cat $vm/placement/state)\" = done ]" ||
	fail "placement not done: $(cat "$vm/placement/state")"

# Freeze the guest, then read sysfs and stop the trace: nothing can move
# in between (no vCPU runs, placement is done, no order is pending).
kill -STOP "$pid"
wait_for 10 stopped "$pid" || fail "QEMU did not stop"
sysfs() { cat "$vm/$1"; }
s_batches=$(sysfs stats/batches) s_entries=$(sysfs stats/entries)
s_bad=$(sysfs stats/bad_batches) s_disc=$(sysfs stats/pages_discarded)
s_refaults=$(sysfs stats/refaults)
s_rf_node=$(awk '{ printf "%s:%s ", $1, $2 }' "$vm/stats/refaults_per_node")
s_total=$(sysfs placement/pages_total) s_placed=$(sysfs placement/pages_placed)
s_to_move=$(sysfs placement/pages_to_move) s_moved=$(sysfs placement/pages_moved)
s_failed=$(sysfs placement/pages_move_failed) s_pending=$(sysfs placement/moves_pending)
trace_stop "$LAB_RESULTS/trace.txt"
kill -CONT "$pid"
grep -H . "$vm/stats/"* "$vm/placement/"* | sed "s|$vm/||"

grep -c ' kvmnuma_' "$LAB_RESULTS/trace.txt" | sed 's/^/events recorded: /'
grep ' kvmnuma_' "$LAB_RESULTS/trace.txt" | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^kvmnuma_.*:$/) n[$i]++ }
	END { for (e in n) print "  " e, n[e] }'

# One "key value" line per sum, over this VM's events only.
t_parse=$(lab_now)
# shellcheck disable=SC2016  # an awk program
trace_sums "$pid" "$LAB_RESULTS/trace.txt" '
{
	if ($1 == "kvmnuma_batch") {
		if (f["rejected"] == 0) { ok++; entries += f["entries"] } else bad++
	} else if ($1 == "kvmnuma_discard") {
		disc += f["npages"]; nd++
	} else if ($1 == "kvmnuma_refault") {
		rf++; rfn[f["node"]]++
	} else if ($1 == "kvmnuma_placement_progress") {
		prog++; last = f["node"] " " f["phase"] " " f["total"] " " f["placed"] + f["moves_pending"] + f["move_failed"] " " f["to_move"]
	} else if ($1 == "kvmnuma_move_queued" && f["source"] == "placement") {
		q += f["pages"]; nq++
	} else if ($1 == "kvmnuma_move_done" && f["source"] == "placement") {
		nd_all++; dpages += f["pages"]
		if (f["result"] != "cancelled") { moved += f["moved"]; failed += f["pages"] - f["moved"] }
	}
}
END {
	printf "batches %d\nentries %d\nbad %d\ndiscarded %d\ndiscard_events %d\nrefaults %d\n", ok, entries, bad, disc, nd, rf
	printf "rf_node "; for (n = 0; n < 8; n++) if (n in rfn) printf "%d:%d ", n, rfn[n]; printf "\n"
	printf "progress %d\nlast %s\nqueued %d\norders %d\ndone_pages %d\nmoved %d\nfailed %d\n", prog, last, q, nq, dpages, moved, failed
}' > "$LAB_WORK/sums"
note "events of VM $pid parsed and summed in $(lab_since "$t_parse") s"
cat "$LAB_WORK/sums"
t() { sed -n "s/^$1 //p" "$LAB_WORK/sums"; }

expect_ge "batches traced" 1 "$(t batches)"
expect_eq "kvmnuma_batch (accepted) = stats/batches" "$s_batches" "$(t batches)"
expect_eq "kvmnuma_batch entries = stats/entries" "$s_entries" "$(t entries)"
expect_eq "kvmnuma_batch (rejected) = stats/bad_batches" "$s_bad" "$(t bad)"
expect_ge "pages discarded" 1 "$(t discarded)"
expect_eq "kvmnuma_discard npages = stats/pages_discarded" "$s_disc" "$(t discarded)"
expect_ge "re-faults" 1 "$(t refaults)"
expect_eq "kvmnuma_refault = stats/refaults" "$s_refaults" "$(t refaults)"
# refaults_per_node lists every online node, the trace only nodes seen.
expect_eq "kvmnuma_refault per node = stats/refaults_per_node" \
	"$(echo $s_rf_node | tr ' ' '\n' | grep -v ':0$' | tr '\n' ' ')" \
	"$(t rf_node | tr ' ' '\n' | grep . | tr '\n' ' ')"
expect_eq "placement progress events (2 nodes + done)" 3 "$(t progress)"
# Moves may still be pending then: each pending page ends placed or
# failed, so placed + pending + failed then = placed + failed now.
expect_eq "last progress: node phase total placed+pending+failed to_move" \
	"-1 done $s_total $((s_placed + s_failed)) $s_to_move" "$(t last)"
expect_ge "placement pages queued for kvmnumad" 1 "$(t queued)"
expect_eq "kvmnuma_move_queued pages = placement/pages_to_move" "$s_to_move" "$(t queued)"
expect_eq "kvmnuma_move_done pages = queued pages (pending $s_pending)" "$(t queued)" "$(t done_pages)"
expect_eq "kvmnuma_move_done moved = placement/pages_moved" "$s_moved" "$(t moved)"
expect_eq "kvmnuma_move_done not moved = placement/pages_move_failed" "$s_failed" "$(t failed)"
# No kernel address in any event (gfn are guest frames, printed 0x...).
expect_eq "events with a kernel-address-like value" 0 \
	"$(grep ' kvmnuma_' "$LAB_RESULTS/trace.txt" | grep -cE '(0x)?ffff[89a-f][0-9a-f]{11}')"
metric trace_events "$(grep -c ' kvmnuma_' "$LAB_RESULTS/trace.txt")"
metric refaults "$s_refaults"
metric pages_moved "$s_moved"

l2_stop t
kill "$daemon"; wait "$daemon" 2>/dev/null
trace_end
