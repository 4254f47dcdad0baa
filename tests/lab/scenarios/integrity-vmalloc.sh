# lab: nodes=2 mem=4096 timeout=170
# Forcing test (issue 9): a guest kernel module vmalloc()s 1-512 pages,
# writes every word, verifies, vfree()s, on both vCPUs for 40 s
# (tests/lab/guest-modules/kvmnuma_vmalloc_churn.c), while first-touch
# discards the freed pages with every discard held back 1 ms (the
# per-CPU page lists are shrunk: freed pages overflow into the buddy and
# are refilled from it).  vmalloc's
# bulk allocator takes pages from the per-CPU lists without any trace
# event: no page may be discarded once the guest can reuse it.  0 bad
# pages, > 0 pages discarded.
. "$LAB_TREE_L1/tests/lab/forcing.inc"
CHURN_SECONDS=${CHURN_SECONDS:-40}
force_start --mem 768
out=$(l2 -t $((CHURN_SECONDS + 60)) f "insmod /lib/lab/kvmnuma_vmalloc_churn.ko seconds=$CHURN_SECONDS; dmesg | grep kvmnuma_vmalloc_churn:")
echo "$out" | tail -n 24
sum=$(echo "$out" | sed -n 's/.*kvmnuma_vmalloc_churn: cpus \([0-9]*\) rounds \([0-9]*\) pages \([0-9]*\) bad \([0-9]*\) zero \([0-9]*\).*/\1 \2 \3 \4 \5/p' | tail -n 1)
[ -n "$sum" ] || die "no summary from the churn module"
set -- $sum
metric churn_cpus "$1"
metric churn_pages "$3"
metric churn_zero_pages "$5"
expect_eq "CPUs churning" 2 "$1"
expect_ge "pages verified" 10000 "$3"
force_finish "$4"
