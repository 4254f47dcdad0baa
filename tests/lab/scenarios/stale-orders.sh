# lab: nodes=2 mem=2048 timeout=150
# Stale move orders (issue 10, item 5): an order names QEMU by pid; if QEMU
# exits while kvmnumad holds the order and the pid is recycled, kvmnumad
# (root, MPOL_MF_MOVE_ALL) must not move the new process's pages.
# A paused QEMU's RAM is placed by round-4k on node 0 alone, then the
# VM's nodes become 0-1: round-4k orders half of it to node 1 while no
# kvmnumad runs.  kvmnumad --once reads the
# orders and holds them (forcing knob $KVMNUMAD_TEST_HOLD, a FIFO); QEMU is
# killed and reaped, an unrelated process (tools/squatter) gets QEMU's pid
# (ns_last_pid) and maps anonymous memory, bound to node 0, at the held
# orders' addresses; kvmnumad is released.  No page of the squatter may
# move to node 1, and kvmnumad must answer the held orders with ESRCH.

VMS=/sys/kernel/kvmnuma/vms
HOLD=/tmp/stale-hold.fifo SQ=/tmp/stale-squat.fifo
thp_set never
kvmnuma_load || die "cannot load kvmnuma.ko"
[ "$(cat /sys/kernel/kvmnuma/daemon_connected)" = 0 ] || die "a kvmnumad is connected"

vm_paused 32
qpid=$!
vm_wait "$qpid" 5 || die "VM $qpid not registered"
vm_place "$qpid" round-4k 60 0 || exit 1
echo 0-1 > "$VMS/$qpid/nodes" || die "nodes 0-1 refused"
wait_for 60 sh -c "[ \"\$(cat $VMS/$qpid/placement/state)\" = waiting-for-kvmnumad ]" ||
	die "no orders waiting: $(cat "$VMS/$qpid/placement/state")"
grep -H . "$VMS/$qpid/placement/"* | sed "s|$VMS/$qpid/placement/|  |"

rm -f "$HOLD" "$SQ"; mkfifo "$HOLD" "$SQ" || die "mkfifo"
KVMNUMAD_TEST_HOLD=$HOLD chroot /hostroot "$LAB_TREE/userspace/kvmnumad" --once -v \
	> "$LAB_RESULTS/kvmnumad.log" 2>&1 &
daemon=$!
wait_for 10 grep -q "holding" "$LAB_RESULTS/kvmnumad.log" ||
	die "kvmnumad did not hold orders: $(cat "$LAB_RESULTS/kvmnumad.log")"
# The held orders to node 1: "START NPAGES" pairs for the squatter.
ranges=$(awk -v p="$qpid" '/held order/ && $6 == p && $8 == 1 { printf "%s %s ", $10, $12 }' \
	"$LAB_RESULTS/kvmnumad.log")
[ -n "$ranges" ] || die "no held order to node 1: $(cat "$LAB_RESULTS/kvmnumad.log")"
note "held orders to node 1 (start npages): $ranges"

kill -9 "$qpid"; wait "$qpid" 2>/dev/null
wait_for 5 sh -c "! test -d $VMS/$qpid" && note "VM $qpid unregistered" ||
	note "VM $qpid still listed"
# Recycle the pid.  Another fork in L1 between the write and ours takes it:
# the squatter then exits 2 and we try again (a harness retry, not the test's).
exec 7<>"$SQ"
sq=
for try in 1 2 3 4 5; do
	echo $((qpid - 1)) > /proc/sys/kernel/ns_last_pid || die "no ns_last_pid"
	# shellcheck disable=SC2086 # $ranges: the squatter's arguments
	"$LAB_TOOLS/squatter" "$qpid" $ranges < "$SQ" > "$LAB_WORK/squat.out" 2>&1 &
	sq=$!
	wait_for 5 grep -q "^before" "$LAB_WORK/squat.out" && break
	wait "$sq" 2>/dev/null; sq=
	note "squatter try $try: $(cat "$LAB_WORK/squat.out")"
done
[ -n "$sq" ] || die "could not recycle pid $qpid"
expect_eq "the squatter has QEMU's pid" "$qpid" "$sq"

echo go > "$HOLD"
# (kill -0 succeeds on a zombie child: _alive looks at its state.)
daemon_done() { ! _alive "$daemon"; }
wait_for 30 daemon_done || fail "kvmnumad --once did not finish"
wait "$daemon"; note "kvmnumad exit $?"
echo go >&7
wait "$sq"
exec 7>&-
cat "$LAB_WORK/squat.out"
before=$(awk '/^before/ { print $3 }' "$LAB_WORK/squat.out")
after=$(awk '/^after/ { print $3 }' "$LAB_WORK/squat.out")
total=$(awk '/^before/ { print $2 + $3 + $4 + $5 + $6 }' "$LAB_WORK/squat.out")
note "squatter pages on node 1: before $before, after $after (of $total)"
metric stale_squatter_pages_moved $((after - before))
expect_eq "squatter pages on node 1 before" 0 "$before"
expect_eq "squatter pages moved by stale orders" 0 "$((after - before))"
tail -n 12 "$LAB_RESULTS/kvmnumad.log"
# kvmnumad's last line: "N orders, N pages moved, N failed, N stale (VM gone)".
stale=$(sed -n 's/.* \([0-9]*\) stale (VM gone)$/\1/p' "$LAB_RESULTS/kvmnumad.log")
metric stale_orders_refused "${stale:-0}"
expect_ge "held orders answered as stale" 1 "${stale:-0}"
kvmnuma_unload
