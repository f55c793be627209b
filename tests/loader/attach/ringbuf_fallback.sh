#!/bin/bash
# Ring buffer -> perf buffer (rawbpf/output.h, loader/load/output.c): on a
# kernel that refuses BPF_MAP_TYPE_RINGBUF -- here the syscall chokepoint of
# tests/loader/attach/fault_run.c refusing it with EINVAL, as Linux < 5.8 does
# -- execsnoop still streams its records, through a perf event array; on the
# real kernel it keeps its ring buffer.  Either load also shows the verifier
# skipped the other branch: bpf_ringbuf_reserve on a perf event array (and
# bpf_perf_event_output on a ring buffer) is refused wherever it is checked.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "ringbuf fallback"
need_cmd gcc "ringbuf fallback (builds a test-only runner)"
E=$PROGS/examples
RINGBUF=27 # BPF_MAP_TYPE_RINGBUF

# the runner links the library of the build under test (sanitizers alike)
case $RAWBPF in
*debug*) LIB=build/debug/librawbpf.a SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" ;;
*) LIB=build/test/librawbpf.a SAN= ;;
esac
[ -f "$LIB" ] || { skip "ringbuf fallback: $LIB not built (make check builds it)"; finish; }
FR=$TMPDIR/fault_run
gcc -std=c17 -D_GNU_SOURCE -O1 -g $SAN -I. -o "$FR" tests/loader/attach/fault_run.c "$LIB" ||
	{ fail "ringbuf fallback: building fault_run"; finish; }

# exec_seen NAME: /bin/true exec'd now shows up in NAME's records
exec_seen() {
	(exec /bin/true) & local child=$!
	wait $child
	sleep 0.3
	EXEC_CHILD=$child
}

# the normal path: a ring buffer
if start_run ring -- "$E/execsnoop.bpf.o"; then
	"$RAWBPF" map show name events > "$TMPDIR/ring.map" 2>&1
	exec_seen
	stop_run ring
	check "execsnoop keeps its ring buffer where the kernel has one" grep -q 'ringbuf  name events' "$TMPDIR/ring.map"
	check "execsnoop via the ring buffer: /bin/true" \
		grep -qE "^events: pid=$EXEC_CHILD ppid=$$ comm=\"true\" filename=\"/bin/true\"" "$TMPDIR/ring.out"
	check "no fallback note on the normal path" bash -c "! grep -q 'perf buffers instead' '$TMPDIR/ring.err'"
else
	fail "execsnoop (ring buffer): did not attach: $(tail -2 "$TMPDIR/ring.err" | tr '\n' ' ')"
fi

# the fallback: start_run runs $RAWBPF run ..., so point it at the runner
RAWBPF_SAVED=$RAWBPF
RAWBPF="$FR"
export RB_REFUSE_MAP_TYPE=$RINGBUF
if start_run perf -- "$E/execsnoop.bpf.o"; then
	"$RAWBPF_SAVED" map show name events > "$TMPDIR/perf.map" 2>&1
	exec_seen
	stop_run perf
	check "without ring buffers execsnoop's map is a perf event array" \
		grep -q 'perf_event_array  name events' "$TMPDIR/perf.map"
	check "execsnoop via the perf buffer: /bin/true with its pid and ppid" \
		grep -qE "^events: pid=$EXEC_CHILD ppid=$$ comm=\"true\" filename=\"/bin/true\"" "$TMPDIR/perf.out"
	check "the fallback says so once" test "$(grep -c 'no BPF ring buffers' "$TMPDIR/perf.err")" = 1
	check "the kernel was asked once (the probe), the answer kept" grep -q 'refused 1 calls' "$TMPDIR/perf.err"
	check "exit 0 on SIGINT" test "$RUN_RC" = 0
else
	fail "execsnoop (perf fallback): did not attach: $(tail -3 "$TMPDIR/perf.err" | tr '\n' ' ')"
fi
RAWBPF=$RAWBPF_SAVED
unset RB_REFUSE_MAP_TYPE

# a ring buffer size cannot apply to the perf event array that replaced it
check_fails "--map-size of a ring buffer turned perf event array is ignored, in a note" 0 \
	"--map-size events ignored: the ring buffer is a perf event array" \
	env RB_REFUSE_MAP_TYPE=$RINGBUF "$FR" load "$E/execsnoop.bpf.o" --map-size events=1048576

# an object not built with rawbpf/output.h has no fallback: exit 5, and why
check_fails "a plain ring buffer object on a kernel without them" 5 \
	"map 'rb' needs kernel support for BPF ring buffers \(BPF_MAP_TYPE_RINGBUF, Linux >= 5.8\)" \
	env RB_REFUSE_MAP_TYPE=$RINGBUF "$FR" load "$PROGS/attach/bench_ring.bpf.o"
# any map type: the kernel refusing even a minimal map of it means it lacks it
check_fails "a map type the kernel lacks (bloom filter)" 5 \
	"map 'seen_protos' needs kernel support for bloom_filter maps \(Linux >= 5.16\)" \
	env RB_REFUSE_MAP_TYPE=30 "$FR" load "$PROGS/loader/bloom.bpf.o"
finish
