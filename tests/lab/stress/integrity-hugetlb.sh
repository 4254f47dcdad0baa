# lab: nodes=2 mem=4096 timeout=170
# Forcing test (issue 9): the guest's 2 MiB hugetlb pool grows and shrinks
# over and over (each growth takes order-9 blocks, compacting when it must)
# while programs use hugetlb pages and small pages with verified patterns,
# and first-touch discards freed pages held back 1 ms each.  0 mismatches,
# > 0 pages discarded.
. "$LAB_TREE_L1/tests/lab/forcing.inc"
H_SECONDS=${H_SECONDS:-40}
force_start --mem 512
out=$(l2 -t $((H_SECONDS + 60)) f "
	taskset -c 0 mem-stress -t $H_SECONDS -m 8 -k 4 -T > /tmp/s0 &
	taskset -c 1 mem-stress -t $H_SECONDS -m 8 -k 4 > /tmp/s1 &
	taskset -c 0 mem-stress -t $H_SECONDS -m 4 -k 8 > /tmp/s2 &
	end=\$((\$(cut -d. -f1 /proc/uptime) + $H_SECONDS)) grown=0
	while [ \$(cut -d. -f1 /proc/uptime) -lt \$end ]; do
		echo 48 > /proc/sys/vm/nr_hugepages
		n=\$(cat /proc/sys/vm/nr_hugepages); [ \$n -gt \$grown ] && grown=\$n
		sleep 0.3
		echo 0 > /proc/sys/vm/nr_hugepages; sleep 0.1
	done
	wait
	echo 0 > /proc/sys/vm/nr_hugepages
	cat /tmp/s0 /tmp/s1 /tmp/s2
	echo largest_pool \$grown
	grep -E '^(htlb_buddy_alloc_success|compact_isolated|pgmigrate_success) ' /proc/vmstat")
echo "$out"
[ "$(echo "$out" | grep -c '^rounds ')" = 3 ] || fail "a mem-stress did not finish"
mism=$(echo "$out" | awk '/^rounds / { n += $6 } END { print n + 0 }')
hpages=$(echo "$out" | awk '/^rounds / && NR == 1 { print $4 }')
metric largest_pool "$(echo "$out" | awk '$1 == "largest_pool" { print $2 }')"
metric hugetlb_allocs "$(echo "$out" | awk '$1 == "htlb_buddy_alloc_success" { print $2 }')"
expect_ge "hugetlb pages written (4 KiB units)" 512 "$(echo "$out" | awk '/^rounds / { print $4; exit }')"
force_finish "$mism"
