# lab: nodes=2 mem=4096 timeout=200
# The lab's own check of l2_diag on a guest that runs but does not answer
# (Documentation/lab.md class 10): it must say where each vCPU is (RIP
# named as a kernel or kvmnuma_guest function, flags, the code there,
# return addresses on the stack) and what L1 does for the guest (QEMU
# threads, KVM exit counters), in a few lines a CI log keeps.
l2_start h --vcpus 2 --pin 0,1 --mem 256 || die "L2 did not start"
# A command that outlives its timeout: the guest is idle, its shell busy.
t0=$(lab_now)
out=$(l2 -t 3 h 'sleep 50' 2>&1); rc=$?
took=$(lab_since "$t0" | cut -d. -f1)
echo "$out"
# The diagnosis runs in a failing scenario's last seconds: it must be quick.
expect_le "seconds to time out and diagnose" 30 "$took"
expect_eq "status of the command that timed out" 124 "$rc"
case "$out" in *"running but did not answer"*) ;; *) fail "l2_diag did not see a running guest" ;; esac
for c in 0 1; do
	line=$(echo "$out" | grep "l2_diag h: vCPU$c RIP ")
	case "$line" in
	*" in kernel:"*"(IF="[01]")"*"code: "?*) echo "ok: vCPU$c named: $line" >&2 ;;
	*) fail "vCPU$c RIP not named as a kernel function: '$line'" ;;
	esac
done
expect_ge "vCPUs whose stack shows kernel text" 1 "$(echo "$out" | grep -c 'stack text words: kernel:')"
case "$out" in *"L1 threads over 2 s"*"CPU 0/KVM"*) ;; *) fail "no L1 thread line" ;; esac
case "$out" in *"L1 KVM counters over 2 s: "*exits*) ;; *) fail "no KVM counter deltas (an idle guest still takes timer exits)" ;; esac

# An idle guest is not the emulator's livelock (class 10); the verdict's
# thresholds on the figures seen (sampler-zap-autonuma, no kvmnuma).
case "$out" in *livelocked*) fail "an idle guest called livelocked" ;; esac
expect_eq "lab-fault marker for an idle guest" "" "$(cat "$LAB_WORK/labfault" 2>/dev/null)"
expect_ne "verdict on 66,840 exits, 66,823 #PF, 1 unreadable RIP" "" "$(l2_livelock_verdict 66840 66823 1)"
expect_eq "verdict with the RIP readable" "" "$(l2_livelock_verdict 66840 66823 0)"
expect_eq "verdict on an idle guest's 138 exits" "" "$(l2_livelock_verdict 138 0 1)"
expect_eq "verdict on exits that are not #PF" "" "$(l2_livelock_verdict 66840 1000 1)"

# kvmnuma_guest functions: a RIP 5 bytes into mark(), which the guest
# loaded at the base its console logged.
base=$(sed -n 's/.*kvmnuma_guest \.text at 0x\([0-9a-f]*\).*/\1/p' "$(_l2dir h)/console.log" | tail -n 1)
ktext=$(sed -n 's/.*kernel _text at 0x\([0-9a-f]*\).*/\1/p' "$(_l2dir h)/console.log" | tail -n 1)
expect_ne "kvmnuma_guest .text base logged" "" "$base"
expect_ne "kernel _text logged" "" "$ktext"
off=$(chroot /hostroot objdump -t "${LAB_TREE}/guest-driver/kvmnuma_guest.ko" | awk '/ F \.text\t/ && $NF == "mark" { print $1 }')
rip=$(printf '%016x' $(( 0x$base + 0x$off + 5 )))
expect_eq "a RIP in mark()" "$rip kvmnuma_guest:mark+0x5" "$(echo "$rip" | _l2_addr_names "$ktext" "$base")"
far=$(printf '%016x' $(( 0x$base + 0x200000 )))
expect_eq "an address 2 MiB past the module" "$far module-area" "$(echo "$far" | _l2_addr_names "$ktext" "$base")"
expect_eq "a user address" "00007f0000001000 -" "$(echo 00007f0000001000 | _l2_addr_names "$ktext" "$base")"
sleep $((52 - $(lab_since "$t0" | cut -d. -f1)))
l2 h 'echo answers again' || fail "the guest did not answer after its sleep"
l2_stop h
