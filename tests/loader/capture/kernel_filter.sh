#!/bin/bash
# The kernel check: programs attached with SO_ATTACH_FILTER (through
# rb_capture_run's live capture) to an AF_PACKET socket on one end of a veth
# pair in a network namespace made here receive exactly the frames, sent
# from the other end, that rawbpf's interpreter accepts.
#
# Programs come from libpcap (the harness's refc, test-only oracle) until
# `rawbpf filter` compiles expressions; then rawbpf's own programs are
# checked the same way through `rawbpf filter -i`.
#
# Frames sent: the shared corpus minus what the kernel changes on the way:
# 802.1Q/802.1ad frames (the receive path moves the outer tag into skb
# metadata before packet sockets see the frame), frames shorter than an
# Ethernet header or longer than the MTU.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/live_helpers.inc"
need_root "kernel filter check"
SHARED=${RB_ROOT:-$PWD}/../shared/cbpf
[ -f "$SHARED/refc.c" ] || { skip "kernel filter check: $SHARED absent"; finish; }
command -v ip > /dev/null || { skip "kernel filter check: no ip(8)"; finish; }

SAN=
case $RAWBPF in *debug*) SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" ;; esac
W=$TMPDIR/kf
mkdir -p "$W"
SRCS="loader/capture/capture.c loader/capture/live.c loader/capture/pcap.c loader/capture/summary.c
      asm/cbpf/interp.c asm/cbpf/validate.c common/err.c common/buf.c loader/sys.c
      loader/sys_trace.c loader/inspect/names.c loader/bpf.c common/strtab.c"
gcc -O2 -w -o "$W/refc" "$SHARED/refc.c" -lpcap &&
	gcc -std=c17 -D_GNU_SOURCE -O1 -g $SAN -I. -o "$W/cap" tests/loader/capture/capture_run.c $SRCS &&
	gcc -std=c17 -D_GNU_SOURCE -O1 -g $SAN -I. -o "$W/run" tests/asm/cbpf/cbpf_run.c $SRCS ||
	{ fail "kernel filter check: build helpers"; finish; }

NS=rbcap$$
cleanup() { ip netns del "$NS" 2> /dev/null; }
trap cleanup EXIT
ip netns add "$NS" && ip -n "$NS" link add va type veth peer name vb &&
	ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 &&
	ip -n "$NS" link set va up && ip -n "$NS" link set vb up && ip -n "$NS" link set lo up ||
	{ fail "kernel filter check: netns/veth setup"; finish; }
VA_IDX=$(ip -n "$NS" -o link show va | cut -d: -f1)

cat > "$W/pk.py" << 'EOF'
"""pk.py select IN.pcap OUT.pcap N | send IFACE PCAP | hex PCAP  (test helper)"""
import socket, struct, sys, time

def records(path):
    d = open(path, 'rb').read()
    magic = struct.unpack('<I', d[:4])[0]
    e = '<' if magic in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    off = 24
    while off + 16 <= len(d):
        sec, frac, cap, wire = struct.unpack(e + 'IIII', d[off:off + 16])
        yield d[off + 16:off + 16 + cap], wire
        off += 16 + cap

def select(src, dst, n, vlan=False):
    out = [struct.pack('<IHHiIII', 0xa1b2c3d4, 2, 4, 0, 0, 262144, 1)]
    k = 0
    for data, _ in records(src):
        tagged = data[12:14] in (b'\x81\x00', b'\x88\xa8')
        if k >= n or not 14 <= len(data) <= 1514 + 4 * tagged or tagged != vlan:
            continue
        if vlan and len(data) < 20:   # skb_vlan_untag drops tags without 2 bytes after them
            continue
        out.append(struct.pack('<IIII', 0, 0, len(data), len(data)) + data)
        k += 1
    open(dst, 'wb').write(b''.join(out))

def send(iface, path):
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((iface, 0))
    for i, (data, _) in enumerate(records(path)):
        s.send(data)
        if i % 64 == 63:
            time.sleep(0.002)

cmd = sys.argv[1]
if cmd == 'select':
    select(sys.argv[2], sys.argv[3], int(sys.argv[4]))
elif cmd == 'selectvlan':
    select(sys.argv[2], sys.argv[3], int(sys.argv[4]), True)
elif cmd == 'send':
    send(sys.argv[2], sys.argv[3])
else:
    for data, _ in records(sys.argv[2]):
        print(data.hex())
EOF
python3 "$SHARED/gen_pkts.py" -o "$W/all.pcap" -n 1500 > /dev/null &&
	python3 "$W/pk.py" select "$W/all.pcap" "$W/sent.pcap" 600 ||
	{ fail "kernel filter check: packet set"; finish; }

# live_check NAME CAPTURE-CMD... : runs the capture in the namespace writing
# $W/got.pcap, sends sent.pcap from vb, stops it with SIGTERM, and compares
# the received frames with $W/want.hex.
live_check() {
	local name=$1; shift
	rm -f "$W/got.pcap"
	ip netns exec "$NS" "$@" > "$W/cap.out" 2>&1 &
	local pid=$!
	if ! wait_bound "$NS" "$VA_IDX"; then
		kill -TERM $pid 2> /dev/null; wait $pid
		fail "$name: capture did not start: $(tail -2 "$W/cap.out" | tr '\n' ' ')"; return
	fi
	ip netns exec "$NS" python3 "$W/pk.py" send vb "$W/sent.pcap"
	sleep 0.3
	kill -TERM $pid; wait $pid; local rc=$?
	python3 "$W/pk.py" hex "$W/got.pcap" 2> /dev/null | sort > "$W/got.hex"
	if [ $rc -ne 0 ]; then fail "$name: capture exited $rc: $(tail -2 "$W/cap.out" | tr '\n' ' ')"
	elif ! grep -q '^0 packets dropped by kernel' "$W/cap.out"; then
		fail "$name: kernel dropped packets, the comparison would be unfair: $(grep dropped "$W/cap.out")"
	elif ! cmp -s "$W/want.hex" "$W/got.hex"; then
		diff "$W/want.hex" "$W/got.hex" > "$W/last.diff"
		fail "$name: kernel delivered $(wc -l < "$W/got.hex"), interpreter accepts $(wc -l < "$W/want.hex"): $(diff "$W/want.hex" "$W/got.hex" | head -2 | cut -c1-80 | tr '\n' ' ')"
	else pass "$name ($(wc -l < "$W/want.hex") of $(grep -c . < <(python3 "$W/pk.py" hex "$W/sent.pcap")) frames)"; fi
}

EXPRS=(
	"ip" "ip6" "arp" "tcp" "udp port 53" "tcp port 80 or tcp port 443" "icmp" "icmp6"
	"host 10.0.0.1" "net 192.168.0.0/16" "src host 10.0.0.2 and dst port 80" "ether broadcast"
	"ether multicast" "ip multicast" "ip6 multicast" "portrange 6000-6010" "less 100" "greater 500"
	"tcp[tcpflags] & (tcp-syn|tcp-fin) != 0" "ip[8] > 64" "ip6 and tcp" "not ip and not ip6"
	"udp[8:2] = 0" "ip[1] << ip[0] > 0" "ip[-1] = 0" "len % 7 = 3" "ether[0] & 1 = 1"
	"ip proto 47" "ip and ip[6:2] & 0x1fff != 0" "ether proto 0x88cc" "sctp" "igmp"
)
for expr in "${EXPRS[@]}"; do
	"$W/refc" compile -dd "$expr" > "$W/p.dd" 2> "$W/refc.err" ||
		{ fail "kernel: libpcap refuses '$expr': $(cat "$W/refc.err")"; continue; }
	"$W/run" -v "$W/p.dd" > /dev/null || { skip "kernel: '$expr': Linux refuses libpcap's program"; continue; }
	"$W/cap" -r "$W/sent.pcap" -w "$W/want.pcap" "$W/p.dd" 2> /dev/null &&
		python3 "$W/pk.py" hex "$W/want.pcap" | sort > "$W/want.hex" ||
		{ fail "kernel: interpreter run for '$expr'"; continue; }
	live_check "kernel = interpreter: libpcap program for '$expr'" "$W/cap" -i va -w "$W/got.pcap" "$W/p.dd"
done

# Ancillary loads and negative offsets: the kernel's socket metadata against
# the interpreter given the metadata Linux sets for these frames (cbpf_run -e).
anc() { printf '{ 0x%x, 0, 0, 0x%08x },\n{ 0x15, 0, 1, 0x%08x },\n{ 0x6, 0, 0, 0x00040000 },\n{ 0x6, 0, 0, 0x00000000 },\n' "$@"; }
declare -A ANC=(
	[protocol=IPv4]="$(anc 0x28 0xfffff000 0x0800)" [protocol=802.2]="$(anc 0x28 0xfffff000 0x0004)"
	[pkttype=broadcast]="$(anc 0x30 0xfffff004 1)" [pkttype=multicast]="$(anc 0x20 0xfffff004 2)"
	[pkttype=otherhost]="$(anc 0x30 0xfffff004 3)" [hatype=ether]="$(anc 0x20 0xfffff01c 1)"
	[vlan_present=0]="$(anc 0x20 0xfffff030 0)" [net+9=tcp]="$(anc 0x30 0xfff00009 6)"
	[ll+12=IPv6]="$(anc 0x28 0xffe0000c 0x86dd)"
)
for name in "${!ANC[@]}"; do
	echo "${ANC[$name]}" > "$W/anc.dd"
	paste -d' ' <(python3 "$W/pk.py" hex "$W/sent.pcap") <("$W/run" -e "$W/anc.dd" "$W/sent.pcap") |
		awk '$3 != 0 { print $1 }' | sort > "$W/want.hex"
	live_check "kernel = interpreter with socket metadata: $name" "$W/cap" -i va -w "$W/got.pcap" "$W/anc.dd"
done

# rawbpf's own compiler, once `rawbpf filter` exists.
if "$RAWBPF" filter -d ip > /dev/null 2>&1; then
	for expr in "${EXPRS[@]}"; do
		"$RAWBPF" filter -r "$W/sent.pcap" -w "$W/want.pcap" "$expr" > /dev/null 2>&1 &&
			python3 "$W/pk.py" hex "$W/want.pcap" | sort > "$W/want.hex" ||
			{ fail "kernel: rawbpf filter -r '$expr'"; continue; }
		live_check "kernel = interpreter: rawbpf filter -i va '$expr'" \
			"$RAWBPF" filter -i va -w "$W/got.pcap" "$expr"
	done
else
	skip "kernel: rawbpf filter -i (the compiler is not built yet)"
fi

# -c stops after N packets; the count line is printed.
"$W/refc" compile -dd "ip" > "$W/p.dd"
ip netns exec "$NS" "$W/cap" -i va -c 3 -w "$W/got.pcap" "$W/p.dd" > "$W/cap.out" 2>&1 &
pid=$!
wait_bound "$NS" "$VA_IDX" && ip netns exec "$NS" python3 "$W/pk.py" send vb "$W/sent.pcap"
for _ in $(seq 50); do kill -0 $pid 2> /dev/null || break; sleep 0.1; done
if kill -0 $pid 2> /dev/null; then kill -TERM $pid; wait $pid; fail "live -c 3 did not stop by itself"
else
	wait $pid
	n=$(python3 "$W/pk.py" hex "$W/got.pcap" | wc -l)
	[ "$n" = 3 ] && grep -q '^3 packets captured' "$W/cap.out" && pass "live -c 3 stops after 3 packets" ||
		fail "live -c 3: $n packets, $(tr '\n' ' ' < "$W/cap.out")"
fi
# VLAN frames: the kernel hands them over untagged with the tag in auxdata;
# the capture puts the tag back, so -w holds exactly the frames sent.
python3 "$W/pk.py" selectvlan "$W/all.pcap" "$W/vlan.pcap" 300
cp "$W/sent.pcap" "$W/plain.pcap"
cp "$W/vlan.pcap" "$W/sent.pcap"
python3 "$W/pk.py" hex "$W/sent.pcap" | sort > "$W/want.hex"
echo '{ 0x6, 0, 0, 0x00040000 },' > "$W/all.dd"
live_check "live: 802.1Q/802.1ad tags restored in -w output" "$W/cap" -i va -w "$W/got.pcap" "$W/all.dd"
cp "$W/plain.pcap" "$W/sent.pcap"

# SIGINT (Ctrl-C) ends the capture cleanly: exit 0, -w file complete, counts.
ip netns exec "$NS" "$W/cap" -i va -w "$W/got.pcap" "$W/p.dd" > "$W/cap.out" 2>&1 &
pid=$!
wait_bound "$NS" "$VA_IDX" && ip netns exec "$NS" python3 "$W/pk.py" send vb "$W/sent.pcap"
sleep 0.3
kill -INT $pid
for _ in $(seq 50); do kill -0 $pid 2> /dev/null || break; sleep 0.1; done
if kill -0 $pid 2> /dev/null; then kill -KILL $pid; wait $pid; fail "SIGINT did not stop the live capture"
else
	wait $pid; rc=$?
	n=$(python3 "$W/pk.py" hex "$W/got.pcap" | wc -l)
	[ $rc = 0 ] && [ "$n" -gt 0 ] && grep -q "^$n packets captured" "$W/cap.out" &&
		grep -q 'packets dropped by kernel' "$W/cap.out" && pass "SIGINT stops the live capture cleanly ($n packets)" ||
		fail "SIGINT: exit $rc, $n packets, $(tr '\n' ' ' < "$W/cap.out")"
fi
check_fails "live capture on a missing interface is named" 1 "no interface 'nosuch0'" \
	ip netns exec "$NS" "$W/cap" -i nosuch0 "$W/p.dd"
finish
