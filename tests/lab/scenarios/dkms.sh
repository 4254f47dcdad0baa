# lab: nodes=2 mem=4096 timeout=330
# The modules as the DKMS packages build them: `make dkms-lab` writes the
# kvmnuma-dkms and kvmnuma-guest-dkms source trees and runs `dkms build`
# for LAB_KVER into a private DKMS tree under build/dkms/ (nothing is
# installed system-wide).  L1 loads that kvmnuma.ko, L2 boots with that
# kvmnuma_guest.ko laid over the lab's initramfs, and the smoke checks
# (tests/lab/scenarios/smoke.sh) run on them.  Then the versions: the
# module's sysfs version, MODULE_VERSION of both modules and the tools'
# --version all say the VERSION file's.

DKMS=$LAB_TREE_L1/build/dkms
VERSION=$(cat "$LAB_TREE_L1/VERSION")
for f in "$DKMS/ko/$LAB_KVER/kvmnuma.ko" "$DKMS/ko/$LAB_KVER/kvmnuma_guest.ko" \
	 "$DKMS/lab/l2-initramfs.cpio"; do
	[ -f "$f" ] || die "$f missing: run 'make dkms-lab' (make check and make check-lab do)"
done
# The DKMS build is a build of its own (separate tree, signed by DKMS), not
# the tree's kmod/kvmnuma.ko under another name.
cmp -s "$DKMS/ko/$LAB_KVER/kvmnuma.ko" "$LAB_TREE_L1/kmod/kvmnuma.ko" &&
	fail "build/dkms/ko/$LAB_KVER/kvmnuma.ko is the tree's own build"
note "dkms tree: $(ls "$DKMS/tree/kvmnuma/$VERSION/$LAB_KVER/x86_64/module/" | tr '\n' ' ')"

LAB_KVMNUMA_KO=$DKMS/ko/$LAB_KVER/kvmnuma.ko
LAB_L2_INITRD=$LAB_TREE/build/dkms/lab/l2-initramfs.cpio

. "$LAB_TREE_L1/tests/lab/scenarios/smoke.sh"

# --- versions, on the DKMS-built modules -----------------------------------
kvmnuma_load || die "cannot load the DKMS-built kvmnuma.ko"
expect_eq "/sys/kernel/kvmnuma/version" "$VERSION" "$(cat /sys/kernel/kvmnuma/version)"
expect_eq "/sys/module/kvmnuma/version (MODULE_VERSION)" "$VERSION" "$(cat /sys/module/kvmnuma/version)"
ctl=$(chroot /hostroot "$LAB_TREE/userspace/kvmnumactl" --version)
echo "$ctl"
expect_eq "kvmnumactl --version" "kvmnumactl $VERSION" "$(echo "$ctl" | sed -n 1p)"
expect_eq "kvmnumactl --version: the loaded module" "kvmnuma module $VERSION" "$(echo "$ctl" | sed -n 2p)"
expect_eq "kvmnumad --version" "kvmnumad $VERSION" \
	"$(chroot /hostroot "$LAB_TREE/userspace/kvmnumad" --version)"
l2_start v --mem 256 || die "L2 did not start"
expect_eq "L2 runs the DKMS-built guest driver (md5)" \
	"$(md5sum < "$DKMS/ko/$LAB_KVER/kvmnuma_guest.ko" | cut -d' ' -f1)" \
	"$(l2 v 'md5sum < /lib/lab/kvmnuma_guest.ko' | cut -d' ' -f1)"
expect_eq "L2 /sys/module/kvmnuma_guest/version" "$VERSION" \
	"$(l2 v cat /sys/module/kvmnuma_guest/version)"
l2 v 'dmesg | grep -q "kvmnuma host found (ABI 1)"' ||
	fail "DKMS guest driver did not find the DKMS host module"
l2_stop v
kvmnuma_unload
