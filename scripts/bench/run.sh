#!/bin/bash
# `make bench`: every benchmark script beside this one, each comparing rawbpf
# side by side with bpftool/libbpf or libpcap in the same run and printing
# ratios.  Benchmarks print numbers; they never fail on a number.
#   BENCH=pcap make bench   runs only scripts/bench/pcap.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
scripts/size.sh
for b in scripts/bench/*.sh; do
	name=$(basename "$b" .sh)
	[ "$name" = run ] && continue
	[ -n "${BENCH:-}" ] && [ "$BENCH" != "$name" ] && continue
	echo "== bench $name"
	bash "$b" || echo "bench $name: failed (exit $?)"
done
