# lab: nodes=2 mem=4096 timeout=170
# integrity-vmalloc without the discard delay (the measurement,
# with the per-CPU page lists shrunk as in every forcing test).
FORCE_DELAY_US=0
. "$LAB_TREE_L1/tests/lab/scenarios/integrity-vmalloc.sh"
