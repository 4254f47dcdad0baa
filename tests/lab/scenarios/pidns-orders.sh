# lab: nodes=2 mem=2048 timeout=150
# kvmnumad in a container's pid namespace (a KubeVirt virt-launcher pod, an
# nspawn container: kvmnumad beside the QEMUs it serves).  Move orders
# name QEMU by pid; kvmnuma records the pid it sees (the initial pid
# namespace), and kvmnumad passes the number to pidfd_open(2) and
# move_pages(2) in its own namespace.  The module must hand each order out
# with the pid as the reader's namespace numbers it, and refuse (ESRCH) a
# pid that namespace cannot see.
# 1. QEMU and kvmnumad in one new pid namespace (unshare --pid --fork
#    --mount-proc): a paused 64 MiB memfd guest placed by round-4k on node 0,
#    then given nodes 0-1: kvmnumad must move the half that belongs on
#    node 1; placement ends done, no order stale, every page on its node.
# 2. kvmnumad alone in a new pid namespace, QEMU outside it: every order is
#    answered stale and no page moves.

VMS=/sys/kernel/kvmnuma/vms
MIB=64

pfile() { cat "$VMS/$1/placement/$2" 2>/dev/null || echo missing; }
on_node1() { vm_layout "$1" "$MIB" | awk '$2 == 1 { n++ } END { print n + 0 }'; }
# the VM directory that is not in $1 (a list of VM ids)
new_vm() {
	for d in "$VMS"/*; do
		case " $1 " in *" ${d##*/} "*) ;; *) [ -d "$d" ] && echo "${d##*/}" ;; esac
	done | head -n 1
}

thp_set never
kvmnuma_load || die "cannot load kvmnuma.ko"
[ "$(cat /sys/kernel/kvmnuma/daemon_connected)" = 0 ] || die "a kvmnumad is connected"

# 1. One namespace for QEMU and kvmnumad.
known=$(ls "$VMS")
vm_qemu "$MIB"
chroot /hostroot /usr/bin/unshare --pid --fork --kill-child --mount-proc /bin/sh -c \
	"$VM_QEMU </dev/null >/dev/null 2>&1 & echo \"qemu ns-pid \$!\"; exec $LAB_TREE/userspace/kvmnumad" \
	> "$LAB_RESULTS/kvmnumad-ns.log" 2>&1 &
ns=$!
vm_appeared() { [ -n "$(new_vm "$known")" ]; }
wait_for 10 vm_appeared || die "VM not registered"
qpid=$(new_vm "$known")
vm_wait "$qpid" 30 || die "QEMU $qpid did not finish its start-up"
note "QEMU: pid $qpid in L1's namespace, $(grep NSpid "/proc/$qpid/status")"
# The premise: QEMU has two numbers, and the container's is another one.
expect_ne "QEMU's pid in the container's namespace" "$qpid" \
	"$(awk '/^NSpid/ { print ($3 == "" ? $2 : $3) }' "/proc/$qpid/status")"
wait_for 10 sh -c '[ "$(cat /sys/kernel/kvmnuma/daemon_connected)" = 1 ]' ||
	die "kvmnumad did not connect: $(cat "$LAB_RESULTS/kvmnumad-ns.log")"
vm_place "$qpid" round-4k 60 0 || exit 1
expect_eq "pages on node 1 before" 0 "$(on_node1 "$qpid")"
echo 0-1 > "$VMS/$qpid/nodes" || die "nodes 0-1 refused"
wait_for 90 sh -c "[ \"\$(cat $VMS/$qpid/placement/state)\" = done ] || [ \"\$(cat $VMS/$qpid/placement/state)\" = degraded ]" ||
	fail "placement with nodes 0-1 did not end: $(pfile "$qpid" state)"
grep -H . "$VMS/$qpid/placement/"* | sed "s|$VMS/$qpid/placement/|  |" >&2
expect_eq "state with kvmnumad in the VM's namespace" done "$(pfile "$qpid" state)"
moved=$(pfile "$qpid" pages_moved)
metric pidns_pages_moved "$moved"
# RAM is 16,320 pages (64 MiB less the slots' holes): half must move.
expect_ge "pages to move" $((MIB * 256 / 2 - 64)) "$(pfile "$qpid" pages_to_move)"
expect_eq "pages moved by the namespaced kvmnumad" "$(pfile "$qpid" pages_to_move)" "$moved"
expect_eq "pages off their layout node" 0 "$(vm_off_layout "$qpid" "$MIB")"
expect_eq "pages whose move failed" 0 "$(pfile "$qpid" pages_move_failed)"
# unshare --fork ignores SIGTERM while it waits; SIGKILL it, and
# --kill-child takes the namespace's init, hence all of it, down too.
kill -KILL "$ns"; wait "$ns" 2>/dev/null
wait_for 10 sh -c "! test -d $VMS/$qpid" || note "VM $qpid still listed"
cat "$LAB_RESULTS/kvmnumad-ns.log" >&2
# (SIGKILLed, it printed no summary: its refusals would be in the log.)
expect_eq "orders refused in the shared namespace" 0 \
	"$(grep -c "not in kvmnumad's pid namespace" "$LAB_RESULTS/kvmnumad-ns.log")"

# 2. kvmnumad alone in a namespace: QEMU is not visible to it.
wait_for 10 sh -c '[ "$(cat /sys/kernel/kvmnuma/daemon_connected)" = 0 ]' ||
	die "the first kvmnumad is still connected"
vm_paused "$MIB"
qpid=$!
vm_wait "$qpid" 10 || die "VM $qpid not registered"
vm_place "$qpid" round-4k 60 0 || exit 1
echo 0-1 > "$VMS/$qpid/nodes" || die "nodes 0-1 refused"
wait_for 30 sh -c "[ \"\$(cat $VMS/$qpid/placement/state)\" = waiting-for-kvmnumad ]" ||
	die "no orders waiting: $(pfile "$qpid" state)"
chroot /hostroot /usr/bin/unshare --pid --fork --kill-child --mount-proc \
	"$LAB_TREE/userspace/kvmnumad" --once > "$LAB_RESULTS/kvmnumad-alone.log" 2>&1 &
alone=$!
daemon_done() { ! _alive "$alone"; }
wait_for 30 daemon_done || fail "kvmnumad --once did not finish"
wait "$alone"
cat "$LAB_RESULTS/kvmnumad-alone.log" >&2
stale=$(sed -n 's/.* \([0-9]*\) stale (VM gone)$/\1/p' "$LAB_RESULTS/kvmnumad-alone.log" | tail -n 1)
metric alone_orders_stale "${stale:-0}"
expect_ge "orders answered as stale by a kvmnumad that cannot see QEMU" 1 "${stale:-0}"
expect_eq "pages moved by it" 0 "$(sed -n 's/.* orders, \([0-9]*\) pages moved,.*/\1/p' "$LAB_RESULTS/kvmnumad-alone.log" | tail -n 1)"
expect_eq "pages on node 1" 0 "$(on_node1 "$qpid")"
grep -q "not in kvmnumad's pid namespace" "$LAB_RESULTS/kvmnumad-alone.log" ||
	fail "kvmnumad did not say why the orders were refused"
kill "$qpid"; wait "$qpid" 2>/dev/null
kvmnuma_unload
