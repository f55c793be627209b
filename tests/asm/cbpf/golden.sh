#!/bin/bash
# Golden listings of `rawbpf filter`: golden.txt holds cases
#   == FLAGS | EXPRESSION        (FLAGS: options before the expression)
# followed by the exact stdout (exit 0) or, for `!= FLAGS | EXPRESSION`,
# the exact stderr of a rejected expression (exit 1, caret included).
# `golden.sh --update` rewrites golden.txt from the current binary (review
# the diff before committing it).
. "$(dirname "$0")/../../lib.sh"
GOLDEN=$(dirname "$0")/golden.txt
UPDATE=0
[ "${1:-}" = --update ] && UPDATE=1

run_case() {   # kind flags expr -> output on stdout, returns the exit code
	local flags=$2 expr=$3
	# shellcheck disable=SC2086
	if [ "$1" = "==" ]; then "$RAWBPF" filter $flags "$expr" 2>/dev/null
	else "$RAWBPF" filter $flags "$expr" 2>&1 >/dev/null; fi
}

split_cases() {   # golden.txt -> $TMPDIR/case.N.{head,want}
	awk -v dir="$TMPDIR" '
		/^(==|!=) / { n++; f = dir "/case." n; print > (f ".head"); close(f ".head"); printf "" > (f ".want"); next }
		n { print >> (dir "/case." n ".want") }' "$GOLDEN"
}

if [ $UPDATE = 1 ]; then
	out=$(mktemp)
	grep -E '^(==|!=) ' "$GOLDEN" | while IFS= read -r head; do
		kind=${head:0:2}; rest=${head:3}; flags=${rest%% | *}; expr=${rest#* | }
		echo "$head"; run_case "$kind" "$flags" "$expr"
	done > "$out"
	mv "$out" "$GOLDEN"
	echo "golden.txt rewritten"; exit 0
fi

split_cases
for head in "$TMPDIR"/case.*.head; do
	base=${head%.head}
	line=$(cat "$head"); kind=${line:0:2}; rest=${line:3}
	flags=${rest%% | *}; expr=${rest#* | }
	got=$(run_case "$kind" "$flags" "$expr"); rc=$?
	want=$(cat "$base.want")
	if [ "$kind" = "==" ] && [ $rc != 0 ]; then fail "golden '$expr' ($flags): exit $rc"
	elif [ "$kind" = "!=" ] && [ $rc != 1 ]; then fail "golden error '$expr': exit $rc, wanted 1"
	elif [ "$got" != "$want" ]; then
		fail "golden '$expr' ($flags): output differs: $(diff <(echo "$want") <(echo "$got") | head -4 | tr '\n' ' ')"
	else pass "golden $kind $flags $expr"; fi
done
finish
