#!/bin/bash
# uprobes and USDT on a test binary built here: PIE and non-PIE, the
# uprobe PMU and the tracefs fallback (with stale-probe cleanup), -p PID,
# USDT arguments and semaphores.  No rawbpf_ probe may remain afterwards.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "uprobes"
P=$PROGS/attach
SRC=$(dirname "$0")/target.c
gcc -O1 -g -o "$TMPDIR/target" "$SRC" || { fail "building the target"; finish; }
gcc -O1 -g -no-pie -fno-pie -o "$TMPDIR/target_nopie" "$SRC" || { fail "building the non-PIE target"; finish; }
TRACEFS=/sys/kernel/tracing
[ -e $TRACEFS/uprobe_events ] || TRACEFS=/sys/kernel/debug/tracing

# uprobe_case NAME BINARY CALLS run-args...: 10 calls to rawbpf_target_add
uprobe_case() {
	local name=$1 bin=$2; shift 2
	if ! start_run "$name" -- "$P/uprobe.bpf.o" --dump-maps --uprobe "$bin:rawbpf_target_add" "$@"; then
		fail "$name: did not attach: $(tail -3 "$TMPDIR/$name.err" | tr '\n' ' ')"; return
	fi
	[ -n "$DURING" ] && eval "$DURING"
	"$bin" 10 > /dev/null
	stop_run "$name"
	local got="$(hits "$name" 0) $(hits "$name" 1) $(hits "$name" 2) $(hits "$name" 3)"
	if [ "$RUN_RC" = 0 ] && [ "$got" = "10 55 10 65" ]; then pass "$name: 10 calls, args 55, 10 returns, returns 65"
	else fail "$name: exit $RUN_RC, calls/args/returns/sum '$got', want '10 55 10 65'"; fi
	check "$name: nothing left" no_leftovers "$name" on_call on_return
}

uprobe_case "uprobe PIE" "$TMPDIR/target"
uprobe_case "uprobe non-PIE" "$TMPDIR/target_nopie"

# tracefs fallback, and a stale probe of a dead run removed at start
OFF=$(nm "$TMPDIR/target" | awk '/ rawbpf_target_add$/ {print $1}')
if [ -e $TRACEFS/uprobe_events ] && echo "p:uprobes/rawbpf_4000000_stale_0 $TMPDIR/target:0x$OFF" >> $TRACEFS/uprobe_events; then
	DURING="grep -q rawbpf_\$RUN_LAST_PID $TRACEFS/uprobe_events && echo present > $TMPDIR/during"
	uprobe_case "uprobe tracefs" "$TMPDIR/target" --probe-tracefs
	DURING=
	check "tracefs probe existed while running" test -s "$TMPDIR/during"
	check "stale probe of a dead run removed" bash -c "! grep -q rawbpf_4000000 $TRACEFS/uprobe_events"
	check "no rawbpf probe remains" bash -c "! grep -q rawbpf_ $TRACEFS/uprobe_events"
else
	skip "uprobe tracefs: no writable uprobe_events"
fi

# -p PID: only the chosen process counts
"$TMPDIR/target" 10 2 > /dev/null & CHOSEN=$!
if start_run pid -- "$P/uprobe.bpf.o" --dump-maps --uprobe "$TMPDIR/target:rawbpf_target_add" -p $CHOSEN; then
	"$TMPDIR/target" 7 > /dev/null
	wait $CHOSEN
	stop_run pid
	h=$(hits pid 0)
	if [ "$RUN_RC" = 0 ] && [ "$h" = 10 ]; then pass "uprobe -p PID counts only that process (10)"
	else fail "uprobe -p PID: exit $RUN_RC, counted '$h', want 10"; fi
else
	fail "uprobe -p: did not attach: $(tail -2 "$TMPDIR/pid.err" | tr '\n' ' ')"
fi

check_fails "unknown symbol is a usage error" 1 "no symbol 'no_such_fn'" \
	"$RAWBPF" run "$P/uprobe.bpf.o" --uprobe "$TMPDIR/target:no_such_fn"
check_fails "uprobe without a target says how to give one" 1 "--uprobe BIN:SYMBOL" \
	"$RAWBPF" run "$P/uprobe.bpf.o"

# a library by bare name through -p PID's maps, and a versioned symbol
python3 -c 'import time, socket; time.sleep(1.5); socket.getaddrinfo("localhost", None)' & PY=$!
if start_run libpid -- "$PROGS/examples/gethostlatency.bpf.o" -p $PY --uprobe 'libc:getaddrinfo@@GLIBC_2.2.5'; then
	wait $PY
	sleep 0.3
	stop_run libpid
	check "uprobe: 'libc' found in /proc/PID/maps, versioned symbol resolved" \
		grep -q "^attached lookup_start: uprobe /.*libc[.-].*:getaddrinfo@@GLIBC_2.2.5" "$TMPDIR/libpid.err"
	check "uprobe -p: the lookup of that process seen" grep -q "pid=$PY .*host=\"localhost\"" "$TMPDIR/libpid.out"
else
	wait $PY
	fail "uprobe libc via -p: did not attach: $(tail -2 "$TMPDIR/libpid.err" | tr '\n' ' ')"
fi

# uprobe.multi: one link over every function matching a glob (Linux >= 6.6);
# the target calls rawbpf_target_add, _sub and _mul 10 times each
# multi_case NAME PATTERN WANT(calls args returns) run-args...
multi_case() {
	local name=$1 pat=$2 want=$3; shift 3
	if ! start_run "$name" -- "$P/uprobe_multi.bpf.o" --dump-maps --uprobe "$TMPDIR/target:$pat" "$@"; then
		if grep -q 'Linux >= 6.6' "$TMPDIR/$name.err"; then skip "$name: $(skip_reason "$name")"
		else fail "$name: did not attach: $(tail -3 "$TMPDIR/$name.err" | tr '\n' ' ')"; fi
		return 1
	fi
	[ -n "$DURING" ] && eval "$DURING"
	"$TMPDIR/target" 10 > /dev/null
	stop_run "$name"
	local got="$(hits "$name" 0) $(hits "$name" 1) $(hits "$name" 2)"
	if [ "$RUN_RC" = 0 ] && [ "$got" = "$want" ]; then pass "$name: calls/args/returns $got"
	else fail "$name: exit $RUN_RC, calls/args/returns '$got', want '$want'"; fi
	check "$name: nothing left" no_leftovers "$name" on_multi_call on_multi_return
}
if multi_case "uprobe.multi glob" 'rawbpf_target_*' "30 165 30"; then
	check "uprobe.multi: three functions matched (the semaphore and sink are data)" \
		grep -q "^attached on_multi_call: uprobe.multi $TMPDIR/target:rawbpf_target_\* (3 functions)" \
		"$TMPDIR/uprobe.multi glob.err"
	multi_case "uprobe.multi two of three" 'rawbpf_target_[as]*' "20 110 20"
	# -p PID: the link only fires in the chosen process
	"$TMPDIR/target" 5 2 > /dev/null & CHOSEN=$!
	DURING='wait $CHOSEN'
	multi_case "uprobe.multi -p PID" 'rawbpf_target_*' "15 45 15" -p $CHOSEN
	DURING=
	check_fails "uprobe.multi: a glob matching nothing is a usage error" 1 "no function in" \
		"$RAWBPF" run "$P/uprobe_multi.bpf.o" --uprobe "$TMPDIR/target:no_such_*"
fi

# USDT: the target found through PATH, both sites' arguments, the semaphore
mkdir -p "$TMPDIR/bin" && cp "$TMPDIR/target" "$TMPDIR/bin/rawbpf-usdt-target"
export PATH=$TMPDIR/bin:$PATH
if start_run usdt -- "$PROGS/examples/usdt.bpf.o" --dump-maps; then
	out=$(rawbpf-usdt-target 10)
	stop_run usdt
	check "usdt: semaphore raised while attached" test "$out" = "sum 65 guarded 10"
	check "usdt: ticks, int and long arguments, guarded probe" \
		grep -q 'value: {.ticks = 10, .arg0_sum = 55, .arg1_sum = 110, .guarded = 10}' "$TMPDIR/usdt.out"
	check "usdt: exit 0" test "$RUN_RC" = 0
	check "usdt: semaphore back to 0 after exit" test "$(rawbpf-usdt-target 3)" = "sum 9 guarded 0"
	check "usdt: nothing left" no_leftovers usdt on_tick on_guarded
elif grep -q 'Linux >= 5.15' "$TMPDIR/usdt.err"; then
	skip "usdt: this kernel has no BPF cookies for perf events (Linux >= 5.15)"
else
	fail "usdt: did not attach: $(tail -2 "$TMPDIR/usdt.err" | tr '\n' ' ')"
fi
finish
