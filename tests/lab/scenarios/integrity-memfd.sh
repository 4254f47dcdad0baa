# lab: nodes=2 mem=4096 timeout=180
# Guest data stays intact while first-touch discards freed pages of memfd
# guest RAM (punch hole), under guest memory pressure.
. "$LAB_TREE_L1/tests/lab/integrity.inc"
integrity_scenario
