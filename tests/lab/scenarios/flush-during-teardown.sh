# lab: nodes=2 mem=4096 timeout=600
# One VM's teardown does not stall another VM's first-touch flushes: with
# teardown_delay_ms (a testing knob) VM A's teardown lasts 12 s; during it,
# VM B keeps allocating and freeing, and its FLUSH hypercalls must keep
# being served.  The old code held the global registry mutex across the
# teardown and took it in every FLUSH: B's flushes stopped for the whole
# teardown.  Counts, not emulated times, decide.

# The build machine is shared: give L2 time to boot.
LAB_L2_BOOT_TIMEOUT=300

kvmnuma_load default_policy=first-touch teardown_delay_ms=12000 ||
	die "cannot load kvmnuma.ko"
VMS=/sys/kernel/kvmnuma/vms
l2_start a --vcpus 1 --pin 0 --mem 256 || die "L2 a did not start"
l2_start b --vcpus 2 --pin 0,1 --mem 256 || die "L2 b did not start"
a=$(l2_pid a) b=$(l2_pid b)
wait_for 2 test -d "$VMS/$a" || die "VM a not in sysfs"
wait_for 2 test -d "$VMS/$b" || die "VM b not in sysfs"

# B allocates and frees pages until told to stop.
l2 b 'rm -f /tmp/stop; (while [ ! -e /tmp/stop ]; do alloc-bench -m 8 -n 20 >/dev/null; done) </dev/null >/dev/null 2>&1 &'
batches() { cat "$VMS/$b/stats/batches"; }
n0=$(batches); sleep 6; n1=$(batches)
before=$((n1 - n0))
metric b_batches_6s_before "$before"
expect_ge "B's batches in 6 s before A's teardown" 2 "$before" || die "B flushed too little to measure"

# A goes away; its teardown sleeps 12 s.
kill "$a"
wait_for 10 sh -c "dmesg | grep -q 'VM $a: testing: teardown delayed'" ||
	die "A's teardown did not start"
t0=$(lab_now)
n0=$(batches); sleep 6; n1=$(batches)
during=$((n1 - n0))
dmesg | grep -q "VM $a: unregistered" &&
	fail "A's teardown ended within the window: the window measured nothing"
metric b_batches_6s_during_a_teardown "$during"
note "B: $before batches in 6 s before, $during in 6 s during A's teardown"
# Served at a quarter of its rate at least (the CPU is shared with L1's
# teardown sleep, which costs nothing); the old code served at most the
# one batch already running.
expect_ge "B's batches in 6 s during A's teardown" $(( before / 4 > 2 ? before / 4 : 2 )) "$during"
wait_for 30 sh -c "dmesg | grep -q 'VM $a: unregistered'" || fail "A's teardown never ended"
metric a_teardown_s "$(lab_since "$t0")"

l2 b 'touch /tmp/stop; sleep 1; echo stopped' || fail "guest b died"
l2_stop b
wait "$a" 2>/dev/null
kvmnuma_unload
