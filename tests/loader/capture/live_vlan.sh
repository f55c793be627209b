#!/bin/bash
# `rawbpf filter -i` with `vlan`: on a live Linux socket the receive path
# has moved the outer 802.1Q/802.1ad tag into skb metadata before the
# filter runs, so the program tests SKF_AD_VLAN_TAG_PRESENT /
# SKF_AD_VLAN_TAG (as libpcap does on a live Linux handle), not 0x8100 at
# offset 12; a tag the kernel leaves in the packet (TPID 0x9100) is still
# tested there, with later offsets 4 further.
#
# A network namespace made here holds a veth pair va/vb.  Frames reach va
# tagged: VLAN 100 through a VLAN device vb.100 (`ip link add link vb ...
# type vlan id 100`; where the kernel has no 8021q, as tagged frames written
# to vb: the receive path untags both the same way), VLAN 300 as 802.1ad
# and VLAN 100 as 0x9100 frames written to vb, and untagged frames.  Each
# expression's capture count must be exactly the frames it should match.
# Also: the link-type query of -i goes through the syscall chokepoint.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/live_helpers.inc"
need_root "live vlan capture"
command -v ip > /dev/null || { skip "live vlan capture: no ip(8)"; finish; }
command -v python3 > /dev/null || { skip "live vlan capture: no python3"; finish; }

NS=rbvl$$
cleanup() { ip netns del "$NS" 2> /dev/null; }
trap cleanup EXIT
ip netns add "$NS" && ip -n "$NS" link add va type veth peer name vb &&
	ip netns exec "$NS" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1 &&
	ip -n "$NS" link set lo up && ip -n "$NS" link set va up && ip -n "$NS" link set vb up ||
	{ fail "live vlan capture: netns/veth setup"; finish; }
VA_IDX=$(ip -n "$NS" -o link show va | cut -d: -f1)
V100="vb 0x8100 100"
if ip -n "$NS" link add link vb name vb.100 type vlan id 100 2> /dev/null &&
	ip -n "$NS" link set vb.100 up; then
	V100="vb.100 0 0"
else
	echo "  (no VLAN devices in this kernel: VLAN 100 frames are written tagged to vb)"
fi

W=$TMPDIR/lv
mkdir -p "$W"
cat > "$W/lv.py" << 'PY'
"""lv.py send IFACE TPID VID N | count PCAP  (test helper; TPID 0 = untagged)"""
import socket, struct, sys

def frame(tpid, vid):
    ip = struct.pack('!BBHHHBBH4s4s', 0x45, 0, 28, 1, 0, 64, 17, 0,
                     bytes([10, 0, 0, 1]), bytes([10, 0, 0, 2]))
    udp = struct.pack('!HHHH', 4000, 9, 8, 0)
    tag = struct.pack('!HH', tpid, vid) if tpid else b''
    return b'\xff' * 6 + b'\x02\x00\x00\x00\x00\x01' + tag + b'\x08\x00' + ip + udp + bytes(18)

if sys.argv[1] == 'send':
    s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
    s.bind((sys.argv[2], 0))
    for _ in range(int(sys.argv[5])):
        s.send(frame(int(sys.argv[3], 0), int(sys.argv[4])))
else:
    d = open(sys.argv[2], 'rb').read()
    e = '<' if struct.unpack('<I', d[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    off, n = 24, 0
    while off + 16 <= len(d):
        off += 16 + struct.unpack(e + 'I', d[off + 8:off + 12])[0]
        n += 1
    print(n)
PY

# 5 frames in VLAN 100 (tag stripped on receive), 3 in 802.1ad VLAN 300
# (stripped), 2 with a 0x9100 tag for VLAN 100 (kept in the packet) and 4
# untagged: 14 frames, all IPv4/UDP to 10.0.0.2 port 9.
send_all() {
	# shellcheck disable=SC2086
	ip netns exec "$NS" python3 "$W/lv.py" send $V100 5 &&
		ip netns exec "$NS" python3 "$W/lv.py" send vb 0x88a8 300 3 &&
		ip netns exec "$NS" python3 "$W/lv.py" send vb 0x9100 100 2 &&
		ip netns exec "$NS" python3 "$W/lv.py" send vb 0 0 4
}

# count_check EXPR WANT: frames `rawbpf filter -i va EXPR` captures of send_all's.
count_check() {
	local expr=$1 want=$2
	rm -f "$W/got.pcap"
	ip netns exec "$NS" "$RAWBPF" filter -i va -w "$W/got.pcap" "$expr" > "$W/cap.out" 2>&1 &
	local pid=$!
	if ! wait_bound "$NS" "$VA_IDX"; then
		kill -TERM $pid 2> /dev/null; wait $pid
		fail "live '$expr': capture did not start: $(tail -2 "$W/cap.out" | tr '\n' ' ')"; return
	fi
	send_all
	sleep 0.3
	kill -TERM $pid; wait $pid; local rc=$?
	local got; got=$(python3 "$W/lv.py" count "$W/got.pcap" 2> /dev/null)
	if [ $rc -ne 0 ]; then fail "live '$expr': exit $rc: $(tail -2 "$W/cap.out" | tr '\n' ' ')"
	elif [ "$got" != "$want" ]; then fail "live '$expr': captured $got frames, want $want"
	else pass "live -i '$expr': $got of 14 frames"; fi
}

count_check "vlan 100" 7
count_check "vlan 300" 3
count_check "vlan 200" 0
count_check "vlan" 10
count_check "vlan 100 and udp port 9" 7
count_check "vlan and ip and dst host 10.0.0.2" 10
count_check "ip and not vlan" 4
# A stripped tag is out of the packet, so a filter without `vlan` sees
# those frames as plain IPv4 (tcpdump on Linux behaves the same).
count_check "udp port 9" 12

# The link-type query (rb_capture_iface_dlt) goes through rb_sys: its
# socket shows in --trace-syscalls next to the capture's own.
ip netns exec "$NS" timeout 5 "$RAWBPF" --trace-syscalls filter -i va -c 1 vlan > "$W/trace.out" 2>&1 &
pid=$!
wait_bound "$NS" "$VA_IDX" && ip netns exec "$NS" python3 "$W/lv.py" send vb 0x8100 100 1
wait $pid
n=$(grep -c '^socket(AF_PACKET' "$W/trace.out")
[ "$n" = 2 ] && grep -q 'SIOCGIFINDEX' "$W/trace.out" && pass "-i: link-type query traced (2 packet sockets)" ||
	fail "-i trace: $n AF_PACKET sockets: $(head -4 "$W/trace.out" | tr '\n' ' ')"
finish
