#!/bin/bash
# Stack use of kvmnuma's code where the kernel calls it with little stack
# to spare (Documentation/architecture.rst, "Stack use"): both modules are
# built once more, in a scratch copy, with GCC's call graphs and frame
# sizes (-fcallgraph-info=su), and scripts/stack-chains follows each
# entry point through the module's own functions.  Limit: 1 KiB of
# kvmnuma's own frames per entry (kernel stacks are 16 KiB; what KVM and
# the page allocator use around these calls is theirs).
# Needs the kernel headers the lab builds against (KDIR, default Debian's
# 6.12); ends with "N passed, N failed".
set -u
top=$(cd "$(dirname "$0")/../.." && pwd)
KDIR=${KDIR:-/lib/modules/6.12.117+deb12-amd64/build}
if [ ! -d "$KDIR" ]; then
	echo "FAIL: no kernel headers at $KDIR (apt-get install linux-headers-6.12.117+deb12-amd64, or set KDIR)"
	echo "0 passed, 1 failed"
	exit 1
fi
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
cp -r "$top/Kbuild" "$top/VERSION" "$top/kmod" "$top/guest-driver" "$top/common" "$top/include" "$scratch/"
find "$scratch" \( -name '*.o' -o -name '*.ko' -o -name '*.ci' -o -name '.*.cmd' \) -delete
if ! make -s -C "$KDIR" M="$scratch" KVMNUMA_MODULES="host guest" \
	KCFLAGS=-fcallgraph-info=su modules -j"$(nproc)" > "$scratch/build.log" 2>&1; then
	tail -20 "$scratch/build.log"
	echo "FAIL: the scratch build with -fcallgraph-info=su failed"
	echo "0 passed, 1 failed"
	exit 1
fi
p=0 f=0
run() {
	out=$("$top/scripts/stack-chains" "$@")
	echo "$out"
	read -r a b <<<"$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' <<<"$out")"
	p=$((p + a)) f=$((f + b))
}
# Host: a vCPU thread's TDP fault probe and hypercall probe (atomic), the
# hypercall's task work (before the vCPU re-enters the guest), the IBS
# overflow handler (NMI); soft_fault, the software sampler's fault hook,
# is reached from the TDP fault probe through its ops table (a call through
# a pointer ends a chain, so it is an entry of its own).
run 1024 tdp_fault_probe,soft_fault,kvmnuma_hypercall_probe,hypercall_work_fn,ibs_overflow \
	"$scratch"/kmod/*.ci "$scratch"/common/*.ci
# Guest: the page-free tracepoint probes run wherever the guest frees a
# page (deep reclaim paths, interrupts) and may flush under zone->lock.
run 1024 probe_page_free,probe_page_pcpu_drain "$scratch"/guest-driver/*.ci
echo "$p passed, $f failed"
[ "$f" -eq 0 ]
