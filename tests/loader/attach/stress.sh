#!/bin/bash
# Event readers under load: 500k getpgid(2) calls, each one 64-byte record
# into a ring buffer and a perf buffer.  Nothing may go unaccounted:
# produced == consumed + refused, per channel; the perf buffer's kernel
# lost-record count equals what the program saw refused.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "event stress"
N=500000
gcc -O2 -o "$TMPDIR/loop" "$(dirname "$0")/getpgid_loop.c" || { fail "building the load generator"; finish; }

stress_case() {
	local name=$1; shift
	if ! start_run "$name" -- "$PROGS/attach/stress.bpf.o" --count --dump-maps "$@"; then
		fail "$name: did not attach: $(tail -2 "$TMPDIR/$name.err" | tr '\n' ' ')"; return
	fi
	"$TMPDIR/loop" $N
	# The kernel writes a perf ring's pending LOST record before the next
	# sample that fits: once drained, one more event per CPU flushes them.
	sleep 0.5
	local c
	for c in $(seq 0 $(( $(nproc) - 1 ))); do taskset -c "$c" "$TMPDIR/loop" 1; done
	sleep 0.3
	stop_run "$name"
	local prod rbdrop pbdrop rbgot pbgot pblost
	prod=$(hits "$name" 0); rbdrop=$(hits "$name" 1); pbdrop=$(hits "$name" 2)
	read -r rbgot _ < <(sed -nE 's/^rb: ([0-9]+) records, ([0-9]+) lost/\1 \2/p' "$TMPDIR/$name.err")
	read -r pbgot pblost < <(sed -nE 's/^pb: ([0-9]+) records, ([0-9]+) lost/\1 \2/p' "$TMPDIR/$name.err")
	check "$name: exit 0" test "$RUN_RC" = 0
	check "$name: produced $prod > $N" test "${prod:-0}" -gt $N
	check "$name: ring buffer $prod == $rbgot consumed + $rbdrop refused" \
		test "${prod:-x}" = "$(( ${rbgot:-0} + ${rbdrop:-0} ))"
	check "$name: perf buffer $prod == $pbgot consumed + $pbdrop refused" \
		test "${prod:-x}" = "$(( ${pbgot:-0} + ${pbdrop:-0} ))"
	check "$name: perf lost records reported ($pblost) == refused ($pbdrop)" test "${pblost:-x}" = "${pbdrop:-y}"
	grep -E '^consumer:' "$TMPDIR/$name.err" | sed "s/^/  $name /"
}

stress_case "stress default rings"
stress_case "stress small perf rings" --perf-pages 2
finish
