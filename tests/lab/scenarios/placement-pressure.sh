# lab: nodes=2 mem=4096 timeout=300
# Memory pressure (issue 11): node 1 is pushed below its low watermark
# (page cache dropped, huge pages reserved until ~100 MiB is free, then
# vm.watermark_scale_factor raised to 2000, which puts node 1's low
# watermark ~300 MiB up: above what is free, and above what kswapd can
# reclaim there) for ~12 s.
#  - A paused 256 MiB memfd guest given round-4k meanwhile must wait
#    (placement/paused = memory-pressure, nothing unplaceable, pressure_waits
#    counting), not give up its node-1 pages, and once the pressure is
#    gone end `done` with every page on its layout node.
#  - A second guest under carrefour (software sampler) must not unmap its
#    pages on node 1 while the node is under pressure
#    (carrefour/status sampler_pressure_skips > 0).

VMS=/sys/kernel/kvmnuma/vms
MIB=256
P=/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages
WSF=/proc/sys/vm/watermark_scale_factor

node_free_mib() {
	awk '/MemFree/ { print int($4 / 1024) }' "/sys/devices/system/node/node$1/meminfo"
}

# node_wmark N: "free low" in pages over node N's zones but DMA (as kvmnuma
# counts them).
node_wmark() {
	awk -v n="$1," '$1 == "Node" { on = ($2 == n && $4 != "DMA") }
		on && $1 == "pages" && $2 == "free" { f += $3 }
		on && $1 == "low" { l += $2 }
		END { print f + 0, l + 0 }' /proc/zoneinfo
}

under_pressure() { node_wmark 1 | awk '{ exit !($1 < $2) }'; }

pfile() { cat "$VMS/$1/placement/$2" 2>/dev/null || echo missing; }

wsf0=$(cat "$WSF")
release() {
	echo "$wsf0" > "$WSF"
	echo 0 > "$P"
}

thp_set never
kvmnuma_load cf_period_ms=500 cf_sample_pages=4096 || die "cannot load kvmnuma.ko"
chroot /hostroot "$LAB_TREE/userspace/kvmnumad" > "$LAB_RESULTS/kvmnumad.log" 2>&1 &
daemon=$!
wait_for 5 sh -c '[ "$(cat /sys/kernel/kvmnuma/daemon_connected)" = 1 ]' ||
	die "kvmnumad did not connect: $(cat "$LAB_RESULTS/kvmnumad.log")"

# Guest B: placed before the pressure (half its pages on node 1), then
# sampled by carrefour (paused: no access, so no decision, only arming).
vm_paused 128
b=$!
vm_wait "$b" 30 || die "VM B not registered"
vm_place "$b" round-4k 60 || exit 1
echo carrefour > "$VMS/$b/policy" || die "carrefour refused (B)"

# Pressure on node 1.
sync; echo 3 > /proc/sys/vm/drop_caches
for step in 1 2; do
	free=$(node_free_mib 1)
	have=$(cat "$P")
	[ "$free" -gt 110 ] && echo $((have + (free - 100) / 2)) > "$P"
done
echo 2000 > "$WSF"
note "node 1: $(cat "$P") huge pages, $(node_free_mib 1) MiB free; free/low pages: $(node_wmark 1)"
under_pressure || { release; die "node 1 not below its low watermark: $(node_wmark 1)"; }
skips0=$(awk '$1 == "sampler_pressure_skips" { print $2 }' "$VMS/$b/carrefour/status")

# Guest A: round-4k under the pressure.
vm_paused "$MIB"
a=$!
vm_wait "$a" 30 || { release; die "VM A not registered"; }
t0=$(lab_now)
echo round-4k > "$VMS/$a/policy" || { release; die "round-4k refused (A)"; }
sleep 8
under_pressure || note "node 1 left pressure by itself: $(node_wmark 1)"
state=$(pfile "$a" state) paused=$(pfile "$a" paused)
note "A under pressure: state $state, paused $paused, free/low $(node_wmark 1)"
grep -H . "$VMS/$a/placement/"* | sed "s|$VMS/$a/placement/|  |" >&2
expect_eq "A under pressure: state" running "$state"
expect_eq "A under pressure: paused" memory-pressure "$paused"
expect_eq "A under pressure: pages unplaceable" 0 "$(pfile "$a" pages_unplaceable)"
waits=$(pfile "$a" pressure_waits)
metric pressure_waits_at_8s "$waits"
expect_ge "A under pressure: back-off steps" 10 "$waits"
skips=$(awk '$1 == "sampler_pressure_skips" { print $2 }' "$VMS/$b/carrefour/status")
note "B: sampler_pressure_skips ${skips0:-missing} -> ${skips:-missing}"
metric sampler_pressure_skips "$((${skips:-0} - ${skips0:-0}))"
expect_ge "B: sampler pages left alone on node 1 under pressure" 1 \
	"$((${skips:-0} - ${skips0:-0}))"

# The pressure goes: placement resumes and finishes.
sleep 4
release
note "pressure released: $(node_free_mib 1) MiB free on node 1, free/low $(node_wmark 1)"
t1=$(lab_now)
wait_for 60 sh -c "[ \"\$(cat $VMS/$a/placement/state)\" = done ]" ||
	fail "A after the pressure: placement '$(pfile "$a" state)' after 60 s"
metric resume_settle_s "$(lab_since "$t1")"
metric total_place_s "$(lab_since "$t0")"
grep -H . "$VMS/$a/placement/"* | sed "s|$VMS/$a/placement/|  |" >&2
expect_eq "A: paused after the pressure" no "$(pfile "$a" paused)"
expect_eq "A: pages unplaceable" 0 "$(pfile "$a" pages_unplaceable)"
off=$(vm_off_layout "$a" "$MIB")
metric misplaced_after "$off"
expect_eq "A: pages off their layout node" 0 "$off"
warn=$(dmesg | grep -c "page allocation failure")
expect_eq "page allocation failure warnings" 0 "$warn"

kill "$a" "$b"; wait "$a" "$b" 2>/dev/null
kill "$daemon"; wait "$daemon" 2>/dev/null
kvmnuma_unload
