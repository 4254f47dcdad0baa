# lab: nodes=2 mem=4096 timeout=360
# kvmnumactl as an operator uses it on a running guest: found by its name
# (QEMU -name), set by name, `top --once`, `metrics` read back with
# python3-prometheus-client's parser and checked against sysfs, and a
# layout picture of the running guest (gnuplot, in the results).

ctl() { chroot /hostroot "$LAB_TREE/userspace/kvmnumactl" "$@"; }

kvmnuma_load || die "cannot load kvmnuma.ko"
l2_start web --vcpus 2 --mem 256 --pin 0,1 || die "L2 did not start"
pid=$(l2_pid web)
vm=/sys/kernel/kvmnuma/vms/$pid
wait_for 2 test -d "$vm" || die "guest VM not in sysfs"

# --- names ------------------------------------------------------------------
out=$(ctl list) || fail "kvmnumactl list"
echo "$out"
echo "$out" | grep -Eq "^$pid +web +$pid +2 " || fail "list: no line '$pid web $pid 2 ...'"
ctl set web first-touch --nodes=0-1 || fail "kvmnumactl set web (by name)"
expect_eq "policy set by name" first-touch "$(cat "$vm/policy")"
expect_eq "nodes set by name" 0-1 "$(cat "$vm/nodes")"
# Some guest activity for the counters: allocate and free memory.
l2 web 'for i in 1 2 3; do dd if=/dev/zero of=/tmp/f bs=1M count=32 2>/dev/null; rm -f /tmp/f; done; sync'

# --- top --once ----------------------------------------------------------------
out=$(ctl top --once --sort memory) || fail "kvmnumactl top --once"
echo "$out"
echo "$out" | grep -Eq "^$pid +web +first-touch +all +" || fail "top: no VM line for web"
nodes_shown=$(echo "$out" | grep -Ec "^ +[01] +[0-9]+ ")
expect_ge "top: node lines for web" 1 "$nodes_shown"

# --- metrics, parsed ------------------------------------------------------------
ctl metrics > "$LAB_RESULTS/metrics.prom" || fail "kvmnumactl metrics"
parsed=$(chroot /hostroot /usr/bin/python3 - "$LAB_RESULTS/metrics.prom" "$pid" <<'PY'
import sys
from prometheus_client.parser import text_string_to_metric_families
fams = {f.name: f for f in text_string_to_metric_families(open(sys.argv[1]).read())}
vm = sys.argv[2]
def samples(fam):
    return [s for s in fams[fam].samples if s.labels.get("vm") == vm]
res = sum(s.value for s in samples("kvmnuma_vm_resident_pages"))
nb = samples("kvmnuma_vm_not_backed_pages")[0].value
info = samples("kvmnuma_vm_info")[0].labels
print(int(samples("kvmnuma_vm_vcpus")[0].value), int(samples("kvmnuma_vm_memory_bytes")[0].value),
      int(res + nb), info["name"], info["policy"], info["nodes"],
      int(samples("kvmnuma_vm_probes")[0].value), fams["kvmnuma_vm_probes"].type)
PY
) || fail "metrics did not parse: $parsed"
echo "metrics: $parsed"
set -- $parsed
expect_eq "metrics: vcpus" "$(cat "$vm/vcpus")" "$1"
expect_eq "metrics: memory_bytes" "$(cat "$vm/memory_bytes")" "$2"
expect_eq "metrics: resident + not backed = guest pages" $(($(cat "$vm/memory_bytes") / 4096)) "$3"
expect_eq "metrics: name, policy, nodes" "web first-touch 0-1" "$4 $5 $6"
expect_eq "metrics: probes counter = sysfs" "$(cat "$vm/stats/probes") counter" "$7 $8"

# --- a picture of the running guest --------------------------------------------
ctl show web --layout "$LAB_RESULTS/web-layout.png" || fail "kvmnumactl show --layout"
expect_eq "layout: a PNG" "89504e47" "$(head -c 4 "$LAB_RESULTS/web-layout.png" | od -An -tx1 | tr -d ' \n')"
expect_ge "layout: size (bytes)" 2000 "$(wc -c < "$LAB_RESULTS/web-layout.png")"
metric layout_png_bytes "$(wc -c < "$LAB_RESULTS/web-layout.png")"

l2_stop web
kvmnuma_unload
