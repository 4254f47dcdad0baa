# lab: nodes=2 mem=2048 timeout=120
# Forcing test for vm_wait (lib.sh): a paused QEMU must have finished
# setting up its memslots before vm_wait returns.  kvmnuma lists a VM at
# the first scan that finds a RAM memslot; QEMU 7.2 adds its guest RAM as
# one slot, then deletes it and adds it back as two (0-0xc0000, 1 MiB-end),
# one KVM_SET_USER_MEMORY_REGION at a time.  A clean clone's
# placement-full-node and placement-orders-cap wrote their policy between
# two of those ioctls (QEMU's L1 vCPU descheduled on a loaded host) and
# placed 192 pages of 512 and 256 MiB.  Here the registry scans every
# 10 ms, a busy loop sees the VM listed, and QEMU is SIGSTOPped there: the
# window stays open for as long as the test wants.
#  - vm_wait must not return while QEMU is stopped (the old vm_wait, "until
#    kvmnuma lists it", returned at once);
#  - what a policy written at listing would place is recorded (placed_at_
#    listing, against ram_final);
#  - once QEMU goes on, vm_wait returns, and the RAM slots it leaves are
#    the ones still there 3 s later, all of them placed by round-4k.

VMS=/sys/kernel/kvmnuma/vms
MIB=256

ram_pages() { awk '{ n += $2 } END { print n + 0 }' "$VMS/$1/memslots"; }

thp_set never
kvmnuma_load scan_interval_ms=10 || die "cannot load kvmnuma.ko"
vm_paused "$MIB"
pid=$!
# Builtins only, so that the loop is as quick as the shell goes; the clock
# is read every 2000 rounds.
end=$(( $(cut -d. -f1 /proc/uptime) + 30 )) i=0
while ! [ -d "$VMS/$pid" ]; do
	[ -d "/proc/$pid" ] || die "QEMU exited"
	i=$((i + 1))
	if [ $i -ge 2000 ]; then
		i=0
		[ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ] || die "VM not listed in 30 s"
	fi
done
kill -STOP "$pid"
early=$(ram_pages "$pid")
note "listed; QEMU $pid stopped with RAM slots: $(tr '\n' ' ' < "$VMS/$pid/memslots")"
metric ram_at_listing "$early"

t0=$(lab_now)
if vm_wait "$pid" 3; then
	fail "vm_wait returned after $(lab_since "$t0") s while QEMU was stopped in its set-up"
else
	echo "ok: vm_wait did not return while QEMU was stopped ($(lab_since "$t0") s)" >&2
fi

# What the old vm_wait let a scenario do: place what is there now.
echo round-4k > "$VMS/$pid/policy" || die "round-4k refused"
wait_for 60 sh -c "[ \"\$(cat $VMS/$pid/placement/state)\" = done ]" ||
	fail "placement at listing: $(cat "$VMS/$pid/placement/state")"
metric placed_at_listing "$(cat "$VMS/$pid/placement/pages_total")"
echo none > "$VMS/$pid/policy" || die "none refused"

kill -CONT "$pid"
vm_wait "$pid" 30 || die "vm_wait: QEMU $pid did not finish its set-up"
ready=$(ram_pages "$pid")
metric ram_final "$ready"
sleep 3
expect_eq "RAM pages in memslots: when vm_wait returned = 3 s later" "$(ram_pages "$pid")" "$ready"
expect_ge "RAM pages when vm_wait returned" $((MIB * 256 - 64)) "$ready"
vm_place "$pid" round-4k 60 || exit 1
expect_eq "pages placed after vm_wait = RAM pages" "$ready" \
	"$(cat "$VMS/$pid/placement/pages_total")"
expect_eq "pages off their round-4k node" 0 "$(vm_off_layout "$pid" "$MIB")"
kill "$pid"; wait "$pid" 2>/dev/null
kvmnuma_unload
