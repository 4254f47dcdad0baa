# lab: nodes=2 mem=2048 timeout=480
# lab-l1-append: page_poison=1
# (L1 with 2 GiB, not 4: poisoning every page freed at boot costs ~10 s
# of emulated time per GiB.)
# Control experiment for integrity-memfd (Documentation/lab.md): the same
# guest (2 vCPUs pinned to nodes 0 and 1, 384 MiB memfd RAM) and the same
# workload (tests/lab/integrity.inc), with neither kvmnuma.ko nor the
# guest driver; freed guest pages are discarded by stock means instead:
# virtio-balloon free page reporting at order 0 (every free 4 KiB page is
# reported; QEMU punches it out of the memfd with fallocate), so the host
# side sees the same traffic of holes punched in a running guest's RAM.
# L1 poisons freed pages, as in integrity-poison.sh (the kvmnuma side of
# this pair): a write into a page L1 has freed is reported as a splat.
# Both end by filling most of L1's free memory (poison-fill.inc), so that
# the pages freed during the run are allocated, and checked, before L1
# powers off.
#   make soak SCENARIOS="tests/lab/stress/integrity-poison.sh tests/lab/stress/integrity-fpr.sh" N=5
LAB_L2_BOOT_TIMEOUT=240   # a stress run on a loaded machine: let L2 boot
INT_SLACK=200             # and let the workload finish
. "$LAB_TREE_L1/tests/lab/integrity.inc"
grep -q 'page_poison=1' /proc/cmdline || die "L1 booted without page_poison=1"
l2_start int --vcpus 2 --pin 0,1 --mem 384 --no-guest-module \
	--extra "-device virtio-balloon-pci,free-page-reporting=on" \
	--append "page_reporting.page_reporting_order=0" || die "L2 did not start"
l2 int 'for m in $(cat /lib/lab/stock/modules.order); do insmod /lib/lab/stock/$m || exit 1; done' ||
	die "cannot load virtio_balloon in L2"
expect_eq "page reporting order" 0 "$(l2 int cat /sys/module/page_reporting/parameters/page_reporting_order)"
absent0=$(l2_placement_summary int | awk '$1 == "absent" { print $2 }')
integrity_workload int
# Free page reporting reports with a 2 s delay: let it catch up, then count
# the guest pages QEMU has punched out (not backed in L1).
sleep 5
absent=$(l2_placement_summary int | awk '$1 == "absent" { print $2 }')
metric absent_before "$absent0"
metric absent_after "$absent"
# The workload touches ~290 of the 384 MiB (two 96 MiB stress sets, 96 MiB
# of page cache): without reporting, few pages would stay unbacked.
expect_ge "guest pages unbacked after the workload (>= half as many as before it)" $((absent0 / 2)) "$absent"
l2_stop int
. "$LAB_TREE_L1/tests/lab/stress/poison-fill.inc"
