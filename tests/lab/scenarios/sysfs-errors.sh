# lab: nodes=2 mem=4096 timeout=120
# Bad writes to kvmnuma's sysfs files are refused with the documented
# errno and one log line, and leave the VM's settings as they were.

VMS=/sys/kernel/kvmnuma/vms

# refuse FILE VALUE ERRNO-TEXT: writing VALUE and a newline (as echo does)
# must fail with that message.
refuse() {
	out=$( (echo "$2" > "$1") 2>&1 ) &&
		{ fail "write '$2' to $1 accepted"; return 1; }
	case "$out" in
	*"$3"*) echo "ok: '$2' > ${1#$VMS/}: $3" ;;
	*) fail "write '$2' to $1: expected '$3', seen '$out'" ;;
	esac
}

kvmnuma_load || die "cannot load kvmnuma.ko"
vm_paused 64 --anon
pid=$!
vm_wait "$pid" 3 || die "VM not registered"
vm=$VMS/$pid

echo first-touch > "$vm/policy" || fail "valid policy refused"
echo 0 > "$vm/nodes" || fail "valid node list refused"
logs0=$(dmesg | grep -c 'kvmnuma:')

refuse "$vm/policy" bogus "Invalid argument"
refuse "$vm/policy" "" "Invalid argument"
refuse "$vm/policy" "first-touch " "Invalid argument"
# This VM's RAM is anonymous: no sampler for carrefour (no IBS in the lab).
refuse "$vm/policy" carrefour "Operation not supported"
refuse "$vm/policy" round-4k+carrefour "Operation not supported"
refuse "$vm/nodes" "" "Invalid argument"
refuse "$vm/nodes" 7 "Invalid argument"
refuse "$vm/nodes" 0-9 "Invalid argument"
refuse "$vm/nodes" abc "Invalid argument"
refuse "$vm/pid" 1 "Permission denied"
refuse /sys/kernel/kvmnuma/default_policy nope "Invalid argument"
refuse /sys/kernel/kvmnuma/default_policy round-8k "Invalid argument"

expect_eq "policy kept" first-touch "$(cat "$vm/policy")"
expect_eq "nodes kept" 0 "$(cat "$vm/nodes")"
expect_eq "default policy kept" none "$(cat /sys/kernel/kvmnuma/default_policy)"
# One log line per refused write, except writes the VFS refuses itself.
expect_eq "log lines for refused writes" 11 $(( $(dmesg | grep -c 'kvmnuma:') - logs0 ))
dmesg | grep 'kvmnuma:' | tail -n 11

# round-4k needs 4 KiB pages: refused for hugetlbfs-backed RAM.
# 64 MiB of 2 MiB pages, all on node 0 under round-1g: reserve them there.
echo 40 > /sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages
vm_paused 64 --hugetlb 2M --log "$LAB_RESULTS/huge-qemu.log"
hpid=$!
if vm_wait "$hpid" 3; then
	refuse "$VMS/$hpid/policy" round-4k "Invalid argument"
	echo round-1g > "$VMS/$hpid/policy" || fail "round-1g refused on huge pages"
	wait_for 30 sh -c "[ \"\$(cat $VMS/$hpid/placement/state)\" = done ]" ||
		fail "round-1g placement on huge pages: $(cat "$VMS/$hpid/placement/state")"
	grep -H . "$VMS/$hpid/placement/"* | sed "s|$VMS/$hpid/placement/|  |"
	expect_eq "round-1g granularity on 2M pages" 1g-chunks "$(cat "$VMS/$hpid/placement/granularity")"
	kill "$hpid"; wait "$hpid" 2>/dev/null
else
	cat "$LAB_RESULTS/huge-qemu.log"
	fail "hugetlb VM did not start"
fi

# A VM is registered only once its guest RAM exists: QEMU creates the VM
# before its memslots, and a policy written in between was checked
# against no RAM (a run on record accepted round-4k for a hugetlbfs VM).
# kvm-late-ram creates a VM, adds 64 MiB of hugetlb RAM 3 s later.
"$LAB_TOOLS/kvm-late-ram" -H -d 3 -t 20 > "$LAB_WORK/late.out" 2>&1 &
lpid=$!
wait_for 5 grep -q '^vm$' "$LAB_WORK/late.out" || fail "kvm-late-ram: $(cat "$LAB_WORK/late.out")"
sleep 1.5	# three registry scans (scan_interval_ms 500)
[ -d "$VMS/$lpid" ] && fail "a VM without guest RAM was registered"
wait_for 5 grep -q '^ram$' "$LAB_WORK/late.out" || fail "kvm-late-ram: $(cat "$LAB_WORK/late.out")"
wait_for 3 test -d "$VMS/$lpid" || fail "VM not registered once its RAM existed"
refuse "$VMS/$lpid/policy" round-4k "Invalid argument"
kill "$lpid"; wait "$lpid" 2>/dev/null
kill "$pid"; wait "$pid" 2>/dev/null
kvmnuma_unload
