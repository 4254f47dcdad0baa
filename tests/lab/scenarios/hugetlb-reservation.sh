# lab: nodes=2 mem=4096 timeout=300
# hugetlbfs guest RAM under first-touch: kvmnuma refuses to discard it
# (a punched hole would give the VM's huge-page reservation back to the
# pool), says why in vms/<id>/first_touch and in one log line; a second
# process then takes every free huge page, and the guest re-touching its
# memory neither stalls nor loses its QEMU to SIGBUS.  On the old code the
# guest's frees punched holes, the second process took those pages, and
# the guest soft-locked re-touching them (issue 9).

VMS=/sys/kernel/kvmnuma/vms
GUEST_MIB=384
# Touched per round: as much as the guest can spare without its OOM killer.
TOUCH_MIB=224
# Enough 2 MiB pages for the guest and a few spare, on both nodes.
for n in 0 1; do hugepages_set 2048 "$n" 128 >/dev/null; done
kvmnuma_load default_policy=first-touch || die "cannot load kvmnuma.ko"
logs0=$(dmesg | grep -c 'first-touch disabled: guest RAM is hugetlbfs')
l2_start huge --vcpus 2 --pin 0,1 --mem $GUEST_MIB --hugetlb 2M ||
	die "L2 did not start"
pid=$(l2_pid huge)
wait_for 2 test -d "$VMS/$pid" || die "guest VM not in sysfs"

# --- guest frees: every discard is refused, with the reason ----------------
# The guest's own huge-page pool, grown and shrunk: its 2 MiB blocks are
# freed whole (mm_page_free, order 9), i.e. whole huge pages of the host's
# hugetlbfs RAM, which the old code punched.  touch-mem frees 4 KiB pages.
for i in 1 2 3; do
	l2 huge "touch-mem -m $TOUCH_MIB >/dev/null" || fail "touch-mem round $i"
	l2 huge 'echo 96 > /proc/sys/vm/nr_hugepages; cat /proc/sys/vm/nr_hugepages; echo 0 > /proc/sys/vm/nr_hugepages' ||
		fail "guest huge-page pool round $i"
done
sleep 1	# the guest driver's periodic flush
state=$(cat "$VMS/$pid/first_touch")
note "first_touch: $state"
case $state in
"disabled: guest RAM is hugetlbfs"*) ;;
*) fail "first_touch state: $state" ;;
esac
expect_eq "policy stays" first-touch "$(cat "$VMS/$pid/policy")"
expect_eq "pages discarded on hugetlbfs" 0 "$(cat "$VMS/$pid/stats/pages_discarded")"
expect_eq "'hugetlbfs' log lines" 1 \
	$(( $(dmesg | grep -c 'first-touch disabled: guest RAM is hugetlbfs') - logs0 ))
expect_eq "guest driver paused" disabled-by-host \
	"$(l2 huge cat /sys/kernel/kvmnuma_guest/state)"
metric disabled_batches "$(cat "$VMS/$pid/stats/disabled_batches")"
metric pages_discarded "$(cat "$VMS/$pid/stats/pages_discarded")"

# --- a second process takes every free huge page ---------------------------
H=/sys/kernel/mm/hugepages/hugepages-2048kB
avail=$(( $(cat $H/free_hugepages) - $(cat $H/resv_hugepages) ))
metric hugepages_available "$avail"
if [ "$avail" -gt 0 ]; then
	vm_paused $((avail * 2)) --hugetlb 2M --prealloc --log "$LAB_RESULTS/hog-qemu.log"
	hog=$!
	wait_for 60 sh -c "[ \$(cat $H/free_hugepages) -le \$(cat $H/resv_hugepages) ]" ||
		{ cat "$LAB_RESULTS/hog-qemu.log"; fail "huge-page hog did not take the free pages"; }
fi
note "huge pages after the hog: free $(cat $H/free_hugepages) reserved $(cat $H/resv_hugepages)"

# --- the guest re-touches its memory: no stall, no SIGBUS -------------------
t0=$(lab_now)
out=$(l2 huge "timeout 120 touch-mem -m $TOUCH_MIB") ||
	fail "guest re-touching its memory: '$out'"
metric retouch_s "$(lab_since "$t0")"
_alive "$pid" || fail "QEMU of the hugetlbfs guest died"
l2 huge true || fail "guest stopped answering"
[ -n "${hog:-}" ] && { kill "$hog"; wait "$hog" 2>/dev/null; }
l2_stop huge
kvmnuma_unload
for n in 0 1; do hugepages_set 2048 "$n" 0 >/dev/null; done
