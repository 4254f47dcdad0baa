# lab: nodes=2 mem=4096 timeout=120
# A guest kernel module sends malformed first-touch batches (see
# tests/lab/guest-modules/kvmnuma_hostile.c): each is rejected with the
# expected code and counted, nothing is discarded (the real pages named in
# them keep their data), the VM keeps running and no kernel log splats.

kvmnuma_load default_policy=first-touch || die "cannot load kvmnuma.ko"
l2_start h --vcpus 2 --pin 0,1 --mem 256 --no-guest-module || die "L2 did not start"
vm=/sys/kernel/kvmnuma/vms/$(l2_pid h)
wait_for 2 test -d "$vm" || die "guest VM not in sysfs"

l2 h insmod /lib/lab/kvmnuma_hostile.ko ram_mb=256 || die "cannot load the hostile module"
out=$(l2 h 'dmesg | grep kvmnuma_hostile:')
echo "$out"
summary=$(echo "$out" | sed -n 's/.*kvmnuma_hostile: \([0-9]*\) cases, \([0-9]*\) failed.*/\1 \2/p')
cases=${summary% *} failed=${summary#* }
expect_ge "hostile cases run" 15 "${cases:-0}"
expect_eq "hostile cases answered unexpectedly" 0 "${failed:-missing}"
expect_eq "bad batches counted" "$cases" "$(cat "$vm/stats/bad_batches")"
expect_eq "batches accepted" 0 "$(cat "$vm/stats/batches")"
expect_eq "pages discarded" 0 "$(cat "$vm/stats/pages_discarded")"
metric bad_batches "$(cat "$vm/stats/bad_batches")"
l2 h rmmod kvmnuma_hostile
l2 h 'echo still running' || fail "guest died"
dmesg | grep 'kvmnuma:' | tail -n 5
l2_stop h
kvmnuma_unload
