#!/bin/bash
# rawbpf prog/map/link inspection on the running kernel, with bpftool as the
# oracle: objects loaded by bpftool are read by rawbpf and vice versa, and the
# JSON of both is compared key by key.
. "$(dirname "$0")/../../lib.sh"
need_root
command -v bpftool >/dev/null || { skip "inspect: bpftool missing (scripts/deps.sh installs it)"; exit 0; }
command -v clang >/dev/null || { skip "inspect: clang missing"; exit 0; }

DATA=$(cd "$(dirname "$0")/data" && pwd)
ROOT=${RB_ROOT:-$(cd "$(dirname "$0")/../../.." && pwd)}
PIN=/sys/fs/bpf/rbtest_inspect_$$
NS=rbtest_insp_$$
CG=/sys/fs/cgroup/unified/rbtest_inspect_$$
cleanup() {
	rm -rf "$PIN" /sys/fs/bpf/rbtest_hash_$$ /sys/fs/bpf/rbtest_queue_$$ /sys/fs/bpf/rbtest_perf_$$
	ip netns del "$NS" 2>/dev/null
	rmdir "$CG" 2>/dev/null
}
trap cleanup EXIT
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf || { skip "inspect: cannot mount bpffs"; exit 0; }

OBJ=$TMPDIR/inspect.bpf.o
# Names other runs of this test (or other tests) could share are made unique.
U=$(($$ % 100000))
clang -target bpf -O2 -g -Wall -DUNIQ=$U -I"$ROOT/verifier-helpers/include" -I/usr/include/$(gcc -dumpmachine) \
	-c "$DATA/inspect.bpf.c" -o "$OBJ" || { fail "compile inspect.bpf.c"; finish; }
gcc -O1 -Wall -o "$TMPDIR/mklink" "$DATA/mklink.c" || { fail "compile mklink.c"; finish; }
bpftool prog loadall "$OBJ" "$PIN" pinmaps "$PIN/maps" || { fail "bpftool loadall"; finish; }

# json_same NAME 'RAWBPF ARGS' 'BPFTOOL ARGS' [keys...]: both -j outputs agree
# on the keys given (all keys bpftool printed when none are given).
json_same() {
	local name=$1 ours=$2 theirs=$3; shift 3
	$RAWBPF -j $ours > "$TMPDIR/ours.json" 2> "$TMPDIR/ours.err"
	bpftool -j $theirs > "$TMPDIR/theirs.json" 2>/dev/null
	if python3 - "$TMPDIR/ours.json" "$TMPDIR/theirs.json" "$@" > "$TMPDIR/diff.txt" 2>&1 <<'EOF'
import json, sys
ours, theirs = (json.load(open(p)) for p in sys.argv[1:3])
keys = sys.argv[3:]
def norm(x):
    return x if isinstance(x, list) else [x]
ours, theirs = norm(ours), norm(theirs)
if len(ours) != len(theirs):
    sys.exit(f"{len(ours)} objects vs bpftool's {len(theirs)}")
for a, b in zip(ours, theirs):
    for k in (keys or b.keys()):
        if k == "loaded_at" and abs(a.get(k, 0) - b.get(k, 0)) <= 1:
            continue
        if a.get(k) != b.get(k):
            sys.exit(f"{k}: rawbpf {a.get(k)!r} bpftool {b.get(k)!r}")
EOF
	then pass "$name"; else fail "$name: $(cat "$TMPDIR/diff.txt" "$TMPDIR/ours.err" | head -3 | tr '\n' ' ')"; fi
}

PROG_KEYS="id type name tag gpl_compatible loaded_at uid bytes_xlated jited bytes_jited bytes_memlock map_ids btf_id"
MAP_KEYS="id type name flags bytes_key bytes_value max_entries bytes_memlock frozen btf_id"

# --- programs -------------------------------------------------------------------
for p in count_packets xdp_first_byte on_sys_enter; do
	json_same "prog show pinned $p matches bpftool" "prog show pinned $PIN/$p" "prog show pinned $PIN/$p" $PROG_KEYS
done
json_same "prog show name matches bpftool" "prog show name rbi_run_$U" "prog show name rbi_run_$U" $PROG_KEYS
json_same "map show name matches bpftool" "map show name rbi_map_$U" "map show name rbi_map_$U" $MAP_KEYS
check "prog run by name" bash -c "$RAWBPF prog run name rbi_run_$U data_in 00112233445566778899aabbccddeeff | grep -q '^retval 2 '"
check "prog list shows the programs" bash -c "$RAWBPF prog list | grep -q 'socket_filter  name count_packets  tag [0-9a-f]\{16\}  gpl'"
check "prog list -j is bpftool's array" bash -c "$RAWBPF -j prog list | python3 -c 'import json,sys; d=json.load(sys.stdin); assert any(p[\"name\"]==\"xdp_first_byte\" for p in d)'"
TAG=$(bpftool -j prog show pinned "$PIN/count_packets" | python3 -c 'import json,sys; print(json.load(sys.stdin)["tag"])')
check "prog show tag finds the program" bash -c "$RAWBPF prog show tag $TAG | grep -q 'name count_packets'"

# --- prog run -------------------------------------------------------------------
PKT=000000000000000000000000080045000014000000004011000000000000000000000000
check "prog run socket filter returns 7 (JSON)" bash -c "$RAWBPF -j prog run pinned $PIN/count_packets data_in $PKT |
	python3 -c 'import json,sys; d=json.load(sys.stdin); assert d[\"retval\"] == 7 and d[\"data_size_out\"] == 36, d'"
printf '\xff\x01\x02\x03\x04\x05\x06\x07\x08\x09\x0a\x0b\x0c\x0d\x0e\x0f' > "$TMPDIR/ff.bin"
check "prog run xdp passes" bash -c "$RAWBPF prog run pinned $PIN/xdp_first_byte data_in 00112233445566778899aabbccddeeff | grep -q '^retval 2  duration [0-9]*ns'"
check "prog run xdp drops 0xff from @FILE" bash -c "$RAWBPF prog run pinned $PIN/xdp_first_byte data_in @$TMPDIR/ff.bin repeat 3 | grep -q '^retval 1 '"
check "prog run counted into the array" bash -c "$RAWBPF -j map lookup pinned $PIN/maps/counts key 0 | grep -q '\"formatted\":{\"key\":0,\"value\":1}'"
check "a long function name finds its 15-character kernel name" bash -c \
	"$RAWBPF prog run name r${U}_socket_filter_with_a_long_name data_in $PKT | grep -q '^retval 1 '"
check_fails "prog run of a too-short packet is refused" 3 "refused the test run" \
	$RAWBPF prog run pinned $PIN/count_packets data_in 0000
check_fails "prog run needs a program" 1 "missing program" $RAWBPF prog run

# --- maps -----------------------------------------------------------------------
for m in counts tasks percpu jumps; do
	json_same "map show $m matches bpftool" "map show pinned $PIN/maps/$m" "map show pinned $PIN/maps/$m" $MAP_KEYS
done
if [ "$(uname -m)" = x86_64 ]; then
	python3 "$DATA/hold.py" "$PIN/maps/counts" 20 > "$TMPDIR/hold.out" & HOLDER=$!
	for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$TMPDIR/hold.out" ] && break; sleep 0.2; done
	check "map show lists the processes holding it" bash -c "$RAWBPF -j map show pinned $PIN/maps/counts |
		grep -qF '\"pids\":[{\"pid\":$HOLDER,\"comm\":\"python3\"}]'"
	check "text shows pids too" bash -c "$RAWBPF map show pinned $PIN/maps/counts | grep -qF 'pids python3($HOLDER)'"
	kill "$HOLDER"; wait "$HOLDER" 2>/dev/null
fi
# bpftool names internal maps <object name cut to 8>.<section>, pinned with the dot as an underscore
check "global data: the socket filter added the .rodata knob to .bss" bash -c \
	"$RAWBPF map dump pinned $PIN/maps/inspect_bss | grep -qF 'value: {.rbi_total = 5}'"
json_same "global .rodata dump matches bpftool" "map dump pinned $PIN/maps/inspect_rodata" "map dump pinned $PIN/maps/inspect_rodata"
json_same "global .bss dump matches bpftool" "map dump pinned $PIN/maps/inspect_bss" "map dump pinned $PIN/maps/inspect_bss"
check "rawbpf writes a struct value" $RAWBPF map update pinned $PIN/maps/tasks key 1 value hex 2a000000 62617368000000 00 01000000
json_same "BTF struct dump matches bpftool" "map dump pinned $PIN/maps/tasks" "map dump pinned $PIN/maps/tasks"
check "text dump prints struct members, enums by name, strings" bash -c \
	"$RAWBPF map dump pinned $PIN/maps/tasks | grep -qF 'key: 1  value: {.pid = 42, .comm = \"bash\", .state = RUNNING}'"
check "JSON object typed by BTF" $RAWBPF map update pinned $PIN/maps/tasks key 2 value '{"pid": 7, "comm": "init", "state": "SLEEPING"}'
check "bpftool reads the JSON-written struct" bash -c "bpftool -j map lookup pinned $PIN/maps/tasks key 2 0 0 0 |
	grep -q '\"formatted\":{\"key\":2,\"value\":{\"pid\":7,\"comm\":\"init\",\"state\":\"SLEEPING\"}}'"
check_fails "JSON enumerator must exist" 1 "'AWAKE' is not an enumerator of enum task_state" \
	$RAWBPF map update pinned $PIN/maps/tasks key 2 value '{"state": "AWAKE"}'
check "raw_tp program input" $RAWBPF map update pinned $PIN/maps/tasks key 1 value '{"pid": 1, "state": "IDLE"}'
check "prog run of a raw_tp program with ctx_in on cpu 0" bash -c "$RAWBPF prog run pinned $PIN/on_sys_enter ctx_in 00000000000000000000000000000000 cpu 0 | grep -q '^retval 0 '"
check "the raw_tp program ran" bash -c "$RAWBPF map lookup pinned $PIN/maps/tasks key 1 | grep -qF '.state = RUNNING'"
check "bpftool writes, rawbpf reads" bpftool map update pinned $PIN/maps/counts key 2 0 0 0 value 0x11 0 0 0 0 0 0 0
check "rawbpf reads bpftool's value" bash -c "$RAWBPF map lookup pinned $PIN/maps/counts key 2 | grep -qx 'key: 2  value: 17'"
check "rawbpf writes (JSON array key), bpftool reads" $RAWBPF map update pinned $PIN/maps/counts key '[3, 0, 0, "0x00"]' value 4096
check "bpftool reads rawbpf's value" bash -c "bpftool -j map lookup pinned $PIN/maps/counts key 3 0 0 0 | grep -q '\"value\":4096'"
json_same "array dump matches bpftool" "map dump pinned $PIN/maps/counts" "map dump pinned $PIN/maps/counts"
check "per-CPU update writes every CPU" $RAWBPF map update pinned $PIN/maps/percpu key 1 value 5
json_same "per-CPU lookup matches bpftool" "map lookup pinned $PIN/maps/percpu key 1" "map lookup pinned $PIN/maps/percpu key 1 0 0 0"
json_same "per-CPU dump matches bpftool" "map dump pinned $PIN/maps/percpu" "map dump pinned $PIN/maps/percpu"
check "prog array takes a program" $RAWBPF map update pinned $PIN/maps/jumps key 0 value pinned $PIN/xdp_tx
json_same "prog array owner matches bpftool" "map show pinned $PIN/maps/jumps" "map show pinned $PIN/maps/jumps" owner_prog_type owner_jited
check "prog array owner is shown" bash -c "$RAWBPF map show pinned $PIN/maps/jumps | grep -q 'owner_prog_type xdp  owner jited'"
check "tail call now reaches xdp_tx" bash -c "$RAWBPF prog run pinned $PIN/xdp_first_byte data_in 00112233445566778899aabbccddeeff | grep -q '^retval 3 '"
XDP_TX_ID=$(bpftool -j prog show pinned $PIN/xdp_tx | python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])')
check "prog array dump shows the program id" bash -c "$RAWBPF map dump pinned $PIN/maps/jumps | grep -qx 'key: 0  value: $XDP_TX_ID'"
check_fails "prog array values are programs, not bytes" 1 "value of prog_array map 'jumps': 'hex' names no program" \
	$RAWBPF map update pinned $PIN/maps/jumps key 1 value hex 03000000
check "delete from the prog array" $RAWBPF map delete pinned $PIN/maps/jumps key 0
check "getnext walks keys" bash -c "$RAWBPF map getnext pinned $PIN/maps/counts key 1 | tr '\n' ' ' | grep -q 'key: 01 00 00 00 next key: 02 00 00 00'"
check_fails "getnext past the end" 3 "no key after this one" $RAWBPF map getnext pinned $PIN/maps/counts key 3

bpftool map create /sys/fs/bpf/rbtest_hash_$$ type hash key 4 value 8 entries 16 name rbt_hash_$$ 2>/dev/null ||
	fail "bpftool map create"
H=/sys/fs/bpf/rbtest_hash_$$
check "hash without BTF: update" $RAWBPF map update pinned $H key 0x01 0 0 0 value 1 2 3 4 5 6 7 8 noexist
check_fails "noexist on an existing key" 3 "exists already" $RAWBPF map update pinned $H key hex 01000000 value 0 0 0 0 0 0 0 0 noexist
check "hash dump is hex without BTF" bash -c "$RAWBPF map dump pinned $H | grep -qx 'key: 01 00 00 00  value: 01 02 03 04 05 06 07 08'"
json_same "hash dump matches bpftool" "map dump pinned $H" "map dump pinned $H"
check "hash delete" $RAWBPF map delete pinned $H key 1
check_fails "deleted key is gone" 3 "no such key" $RAWBPF map lookup pinned $H key 1
check "empty hash dumps nothing" bash -c "$RAWBPF map dump pinned $H | grep -qx 'Found 0 elements'"
check "freeze" $RAWBPF map freeze pinned $H
check_fails "frozen map refuses updates" 3 "is frozen" $RAWBPF map update pinned $H key 1 value 1
check "frozen shows in JSON" bash -c "$RAWBPF -j map show pinned $H | grep -q '\"frozen\":1'"

PE=/sys/fs/bpf/rbtest_perf_$$
if bpftool map create $PE type perf_event_array key 4 value 4 entries 2 name rbt_pe_$$ 2>/dev/null; then
	check "perf event arrays list their keys with the reason values cannot be read" bash -c \
		"$RAWBPF -j map dump pinned $PE | grep -qF '{\"key\":[\"0x01\",\"0x00\",\"0x00\",\"0x00\"],\"value\":{\"error\":'"
	rm -f $PE
fi
Q=/sys/fs/bpf/rbtest_queue_$$
if bpftool map create $Q type queue key 0 value 4 entries 2 name rbt_q_$$ 2>/dev/null; then
	check "queue push" bash -c "$RAWBPF map push pinned $Q value 7 && $RAWBPF map push pinned $Q value 8"
	check_fails "full queue" 3 "is full \\(2 entries\\)" $RAWBPF map push pinned $Q value 9
	check "push exist drops the oldest" $RAWBPF map push pinned $Q value 9 exist
	check "peek shows the head" bash -c "$RAWBPF -j map peek pinned $Q | grep -qF '{\"value\":[\"0x08\",\"0x00\",\"0x00\",\"0x00\"]}'"
	check "pop takes it" bash -c "$RAWBPF map pop pinned $Q | grep -qx 'value: 08 00 00 00' && $RAWBPF map pop pinned $Q | grep -qx 'value: 09 00 00 00'"
	check_fails "pop of an empty queue" 3 "is empty" $RAWBPF map pop pinned $Q
	check_fails "queues cannot be dumped" 1 "no keys to walk.*map peek" $RAWBPF map dump pinned $Q
	rm -f $Q
else
	skip "queue maps: bpftool cannot create one"
fi

# --- links ----------------------------------------------------------------------
if "$TMPDIR/mklink" raw_tp "$PIN/on_sys_enter" sys_enter "$PIN/link_rawtp"; then
	json_same "raw_tp link matches bpftool" "link show pinned $PIN/link_rawtp" "link show pinned $PIN/link_rawtp" id type prog_id tp_name
	check "link list shows the tracepoint" bash -c "$RAWBPF link list | grep -q 'tp_name sys_enter'"
else
	fail "mklink raw_tp"
fi
if ip netns add "$NS" && nsenter --net=/run/netns/$NS "$TMPDIR/mklink" xdp "$PIN/xdp_tx" lo "$PIN/link_xdp"; then
	json_same "xdp link matches bpftool" "link show pinned $PIN/link_xdp" "link show pinned $PIN/link_xdp" id type prog_id
	check "xdp link shows its ifindex" bash -c "$RAWBPF -j link show pinned $PIN/link_xdp | grep -q '\"ifindex\":1'"
else
	skip "xdp link: cannot attach XDP to lo in a netns"
fi

if [ -d /sys/fs/cgroup/unified ] && mkdir "$CG" && "$TMPDIR/mklink" cgroup "$PIN/rbi_egress" "$CG" "$PIN/link_cgroup"; then
	json_same "cgroup link matches bpftool" "link show pinned $PIN/link_cgroup" "link show pinned $PIN/link_cgroup" \
		id type prog_id cgroup_id attach_type
	check "cgroup link names its attach type" bash -c "$RAWBPF link show pinned $PIN/link_cgroup | grep -q 'attach_type cgroup_inet_egress'"
	rm -f "$PIN/link_cgroup"
else
	skip "cgroup link: no cgroup v2 at /sys/fs/cgroup/unified"
fi

# --- --trace-syscalls -----------------------------------------------------------
check "trace decodes the lookup" bash -c "$RAWBPF --trace-syscalls map lookup pinned $PIN/maps/counts key 2 2>&1 >/dev/null |
	grep -q '^bpf(BPF_MAP_LOOKUP_ELEM, {map_fd=[0-9]*, key=0x[0-9a-f]*, value=0x[0-9a-f]*, flags=BPF_ANY}, [0-9]*) = 0$'"
check "trace decodes the pin lookup" bash -c "$RAWBPF --trace-syscalls map show pinned $H 2>&1 >/dev/null |
	grep -q '^bpf(BPF_OBJ_GET, {pathname=\"$H\", bpf_fd=0, file_flags=0}, [0-9]*) = [0-9]*$'"
check "trace shows errors strace-style" bash -c "$RAWBPF --trace-syscalls map show id 4000000000 2>&1 |
	grep -q 'BPF_MAP_GET_FD_BY_ID, {map_id=4000000000}, [0-9]*) = -1 ENOENT (No such file or directory)'"

# --- errors: one line, documented exit codes ------------------------------------
check_fails "no such program id" 3 "no program with id 4000000000" $RAWBPF prog show id 4000000000
check_fails "no such map name" 3 "no map with name 'nonexistent_x'" $RAWBPF map show name nonexistent_x
check_fails "a map pin is not a program" 1 "$PIN/maps/counts is a map, not a program" $RAWBPF prog show pinned $PIN/maps/counts
check_fails "a program pin is not a map" 1 "is a program, not a map" $RAWBPF map dump pinned $PIN/count_packets
check_fails "a directory is not a pin" 1 "is a directory" $RAWBPF map show pinned $PIN/maps
check_fails "missing pin" 4 "no such pinned object" $RAWBPF map show pinned $PIN/nothing_here
check_fails "key of the wrong size" 1 "key is 3 bytes, map 'counts' has 4-byte keys" $RAWBPF map lookup pinned $PIN/maps/counts key 1 0 0
check_fails "value of the wrong size" 1 "value is 2 bytes, map 'counts' has 8-byte values" $RAWBPF map update pinned $PIN/maps/counts key 1 value 1 2
check_fails "JSON needs BTF" 1 "has no BTF type for its values" $RAWBPF map update pinned $H key 1 value '{"a": 1}'
check_fails "bad byte" 1 "'0xzz' is not a byte" $RAWBPF map lookup pinned $PIN/maps/counts key 0xzz 0 0 0
check_fails "missing key" 1 "missing .key BYTES." $RAWBPF map lookup pinned $PIN/maps/counts
check_fails "unknown subcommand" 1 "unknown subcommand 'frob'" $RAWBPF map frob
check_fails "lookup in an empty slot" 3 "no such key" $RAWBPF map lookup pinned $PIN/maps/jumps key 1
if command -v setpriv >/dev/null && [ "$(cat /proc/sys/kernel/unprivileged_bpf_disabled)" != 0 ]; then
	cp "$RAWBPF" "$TMPDIR/rawbpf-unpriv" && chmod 755 "$TMPDIR" "$TMPDIR/rawbpf-unpriv"
	unpriv() { setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$TMPDIR/rawbpf-unpriv" "$@"; }
	check_fails "unprivileged list says to run as root" 3 "cannot list programs; run as root" unpriv prog list
	check_fails "unprivileged open says to run as root" 3 "cannot open map 1; run as root" unpriv map show id 1
fi
finish
