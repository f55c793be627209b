#!/bin/bash
# rawbpf load on the progs/loader objects: every map kind, global data and
# --set, subprograms, bpf_loop, tail calls, map-in-map, spin locks, pinning,
# asserted by running the programs (BPF_PROG_TEST_RUN via bpftool) and reading
# the maps back.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/load_helpers.bash"
P=$PROGS/loader

# ---- demo counter: hash map, .rodata, .bss
D=$PINS/counter
check "load counter with --pin" $RAWBPF load $PROGS/demo/counter.bpf.o --pin $D
# socket filters see the packet without its 14-byte Ethernet header
expect "counter returns the packet length" 50 prog_ret $D/count_packets 64
expect "counter counted protocol 0" "1 50" \
	bash -c "map_json $D/maps/by_proto | json_get \"' '.join(str(v) for v in d[0]['formatted']['value'].values())\""
expect "counter .bss total" 1 bash -c "map_json $D/maps/counter_bss | json_get \"d[0]['formatted']['value']['.bss'][0]['total_packets']\""
check "pin layout: program at DIR/<prog>" test -e $D/count_packets
check "pin layout: internal maps with dots as underscores" test -e $D/maps/counter_rodata
rm -rf $D

# ---- legacy maps section
D=$PINS/legacy
check "load legacy maps" $RAWBPF load $P/maps_legacy.bpf.o --pin $D
expect "legacy program ran" 1 prog_ret $D/legacy_writer 80
expect "legacy hash[7] = packet length" 66 bash -c "map_json $D/maps/legacy_hash | json_get \"le(d[0]['value'])\""
expect "legacy array[2]" $((0xabcd)) bash -c "map_json $D/maps/legacy_array | json_get \"le(d[2]['value'])\""
rm -rf $D

# ---- BTF maps of each type
D=$PINS/btfmaps
check "load BTF maps" $RAWBPF load $P/maps_btf.bpf.o --pin $D
expect "fill_maps ran" 2 prog_ret $D/fill_maps
expect "hash[3]" $((0x1122334455667788)) bash -c "map_json $D/maps/m_hash | json_get \"d[0]['formatted']['value']\""
expect "array[3]" 33 bash -c "map_json $D/maps/m_array | json_get \"d[3]['formatted']['value']\""
expect "lru[99]" 33 bash -c "map_json $D/maps/m_lru | json_get \"d[0]['formatted']['value']\""
expect "lpm 10.1.2.0/24" 33 bash -c "map_json $D/maps/m_lpm | json_get \"d[0]['formatted']['value']\""
expect "queue holds 33" 33 bash -c "bpftool -j map peek pinned $D/maps/m_queue | json_get \"le(d['value'])\""
expect "stack holds 44" 44 bash -c "bpftool -j map peek pinned $D/maps/m_stack | json_get \"le(d['value'])\""
cpus=$(python3 -c 'import sys
n=0
for part in open("/sys/devices/system/cpu/possible").read().strip().split(","):
    a,_,b=part.partition("-"); n+=int(b or a)-int(a)+1
print(n)')
expect "perf event array sized to possible CPUs" $cpus \
	bash -c "bpftool -j map show pinned $D/maps/m_perf | json_get \"d['max_entries']\""
expect "map types as defined" "hash array percpu_hash percpu_array lru_hash lpm_trie queue stack ringbuf perf_event_array" \
	bash -c "for m in m_hash m_array m_pcpu_hash m_pcpu_array m_lru m_lpm m_queue m_stack m_ringbuf m_perf; do bpftool -j map show pinned $D/maps/\$m | json_get \"d['type']\"; done | tr '\n' ' ' | sed 's/ \$//'"
rm -rf $D

# ---- global data and --set
D=$PINS/globals
check "load globals" $RAWBPF load $P/globals.bpf.o --pin $D
expect "defaults: knob + data + custom data + custom rodata" 121 prog_ret $D/read_globals
expect "bss results" "121 -2 104 7 0 1" bash -c "map_json $D/maps/globals_bss | json_get \"' '.join(str(v) for v in d[0]['formatted']['value']['.bss'][0]['out'].values())\""
expect ".data written by the program" 101 bash -c "map_json $D/maps/globals_data | json_get \"d[0]['formatted']['value']['.data'][0]['data_var']\""
expect ".data.custom written by the program" 8 bash -c "map_json '$D/maps/_data_custom' | json_get \"le(d[0]['value'])\""
check_fails ".rodata is frozen" 255 "." bpftool map update pinned $D/maps/globals_rodata key 0 0 0 0 value 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0
rm -rf $D
check "load globals with --set" $RAWBPF load $P/globals.bpf.o --pin $D --set knob=5 --set mode=MODE_MUL \
	--set neg_knob=-9 --set greeting=Yo --set flag=true
expect "--set knobs change the result" 518 prog_ret $D/read_globals
expect "--set values seen by the program" "518 -9 89 7 1 1" bash -c "map_json $D/maps/globals_bss | json_get \"' '.join(str(v) for v in d[0]['formatted']['value']['.bss'][0]['out'].values())\""
rm -rf $D
check_fails "--set unknown variable" 1 "nosuch" $RAWBPF load $P/globals.bpf.o --set nosuch=1
check_fails "--set out of range" 1 "neg_knob" $RAWBPF load $P/globals.bpf.o --set neg_knob=40000
check_fails "--set without =" 1 "NAME=VALUE" $RAWBPF load $P/globals.bpf.o --set knob

# ---- subprograms and bpf_loop
D=$PINS/subprogs
check "load subprograms" $RAWBPF load $P/subprogs.bpf.o --pin $D
expect "nested + global subprogram + bpf_loop callback" 62 prog_ret $D/first_user
expect "subprograms shared by a second program" 26 prog_ret $D/second_user
rm -rf $D

# ---- tail calls through .values
D=$PINS/tail
check "load tail calls" $RAWBPF load $P/tailcall.bpf.o --pin $D
expect "tail call to slot 1" 41 prog_ret $D/dispatch 64
expect "tail call to slot 3" 43 prog_ret $D/dispatch 200
rm -rf $D
check "--skip a tail-call target leaves its slot empty" bash -c \
	"$RAWBPF load $P/tailcall.bpf.o --skip tail_b --pin $D 2>&1 | grep -q 'slot 3 stays empty'"
expect "empty slot: the tail call falls through" 7 prog_ret $D/dispatch 200
rm -rf $D

# ---- map-in-map with .values
D=$PINS/mim
check "load map-in-map" $RAWBPF load $P/map_in_map.bpf.o --pin $D
expect "both outer lookups found inner maps" 1 prog_ret $D/through_outer
expect "inner_a[0] written through outer_array" 5 bash -c "map_json $D/maps/inner_a | json_get \"d[0]['formatted']['value']\""
expect "inner_b[1] written through outer_hash" 6 bash -c "map_json $D/maps/inner_b | json_get \"d[1]['formatted']['value']\""
rm -rf $D

# ---- spin lock in a BTF map value
D=$PINS/spin
check "load spin lock map" $RAWBPF load $P/spin_lock.bpf.o --pin $D
prog_ret $D/locked_inc >/dev/null
expect "spin-locked counter" 1 prog_ret $D/locked_inc
expect "counter is 2 after two runs" 2 bash -c "map_json $D/maps/counters | json_get \"d[0]['formatted']['value']['count']\""
rm -rf $D

# ---- pin by name: reuse across loads, clash
mkdir -p $PINS/root
check "pin-by-name: first load creates and pins" $RAWBPF load $P/pin_by_name.bpf.o --pin-root $PINS/root --pin $PINS/a
check "pin-by-name: map pinned at pin root" test -e $PINS/root/rb_test_shared
check "pin-by-name: map also in DIR/maps" test -e $PINS/a/maps/rb_test_shared
check "pin-by-name: second load reuses" bash -c \
	"$RAWBPF -j load $P/pin_by_name.bpf.o --pin-root $PINS/root --pin $PINS/b | grep -q '\"reused\":true'"
expect "first program bumps the shared map" 1 prog_ret $PINS/a/bump_shared
expect "second program sees the same map" 2 prog_ret $PINS/b/bump_shared
check_fails "pin-by-name clash names both definitions" 3 "array key 4 value 8 entries 1.*differs.*hash key 4 value 8 entries 8" \
	$RAWBPF load $P/pin_by_name_clash.bpf.o --pin-root $PINS/root
rm -rf $PINS/a $PINS/b $PINS/root

# ---- bpffs missing: rawbpf mounts it (in a private mount namespace)
if command -v unshare >/dev/null; then
	check "mounts bpffs at /sys/fs/bpf when missing" unshare -m --propagation private bash -c "
		while mountpoint -q /sys/fs/bpf; do umount /sys/fs/bpf || exit 1; done
		$RAWBPF load $PROGS/demo/counter.bpf.o --pin /sys/fs/bpf/t 2>&1 | grep -q 'mounted bpffs at /sys/fs/bpf' &&
		test -e /sys/fs/bpf/t/count_packets"
else
	skip "mounting bpffs: unshare not installed"
fi

# ---- output
check "-j summary is JSON" bash -c "$RAWBPF -j load $PROGS/demo/counter.bpf.o | python3 -m json.tool >/dev/null"
check "summary lists programs with xlated counts" bash -c "$RAWBPF load $PROGS/demo/counter.bpf.o | grep -qE 'count_packets +socket_filter +id [0-9]+ +[0-9]+ insns'"
check_fails "unknown --skip program" 1 "no program 'nosuch'" $RAWBPF load $P/subprogs.bpf.o --skip nosuch
check "--only loads only that program" bash -c "$RAWBPF load $P/subprogs.bpf.o --only second_user | grep -q 'first_user.*skipped'"
finish
