#!/bin/sh
# /init of the bare guest: the kernel starts this with NOTHING mounted (no
# /proc, /sys, /dev, tracefs or bpffs) and no /etc: rawbpf alone must mount
# what it needs and say so.  Busybox is present only to run this script.
# Results go to the console between markers for scripts/vm/run-matrix.sh.
export PATH=/bin
R=/rawbpf/rawbpf P=/rawbpf/build/progs
echo "RAWBPF-GUEST kernel $(uname -r)"
echo "RAWBPF-RESULTS-BEGIN"
# t NAME REGEX CMD...: CMD exits 0 and its output matches REGEX
t() {
	name=$1 re=$2; shift 2
	"$@" > /out.txt 2>&1; rc=$?
	if [ $rc = 0 ] && grep -q -E "$re" /out.txt; then echo "PASS bare: $name"
	else echo "FAIL bare: $name (exit $rc): $(tail -3 /out.txt | tr '\n' ' ')"; fi
}
[ -e /proc/self ] && echo "FAIL bare: /proc was mounted before rawbpf ran"
[ -e /etc/services ] && echo "FAIL bare: the image has /etc/services"
t "load mounts sysfs and bpffs itself" "mounted" $R load $P/demo/counter.bpf.o --pin /sys/fs/bpf/bare
t "the pinned program is visible" "count_packets" $R prog list
t "filter port names without /etc/services" "0x00000050" $R filter -dd tcp port http
t "filter protocol names without /etc/protocols" "#0x2f" $R filter ip proto gre
if [ -e $P/attach/tracepoint.bpf.o ]; then
	t "run mounts tracefs itself" "map hits" $R run $P/attach/tracepoint.bpf.o --duration 1 --dump-maps
fi
echo "RAWBPF-RESULTS-END"
poweroff -f
