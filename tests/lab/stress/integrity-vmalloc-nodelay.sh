# lab: nodes=2 mem=4096 timeout=170
# integrity-vmalloc without the discard delay and with the guest's default
# per-CPU page lists (the measurement: default parameters, no help
# from the test knobs).
FORCE_DELAY_US=0
FORCE_PCP_FRACTION=0
. "$LAB_TREE_L1/tests/lab/scenarios/integrity-vmalloc.sh"
