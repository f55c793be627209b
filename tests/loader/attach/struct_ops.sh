#!/bin/bash
# struct_ops: a minimal TCP congestion control (progs/attach/tcp_cc.bpf.c)
# registered by `rawbpf run` through a bpf link (.struct_ops.link, Linux >=
# 6.4) and through a plain map (.struct_ops): listed in
# tcp_available_congestion_control while running, used by a loopback
# transfer that asks for it (TCP_CONGESTION) in a network namespace, its
# callbacks counted, and gone after exit.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "struct_ops"
need_cmd python3 "struct_ops (the loopback transfer)"
P=$PROGS/attach
AVAIL=/proc/sys/net/ipv4/tcp_available_congestion_control
unshare -n sleep 600 & HOLDER=$!
cleanup() { kill $HOLDER 2>/dev/null; }
trap cleanup EXIT
sleep 0.2
INNS=(nsenter --net=/proc/$HOLDER/ns/net)
"${INNS[@]}" ip link set lo up || { skip "struct_ops: cannot create a network namespace"; exit 0; }
listed() { grep -qw "$1" $AVAIL; }

# cc_case NAME OBJ ALGO
cc_case() {
	local name=$1 obj=$2 algo=$3
	if ! start_run "$name" -- "$obj" --dump-maps; then
		if grep -qE 'Linux >= |not supported|has no struct' "$TMPDIR/$name.err"; then skip "$name: $(skip_reason "$name")"
		else fail "$name: did not attach: $(tail -3 "$TMPDIR/$name.err" | tr '\n' ' ')"; fi
		return
	fi
	check "$name: '$algo' listed while running" listed "$algo"
	local out; out=$("${INNS[@]}" python3 "$(dirname "$0")/tcp_cc_use.py" "$algo" 2>&1)
	check "$name: a connection uses it and moves 16 MiB ($out)" test "$out" = "$algo 16777216"
	stop_run "$name"
	local h0 h1; h0=$(hits "$name" 0); h1=$(hits "$name" 1)
	if [ "$RUN_RC" = 0 ] && [ "${h0:-0}" -ge 1 ]; then pass "$name: cong_avoid ran $h0 times (ssthresh $h1), exit 0"
	else fail "$name: exit $RUN_RC, cong_avoid count '$h0'"; fi
	check "$name: '$algo' gone after exit" bash -c "! grep -qw $algo $AVAIL"
	check "$name: nothing left" no_leftovers "$name" rawbpf_ssthresh rawbpf_cong_avoid rawbpf_undo_cwnd
}

cc_case "struct_ops link" "$P/tcp_cc.bpf.o" rawbpf_cc
check "struct_ops link: registered through a link" \
	grep -q '^attached rawbpf_cc: struct_ops tcp_congestion_ops (link)' "$TMPDIR/struct_ops link.err"
cc_case "struct_ops map" "$P/tcp_cc_map.bpf.o" rawbpf_cc_map
check "struct_ops map: registered by the map update" \
	grep -q '^attached rawbpf_cc: struct_ops tcp_congestion_ops$' "$TMPDIR/struct_ops map.err"

# --keep pins the struct_ops link: still registered after exit until `rawbpf detach`
PIN=/sys/fs/bpf/rb_stops$$
if "$RAWBPF" run "$P/tcp_cc.bpf.o" --pin $PIN --keep --duration 0 > /dev/null 2> "$TMPDIR/keep.err"; then
	check "struct_ops --keep: still registered after exit" listed rawbpf_cc
	"$RAWBPF" detach $PIN > /dev/null 2>&1
	sleep 0.3
	check "struct_ops --keep: unregistered by rawbpf detach" bash -c "! grep -qw rawbpf_cc $AVAIL"
elif grep -qE 'Linux >= ' "$TMPDIR/keep.err"; then
	skip "struct_ops --keep: $(grep -m1 'rawbpf: ' "$TMPDIR/keep.err" | cut -c1-160)"
else
	fail "struct_ops --keep: $(tail -2 "$TMPDIR/keep.err" | tr '\n' ' ')"
fi
rm -rf $PIN
finish
