# lab: nodes=2 mem=4096 timeout=120
# A CPL-3 program in the guest issuing kvmnuma's hypercalls gets
# -KVM_EPERM and changes nothing on the host: no counter moves, even with
# first-touch on (the policy under which a flush would discard pages).

kvmnuma_load default_policy=first-touch || die "cannot load kvmnuma.ko"
# No guest driver: nothing else talks to the host, so counters stay still.
l2_start u --vcpus 1 --mem 256 --no-guest-module || die "L2 did not start"
stats=/sys/kernel/kvmnuma/vms/$(l2_pid u)/stats
wait_for 2 test -d "$stats" || die "guest VM not in sysfs"

before=$(grep -H . "$stats"/*)
out=$(l2 u hc-user 200) || fail "hc-user saw an answer other than -1: $out"
echo "$out"
expect_eq "answers to guest user mode" "probe=-1 flush=-1 calls=400 unexpected=0" "$out"
sleep 1
after=$(grep -H . "$stats"/*)
expect_eq "host counters after 400 user-mode hypercalls" "$before" "$after"
metric user_hypercalls_refused 400
kvmnuma_unload
