# lab: nodes=2 mem=4096 timeout=400
# See vm-churn.inc: with kvmnuma.ko (first-touch).
KVMNUMA=1
. "$LAB_TREE_L1/tests/lab/stress/vm-churn.inc"
