# lab: nodes=2 mem=4096 timeout=200
# The lab's own check of l2_diag: a guest that crashes must be kept paused
# by its QEMU and reported as such, with its registers saved.  The guest
# panics on purpose (sysrq c); panic=-1 turns that into a reset request.
l2_start d --vcpus 2 --pin 0,1 --mem 256 --no-guest-module || die "L2 did not start"
out=$(l2 -t 15 d 'echo c > /proc/sysrq-trigger' 2>&1)
echo "$out"
_alive "$(l2_pid d)" || fail "QEMU exited: the crashed guest was not kept"
case "$out" in *"reset or shut itself down"*) ;; *) fail "l2_diag did not report the reset" ;; esac
expect_ge "vCPU register dumps saved" 2 "$(grep -c '^RAX=' "$LAB_RESULTS/l2-d.registers.txt")"
l2_stop d
