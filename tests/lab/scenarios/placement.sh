# lab: nodes=2 mem=4096 timeout=150
# round-4k and round-1g place a VM's RAM exactly: frame gfn on allowed node
# (gfn mod n) for round-4k, ((gfn >> 18) mod n) for round-1g, on memfd and
# on anonymous RAM.  The VMs are QEMUs started paused (-S), so no guest
# touch competes: every page is faulted in by kvmnuma's per-node workers
# and none needs kvmnumad.

VMS=/sys/kernel/kvmnuma/vms

# paused_vm MIB memfd|anon: starts a paused QEMU, prints its pid.
paused_vm() {
	if [ "$2" = memfd ]; then
		obj="memory-backend-memfd,id=ram,size=$1M,share=on"
	else
		obj="memory-backend-ram,id=ram,size=$1M"
	fi
	chroot /hostroot /usr/bin/qemu-system-x86_64 -enable-kvm -S -nodefaults \
		-display none -machine q35,memory-backend=ram -m "$1M" -object "$obj" \
		</dev/null >/dev/null 2>&1 &
	echo $!
}

# check_layout POLICY MIB BACKEND: sets the policy, waits for the
# placement, compares every page with the layout.
check_layout() {
	policy=$1 mib=$2 backend=$3
	pid=$(paused_vm "$mib" "$backend")
	wait_for 3 test -d "$VMS/$pid" || { fail "$policy/$backend: VM not registered"; return 1; }
	# kvmnuma registers the VM at KVM_CREATE_VM, before QEMU adds its
	# memory slots; a policy set in between walks no RAM (pages_total 0,
	# seen with a cold 9p cache on the 6.1 lab).  Wait for the RAM slots.
	wait_for 30 sh -c "awk '{ n += \$2 } END { exit !(n >= $mib * 256 - 64) }' $VMS/$pid/memslots" ||
		fail "$policy/$backend: RAM slots not all there: $(cat "$VMS/$pid/memslots")"
	t0=$(lab_now)
	echo "$policy" > "$VMS/$pid/policy" || { fail "$policy/$backend: policy refused"; kill "$pid"; return 1; }
	wait_for 90 sh -c "[ \"\$(cat $VMS/$pid/placement/state)\" = done ]" ||
		fail "$policy/$backend: placement not done: $(cat "$VMS/$pid/placement/state")"
	metric "${policy}_${backend}_place_s" "$(lab_since "$t0")"
	grep -H . "$VMS/$pid/placement/"* | sed "s|$VMS/$pid/placement/|  |"
	# Guest RAM = the VM's writable memory slots (below 1 MiB, QEMU
	# shadows 256 KiB of RAM with the read-only BIOS area).
	awk '{ print $1 "-" $1 + $2 - 1 }' "$VMS/$pid/memslots" |
		"$LAB_TOOLS/gfn2node" "$pid" "$mib" - > "$LAB_WORK/layout"
	# Frames per interleave unit (busybox awk has no ^ operator).
	unit=1; [ "$policy" = round-1g ] && unit=262144
	wrong=$(awk -v u=$unit '{ want = int($1 / u) % 2; if ($2 != want) bad++ }
		END { print bad + 0 }' "$LAB_WORK/layout")
	pages=$(wc -l < "$LAB_WORK/layout")
	expect_eq "$policy/$backend: pages checked (RAM slots)" \
		"$(awk '{ n += $2 } END { print n }' "$VMS/$pid/memslots")" "$pages"
	expect_ge "$policy/$backend: pages checked" $((mib * 256 - 64)) "$pages"
	expect_eq "$policy/$backend: pages off their layout node" 0 "$wrong"
	awk '{ n[$2]++ } END { for (k in n) printf "  node %s: %d pages\n", k, n[k] }' "$LAB_WORK/layout"
	metric "${policy}_${backend}_misplaced" "$wrong"
	kill "$pid"; wait "$pid" 2>/dev/null
}

# Anonymous RAM: THP off, or the workers would fault 2 MiB pages.
thp_set never
kvmnuma_load || die "cannot load kvmnuma.ko"
check_layout round-4k 256 memfd
check_layout round-4k 256 anon
# 1152 MiB: the first GiB on node 0, the rest on node 1.
check_layout round-1g 1152 memfd
check_layout round-1g 1152 anon
kvmnuma_unload
