# lab: nodes=4 mem=4096 timeout=400
# `make demo`: one guest workload on an emulated 4-node host, under plain
# KVM (kvmnuma not loaded) and under each implemented policy.
#
# The guest has 4 vCPUs, vCPU i pinned to L1 node i.  Workload: a program
# on vCPU 0 touches DEMO_WARM MiB and exits (the guest's page allocator now
# holds freed pages backed on node 0); then one program per vCPU touches
# DEMO_EACH MiB at the same time and keeps it.  Locality = share of the
# pages of program i backed on node i; imbalance = relative standard
# deviation of those pages over the 4 nodes.

DEMO_WARM=${DEMO_WARM:-128}
DEMO_EACH=${DEMO_EACH:-32}

demo_round() {	# demo_round POLICY-LABEL
	_p=$1
	l2 -t 200 d "rm -f /tmp/p*;
		taskset -c 0 touch-mem -m $DEMO_WARM > /dev/null || exit 1
		for i in 0 1 2 3; do
			taskset -c \$i touch-mem -m $DEMO_EACH -o /tmp/p\$i -h /tmp/pgo > /tmp/p\$i.out &
		done
		for i in 0 1 2 3; do while [ ! -e /tmp/p\$i.done ]; do sleep 0.1; done; done" ||
		{ fail "$_p: workload failed"; return 1; }
	: > "$LAB_WORK/$_p.rows"
	for i in 0 1 2 3; do
		l2 d cat /tmp/p$i | awk '{ print $1 "-" $1 + $2 - 1 }' |
			l2_placement_summary d - | sed "s/^/$i /" >> "$LAB_WORK/$_p.rows"
	done
	# Each l2 command is a new shell: wait for the programs' last lines.
	l2 d 'touch /tmp/pgo
		for i in 0 1 2 3; do
			while ! grep -q mismatches /tmp/p$i.out; do sleep 0.1; done
		done
		! grep -L "mismatches 0" /tmp/p?.out | grep -q .' > /dev/null ||
		fail "$_p: a program saw its data change"
	# rows: "<program> node<N> <pages>" ...
	awk -v p="$_p" '
		$2 ~ /^node[0-9]+$/ { n = substr($2, 5); pages[n] += $3; total += $3
				      if (n == $1) local += $3 }
		END {
			mean = total / 4
			for (n = 0; n < 4; n++) var += (pages[n] - mean) * (pages[n] - mean)
			var /= 4
			# busybox awk has no sqrt(): Newton iterations.
			sd = var
			for (i = 0; i < 60 && sd > 0; i++) sd = (sd + var / sd) / 2
			rsd = mean ? sd / mean * 100 : 0
			printf "%-14s %8.1f%% %9.1f%%   %6d %6d %6d %6d\n", p,
			       total ? local * 100 / total : 0, rsd,
			       pages[0], pages[1], pages[2], pages[3]
		}' "$LAB_WORK/$_p.rows" | tee -a "$LAB_WORK/table"
	awk -v p="$_p" '$2 ~ /^node/ { n = substr($2, 5); if (n == $1) l += $3; t += $3 }
		END { printf "%d\n", t ? l * 100 / t : 0 }' "$LAB_WORK/$_p.rows" > "$LAB_WORK/$_p.local"
	metric "${_p}_locality" "$(cat "$LAB_WORK/$_p.local")"
}

# The gfn -> node map of all guest RAM, as text for the image.
demo_layout() {	# demo_layout POLICY-LABEL
	l2_placement d "0-$(( ($(l2_mem d) << 8) - 1 ))" > "$LAB_RESULTS/layout-$1.txt"
}

: > "$LAB_WORK/table"
l2_start d --vcpus 4 --pin 0,1,2,3 --mem 512 || die "L2 did not start"
demo_round plain-kvm
demo_layout plain-kvm

kvmnuma_load || die "cannot load kvmnuma.ko"
# kvmnumad moves the pages the guest already touched to their layout node.
chroot /hostroot "$LAB_TREE/userspace/kvmnumad" > "$LAB_RESULTS/kvmnumad.log" 2>&1 &
daemon=$!
vm=/sys/kernel/kvmnuma/vms/$(l2_pid d)
wait_for 2 test -d "$vm" || die "guest VM not in sysfs"
for p in round-1g round-4k; do
	echo "$p" > "$vm/policy" || die "cannot set $p"
	wait_for 120 sh -c "[ \"\$(cat $vm/placement/state)\" = done ]" ||
		fail "$p: placement not done: $(cat "$vm/placement/state")"
	note "$p: $(cat "$vm/placement/pages_placed") pages placed, $(cat "$vm/placement/pages_moved") moved"
	demo_round "$p"
	demo_layout "$p"
done

echo first-touch > "$vm/policy" || die "cannot set first-touch"
# The guest driver found no host module at boot and stayed idle: reload
# it, handing the memory the guest freed meanwhile to the host.
l2 d 'rmmod kvmnuma_guest; insmod /lib/lab/kvmnuma_guest.ko report_free=1 && dmesg | grep handed; cat /sys/kernel/kvmnuma_guest/state' ||
	die "cannot reload the guest driver"
sleep 1
demo_round first-touch
demo_layout first-touch

echo
echo "kvmnuma demo: L1 = 4 emulated NUMA nodes (QEMU TCG); guest: 4 vCPUs, vCPU i on node i"
echo "workload: vCPU0 touches ${DEMO_WARM} MiB and exits, then 4 programs x ${DEMO_EACH} MiB, one per vCPU"
printf '%-14s %9s %10s   %6s %6s %6s %6s\n' policy locality imbalance node0 node1 node2 node3
cat "$LAB_WORK/table"
echo "(pages of the 4 programs per L1 node; placement read with move_pages(2) in L1)"
l2_stop d
kill "$daemon"; wait "$daemon" 2>/dev/null	# it holds /dev/kvmnuma open
kvmnuma_unload
