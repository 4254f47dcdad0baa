# lab: nodes=2 mem=4096 timeout=120
# Boot-only run, to count boots (Documentation/lab.md, "Oops: int3"): L1
# boots, then one L2 (2 vCPUs pinned to nodes 0 and 1, guest driver
# loaded, no kvmnuma.ko in L1) boots, answers, sees both vCPUs and stops.
# Any splat in either kernel log fails it.  Repeat with
#   make soak SCENARIOS=tests/lab/stress/boot.sh N=30
l2_start b --vcpus 2 --pin 0,1 --mem 512 || die "L2 did not start"
expect_eq "vCPUs online in L2" 0-1 "$(l2 b cat /sys/devices/system/cpu/online)"
expect_eq "CPUs online in L1" "0-$((LAB_NODES - 1))" "$(cat /sys/devices/system/cpu/online)"
l2_stop b
metric l1_boot_s "$(cat "$LAB_RESULTS/l1-boot-uptime")"
metric scenario_s "$(lab_since "$LAB_T0")"
