# lab: nodes=2 mem=4096 timeout=170
# Forcing test (issue 9): a guest kernel module vmalloc()s 1-512 pages,
# writes every word, verifies, vfree()s, on both vCPUs for 40 s
# (tests/lab/guest-modules/kvmnuma_vmalloc_churn.c), while a program on
# each vCPU allocates and frees user memory (so that the per-CPU page
# lists overflow into the buddy and refill from it) and first-touch
# discards the freed pages with every discard held back 1 ms.  vmalloc's
# bulk allocator takes pages from the per-CPU lists without any trace
# event: no page may be discarded once the guest can reuse it.  0 bad
# pages, > 0 pages discarded.
. "$LAB_TREE_L1/tests/lab/forcing.inc"
CHURN_SECONDS=${CHURN_SECONDS:-40}
force_start --mem 768
out=$(l2 -t $((CHURN_SECONDS + 60)) f "
	taskset -c 0 mem-stress -t $CHURN_SECONDS -m 8 -k 2 > /tmp/s0 &
	taskset -c 1 mem-stress -t $CHURN_SECONDS -m 8 -k 2 > /tmp/s1 &
	insmod /lib/lab/kvmnuma_vmalloc_churn.ko seconds=$CHURN_SECONDS
	wait
	cat /tmp/s0 /tmp/s1
	dmesg | grep kvmnuma_vmalloc_churn:")
echo "$out" | tail -n 26
[ "$(echo "$out" | grep -c '^rounds ')" = 2 ] || fail "a mem-stress did not finish"
mism=$(echo "$out" | awk '/^rounds / { n += $6 } END { print n + 0 }')
metric stress_mismatches "$mism"
sum=$(echo "$out" | sed -n 's/.*kvmnuma_vmalloc_churn: cpus \([0-9]*\) rounds \([0-9]*\) pages \([0-9]*\) bad \([0-9]*\) zero \([0-9]*\).*/\1 \2 \3 \4 \5/p' | tail -n 1)
[ -n "$sum" ] || die "no summary from the churn module"
set -- $sum
metric churn_cpus "$1"
metric churn_pages "$3"
metric churn_zero_pages "$5"
expect_eq "CPUs churning" 2 "$1"
expect_ge "pages verified" 10000 "$3"
force_finish "$(($4 + mism))"
