#!/bin/bash
# Runs rawbpf's tests and adds up the results.
#   --unit DIR      run every Check binary below DIR
#   --rawbpf BIN    run every integration script tests/**/*.sh against BIN
#   --label NAME    results go to build/test-results/NAME.txt
#   --only PATH     only tests below PATH (e.g. tests/elf)
#   --only-unit     skip integration scripts
#   --list FILE     only the integration scripts FILE names (one per line, # comments)
#   --summary L...  print the total of the named labels (default release sanitizer)
#                   as "N passed, N failed, N skipped"; exit 1 if anything failed
set -u
cd "$(dirname "$0")/.."
RES=build/test-results
UNIT= BIN= LIST= LABEL=run ONLY=tests ONLY_UNIT=0 SUMMARY=0 LABELS=()
while [ $# -gt 0 ]; do
	case $1 in
	--unit) UNIT=$2; shift ;;
	--rawbpf) BIN=$2; shift ;;
	--label) LABEL=$2; shift ;;
	--only) ONLY=${2%/}; shift ;;
	--only-unit) ONLY_UNIT=1 ;;
	--list) LIST=$2; shift ;;
	--summary) SUMMARY=1 ;;
	*) LABELS+=("$1") ;;
	esac
	shift
done

summary() {
	[ ${#LABELS[@]} -eq 0 ] && LABELS=(release sanitizer)
	local p=0 f=0 s=0 l
	for l in "${LABELS[@]}"; do
		[ -f "$RES/$l.txt" ] || { echo "no results for '$l'"; f=$((f+1)); continue; }
		p=$((p + $(grep -c '^PASS' "$RES/$l.txt")))
		f=$((f + $(grep -c '^FAIL' "$RES/$l.txt")))
		s=$((s + $(grep -c '^SKIP' "$RES/$l.txt")))
		grep '^FAIL' "$RES/$l.txt" | sed "s/^/[$l] /"
	done
	echo "$p passed, $f failed, $s skipped"
	[ $f -eq 0 ]
}
[ $SUMMARY = 1 ] && { summary; exit; }

mkdir -p "$RES"
OUT=$RES/$LABEL.txt
: > "$OUT"
echo "== rawbpf tests ($LABEL)"

run_unit() {
	local t=$1 log rc line checks fails errs
	log=$(mktemp)
	timeout 300 "$t" > "$log" 2>&1; rc=$?
	line=$(grep -E '^[0-9]+%: Checks: ' "$log" | tail -1)
	if [ -n "$line" ]; then
		checks=$(sed -E 's/.*Checks: ([0-9]+).*/\1/' <<<"$line")
		fails=$(sed -E 's/.*Failures: ([0-9]+).*/\1/' <<<"$line")
		errs=$(sed -E 's/.*Errors: ([0-9]+).*/\1/' <<<"$line")
		for ((i = 0; i < checks - fails - errs; i++)); do echo "PASS unit $t" >> "$OUT"; done
		grep -E ':[EF]:' "$log" | sed 's/^/FAIL unit /' >> "$OUT"
		echo "  $t: $line"
	fi
	if [ $rc -ne 0 ] && { [ -z "$line" ] || [ "${fails:-0}${errs:-0}" = 00 ]; }; then
		echo "FAIL unit $t exited $rc: $(tail -3 "$log" | tr '\n' ' ')" >> "$OUT"
		tail -20 "$log"
	fi
	grep -E ':[EF]:' "$log" | head -20
	rm -f "$log"
}

if [ -n "$UNIT" ] && [ -d "$UNIT" ]; then
	while IFS= read -r t; do
		case $t in "$UNIT${ONLY#tests}"*) ;; *) continue ;; esac
		run_unit "$t"
	done < <(find "$UNIT" -type f -executable -name '*_test' | sort)
fi

if [ -n "$BIN" ] && [ $ONLY_UNIT = 0 ]; then
	export RAWBPF=$BIN PROGS=${PROGS:-build/progs} RB_RESULTS=$OUT RB_ROOT=$PWD
	while IFS= read -r s; do
		echo "-- $s"
		scratch=$(mktemp -d)
		before=$(grep -c '^FAIL' "$OUT")
		TMPDIR=$scratch timeout 900 bash "$s"; rc=$?
		after=$(grep -c '^FAIL' "$OUT")
		[ $rc -ne 0 ] && [ "$before" = "$after" ] && echo "FAIL $s exited $rc" >> "$OUT"
		rm -rf "$scratch"
	done < <(if [ -n "$LIST" ]; then grep -v -E '^(#|$)' "$LIST"
		 else find "$ONLY" -name '*.sh' -not -name lib.sh -not -path '*/vm/*' | sort; fi)
fi
echo "== $LABEL: $(grep -c '^PASS' "$OUT") passed, $(grep -c '^FAIL' "$OUT") failed, $(grep -c '^SKIP' "$OUT") skipped"
exit 0
