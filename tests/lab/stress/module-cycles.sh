# lab: timeout=300
# Stress for the lab itself (not run by default: ~70 s): 40 guest-module and
# 40 host-module load/unload cycles while both L2 vCPUs allocate memory.
# Before the tracepoints were pinned (see tests/lab/README.md) this oopsed
# L2 ("Oops: int3" in __alloc_pages) within ~20 cycles.
#   scripts/lab/run-scenarios tests/lab/stress/module-cycles.sh
kvmnuma_load >/dev/null 2>&1 || die "load"
l2_start f --vcpus 2 --pin 0,1 --mem 256 || die nostart
l2 f 'for c in 0 1; do (taskset -c $c sh -c "while :; do dd if=/dev/zero of=/tmp/x.$c bs=1M count=16 2>/dev/null; rm /tmp/x.$c; done" &) ; done; echo started'
i=0
while [ $i -lt 40 ]; do
	l2 f 'rmmod kvmnuma_guest && sleep 0.3 && insmod /lib/lab/kvmnuma_guest.ko' || fail "guest cycle $i"
	i=$((i+1))
done
note "guest cycles done: $i"
l2_stop f
kvmnuma_unload
l2_start g --vcpus 2 --pin 0,1 --mem 256 --no-guest-module || die nostart
l2 g 'for c in 0 1; do (taskset -c $c sh -c "while :; do dd if=/dev/zero of=/tmp/x.$c bs=1M count=16 2>/dev/null; rm /tmp/x.$c; done" &) ; done; echo started'
i=0
while [ $i -lt 40 ]; do
	kvmnuma_load >/dev/null 2>&1 || die "load $i"
	sleep 0.3
	kvmnuma_unload >/dev/null 2>&1 || die "unload $i"
	sleep 0.2
	i=$((i+1))
done
note "host cycles done: $i"
l2 g 'echo alive'
for i in labpin1 labpin2; do cat /sys/kernel/tracing/instances/$i/events/kvm/kvm_page_fault/enable; done
l2 g 'cat /sys/kernel/tracing/instances/labpin*/events/kmem/mm_page_alloc/enable; cat /sys/kernel/tracing/instances/labpin1/tracing_on'
