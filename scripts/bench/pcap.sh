#!/bin/bash
# `-r` throughput: packets per second filtering one large pcap with
# `rawbpf filter -r FILE -w /dev/null EXPR` (rawbpf's reader + interpreter)
# against `tcpdump -r FILE -w /dev/null EXPR` (libpcap's reader +
# bpf_filter) on the same file; prints the rate of each and the ratio.
#   BENCH_PKTS=1000000 (default) packets, built by repeating the shared
#   corpus (../shared/cbpf/gen_pkts.py) into $BENCH_DIR (default
#   /tmp/rawbpf-bench); RAWBPF=./rawbpf.  Prints numbers, never fails on one.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBPF=${RAWBPF:-./rawbpf}
N=${BENCH_PKTS:-1000000}
DIR=${BENCH_DIR:-/tmp/rawbpf-bench}
GEN=../shared/cbpf/gen_pkts.py
BIG=$DIR/big-$N.pcap
command -v tcpdump > /dev/null || { echo "bench pcap: SKIP (no tcpdump)"; exit 0; }
[ -f "$GEN" ] || { echo "bench pcap: SKIP ($GEN absent)"; exit 0; }
"$RAWBPF" filter -d ip > /dev/null 2>&1 || { echo "bench pcap: SKIP ($RAWBPF has no filter compiler)"; exit 0; }
mkdir -p "$DIR"

if [ ! -f "$BIG" ]; then
	python3 "$GEN" -o "$DIR/seed.pcap" -n 5000 > /dev/null || exit 1
	python3 - "$DIR/seed.pcap" "$BIG" "$N" << 'EOF' || exit 1
import struct, sys
d = open(sys.argv[1], 'rb').read()
recs, off = [], 24
while off + 16 <= len(d):
    cap = struct.unpack('<I', d[off + 8:off + 12])[0]
    recs.append(d[off:off + 16 + cap]); off += 16 + cap
n = int(sys.argv[3])
with open(sys.argv[2], 'wb') as f:
    f.write(d[:24])
    for i in range(n):
        f.write(recs[i % len(recs)])
EOF
fi
echo "file: $BIG ($N packets, $(($(stat -c %s "$BIG") / 1048576)) MiB)"

# best of 3 wall-clock seconds for CMD...
best() {
	local b= t s e
	for _ in 1 2 3; do
		s=$(date +%s.%N); "$@" > /dev/null 2>&1; e=$(date +%s.%N)
		t=$(echo "$e - $s" | bc -l)
		[ -z "$b" ] || [ "$(echo "$t < $b" | bc -l)" = 1 ] && b=$t
	done
	echo "$b"
}

printf '%-40s %14s %14s %8s\n' expression "rawbpf pkt/s" "tcpdump pkt/s" ratio
for expr in "ip" "tcp port 80" "host 10.0.0.1 and (tcp or udp)" "vlan and ip6" \
	"tcp[tcpflags] & (tcp-syn|tcp-fin) != 0"; do
	r=$(best "$RAWBPF" filter -r "$BIG" -w /dev/null "$expr")
	t=$(best tcpdump -r "$BIG" -w /dev/null "$expr")
	printf '%-40s %14.0f %14.0f %7.2fx\n' "$expr" "$(echo "$N / $r" | bc -l)" \
		"$(echo "$N / $t" | bc -l)" "$(echo "$t / $r" | bc -l)"
done
echo "(ratio = rawbpf rate / tcpdump rate; > 1 means rawbpf is faster)"
