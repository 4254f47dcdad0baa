# lab: nodes=2 mem=4096 timeout=400
# Control for overcommit.sh: the same guest and workload with neither
# kvmnuma.ko nor the guest driver.
OC_KVMNUMA=0
. "$LAB_TREE_L1/tests/lab/stress/overcommit.inc"
oc_run
