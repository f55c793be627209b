#!/bin/bash
# Differential test of rawbpf's cBPF interpreter against libpcap's
# bpf_filter(): every expression of the shared corpus that libpcap compiles
# (-O and -O0) runs over the shared packet corpus (EN10MB and RAW) in both,
# and every verdict must be equal.  libpcap is the test-only oracle (the
# harness's refc, built here); rawbpf's side is tests/asm/cbpf/cbpf_run.c
# built from the interpreter and reader sources.
#
# Documented differences (interp.h): shifts by X >= 32 (kernel: modulo 32,
# libpcap: 0) and X + k wrapping past 2^32 in IND loads (kernel: wraps,
# libpcap: rejects).  The two corpus expressions that hit them are left out
# here by name and checked against the kernel in the capture tests.
. "$(dirname "$0")/../../lib.sh"
SHARED=${RB_ROOT:-$PWD}/../shared/cbpf
[ -f "$SHARED/refc.c" ] || { skip "interp differential: $SHARED absent"; finish; }
pkg-config --exists libpcap 2>/dev/null || [ -f /usr/include/pcap/pcap.h ] ||
	{ skip "interp differential: libpcap-dev not installed"; finish; }

SAN=
case $RAWBPF in *debug*) SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" ;; esac
W=$TMPDIR/diff
mkdir -p "$W"
gcc -O2 -w -o "$W/refc" "$SHARED/refc.c" -lpcap || { fail "build refc"; finish; }
gcc -std=c17 -D_GNU_SOURCE -O1 -g $SAN -I. -o "$W/run" tests/asm/cbpf/cbpf_run.c \
	asm/cbpf/interp.c asm/cbpf/validate.c loader/capture/pcap.c common/err.c common/buf.c ||
	{ fail "build cbpf_run"; finish; }
python3 "$SHARED/gen_pkts.py" -o "$W/en.pcap" -n 3000 > /dev/null &&
	python3 "$SHARED/gen_pkts.py" -o "$W/raw.pcap" -n 1500 --raw > /dev/null ||
	{ fail "generate packets"; finish; }

# diff_corpus NAME LINK PCAP EXPRFILE...
diff_corpus() {
	local name=$1 link=$2 pcap=$3; shift 3
	local n=0 bad=0 skipped=0 opt expr first=
	while read -r _ expr; do
		# The two documented departures (kernel semantics, checked against
		# the kernel itself in tests/loader/capture/kernel_filter.sh).
		case $expr in 'ip[1] << ip[0] > 0'|'ip[-1] = 0') continue ;; esac
		for opt in "" -O0; do
			"$W/refc" compile $opt -l "$link" -dd "$expr" > "$W/p.dd" 2>/dev/null || continue
			# Linux refuses libpcap's protochain loops (backward jumps): the
			# kernel never runs those, so there is no kernel verdict to match.
			"$W/run" -v "$W/p.dd" > /dev/null || { skipped=$((skipped + 1)); continue; }
			n=$((n + 1))
			"$W/refc" run "$W/p.dd" "$pcap" > "$W/ref.out"
			"$W/run" "$W/p.dd" "$pcap" > "$W/cand.out" 2> "$W/cand.err"
			if ! cmp -s "$W/ref.out" "$W/cand.out" || [ -s "$W/cand.err" ]; then
				bad=$((bad + 1))
				echo "  differs: '$expr' $opt" >&2
				[ -z "$first" ] && first="'$expr' $opt: $(diff "$W/ref.out" "$W/cand.out" | head -3 | tr '\n' ' ') $(head -c 300 "$W/cand.err")"
			fi
		done
	done < <(grep -hv '^#' "$@" | grep -v '^E ')
	if [ $n -lt 100 ]; then fail "$name: only $n programs compiled"
	elif [ $bad -ne 0 ]; then fail "$name: $bad of $n programs differ from libpcap, first: $first"
	else pass "$name: $n programs, verdicts equal to libpcap's bpf_filter ($skipped refused by Linux's checker)"; fi
}

diff_corpus "interp vs libpcap, EN10MB curated corpus" EN10MB "$W/en.pcap" "$SHARED/exprs.txt"
diff_corpus "interp vs libpcap, RAW corpus" RAW "$W/raw.pcap" "$SHARED/testrun-raw.txt"
if [ -n "${RB_SLOW:-}" ]; then
	diff_corpus "interp vs libpcap, TESTrun EN10MB corpus" EN10MB "$W/en.pcap" "$SHARED/testrun-en10mb.txt"
fi

# The kernel checker: every -O0 program without protochain must pass ours,
# since Linux loads libpcap's programs (a sample; the kernel test attaches them).
n=0 bad=0
while read -r _ expr; do
	case $expr in *protochain*|*geneve*) continue ;; esac
	"$W/refc" compile -O0 -dd "$expr" > "$W/p.dd" 2>/dev/null || continue
	n=$((n + 1))
	"$W/run" -v "$W/p.dd" > "$W/v.out" || { bad=$((bad + 1)); echo "  $expr: $(cat "$W/v.out")"; }
done < <(grep -v '^#' "$SHARED/exprs.txt" | grep -v '^E ' | head -150)
[ $bad -eq 0 ] && pass "validator accepts $n libpcap programs" || fail "validator refuses $bad of $n libpcap programs"
finish
