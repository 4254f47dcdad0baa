# lab: nodes=2 mem=4096 timeout=300
# An unprivileged user (nobody, uid 65534) in L1 can read nothing that
# reveals QEMU's addresses or another VM's behaviour: memslots, stats/,
# carrefour/status and carrefour/access_matrix are root-only, and
# /dev/kvmnuma refuses to open for it even when its mode is loosened
# (in-kernel CAP_SYS_NICE check).  Harmless files stay readable.

kvmnuma_load || die "cannot load kvmnuma.ko"
vm=/sys/kernel/kvmnuma/vms/$KEEPALIVE_PID
wait_for 2 test -d "$vm" || die "keep-alive VM not in sysfs"

# as_nobody CMD...: runs CMD as uid/gid 65534 without supplementary groups
# (util-linux setpriv of the build machine's root: busybox's has no --reuid;
# /sys and /dev are L1's there).
as_nobody() {
	chroot /hostroot /usr/bin/setpriv --reuid=65534 --regid=65534 \
		--clear-groups "$@"
}
as_nobody sh -c 'test "$(id -u)" = 65534' || die "setpriv cannot drop to nobody"

for f in memslots stats/batches stats/refaults stats/flush_ns \
	 stats/refaults_per_node carrefour/status carrefour/access_matrix; do
	if as_nobody cat "$vm/$f" >/dev/null 2>&1; then
		fail "nobody can read $f (mode $(stat -c %a "$vm/$f"))"
	else
		note "nobody cannot read $f (mode $(stat -c %a "$vm/$f"))"
	fi
	cat "$vm/$f" >/dev/null || fail "root cannot read $f"
done
for f in pid vcpus memory_bytes policy nodes placement/state \
	 carrefour/sampler; do
	as_nobody cat "$vm/$f" >/dev/null 2>&1 || fail "nobody cannot read harmless $f"
done
# No file of the VM directory is writable by others.
w=$(find "$vm/" -perm -o+w 2>/dev/null | wc -l)
expect_eq "world-writable files under $vm" 0 "$w"

# /dev/kvmnuma: refused as installed, and still refused when loosened.
as_nobody sh -c 'exec 3</dev/kvmnuma' 2>/dev/null &&
	fail "nobody opened /dev/kvmnuma (mode $(stat -c %a /dev/kvmnuma))"
chmod 0666 /dev/kvmnuma
if as_nobody sh -c 'exec 3</dev/kvmnuma' 2>/dev/null; then
	fail "nobody opened /dev/kvmnuma with mode 0666: no in-kernel check"
else
	note "/dev/kvmnuma refused nobody at mode 0666"
fi
chmod 0600 /dev/kvmnuma
sh -c 'exec 3</dev/kvmnuma' || fail "root cannot open /dev/kvmnuma"
kvmnuma_unload
