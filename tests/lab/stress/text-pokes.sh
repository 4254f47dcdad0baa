# lab: nodes=2 mem=4096 timeout=200
# lab-l1-append: kprobe_event=p:tpf,text_poke_finish;p:tpb,text_poke_bp trace_options=stacktrace trace_buf_size=16M
# Checks the lab's defence against the "Oops: int3" race of multi-threaded
# TCG (Documentation/lab.md): kprobes on the kernel's two text-patching
# entry points (text_poke_finish: batched static keys, ftrace;
# text_poke_bp: static calls), in L1 and in one L2, from boot on.  Every
# patch traced after the inits' "lab-cpus-online" marker ran while several
# vCPUs were up; the only ones allowed are a module patching its own code
# at insmod (static_call_module_notify, ftrace_module_enable), which no
# other vCPU can be running yet.  kvmnuma.ko is loaded and unloaded in L1
# while the guest runs, as scenarios do.  Not run by default (~70 s):
#   scripts/lab/run-scenarios tests/lab/stress/text-pokes.sh
LAB_L2_APPEND="$LAB_L2_APPEND kprobe_event=p:tpf,text_poke_finish;p:tpb,text_poke_bp trace_options=stacktrace trace_buf_size=16M"
LAB_L2_BOOT_TIMEOUT=150

# late_pokes FILE: one line per patch after the marker that is not a
# module's own insmod-time patching: "TIMESTAMP EVENT FRAME FRAME ...".
late_pokes() {
	awk '/lab-cpus-online/ { on = 1; next }
	     / tp[fb]: / { if (ev != "") print ev; ev = ""
			   if (on) ev = $4 " " $5 " " $1
			   next }
	     /^ => / { if (ev != "") ev = ev " " $2 }
	     END { if (ev != "") print ev }' "$1" |
		grep -v -e static_call_module_notify -e ftrace_module_enable
}

T=/sys/kernel/tracing
grep -q lab-cpus-online $T/trace || fail "L1: no lab-cpus-online marker in the trace"
# lost FILE: trace entries overwritten (buffer too small), from its header.
lost() { sed -n 's|.*entries-in-buffer/entries-written: \([0-9]*\)/\([0-9]*\).*|\2 \1|p' "$1" | awk '{ print $1 - $2; exit }'; }
kvmnuma_load || die "cannot load kvmnuma.ko"
l2_start p --vcpus 2 --pin 0,1 --mem 512 || die "L2 did not start"
l2 p 'echo 3 > /proc/sys/vm/drop_caches; dd if=/dev/zero of=/tmp/f bs=1M count=32 2>/dev/null; rm /tmp/f'
l2 p "cat $T/trace" > "$LAB_RESULTS/l2-trace.txt"
l2_stop p
kvmnuma_unload
cat $T/trace > "$LAB_RESULTS/l1-trace.txt"
# The ring buffer drops its oldest entries when full (L1 loses some of the
# thousands of module-load patches): every patch after the marker is
# there as long as the marker itself still is.
metric l1_trace_lost "$(lost "$LAB_RESULTS/l1-trace.txt")"
metric l2_trace_lost "$(lost "$LAB_RESULTS/l2-trace.txt")"
grep -q lab-cpus-online "$LAB_RESULTS/l1-trace.txt" || fail "L1: marker overwritten, trace incomplete"
grep -q lab-cpus-online "$LAB_RESULTS/l2-trace.txt" || fail "L2: no lab-cpus-online marker in the trace"
late_pokes "$LAB_RESULTS/l1-trace.txt" > "$LAB_WORK/l1.late"
late_pokes "$LAB_RESULTS/l2-trace.txt" > "$LAB_WORK/l2.late"
sed 's/^/  L1 late patch: /' "$LAB_WORK/l1.late"
sed 's/^/  L2 late patch: /' "$LAB_WORK/l2.late"
metric l1_pokes_total "$(grep -c ' tp[fb]: ' "$LAB_RESULTS/l1-trace.txt")"
metric l2_pokes_total "$(grep -c ' tp[fb]: ' "$LAB_RESULTS/l2-trace.txt")"
expect_eq "L1 text patches with several vCPUs up (not a module's own)" 0 "$(wc -l < "$LAB_WORK/l1.late")"
expect_eq "L2 text patches with several vCPUs up (not a module's own)" 0 "$(wc -l < "$LAB_WORK/l2.late")"
