# lab: nodes=2 mem=4096 timeout=400
# `make bench`: costs of first-touch, measured in the lab.  Durations are
# emulated (nested KVM under QEMU TCG): compare them with each other, not
# with hardware.  Counts (exits per 1000 events) are exact.
#
#   guest: alloc-bench without the guest driver, then with it and the
#          host's first-touch on; event_ns = time in the probes (queuing,
#          flushes included) per event;
#   exits: FLUSH hypercalls per 1000 page events, against the bound
#          1000 / flush_threshold + timer flushes (one FLUSH per zone lock
#          hold; not re-measured since the guest driver marks only pages
#          that reach the buddy);
#   host:  time serving FLUSH per batch and per discarded page;
#   sampler: throughput of a memory-bound guest program with the software
#          sampler off and on.

BENCH_MIB=${BENCH_MIB:-16}
BENCH_ROUNDS=${BENCH_ROUNDS:-20}
QUEUE_LEN=256

kvmnuma_load default_policy=first-touch || die "cannot load kvmnuma.ko"
l2_start b --vcpus 2 --pin 0,1 --mem 512 --no-guest-module || die "L2 did not start"
vm=/sys/kernel/kvmnuma/vms/$(l2_pid b)
g=/sys/kernel/kvmnuma_guest
bench="taskset -c 1 alloc-bench -m $BENCH_MIB -n $BENCH_ROUNDS"

l2 b "$bench" > /dev/null	# warm-up: the guest's pages get backed once
without=$(l2 -t 300 b "$bench" | awk '{ print $4 }')
metric guest_ns_per_page_without_driver "$without"

l2 b insmod /lib/lab/kvmnuma_guest.ko time_events=1 flush_threshold=$QUEUE_LEN ||
	die "cannot load kvmnuma_guest"
sleep 1
rd() { l2 b cat "$g/$1"; }
e0=$(rd events) f0=$(rd flushes) ft0=$(rd flushes_timer) n0=$(rd event_ns)
b0=$(cat "$vm/stats/batches") d0=$(cat "$vm/stats/pages_discarded") s0=$(cat "$vm/stats/flush_ns")
with=$(l2 -t 300 b "$bench" | awk '{ print $4 }')
e1=$(rd events) f1=$(rd flushes) ft1=$(rd flushes_timer) n1=$(rd event_ns)
b1=$(cat "$vm/stats/batches") d1=$(cat "$vm/stats/pages_discarded") s1=$(cat "$vm/stats/flush_ns")

events=$((e1 - e0)) flushes=$((f1 - f0)) timer=$((ft1 - ft0))
batches=$((b1 - b0)) discarded=$((d1 - d0)) host_ns=$((s1 - s0))
metric guest_ns_per_page_with_first_touch "$with"
metric slowdown_pct "$(awk -v a="$without" -v b="$with" 'BEGIN { printf "%.1f", (b - a) * 100 / a }')"
metric page_events "$events"
metric guest_ns_per_event "$(awk -v n=$((n1 - n0)) -v e=$events 'BEGIN { printf "%.0f", e ? n / e : 0 }')"
metric exits_per_1000_events "$(awk -v f=$flushes -v e=$events 'BEGIN { printf "%.2f", e ? f * 1000 / e : 0 }')"
metric exits_bound_per_1000_events "$(awk -v t=$timer -v e=$events -v q=$QUEUE_LEN 'BEGIN { printf "%.2f", e ? 1000 / q + t * 1000 / e : 0 }')"
metric host_us_per_batch "$(awk -v n=$host_ns -v b=$batches 'BEGIN { printf "%.1f", b ? n / b / 1000 : 0 }')"
metric host_ns_per_discarded_page "$(awk -v n=$host_ns -v d=$discarded 'BEGIN { printf "%.0f", d ? n / d : 0 }')"
expect_le "FLUSH exits per 1000 events within the bound (x100)" \
	"$(awk -v t=$timer -v e=$events -v q=$QUEUE_LEN 'BEGIN { printf "%d", e ? (1000 / q + t * 1000 / e) * 100 : 0 }')" \
	"$(awk -v f=$flushes -v e=$events 'BEGIN { printf "%d", e ? f * 1000 / e * 100 : 0 }')"
# Software sampler overhead: a guest program's passes over 32 MiB in
# 10 s, sampling off, then on (default rate: cf_sample_pages per period).
passes() {	# passes TAG: runs hammer for 10 s, prints its passes
	l2 -t 60 b "rm -f /tmp/$1.*; hammer -m 32 -a 1 -b 1 -o /tmp/$1.g -h /tmp/$1.stop > /tmp/$1.out &
		while [ ! -e /tmp/$1.g.done ]; do sleep 0.1; done; sleep 10; touch /tmp/$1.stop
		while ! grep -q passes /tmp/$1.out; do sleep 0.1; done
		awk '{ print \$2 }' /tmp/$1.out"
}
l2 b rmmod kvmnuma_guest
echo none > "$vm/policy"
off=$(passes off)
echo 1 > "$vm/carrefour/sampling" || fail "cannot start sampling"
on=$(passes on)
echo 0 > "$vm/carrefour/sampling"
metric sampler_passes_off "$off"
metric sampler_passes_on "$on"
metric sampler_overhead_pct "$(awk -v a="$off" -v b="$on" 'BEGIN { printf "%.1f", a ? (a - b) * 100 / a : 0 }')"
l2_stop b
kvmnuma_unload
