#!/bin/bash
# `run` lifetime: SIGINT/SIGTERM/--duration detach everything and exit 0;
# --keep pins links so programs stay attached; `detach` removes them;
# --printk relays bpf_printk; --interval and --dump-maps snapshot maps
# (histograms drawn, JSON with -j).
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "run lifetime"
P=$PROGS/attach
getpgid_n() { python3 -c "import os; [os.getpgid(0) for _ in range($1)]"; }

# SIGTERM
if start_run term -- "$P/tracepoint.bpf.o"; then
	kill -TERM "${RUN_PIDS[term]}"; wait "${RUN_PIDS[term]}"
	check "SIGTERM: exit 0" test $? = 0
	check "SIGTERM: nothing left" no_leftovers term count_getpgid
fi

# a closed output pipe ends the run cleanly: its tracefs uprobes are removed
TRACEFS=/sys/kernel/tracing
if [ -w $TRACEFS/uprobe_events ]; then
	( "$RAWBPF" run "$PROGS/examples/gethostlatency.bpf.o" --probe-tracefs --duration 20 2> "$TMPDIR/pipe.err" | head -1 > "$TMPDIR/pipe.out" ) &
	PIPE=$!
	for i in $(seq 1 300); do grep -q '^attached' "$TMPDIR/pipe.err" 2>/dev/null && break; sleep 0.1; done
	for i in $(seq 1 20); do
		python3 -c 'import socket; socket.getaddrinfo("localhost", None)'
		sleep 0.2
		kill -0 $PIPE 2>/dev/null || break
	done
	wait $PIPE
	# any process's lookup may come first: the record only has to be whole
	if grep -qE '^events: pid=[0-9]+ comm=".*" host=".*" latency_ns=[0-9]+$' "$TMPDIR/pipe.out"; then
		pass "closed pipe: first record printed"
	else fail "closed pipe: no record after $i lookups: $(tr '\n' ' ' < "$TMPDIR/pipe.err")"; fi
	check "closed pipe: run ended with its summary" grep -qE '^events: [0-9]+ records' "$TMPDIR/pipe.err"
	check "closed pipe: tracefs uprobes removed" bash -c "! grep -q rawbpf_ $TRACEFS/uprobe_events"
fi

# --duration
start=$(date +%s%N)
check "--duration 1: exit 0" "$RAWBPF" run "$P/tracepoint.bpf.o" --duration 1
ms=$(( ($(date +%s%N) - start) / 1000000 ))
check "--duration 1: took about a second ($ms ms)" test $ms -ge 900 -a $ms -lt 5000

# --printk and a drawn histogram
if start_run printk -- "$P/printk_hist.bpf.o" --printk --dump-maps; then
	getpgid_n 100
	sleep 0.3
	stop_run printk
	check "--printk relays bpf_printk lines" grep -q 'rawbpf printk 42' "$TMPDIR/printk.out"
	check "--dump-maps draws the log2 histogram" grep -qE '^ +64 -> 127 +: 37 +\|\*+\|$' "$TMPDIR/printk.out"
fi

# two ring buffers on one epoll, each record printed with its own type
if start_run two -- "$P/two_rings.bpf.o"; then
	getpgid_n 3
	sleep 0.3
	stop_run two
	check "two ring buffers: both streams, typed" test "$(grep -cE '^(first: n=[123]|second: n10=(10|20|30))$' "$TMPDIR/two.out")" = 6
fi

# --interval: snapshots while running, plus the one at exit
if start_run interval -- "$P/tracepoint.bpf.o" --interval 0.4 --dump-maps; then
	sleep 1.5
	stop_run interval
	n=$(grep -c '^map hits:' "$TMPDIR/interval.out")
	check "--interval 0.4 over 1.5 s: at least 3 snapshots ($n)" test "$n" -ge 3
fi

# -j --dump-maps: one JSON document
if start_run json -- "$P/tracepoint.bpf.o" --dump-maps -j; then
	getpgid_n 7
	stop_run json
	check "--dump-maps -j: JSON with the count" python3 -c "
import json
d = json.loads(open('$TMPDIR/json.out').read())
m = [m for m in d['maps'] if m['map'] == 'hits'][0]
assert m['entries'][0] == {'key': 0, 'value': 7}, m"
fi

# --keep: the link outlives the run; detach removes it
PIN=/sys/fs/bpf/rawbpf_keep_$$
# slot 0 of the pinned `hits` map (bpftool prints bytes without BTF, numbers with)
pinned_hits() {
	bpftool map lookup pinned $PIN/maps/hits key 0 0 0 0 -j 2>/dev/null | python3 -c '
import json, sys
v = json.load(sys.stdin)["value"]
print(v if isinstance(v, int) else int.from_bytes(bytes(int(x, 16) for x in v), "little"))'
}
check "--keep: exit 0" "$RAWBPF" run "$P/tracepoint.bpf.o" --pin $PIN --keep --duration 0.2
check "--keep: the link is pinned" test -e $PIN/links/count_getpgid
before=$(pinned_hits)
getpgid_n 5
after=$(pinned_hits)
check "--keep: still attached after exit (${before:-?} -> ${after:-?})" test "$(( ${after:-0} - ${before:-0} ))" -ge 5
check "detach DIR: removes the links" "$RAWBPF" detach $PIN
check "detach: folder gone" test ! -e $PIN/links
getpgid_n 5
again=$(pinned_hits)
check "detach: no longer counting (${after:-?} -> ${again:-?})" test "${again:-x}" = "${after:-y}"
rm -rf $PIN
check "detach: no program left" no_leftovers keep count_getpgid
check_fails "--keep needs --pin" 1 'give --pin DIR' "$RAWBPF" run "$P/tracepoint.bpf.o" --keep
check_fails "detach of a folder without links" 1 'no pinned links' "$RAWBPF" detach /sys/fs/bpf/rawbpf_none_$$
check_fails "run: unknown option" 1 "unknown option '--frobnicate'" "$RAWBPF" run "$P/tracepoint.bpf.o" --frobnicate
finish
