# lab: nodes=2 mem=4096 timeout=400
# Overcommitted guest, kvmnuma.ko (policy none) and the guest driver
# loaded; see overcommit.inc.  Control: overcommit-control.sh.
#   make soak SCENARIOS="tests/lab/stress/overcommit.sh tests/lab/stress/overcommit-control.sh" N=5
OC_KVMNUMA=1
. "$LAB_TREE_L1/tests/lab/stress/overcommit.inc"
oc_run
