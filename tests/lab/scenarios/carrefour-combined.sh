# lab: nodes=2 mem=4096 timeout=320
# The combined policies: first-touch+carrefour keeps first-touch's
# discards and adds Carrefour's sampling and migrations; round-4k+carrefour
# places RAM round-robin and then lets Carrefour move hot pages.

kvmnuma_load cf_period_ms=500 cf_sample_pages=4096 || die "cannot load kvmnuma.ko"
chroot /hostroot "$LAB_TREE/userspace/kvmnumad" > "$LAB_RESULTS/kvmnumad.log" 2>&1 &
daemon=$!
l2_start c --vcpus 2 --pin 0,1 --mem 384 || die "L2 did not start"
vm=/sys/kernel/kvmnuma/vms/$(l2_pid c)
wait_for 2 test -d "$vm" || die "guest VM not in sysfs"

status() { awk -v k="$1" '$1 == k { print $2 }' "$vm/carrefour/status"; }

# --- first-touch+carrefour ---------------------------------------------------
echo first-touch+carrefour > "$vm/policy" || die "first-touch+carrefour refused"
wait_for 5 sh -c "[ \"\$(\"$LAB_TOOLS/l2chan\" -t 5 $LAB_WORK/l2/c/cmd 'cat /sys/kernel/kvmnuma_guest/state')\" = active ]" ||
	fail "guest driver did not resume under first-touch+carrefour"
b0=$(cat "$vm/stats/batches")
# Reuse pattern (first-touch's job) while one program hammers remote data.
l2 c 'taskset -c 0 touch-mem -m 64 > /dev/null
	hammer -m 32 -a 0 -b 1 -o /tmp/h.gfns -h /tmp/h.stop > /tmp/h.out 2>&1 &
	while [ ! -e /tmp/h.gfns.done ]; do sleep 0.1; done' || die "workload did not start"
# A few Carrefour rounds, counted rather than timed (see carrefour.sh).
wait_for 120 sh -c "[ \"\$(awk '\$1 == \"round\" { print \$2 }' $vm/carrefour/status)\" -ge 4 ]" ||
	fail "first-touch+carrefour: fewer than 4 Carrefour rounds in 120 s"
cat "$vm/carrefour/status"
expect_eq "carrefour deciding under first-touch+carrefour" 1 "$(status deciding)"
expect_ge "first-touch batches under first-touch+carrefour" $((b0 + 1)) "$(cat "$vm/stats/batches")"
expect_ge "samples under first-touch+carrefour" 1 "$(status samples)"
# Carrefour orders migrations once a round's samples show remote use (a
# clean clone's run had none by round 5, 343 a moment later): wait for
# the first, bounded by rounds (24, as carrefour.sh), not by 4 rounds.
wait_for 150 sh -c "[ \"\$(awk '\$1 == \"orders_migrate\" { print \$2 }' $vm/carrefour/status)\" -ge 1 ] ||
	[ \"\$(awk '\$1 == \"round\" { print \$2 }' $vm/carrefour/status)\" -ge 24 ]" || true
metric ftcf_rounds_to_first_migration "$(status round)"
expect_ge "migrations ordered under first-touch+carrefour (within 24 rounds)" 1 "$(status orders_migrate)"
metric ftcf_orders_migrate "$(status orders_migrate)"
metric ftcf_pages_discarded "$(cat "$vm/stats/pages_discarded")"

out=$(l2 c 'touch /tmp/h.stop; while ! grep -q mismatches /tmp/h.out; do sleep 0.2; done; cat /tmp/h.out')
echo "$out"
case "$out" in *"mismatches 0") ;; *) fail "hammered data changed: $out" ;; esac

# --- round-4k+carrefour -------------------------------------------------------
# The hammer is stopped first: once, in 1 of 7 runs, the guest kernel
# double-faulted while the switch moved pages under it (see README, Limits).
echo round-4k+carrefour > "$vm/policy" || die "round-4k+carrefour refused"
wait_for 120 sh -c "[ \"\$(cat $vm/placement/state)\" = done ]" ||
	fail "round-4k+carrefour: placement not done: $(cat "$vm/placement/state")"
grep -H . "$vm/placement/"* | sed "s|$vm/placement/|  |"
# The software sampler unmapped nothing while placement had orders out
# (a page unmapped then cannot be moved: the state used to end degraded).
expect_eq "placement pages that failed to move" 0 "$(cat "$vm/placement/pages_move_failed")"
metric r4cf_sampler_placement_skips "$(status sampler_placement_skips)"
sleep 5
expect_eq "carrefour deciding under round-4k+carrefour" 1 "$(status deciding)"
# The guest driver learns "disabled" from the answer to its next flush,
# so give it page events to flush.
expect_eq "guest driver paused under round-4k+carrefour" disabled-by-host \
	"$(l2 c 'touch-mem -m 4 > /dev/null; sleep 1; cat /sys/kernel/kvmnuma_guest/state')"
metric r4cf_pages_moved "$(cat "$vm/placement/pages_moved")"
l2_stop c
kill "$daemon"; wait "$daemon" 2>/dev/null
kvmnuma_unload
