# lab: nodes=2 mem=4096 timeout=300
# round-4k on a full node (issue 11): node 1 is filled with huge pages
# until about 160 MiB is free, then a paused 512 MiB memfd guest gets
# round-4k with kvmnumad running.  Placement must end `done` or `degraded`
# within 60 s, its counters must add up and match the pages actually off
# their layout node, and the host log must show no page-allocation-failure
# warning (kvmnumad must not make move_pages(2) try a full node).  Then
# node 1 is freed, the policy written again, and every page must end on
# its layout node.

VMS=/sys/kernel/kvmnuma/vms
MIB=512
P=/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages

node_free_mib() {
	awk '/MemFree/ { print int($4 / 1024) }' "/sys/devices/system/node/node$1/meminfo"
}

# pfile NAME: a placement/ counter, 0 if the file is absent (old module).
pfile() { cat "$VMS/$pid/placement/$1" 2>/dev/null || echo 0; }

show_counters() {
	grep -H . "$VMS/$pid/placement/"* | sed "s|$VMS/$pid/placement/|  |" >&2
}

# check_counters LABEL: placed + misplaced = total and misplaced = failed
# + unplaceable + pending, and misplaced = the pages measured off layout.
check_counters() {
	total=$(pfile pages_total) placed=$(pfile pages_placed)
	failed=$(pfile pages_move_failed) unpl=$(pfile pages_unplaceable)
	pending=$(pfile moves_pending)
	misplaced=$(cat "$VMS/$pid/placement/pages_misplaced" 2>/dev/null ||
		echo $((total - placed)))
	measured=$(vm_off_layout "$pid" "$MIB")
	expect_eq "$1: placed + misplaced = total" "$total" $((placed + misplaced))
	expect_eq "$1: misplaced = failed + unplaceable + pending" "$misplaced" \
		$((failed + unpl + pending))
	expect_eq "$1: misplaced = pages measured off layout" "$measured" "$misplaced"
	metric "${1}_misplaced" "$misplaced"
	metric "${1}_measured_off_layout" "$measured"
	metric "${1}_unplaceable" "$unpl"
	metric "${1}_failed" "$failed"
	metric "${1}_pending" "$pending"
}

thp_set never
kvmnuma_load || die "cannot load kvmnuma.ko"
chroot /hostroot "$LAB_TREE/userspace/kvmnumad" > "$LAB_RESULTS/kvmnumad.log" 2>&1 &
daemon=$!
wait_for 5 sh -c '[ "$(cat /sys/kernel/kvmnuma/daemon_connected)" = 1 ]' ||
	die "kvmnumad did not connect: $(cat "$LAB_RESULTS/kvmnumad.log")"

# Fill node 1: huge pages until ~160 MiB is free (in two steps: the
# first reservation may fall short of what is free).
for step in 1 2; do
	free=$(node_free_mib 1)
	have=$(cat "$P")
	[ "$free" -gt 170 ] && echo $((have + (free - 160) / 2)) > "$P"
done
note "node 1: $(cat "$P") huge pages of 2 MiB, $(node_free_mib 1) MiB free"
metric node1_free_mib_before "$(node_free_mib 1)"

vm_paused "$MIB"
pid=$!
vm_wait "$pid" 30 || die "VM not registered"

dmesg -c > "$LAB_RESULTS/dmesg-before.txt"
t0=$(lab_now)
echo round-4k > "$VMS/$pid/policy" || die "policy refused"
state=
settled() {
	state=$(cat "$VMS/$pid/placement/state")
	[ "$state" = done ] || [ "$state" = degraded ]
}
if wait_for 60 settled; then
	metric full_settle_s "$(lab_since "$t0")"
else
	fail "full node: placement still '$state' after 60 s"
fi
note "state: $(cat "$VMS/$pid/placement/state")"
show_counters
check_counters full
expect_ne "full node: some pages are unplaceable (node 1 has no room)" 0 "$(pfile pages_unplaceable)"
reason=$(cat "$VMS/$pid/placement/unplaceable_reason" 2>/dev/null)
expect_eq "full node: unplaceable reason" no-room "$reason"
metric node1_free_mib_after "$(node_free_mib 1)"

# No allocation-failure warning from move_pages(2) to the full node: a
# few seconds more so that a late kvmnumad attempt would show.
sleep 5
dmesg > "$LAB_RESULTS/dmesg-full.txt"
warn=$(grep -c "page allocation failure" "$LAB_RESULTS/dmesg-full.txt")
expect_eq "full node: page allocation failure warnings" 0 "$warn"
metric alloc_failure_warnings "$warn"
nolines=$(grep -c "no room" "$LAB_RESULTS/kvmnumad.log")
metric kvmnumad_no_room_lines "$nolines"
expect_le "full node: kvmnumad 'no room' lines (rate-limited)" 2 "$nolines"

# Free node 1, write the policy again: everything moves.
echo 0 > "$P"
note "node 1 freed: $(node_free_mib 1) MiB free"
t0=$(lab_now)
echo round-4k > "$VMS/$pid/policy" || fail "policy refused the second time"
wait_for 60 sh -c "[ \"\$(cat $VMS/$pid/placement/state)\" = done ]" ||
	fail "after freeing node 1: placement '$(cat "$VMS/$pid/placement/state")' after 60 s"
metric retry_settle_s "$(lab_since "$t0")"
show_counters
check_counters retry
expect_eq "retry: pages off their layout node" 0 "$(vm_off_layout "$pid" "$MIB")"

kill "$pid"; wait "$pid" 2>/dev/null
kill "$daemon"; wait "$daemon" 2>/dev/null
tail -n 5 "$LAB_RESULTS/kvmnumad.log" >&2
kvmnuma_unload
