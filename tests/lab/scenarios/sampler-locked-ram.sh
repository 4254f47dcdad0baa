# lab: nodes=2 mem=4096 timeout=600
# The software sampler never unmaps locked memory: with QEMU's guest RAM
# mlocked (-overcommit mem-lock=on), sampling is refused (EOPNOTSUPP) like
# first-touch's discard leaves such memory alone.  The old code checked
# only whether slot 0 was shmem and zapped locked pages anyway.

# The build machine is shared: give L2 time to boot.
LAB_L2_BOOT_TIMEOUT=300

kvmnuma_load cf_sampler=software || die "cannot load kvmnuma.ko"
l2_start g --vcpus 1 --mem 256 --no-guest-module \
	--extra "-overcommit mem-lock=on" || die "L2 did not start"
pid=$(l2_pid g)
vm=/sys/kernel/kvmnuma/vms/$pid
wait_for 2 test -d "$vm" || die "guest VM not in sysfs"
note "QEMU $(grep VmLck /proc/$pid/status)"
expect_ne "QEMU's locked memory" "0" "$(awk '/VmLck/ { print $2 }' /proc/$pid/status)"
if echo 1 > "$vm/carrefour/sampling" 2>/dev/null; then
	sleep 3
	fail "sampling accepted on locked guest RAM ($(grep '^samples ' "$vm/carrefour/status"))"
	echo 0 > "$vm/carrefour/sampling"
fi
expect_eq "sampler shown for locked RAM" none "$(cat "$vm/carrefour/sampler")"
l2 g 'echo alive' || fail "guest died"
l2_stop g
kvmnuma_unload
