# lab: nodes=2 mem=4096 timeout=300
# sampler-zap.sh at the rate of its pageout control (about 1,000 pages/s).
ZAP_PAGES=512 ZAP_PERIOD_MS=500
. "$LAB_TREE_L1/tests/lab/stress/sampler-zap.sh"
