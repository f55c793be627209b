#!/bin/bash
# Event-stream benchmark: 64-byte records from a BPF ring buffer and a perf
# event array, consumed by `rawbpf run --count` and by a libbpf consumer
# (scripts/bench/events_libbpf.c, built here with -lbpf, test-only) on the
# same workload in the same run.  Prints, per channel and consumer:
#   ev/s      records the consumer received per second of producer time
#   ns/ev     consumer CPU per record while streaming (live)
#   drain     consumer CPU per record draining a pre-filled ring (stopped
#             while 200k records were produced, then resumed)
#   lost      records refused by the full ring (program's count)
# and rawbpf/libbpf ratios.  Needs root.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBPF=${RAWBPF:-./rawbpf}
PROGS=${PROGS:-build/progs}
N=${BENCH_EVENTS:-1000000}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
[ "$(id -u)" = 0 ] || { echo "events bench: needs root; skipped"; exit 0; }
gcc -O2 -o "$T/loop" tests/loader/attach/getpgid_loop.c || exit 1
if ! gcc -O2 -o "$T/libbpf_consumer" scripts/bench/events_libbpf.c -lbpf 2>"$T/cc.err"; then
	echo "events bench: cannot build the libbpf consumer (libbpf-dev?): $(head -1 "$T/cc.err")"; exit 0
fi

# consume WHO OBJ MODE: starts the consumer, produces, prints "evs nsev lost"
consume() {
	local who=$1 obj=$2 mode=$3 pid i
	if [ "$who" = rawbpf ]; then
		"$RAWBPF" run "$obj" --count --dump-maps > "$T/out" 2> "$T/err" & pid=$!
	else
		"$T/libbpf_consumer" "$obj" > "$T/out" 2> "$T/err" & pid=$!
	fi
	for i in $(seq 1 100); do grep -q '^attached' "$T/err" && break; sleep 0.1; done
	local n=$N t0 t1
	[ "$mode" = drain ] && { n=200000; kill -STOP $pid; }
	t0=$(date +%s%N)
	"$T/loop" $n
	t1=$(date +%s%N)
	[ "$mode" = drain ] && kill -CONT $pid
	sleep 1
	kill -INT $pid; wait $pid
	local got ns
	got=$(sed -nE 's/^consumer: ([0-9]+) records.*/\1/p' "$T/err")
	ns=$(sed -nE 's/^consumer: [0-9]+ records, ([0-9.]+) ns.*/\1/p' "$T/err")
	echo "${got:-0} $(( ${got:-0} * 1000000000 / (t1 - t0 + 1) )) ${ns:-nan} $(( n - ${got:-0} ))"
}

printf '%-6s %-7s %12s %10s %10s %8s\n' channel who "ev/s" "ns/ev" "drain" lost
declare -A R
for ch in ring perf; do
	obj=$PROGS/attach/bench_$ch.bpf.o
	for who in rawbpf libbpf; do
		read -r got evs ns lost < <(consume $who "$obj" live)
		read -r _ _ drain _ < <(consume $who "$obj" drain)
		R[$ch,$who,evs]=$evs R[$ch,$who,ns]=$ns R[$ch,$who,drain]=$drain
		printf '%-6s %-7s %12s %10s %10s %8s\n' $ch $who "$evs" "$ns" "$drain" "$lost"
	done
	awk -v a="${R[$ch,rawbpf,evs]}" -v b="${R[$ch,libbpf,evs]}" -v c="${R[$ch,rawbpf,ns]}" \
		-v d="${R[$ch,libbpf,ns]}" -v e="${R[$ch,rawbpf,drain]}" -v f="${R[$ch,libbpf,drain]}" -v ch=$ch \
		'BEGIN { printf "%-6s ratio   rawbpf/libbpf ev/s %.2fx, libbpf/rawbpf CPU per event %.1fx live, %.1fx drain\n",
			ch, (b ? a / b : 0), (c ? d / c : 0), (e ? f / e : 0) }'
done
