# lab: nodes=2 mem=4096 timeout=170
# Forcing test (issue 9): the guest driver is unloaded and loaded again
# every 1.5 s while both vCPUs churn vmalloc'ed and user memory with verified
# patterns, and first-touch discards freed pages held back 1 ms each.  The
# driver's last flush and its hooks going away must not discard a page in
# use.  0 bad pages, 0 mismatches, no splat, > 0 pages discarded.
. "$LAB_TREE_L1/tests/lab/forcing.inc"
U_SECONDS=${U_SECONDS:-40}
force_start --mem 512
out=$(l2 -t $((U_SECONDS + 60)) f "
	insmod /lib/lab/kvmnuma_vmalloc_churn.ko seconds=$U_SECONDS max_pages=64 &
	taskset -c 0 mem-stress -t $U_SECONDS -m 4 -k 4 > /tmp/s0 &
	taskset -c 1 mem-stress -t $U_SECONDS -m 4 -k 4 > /tmp/s1 &
	end=\$((\$(cut -d. -f1 /proc/uptime) + $U_SECONDS)) cycles=0
	while [ \$(cut -d. -f1 /proc/uptime) -lt \$end ]; do
		sleep 1.5
		rmmod kvmnuma_guest && insmod /lib/lab/kvmnuma_guest.ko && cycles=\$((cycles + 1))
	done
	wait
	cat /tmp/s0 /tmp/s1
	echo cycles \$cycles
	dmesg | grep 'kvmnuma_vmalloc_churn: cpus'")
echo "$out"
[ "$(echo "$out" | grep -c '^rounds ')" = 2 ] || fail "a mem-stress did not finish"
sum=$(echo "$out" | sed -n 's/.*kvmnuma_vmalloc_churn: cpus \([0-9]*\) rounds \([0-9]*\) pages \([0-9]*\) bad \([0-9]*\) zero \([0-9]*\).*/\4/p' | tail -n 1)
[ -n "$sum" ] || die "no summary from the churn module"
mism=$(echo "$out" | awk '/^rounds / { n += $6 } END { print n + 0 }')
cycles=$(echo "$out" | awk '$1 == "cycles" { print $2 }')
metric unload_cycles "${cycles:-0}"
metric churn_bad_pages "$sum"
metric stress_mismatches "$mism"
expect_ge "guest driver unload/load cycles" 5 "${cycles:-0}"
force_finish "$((sum + mism))"
