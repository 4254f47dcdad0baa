# lab: nodes=2 mem=4096 timeout=150
# The libvirt QEMU hook (scripts/libvirt-qemu-hook) driven as libvirt
# drives it, without libvirtd: a QEMU started paused (-S) as libvirt starts
# one (-name guest=NAME,debug-threads=on, memfd RAM, libvirt's pid file),
# then the hook run with "NAME started begin -" and a recorded domain XML
# (tests/libvirt/) on stdin.  Before the vCPUs ever run, the VM must have
# the policy and nodes of the XML's <metadata>, an exact round-4k layout
# and pinned vCPUs; <numatune> excluding a node gives a warning and no
# pinning; without kvmnuma the hook exits 0 with one log line.

RUN=/tmp/lab-libvirt
VMS=/sys/kernel/kvmnuma/vms
XML=$LAB_TREE_L1/tests/libvirt
mkdir -p $RUN

# hook XML: the hook as libvirt runs it for domain "web"; output in $out.
hook() {
	out=$(chroot /hostroot env KVMNUMACTL="$LAB_TREE/userspace/kvmnumactl" \
		KVMNUMA_LIBVIRT_RUN=$RUN KVMNUMA_HOOK_NO_SYSLOG=1 \
		/usr/bin/python3 "$LAB_TREE/scripts/libvirt-qemu-hook" web started begin - \
		< "$XML/$1" 2>&1)
	rc=$?
	echo "hook ($1): exit $rc: $out"
}

# start_web: a paused QEMU as libvirt starts it, with libvirt's pid file.
start_web() {
	chroot /hostroot /usr/bin/qemu-system-x86_64 -name guest=web,debug-threads=on \
		-S -enable-kvm -nodefaults -display none -smp 2 \
		-machine q35,memory-backend=ram -m 256M \
		-object memory-backend-memfd,id=ram,size=256M,share=on \
		</dev/null >"$LAB_RESULTS/web.qemu.log" 2>&1 &
	web=$!
	echo $web > $RUN/web.pid
}

# --- kvmnuma not loaded
start_web
hook round4k.xml
expect_eq "no kvmnuma: exit status" 0 "$rc"
expect_eq "no kvmnuma: log lines" 1 "$(echo "$out" | grep -c .)"
case $out in *"kvmnuma is not loaded"*) ;; *) fail "no kvmnuma: no 'not loaded' line" ;; esac
kill $web; wait $web 2>/dev/null

# --- policy, nodes and pin from <metadata>, before the vCPUs run
kvmnuma_load || die "cannot load kvmnuma.ko"
start_web
t0=$(lab_now)
hook round4k.xml
metric hook_s "$(lab_since "$t0")"
expect_eq "hook: exit status" 0 "$rc"
case $out in *"policy round-4k on nodes 0,1 (VM $web), placement done; vCPUs pinned"*) ;;
*) fail "hook: unexpected outcome: $out" ;; esac
expect_eq "policy from <metadata>" round-4k "$(cat $VMS/$web/policy)"
expect_eq "nodes from <metadata>" 0-1 "$(cat $VMS/$web/nodes)"
expect_eq "placement state" done "$(cat $VMS/$web/placement/state)"
# Still paused, as libvirt leaves it until the hook returns: no vCPU has
# run, every page was placed by kvmnuma.  Exact layout: gfn mod 2.
awk '{ print $1 "-" $1 + $2 - 1 }' "$VMS/$web/memslots" |
	"$LAB_TOOLS/gfn2node" "$web" 256 - > "$LAB_WORK/layout"
wrong=$(awk '{ if ($2 != $1 % 2) bad++ } END { print bad + 0 }' "$LAB_WORK/layout")
expect_ge "pages checked" $((256 * 256 - 64)) "$(wc -l < "$LAB_WORK/layout")"
expect_eq "pages off their round-4k node" 0 "$wrong"
# Pinned: each "CPU n/KVM" thread allowed on one node's CPUs only.
for t in /proc/$web/task/*; do
	case $(cat "$t/comm") in "CPU "*"/KVM") ;; *) continue ;; esac
	cpus=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$t/status")
	echo "$(cat "$t/comm"): CPUs $cpus"
	expect_ne "$(cat "$t/comm") pinned" "$(cat /sys/devices/system/cpu/online)" "$cpus"
done
kill $web; wait $web 2>/dev/null

# --- <numatune> strict on node 0 only: warned, policy set, not pinned
start_web
hook numatune-conflict.xml
expect_eq "numatune: exit status" 0 "$rc"
case $out in *"warning: <numatune> strict nodeset 0 excludes node(s) 1"*"pin refused"*) ;;
*) fail "numatune: no warning or pin not refused: $out" ;; esac
expect_eq "numatune: policy still set" round-4k "$(cat $VMS/$web/policy)"
for t in /proc/$web/task/*; do
	case $(cat "$t/comm") in "CPU "*"/KVM") ;; *) continue ;; esac
	expect_eq "numatune: $(cat "$t/comm") not pinned" "$(cat /sys/devices/system/cpu/online)" \
		"$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' "$t/status")"
done
kill $web; wait $web 2>/dev/null
kvmnuma_unload
