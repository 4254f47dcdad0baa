# lab: nodes=2 mem=4096 timeout=180
# first-touch on memfd guest RAM (the default backend): memory freed by a
# program on vCPU 0 and reused right away by one on vCPU 1 ends up backed
# on vCPU 1's node (>= 90%), where stock KVM leaves it where it was.
. "$LAB_TREE_L1/tests/lab/locality.inc"
locality_scenario
