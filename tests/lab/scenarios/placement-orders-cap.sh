# lab: nodes=2 mem=4096 timeout=300
# Bounded move orders (issue 10, item 2): with kvmnumad stopped, a paused
# 256 MiB memfd guest first placed by round-4k on node 0 alone, then given
# nodes 0-1, has every other page on the wrong node: 32768 one-page move
# orders (round-4k alternates nodes page by page).  With
# max_orders_per_vm=256 the VM must never hold more than 256 + 64 (one
# batch) of them while kvmnumad is away (placement pauses, "orders-cap",
# and says waiting-for-kvmnumad); once kvmnumad starts, placement resumes
# and ends done with every page on its layout node, still under the cap.

VMS=/sys/kernel/kvmnuma/vms
MIB=256
CAP=256
BOUND=$((CAP + 64))

pfile() { cat "$VMS/$pid/placement/$1" 2>/dev/null || echo missing; }

# Orders the VM holds: orders_outstanding, or (older modules) the pages
# pending, which equal the orders here (one page each).
orders() {
	o=$(cat "$VMS/$pid/placement/orders_outstanding" 2>/dev/null) ||
		o=$(pfile moves_pending)
	echo "$o"
}

thp_set never
kvmnuma_load max_orders_per_vm=$CAP || die "cannot load kvmnuma.ko"
expect_eq "no kvmnumad connected" 0 "$(cat /sys/kernel/kvmnuma/daemon_connected)"

vm_paused "$MIB"
pid=$!
vm_wait "$pid" 30 || die "VM not registered"

# Everything on node 0 first (faulted in there by the node-0 worker).
vm_place "$pid" round-4k 60 0 || exit 1

# Then both nodes: half the pages must move, and nobody moves them.
echo 0-1 > "$VMS/$pid/nodes" || die "nodes 0-1 refused"
max=0
for i in $(seq 1 50); do
	o=$(orders)
	[ "$o" -gt "$max" ] 2>/dev/null && max=$o
	sleep 0.2
done
note "without kvmnumad: state $(pfile state), paused $(pfile paused), orders $(orders), pending pages $(pfile moves_pending), unwalked $(pfile pages_unwalked)"
metric orders_max_without_daemon "$max"
expect_le "orders held without kvmnumad (cap $CAP + one batch)" "$BOUND" "$max"
expect_eq "placement paused at the cap" orders-cap "$(pfile paused)"
expect_eq "state without kvmnumad" waiting-for-kvmnumad "$(pfile state)"
grep -E "^(Kmalloc|kmalloc-(96|128|192) )" /proc/slabinfo >&2 2>/dev/null

# kvmnumad comes: placement resumes, still under the cap.
chroot /hostroot "$LAB_TREE/userspace/kvmnumad" > "$LAB_RESULTS/kvmnumad.log" 2>&1 &
daemon=$!
t0=$(lab_now)
max=0 state=
end=$(( $(cut -d. -f1 /proc/uptime) + 120 ))
while [ "$(cut -d. -f1 /proc/uptime)" -lt "$end" ]; do
	o=$(orders)
	[ "$o" -gt "$max" ] 2>/dev/null && max=$o
	state=$(pfile state)
	[ "$state" = done ] && break
	sleep 0.2
done
metric settle_with_daemon_s "$(lab_since "$t0")"
metric orders_max_with_daemon "$max"
grep -H . "$VMS/$pid/placement/"* | sed "s|$VMS/$pid/placement/|  |" >&2
expect_eq "state once kvmnumad runs" done "$state"
expect_le "orders held while kvmnumad works" "$BOUND" "$max"
expect_ge "times placement paused at the cap" 1 "$(pfile orders_pauses)"
off=$(vm_off_layout "$pid" "$MIB")
metric misplaced_after "$off"
expect_eq "pages off their layout node" 0 "$off"

kill "$pid"; wait "$pid" 2>/dev/null
kill "$daemon"; wait "$daemon" 2>/dev/null
kvmnuma_unload
