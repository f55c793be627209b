#!/bin/bash
# Classic-BPF compiler benchmark: total instructions of `rawbpf filter` over
# the shared corpus (../shared/cbpf/exprs.txt, tiers 1-3) against libpcap -O
# and -O0 (the harness's refc oracle), on expressions both compile, and the
# compile time per expression (process start included, both sides).
# Prints numbers and ratios; never fails on a number.
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBPF=${RAWBPF:-./rawbpf}
SHARED=../shared/cbpf
DATA=${CBPF_DATA:-/tmp/rawbpf-cbpf}
REFC=$DATA/refc
[ -f "$SHARED/exprs.txt" ] || { echo "bench cbpf: SKIP ($SHARED not present)"; exit 0; }
if [ ! -x "$REFC" ]; then   # the harness builds the oracle on first use
	"$SHARED/run.sh" -t 5 "$RAWBPF" filter -dd >/dev/null 2>&1
fi
[ -x "$REFC" ] || { echo "bench cbpf: SKIP (no libpcap oracle: needs libpcap-dev)"; exit 0; }

exprs=$(mktemp)
grep -E '^[123] ' "$SHARED/exprs.txt" | cut -c3- > "$exprs"
cand=0 refo=0 ref0=0 n=0
while IFS= read -r e; do
	c=$("$RAWBPF" filter -dd "$e" 2>/dev/null | wc -l)
	o=$("$REFC" count "$e" 2>/dev/null) || continue
	z=$("$REFC" count -O0 "$e" 2>/dev/null) || continue
	[ "$c" -gt 0 ] || continue
	cand=$((cand + c)) refo=$((refo + o)) ref0=$((ref0 + z)) n=$((n + 1))
done < "$exprs"
echo "cbpf insns over $n expressions: rawbpf $cand, libpcap -O $refo, libpcap -O0 $ref0"
awk -v c=$cand -v o=$refo -v z=$ref0 'BEGIN { printf "cbpf insn ratio: %.3f x libpcap -O, %.3f x libpcap -O0\n", c / o, c / z }'

total=$(wc -l < "$exprs")
t0=$(date +%s%N)
while IFS= read -r e; do "$RAWBPF" filter -dd "$e" >/dev/null 2>&1; done < "$exprs"
t1=$(date +%s%N)
while IFS= read -r e; do "$REFC" compile -dd "$e" >/dev/null 2>&1; done < "$exprs"
t2=$(date +%s%N)
awk -v a=$((t1 - t0)) -v b=$((t2 - t1)) -v n="$total" 'BEGIN {
	printf "cbpf compile time per expression: rawbpf %.2f ms, libpcap (refc) %.2f ms, ratio %.2f\n",
	       a / n / 1e6, b / n / 1e6, a / b }'
rm -f "$exprs"
