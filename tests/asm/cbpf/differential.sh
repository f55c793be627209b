#!/bin/bash
# `rawbpf filter -dd` against libpcap 1.10 with the shared harness
# (../shared/cbpf): the curated corpus, libpcap's own EN10MB golden cases
# and the RAW ones, plus extra_exprs.txt (cases the corpora lack: ports
# inside geneve, where the fragment test and the protocol test share X).  Each must report `mismatch 0 wrong-accept 0`; the
# harness's last line is recorded as the figure.
. "$(dirname "$0")/../../lib.sh"
ROOT=${RB_ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
H=$ROOT/../shared/cbpf/run.sh
if [ ! -x "$H" ] && [ ! -f "$H" ]; then
	skip "cbpf differential: ../shared/cbpf not present"; exit 0
fi
if ! command -v tcpdump >/dev/null || [ ! -e /usr/include/pcap/pcap.h ]; then
	skip "cbpf differential: needs libpcap-dev and tcpdump"; exit 0
fi
BIN=$(cd "$(dirname "$RAWBPF")" && pwd)/$(basename "$RAWBPF")

corpus() {   # name, harness options...
	local name=$1; shift
	local tsv=$TMPDIR/$name.tsv
	local out; out=$("$H" -o "$tsv" "$@" "$BIN" filter -y '{LINK}' -dd 2>&1 | tail -1)
	echo "  $name: $out"
	case "$out" in
	*"cbpf: ok"*" mismatch 0 "*"wrong-accept 0 "*) pass "cbpf differential $name: $out" ;;
	*) fail "cbpf differential $name: $out" ;;
	esac
	# Tiers 1 and 2 (everyday and less common) must all compile.
	local unsup; unsup=$(awk -F'\t' '($1 == "1" || $1 == "2" || $1 == "raw:2") && $3 == "unsupported"' "$tsv" | wc -l)
	if [ "$unsup" = 0 ]; then pass "cbpf differential $name: tiers 1-2 all compiled"
	else fail "cbpf differential $name: $unsup tier 1-2 expressions refused: $(awk -F'\t' '($1 == "1" || $1 == "2") && $3 == "unsupported" {print $12}' "$tsv" | head -3 | tr '\n' ';')"; fi
}

corpus exprs
corpus testrun-en10mb -e "$ROOT/../shared/cbpf/testrun-en10mb.txt"
corpus testrun-raw --raw -e "$ROOT/../shared/cbpf/testrun-raw.txt"
corpus extra -e "$(cd "$(dirname "$0")" && pwd)/extra_exprs.txt"
finish
