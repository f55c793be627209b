#!/bin/bash
# Map sizes the object leaves 0 (loader/load/map_size.c): the libbpf-tools
# objects whose user-space tools size maps at run time (capable, offcputime,
# wakeuptime: stack trace maps; capable: a perf event array; cpudist: hashes)
# load with rawbpf's defaults, each said in a note, and the kernel's maps have
# those sizes (bpftool reads them back); --map-size overrides them, and bad
# --map-size arguments are usage errors.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/../load_helpers.bash"
OBJS=build/libbpf-tools
[ -n "$(ls $OBJS/*.bpf.o 2>/dev/null)" ] || scripts/carve-libbpf-tools.sh "$OBJS" > /dev/null 2>&1
[ -r $OBJS/capable.bpf.o ] || { skip "map sizes: cannot fetch Debian's libbpf-tools"; finish; }

depth=$(cat /proc/sys/kernel/perf_event_max_stack 2>/dev/null || echo 127)
cpus=$(python3 -c 'import sys
n = 0
for part in open("/sys/devices/system/cpu/possible").read().strip().split(","):
    a, _, b = part.partition("-")
    n += int(b or a) - int(a) + 1
print(n)')

# map_dims PIN: "max_entries value_size" of a pinned map, as the kernel has it
map_dims() { bpftool -j map show pinned "$1" | json_get "'%d %d' % (d['max_entries'], d['bytes_value'])"; }

# the four objects load with defaults; each default is one note line
for tool in capable offcputime wakeuptime cpudist; do
	D=$PINS/$tool
	if ! $RAWBPF load $OBJS/$tool.bpf.o --pin $D > "$TMPDIR/out" 2> "$TMPDIR/err"; then
		fail "map sizes: $tool does not load: $(grep -m1 '^rawbpf: [^n]' "$TMPDIR/err")"
		continue
	fi
	pass "map sizes: $tool loads with defaults for its 0 sizes"
	if [ $tool = cpudist ]; then
		expect "map sizes: cpudist 'start' gets 10240 entries" "10240 8" map_dims $D/maps/start
		check "map sizes: cpudist notes name the map and the value" \
			grep -q "map 'hists' (hash): max_entries 0 -> 10240" "$TMPDIR/err"
	else
		expect "map sizes: $tool stackmap value = perf_event_max_stack $depth x 8" \
			"10240 $((depth * 8))" map_dims $D/maps/stackmap
		check "map sizes: $tool note names the stack map's values" grep -q \
			"map 'stackmap' (stack_trace): max_entries 0 -> 10240 .*value_size 0 -> $((depth * 8)) (perf_event_max_stack $depth" \
			"$TMPDIR/err"
	fi
	rm -rf $D
done
check "map sizes: capable's perf event array has one entry per possible CPU" \
	grep -q "map 'events' (perf_event_array): max_entries 0 -> $cpus (one per possible CPU)" <(
	$RAWBPF load $OBJS/capable.bpf.o 2>&1 >/dev/null)

# --map-size overrides the object and the defaults (ENTRIES, ,VALUE_SIZE, both)
D=$PINS/override
check "map sizes: --map-size overrides" $RAWBPF load $OBJS/capable.bpf.o --pin $D \
	--map-size stackmap=1024,$((depth / 2 * 8)) --map-size events=$((cpus + 2)) --map-size seen=,8
expect "map sizes: stackmap as given" "1024 $((depth / 2 * 8))" map_dims $D/maps/stackmap
expect "map sizes: events as given" "$((cpus + 2)) 4" map_dims $D/maps/events
expect "map sizes: seen keeps its entries, value as given" "10240 8" map_dims $D/maps/seen
rm -rf $D
$RAWBPF -j load $OBJS/offcputime.bpf.o --map-size stackmap=,$((depth * 8)) > "$TMPDIR/j" 2> "$TMPDIR/err"
expect "map sizes: -j shows the sizes as created" "10240 $((depth * 8))" bash -c "json_get \"[' '.join(str(m[k]) for k in ('max_entries','value_size')) for m in d['maps'] if m['name']=='stackmap'][0]\" < $TMPDIR/j"
check "map sizes: no value_size note when it was given" bash -c "! grep -q value_size $TMPDIR/err"

# `run` takes the same option (the override silences that map's note)
$RAWBPF run $OBJS/cpudist.bpf.o --map-size start=100 --duration 0 > /dev/null 2> "$TMPDIR/run.err"; rc=$?
if [ $rc = 0 ] && grep -q "map 'hists'" "$TMPDIR/run.err" && ! grep -q "map 'start'" "$TMPDIR/run.err"; then
	pass "map sizes: run --map-size"
else
	fail "map sizes: run --map-size: exit $rc, $(tail -2 "$TMPDIR/run.err" | tr '\n' ' ')"
fi

# hostile arguments: exit 1 with the reason, nothing created
for bad in nosuch=5 stackmap stackmap=0 stackmap=-1 stackmap=4294967296 stackmap=1,2,3 \
	   capable.rodata=4 "stackmap= 5"; do
	$RAWBPF load $OBJS/capable.bpf.o --map-size "$bad" > /dev/null 2> "$TMPDIR/err"; rc=$?
	if [ $rc = 1 ] && grep -q -- "--map-size" "$TMPDIR/err"; then pass "map sizes: --map-size '$bad' refused"
	else fail "map sizes: --map-size '$bad': exit $rc, $(cat "$TMPDIR/err")"; fi
done
# the kernel's own limit: a stack deeper than perf_event_max_stack is refused, said with the sizes
check_fails "map sizes: stack value above the kernel's limit refused" 3 "value $(((depth + 1) * 8)) entries 10240.*BPF_MAP_CREATE refused" \
	$RAWBPF load $OBJS/capable.bpf.o --map-size stackmap=,$(((depth + 1) * 8))
finish
