# lab: nodes=2 mem=4096 timeout=300
# Control for sampler-zap.sh: the same guest and load, no kvmnuma.ko; the
# same page traffic by stock means: tools/pageout unmaps ZAP_PAGES random
# guest pages every ZAP_PERIOD_MS with process_madvise(MADV_PAGEOUT) (on
# shared memfd RAM without swap: unmapped from QEMU, so KVM drops the TDP
# entry, and kept in the page cache), as the software sampler does.
LAB_L2_BOOT_TIMEOUT=240
ZAP_SECONDS=${ZAP_SECONDS:-60}
. "$LAB_TREE_L1/tests/lab/stress/zap-load.inc"
l2_start z --vcpus 2 --pin 0,1 --mem 384 --no-guest-module || die "L2 did not start"
pid=$(l2_pid z)
zap_load_start z
zap=$("$LAB_TOOLS/pageout" -p "$pid" -m 384 -n "${ZAP_PAGES:-16384}" \
	-i "${ZAP_PERIOD_MS:-100}" -t "$ZAP_SECONDS") || fail "pageout failed: $zap"
echo "pageout: $zap"
metric pages_unmapped "$(echo "$zap" | awk '{ print $4 }')"
zap_load_check z
l2_stop z
