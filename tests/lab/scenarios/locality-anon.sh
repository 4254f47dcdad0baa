# lab: nodes=2 mem=4096 timeout=180
# first-touch on anonymous guest RAM (memory-backend-ram), with L1's THP
# off so that host pages are 4 KiB and placement is per guest page.
. "$LAB_TREE_L1/tests/lab/locality.inc"
thp_set never
locality_scenario --anon
