# lab: nodes=2 mem=4096 timeout=200
# The lab's own check of l2_diag: a guest that resets itself must be kept
# paused by its QEMU and reported as such.  The guest asks for a reset on
# purpose (sysrq b: an immediate reboot, no console message), the request a
# triple fault makes too.  (A panic would do it as well, but its splat is a
# failure by the runner's rules.)
l2_start d --vcpus 2 --pin 0,1 --mem 256 --no-guest-module || die "L2 did not start"
out=$(l2 -t 15 d 'echo b > /proc/sysrq-trigger' 2>&1)
echo "$out"
_alive "$(l2_pid d)" || fail "QEMU exited: the crashed guest was not kept"
case "$out" in *"reset or shut itself down"*) ;; *) fail "l2_diag did not report the reset" ;; esac
# QEMU resets the vCPUs before it pauses: the registers are the reset
# state, not the crash's; the status is what tells.
expect_ge "vCPU register dumps saved" 2 "$(grep -c '^CPU#' "$LAB_RESULTS/l2-d.registers.txt")"
# A reset guest never answers again: later commands fail at once (126),
# not after their timeout each.
t0=$(lab_now)
l2 -t 30 d 'echo still there' >/dev/null 2>&1; rc=$?
expect_eq "status of a command to the reset guest" 126 "$rc"
expect_le "seconds it took" 2 "$(lab_since "$t0" | cut -d. -f1)"
# The reset is the emulator's signature (lab-fault) when nothing failed
# before it; this one was asked for, so the marker is checked and removed.
expect_eq "lab-fault marker" "L2 guest d reset itself (no failure before it)" "$(cat "$LAB_WORK/labfault" 2>/dev/null)"
rm -f "$LAB_WORK/labfault"
l2_stop d

# A reset noticed first by a host-side check: the guest resets without any
# command to it timing out (raw l2chan, not l2), then the scenario records
# a failure (as carrefour's "no access sampled" did in a CI clone when its
# guest had died).  fail() must look first and mark the reset as what came
# before.  The forced failure is then taken back so the scenario can pass.
l2_start e --vcpus 2 --pin 0,1 --mem 256 --no-guest-module || die "L2 e did not start"
"$LAB_TOOLS/l2chan" -t 5 -p "$(l2_pid e)" "$(_l2dir e)/cmd" 'echo b > /proc/sysrq-trigger' >/dev/null 2>&1
sleep 3
fail "forced: a host-side check failed because its guest had died"
marker=$(cat "$LAB_WORK/labfault" 2>/dev/null)
rm -f "$LAB_WORK/labfault" "$LAB_WORK/failures"
expect_eq "lab-fault marker when a host-side check noticed first" \
	"L2 guest e reset itself (no failure before it)" "$marker"
l2_stop e
