# lab: nodes=2 mem=4096 timeout=600
# kvmnuma.ko unloads safely while a hypercall work item is still executing
# module text after signalling its completion.  hc_done_delay_ms (a testing
# knob) makes the next work item busy-wait 4 s right after its signal, in
# the vCPU thread; rmmod is started then.  The old code waited for the
# signal and a synchronize_rcu(), which does not wait for a task outside
# an RCU read-side section: the module was freed under the vCPU thread,
# which then returned into freed text (Oops).  The new code waits for an
# RCU-tasks grace period (every task has left the module's text).

# The build machine is shared: give L2 time to boot.
LAB_L2_BOOT_TIMEOUT=300

kvmnuma_load || die "cannot load kvmnuma.ko"
l2_start g --vcpus 2 --mem 256 || die "L2 did not start"
pid=$(l2_pid g)
wait_for 2 test -d "/sys/kernel/kvmnuma/vms/$pid" || die "guest VM not in sysfs"
# Policy none: the guest driver asks again every 200 ms with FLUSH(0, 0).
echo 4000 > /sys/module/kvmnuma/parameters/hc_done_delay_ms
wait_for 5 sh -c 'dmesg | grep -q "testing: hypercall work busy"' ||
	die "no hypercall work took the delay"
t0=$(lab_now)
rmmod kvmnuma || fail "rmmod kvmnuma"
metric rmmod_s "$(lab_since "$t0")"
note "rmmod returned after $(lab_since "$t0") s"
sleep 5		# the work item's tail has run by now, wherever it was
l2 g 'echo alive' || fail "guest died"
test -d /sys/kernel/kvmnuma && fail "/sys/kernel/kvmnuma still there"
l2_stop g
