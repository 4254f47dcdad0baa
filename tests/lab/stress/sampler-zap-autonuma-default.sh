# lab: nodes=2 mem=4096 timeout=300
# sampler-zap-autonuma.sh with host NUMA balancing at its default tunables
# (Debian turns it on by default): the stock rate of TDP invalidations.
AUTONUMA_TUNABLES=
. "$LAB_TREE_L1/tests/lab/stress/sampler-zap-autonuma.sh"
