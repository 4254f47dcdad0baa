#!/bin/bash
# `make install` / `make uninstall` round trips into scratch DESTDIRs, the
# installed man pages (man -l, groff warnings), the bash completion, the
# versions of everything installed, and the one-line error of `make` when
# the kernel's build tree is missing.  Modules are built for the lab's
# pinned kernel (scripts/kernel.mk), whose headers `make deps` installs.
# Usage: tests/install/run.sh   Ends with "N passed, N failed".
set -u
repo=$(cd "$(dirname "$0")/../.." && pwd)
cd "$repo"
kv() { sed -n "s/^$1 *:= *//p" scripts/kernel.mk; }
LAB_KVER=$(kv LAB_KVER)
KDIR=/lib/modules/$LAB_KVER/build
VERSION=$(cat VERSION)
tmp=$(mktemp -d /tmp/kvmnuma-install-test.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0
ok() { echo "PASS: $1"; passed=$((passed + 1)); }
ko() { echo "FAIL: $1${2:+ ($2)}"; failed=$((failed + 1)); }
check() { local name=$1; shift; if "$@"; then ok "$name"; else ko "$name"; fi; }

# --- a missing kernel tree: one line naming the package, exit non-zero
out=$(make -s --no-print-directory modules KVER=0.0.0-none 2>&1); rc=$?
lines=$(grep -c . <<<"$out")
if [ "$rc" != 0 ] && [ "$lines" = 1 ] && grep -q "install linux-headers-0.0.0-none" <<<"$out" &&
   grep -q "KDIR=" <<<"$out"; then
	ok "no kernel tree: one line naming linux-headers-<release> and KDIR="
else
	ko "no kernel tree: one line" "exit $rc, $lines lines: $out"
fi

# --- PREFIX=/usr/local (default) into an empty DESTDIR
d=$tmp/local
mkdir -p "$d"
if make -s --no-print-directory install DESTDIR="$d" KDIR="$KDIR" >"$tmp/install.log" 2>&1; then
	ok "make install DESTDIR=... (default PREFIX)"
else
	ko "make install" "$(tail -5 "$tmp/install.log")"
fi
m=$d/lib/modules/$LAB_KVER/extra
for f in usr/local/sbin/kvmnumactl usr/local/sbin/kvmnumad usr/local/bin/kvmnuma-launch \
	usr/local/lib/systemd/system/kvmnumad.service \
	usr/local/share/bash-completion/completions/kvmnumactl \
	usr/local/share/man/man8/kvmnumactl.8 usr/local/share/man/man8/kvmnumad.8 \
	usr/local/share/man/man1/kvmnuma-launch.1 usr/local/share/man/man4/kvmnuma.4 \
	usr/local/share/man/man4/kvmnuma_guest.4 usr/local/share/doc/kvmnuma/README \
	usr/local/share/doc/kvmnuma/sysfs-kernel-kvmnuma \
	usr/local/share/doc/kvmnuma/examples/modprobe.d/kvmnuma.conf \
	usr/local/share/doc/kvmnuma/examples/modules-load.d/kvmnuma.conf \
	usr/local/share/doc/kvmnuma/examples/systemd/kvmnuma-metrics.timer \
	etc/libvirt/hooks/qemu.d/kvmnuma; do
	check "installed $f" test -s "$d/$f"
done
host_ko=$(ls "$m"/kmod/kvmnuma.ko* 2>/dev/null)
guest_ko=$(ls "$m"/guest-driver/kvmnuma_guest.ko* 2>/dev/null)
check "host module installed (modules_install)" test -n "$host_ko"
check "guest driver installed (modules_install)" test -n "$guest_ko"
check "test module not installed" test -z "$(find "$d" -name 'kvmnuma_hostile*')"
check "unit runs the installed kvmnumad" \
	grep -qx "ExecStart=/usr/local/sbin/kvmnumad" "$d/usr/local/lib/systemd/system/kvmnumad.service"
check "libvirt hook executable, runs the installed kvmnumactl" \
	sh -c "test -x '$d/etc/libvirt/hooks/qemu.d/kvmnuma' && grep -q '\"/usr/local/sbin/kvmnumactl\"' '$d/etc/libvirt/hooks/qemu.d/kvmnuma'"

# Every version agrees with VERSION.
v_ctl=$("$d/usr/local/sbin/kvmnumactl" --version | head -1)
v_d=$("$d/usr/local/sbin/kvmnumad" --version)
v_l=$("$d/usr/local/bin/kvmnuma-launch" --version)
v_h=$(modinfo -F version "$host_ko" 2>/dev/null)
v_g=$(modinfo -F version "$guest_ko" 2>/dev/null)
if [ "$v_ctl|$v_d|$v_l|$v_h|$v_g" = "kvmnumactl $VERSION|kvmnumad $VERSION|kvmnuma-launch $VERSION|$VERSION|$VERSION" ]; then
	ok "versions agree: $VERSION (kvmnumactl, kvmnumad, kvmnuma-launch, both modules)"
else
	ko "versions agree" "$v_ctl|$v_d|$v_l|$v_h|$v_g, VERSION $VERSION"
fi
check "kvmnuma.ko has the version sysfs attribute" \
	grep -q "$VERSION" <(modinfo "$host_ko")

# Man pages: man renders each without a groff warning.
for p in "$d"/usr/local/share/man/man*/*; do
	warn=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l --warnings "$p" 2>&1 >/dev/null)
	text=$(LC_ALL=C.UTF-8 MANWIDTH=80 man -l "$p" 2>/dev/null)
	if [ -z "$warn" ] && grep -q "^NAME" <<<"$text" && grep -q "$VERSION" <<<"$text"; then
		ok "man -l $(basename "$p"): renders, no warning, version $VERSION"
	else
		ko "man -l $(basename "$p")" "$warn"
	fi
done

# Bash completion, as bash-completion loads it.
if [ -f /usr/share/bash-completion/bash_completion ]; then
	mkdir -p "$tmp/sysfs/vms/4242" "$tmp/sysfs/vms/4242.1"
	comp=$(KVMNUMA_SYSFS=$tmp/sysfs PATH=$d/usr/local/sbin:$PATH bash -c '
		source /usr/share/bash-completion/bash_completion
		source "$1"
		compopt() { :; }
		comp() {
			COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 ))
			COMP_LINE="$*"; COMP_POINT=${#COMP_LINE}; COMPREPLY=()
			_kvmnumactl kvmnumactl "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
			printf "%s " "${COMPREPLY[@]}"; echo
		}
		comp kvmnumactl ""
		comp kvmnumactl show ""
		comp kvmnumactl set 4242 first
		comp kvmnumactl set 4242 none --nodes ""
		comp kvmnumactl show 4242 --s' _ "$d/usr/local/share/bash-completion/completions/kvmnumactl" 2>&1)
	expect_line() { if sed -n "${1}p" <<<"$comp" | grep -qx -- "$2"; then ok "completion: $3"; else ko "completion: $3" "$comp"; fi; }
	expect_line 1 "list show set pin advise top metrics layout policies " "commands"
	expect_line 2 "4242 4242.1 " "VM ids from sysfs"
	expect_line 3 "first-touch first-touch+carrefour " "policy names"
	expect_line 4 "0.* all " "node lists"
	expect_line 5 "--sample " "options of the command"
else
	ko "bash completion" "bash-completion not installed (make deps)"
fi

if make -s --no-print-directory uninstall DESTDIR="$d" KDIR="$KDIR" >"$tmp/uninstall.log" 2>&1; then
	ok "make uninstall DESTDIR=..."
else
	ko "make uninstall" "$(tail -5 "$tmp/uninstall.log")"
fi
left=$(find "$d" -mindepth 1)
if [ -z "$left" ]; then ok "install + uninstall leaves nothing behind"; else ko "nothing left behind" "$left"; fi

# --- PREFIX=/usr into a DESTDIR that holds a kernel: depmod runs both ways
d=$tmp/usr
mkdir -p "$d/lib/modules/$LAB_KVER"
cp /lib/modules/"$LAB_KVER"/modules.order /lib/modules/"$LAB_KVER"/modules.builtin \
	/lib/modules/"$LAB_KVER"/modules.builtin.modinfo "$d/lib/modules/$LAB_KVER/"
before=$(cd "$d" && find . | sort)
make -s --no-print-directory install DESTDIR="$d" PREFIX=/usr KDIR="$KDIR" >"$tmp/install2.log" 2>&1 ||
	ko "make install PREFIX=/usr" "$(tail -5 "$tmp/install2.log")"
check "PREFIX=/usr: tools in /usr/sbin" test -x "$d/usr/sbin/kvmnumactl"
check "depmod ran: modules.dep lists kvmnuma" grep -q "extra/kmod/kvmnuma.ko" "$d/lib/modules/$LAB_KVER/modules.dep"
make -s --no-print-directory uninstall DESTDIR="$d" PREFIX=/usr KDIR="$KDIR" >"$tmp/uninstall2.log" 2>&1 ||
	ko "make uninstall PREFIX=/usr" "$(tail -5 "$tmp/uninstall2.log")"
check "depmod ran again: modules.dep forgets kvmnuma" bash -c "! grep -q kvmnuma '$d/lib/modules/$LAB_KVER/modules.dep'"
# What is left: the staged kernel's files and depmod's indexes for it.
after=$(cd "$d" && find . | sort | grep -v '/modules\.[a-z.]*bin$\|/modules\.\(dep\|alias\|softdep\|symbols\|devname\|weakdep\)$')
if [ "$after" = "$before" ]; then ok "PREFIX=/usr round trip: only depmod's indexes remain"; else ko "PREFIX=/usr round trip" "$(diff <(echo "$before") <(echo "$after"))"; fi

echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
