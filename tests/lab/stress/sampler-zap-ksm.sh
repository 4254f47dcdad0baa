# lab: nodes=2 mem=4096 timeout=300
# A third stock-means control for sampler-zap.sh, one page at a time like
# the sampler (AutoNUMA, the second, changes whole ranges per scan): no
# kvmnuma; L1's KSM at full speed over the guest's anonymous RAM (QEMU
# marks guest RAM MADV_MERGEABLE by default).  Every page ksmd merges is
# first write-protected (write_protect_page()) and then replaced
# (replace_page()), each under its own MMU-notifier invalidation of that
# one page, which drops KVM's TDP entry as the sampler's
# zap_page_range_single() does; the guest's next write breaks the sharing
# with one more fault.  To give ksmd pages to merge, the guest also
# fills and drops a 64 MiB tmpfs file of zeros in a loop (use_zero_pages:
# those pages are merged with the zero page).
LAB_L2_BOOT_TIMEOUT=240
ZAP_SECONDS=${ZAP_SECONDS:-60}
. "$LAB_TREE_L1/tests/lab/stress/zap-load.inc"
K=/sys/kernel/mm/ksm
[ -w $K/run ] || die "no KSM in L1's kernel ($K)"
l2_start z --vcpus 2 --pin 0,1 --mem 384 --anon --no-guest-module || die "L2 did not start"
echo 1 > $K/use_zero_pages
echo 0 > $K/sleep_millisecs
echo 4096 > $K/pages_to_scan
ksm() { cat $K/pages_scanned $K/full_scans $K/ksm_zero_pages 2>/dev/null | tr '\n' ' '; }
m0=$(awk '{ print $1 }' $K/pages_scanned 2>/dev/null || echo 0)
echo 1 > $K/run || die "cannot start ksmd"
zap_load_start z
l2 z '( end=$(($(cut -d. -f1 /proc/uptime) + '"$ZAP_SECONDS"'))
	while [ $(cut -d. -f1 /proc/uptime) -lt $end ]; do
		dd if=/dev/zero of=/tmp/zeros bs=1M count=64 2>/dev/null; sleep 1; rm -f /tmp/zeros
	done & )' || die "zero-fill loop did not start"
sleep "$ZAP_SECONDS"
note "KSM pages_scanned full_scans ksm_zero_pages: $(ksm)"
metric ksm_pages_scanned $(( $(cat $K/pages_scanned) - m0 ))
metric ksm_zero_pages "$(cat $K/ksm_zero_pages 2>/dev/null || echo 0)"
metric ksm_pages_sharing "$(cat $K/pages_sharing)"
zap_load_check z
echo 0 > $K/run
l2_stop z
