#!/bin/bash
# Every attach kind this kernel has: attached for real by `rawbpf run`,
# triggered, observed through the program's `hits` map, and gone after.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "attach kinds"
P=$PROGS/attach

run_counting tracepoint "$P/tracepoint.bpf.o" "getpgid_n 100" 100
check "tracepoint: nothing left" no_leftovers tracepoint count_getpgid
run_counting raw_tracepoint "$P/raw_tp.bpf.o" "getpgid_n 100" 100
check "raw_tracepoint: nothing left" no_leftovers raw_tracepoint count_raw
run_counting tp_btf "$P/tp_btf.bpf.o" "getpgid_n 100" 100
run_counting fentry "$P/fentry.bpf.o" "getpgid_n 100" 100
if [ -e /sys/bus/event_source/devices/kprobe ] || [ -e /sys/kernel/tracing/kprobe_events ]; then
	run_counting kprobe "$P/kprobe.bpf.o" "cat /dev/null" 1
	check "kprobe: nothing left" no_leftovers kprobe count_kprobe count_ksyscall
else
	skip "kprobe: this kernel has neither the kprobe PMU nor tracefs kprobe_events"
fi
run_counting kprobe.multi "$P/kprobe_multi.bpf.o" "getpgid_n 100" 100
check "kprobe.multi: nothing left" no_leftovers kprobe.multi count_multi count_multi_ret
run_counting perf_event "$P/perf_event.bpf.o" "timeout 1 sh -c 'while :; do :; done'" 5 --freq 997
check "perf_event: nothing left" no_leftovers perf_event count_sample

# iter: output printed once, then exit
if "$RAWBPF" run "$P/iter.bpf.o" > "$TMPDIR/iter.out" 2> "$TMPDIR/iter.err"; then
	check "iter/task prints its total" grep -qE '^rawbpf iter: [1-9][0-9]* tasks' "$TMPDIR/iter.out"
elif grep -qE 'must provide btf_id|btf_id|not supported' "$TMPDIR/iter.err"; then
	skip "iter: $(skip_reason iter)"
else
	fail "iter: $(tail -2 "$TMPDIR/iter.err" | tr '\n' ' ')"
fi

# `rawbpf iter OBJ`
if "$RAWBPF" iter "$P/iter.bpf.o" > "$TMPDIR/iter2.out" 2> "$TMPDIR/iter2.err"; then
	check "rawbpf iter prints the iterator's output" grep -qE '^rawbpf iter: [1-9][0-9]* tasks' "$TMPDIR/iter2.out"
elif grep -qE 'must provide btf_id|not supported' "$TMPDIR/iter2.err"; then
	skip "rawbpf iter: $(skip_reason iter2)"
else
	fail "rawbpf iter: $(tail -2 "$TMPDIR/iter2.err" | tr '\n' ' ')"
fi
check_fails "rawbpf iter: object without iter programs" 1 'no iter/ program' "$RAWBPF" iter "$P/tracepoint.bpf.o"

# cgroup_skb in a cgroup v2 child made here; a ping on loopback from inside it
CG=/sys/fs/cgroup/unified/rawbpf_attach_$$
if mkdir "$CG" 2>/dev/null; then
	run_counting cgroup "$P/cgroup.bpf.o" \
		"bash -c 'echo \$\$ > $CG/cgroup.procs; . $(dirname "$0")/run_helpers.inc; udp_burst 127.0.0.1 5'" 3 --cgroup "$CG"
	check "cgroup: nothing left" no_leftovers cgroup count_egress
	command -v bpftool >/dev/null &&
		check "cgroup: no program on the cgroup" bash -c "! bpftool cgroup show $CG | grep -q count_egress"
	rmdir "$CG"
else
	skip "cgroup: cannot make a cgroup v2 folder under /sys/fs/cgroup/unified"
fi
finish
