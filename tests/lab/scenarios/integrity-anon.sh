# lab: nodes=2 mem=4096 timeout=180
# Guest data stays intact while first-touch discards freed pages of
# anonymous guest RAM (zap), under guest memory pressure.  L1's THP stays
# "always": discards split host huge pages, which must not lose data either.
. "$LAB_TREE_L1/tests/lab/integrity.inc"
integrity_scenario --anon
