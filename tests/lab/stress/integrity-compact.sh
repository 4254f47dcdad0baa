# lab: nodes=2 mem=4096 timeout=170
# Forcing test (issue 9): compaction forced over and over (compact_memory)
# in a guest whose programs hold transparent huge pages and small pages
# with verified patterns, while first-touch discards freed pages held back
# 10 ms each (compaction's few passes per second make a 1 ms window rare).  Compaction's free scanner takes free pages as migration
# targets without any allocation event and copies live data into them:
# none may be discarded after that.  0 mismatches, > 0 pages discarded.
# Not a proven forcing test: the old guest driver passed it twice (1 ms
# and 10 ms delays; a few thousand pages migrated per run in the lab).
FORCE_DELAY_US=${FORCE_DELAY_US:-10000}
. "$LAB_TREE_L1/tests/lab/forcing.inc"
C_SECONDS=${C_SECONDS:-40}
force_start --mem 512
l2 f 'echo always > /sys/kernel/mm/transparent_hugepage/enabled; echo always > /sys/kernel/mm/transparent_hugepage/defrag' ||
	fail "cannot enable THP in the guest"
out=$(l2 -t $((C_SECONDS + 60)) f "
	c0=\$(grep compact_migrate_scanned /proc/vmstat | cut -d' ' -f2)
	taskset -c 0 mem-stress -t $C_SECONDS -m 16 -k 8 -H > /tmp/s0 &
	taskset -c 1 mem-stress -t $C_SECONDS -m 16 -k 8 -H > /tmp/s1 &
	taskset -c 1 mem-stress -t $C_SECONDS -m 2 -k 16 > /tmp/s2 &
	end=\$((\$(cut -d. -f1 /proc/uptime) + $C_SECONDS))
	while [ \$(cut -d. -f1 /proc/uptime) -lt \$end ]; do
		echo 1 > /proc/sys/vm/compact_memory; sleep 0.2
	done
	wait
	cat /tmp/s0 /tmp/s1 /tmp/s2
	grep -E '^(compact_migrate_scanned|compact_free_scanned|compact_isolated|thp_fault_alloc|thp_migration_success|pgmigrate_success) ' /proc/vmstat")
echo "$out"
[ "$(echo "$out" | grep -c '^rounds ')" = 3 ] || fail "a mem-stress did not finish"
mism=$(echo "$out" | awk '/^rounds / { n += $6 } END { print n + 0 }')
migrated=$(echo "$out" | awk '$1 == "pgmigrate_success" { print $2 }')
metric pages_migrated "${migrated:-0}"
metric thp_faults "$(echo "$out" | awk '$1 == "thp_fault_alloc" { print $2 }')"
expect_ge "pages migrated by compaction" 1000 "${migrated:-0}"
force_finish "$mism"
