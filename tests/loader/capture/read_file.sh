#!/bin/bash
# -r: rawbpf's readers and interpreter against tcpdump on the same files.
# Files: one tcpdump wrote on a veth in a netns made here, the shared
# corpus as microsecond pcap, its nanosecond copy (tcpdump writes it), a
# big-endian copy and a pcapng copy (two interfaces, unknown blocks).  For
# each, the matched count equals `tcpdump -r FILE EXPR | wc -l`, and the
# -w output holds the same records as `tcpdump -r FILE -w OUT EXPR`.
# Programs come from libpcap (refc) and, once it exists, `rawbpf filter`.
. "$(dirname "$0")/../../lib.sh"
SHARED=${RB_ROOT:-$PWD}/../shared/cbpf
[ -f "$SHARED/refc.c" ] || { skip "-r vs tcpdump: $SHARED absent"; finish; }
command -v tcpdump > /dev/null || { skip "-r vs tcpdump: tcpdump not installed"; finish; }

SAN=
case $RAWBPF in *debug*) SAN="-fsanitize=address,undefined -fno-sanitize-recover=undefined" ;; esac
W=$TMPDIR/rf
mkdir -p "$W"
SRCS="loader/capture/capture.c loader/capture/live.c loader/capture/pcap.c loader/capture/summary.c
      asm/cbpf/interp.c asm/cbpf/validate.c common/err.c common/buf.c loader/sys.c
      loader/sys_trace.c loader/inspect/names.c loader/bpf.c common/strtab.c"
gcc -O2 -w -o "$W/refc" "$SHARED/refc.c" -lpcap &&
	gcc -std=c17 -D_GNU_SOURCE -O1 -g $SAN -I. -o "$W/cap" tests/loader/capture/capture_run.c $SRCS ||
	{ fail "-r vs tcpdump: build helpers"; finish; }

cat > "$W/conv.py" << 'EOF'
"""conv.py be|ng|dump IN [OUT]: big-endian pcap copy, pcapng copy, or record dump."""
import struct, sys

def records(path):
    d = open(path, 'rb').read()
    e = '<' if struct.unpack('<I', d[:4])[0] in (0xa1b2c3d4, 0xa1b23c4d) else '>'
    hdr = struct.unpack(e + 'IHHiIII', d[:24])
    off = 24
    while off + 16 <= len(d):
        rec = struct.unpack(e + 'IIII', d[off:off + 16])
        yield hdr, rec, d[off + 16:off + 16 + rec[2]]
        off += 16 + rec[2]

def be(src, dst):
    out = []
    for hdr, rec, data in records(src):
        if not out:
            out.append(struct.pack('>IHHiIII', *hdr))
        out.append(struct.pack('>IIII', *rec) + data)
    open(dst, 'wb').write(b''.join(out))

def block(t, body):
    body += b'\0' * (-len(body) % 4)
    return struct.pack('<II', t, 12 + len(body)) + body + struct.pack('<I', 12 + len(body))

def ng(src, dst):
    out = [block(0x0a0d0d0a, struct.pack('<IHHq', 0x1a2b3c4d, 1, 0, -1))]
    for i, (hdr, rec, data) in enumerate(records(src)):
        if i == 0:
            idb = struct.pack('<HHI', hdr[6], 0, hdr[5]) + struct.pack('<I', 0)
            out += [block(1, idb), block(0x0badcafe, b'unknown'), block(1, idb)]
        ts = rec[0] * 1000000 + rec[1]
        out.append(block(6, struct.pack('<IIIII', i % 2, ts >> 32, ts & 0xffffffff, rec[2], rec[3]) + data))
        if i % 100 == 5:
            out.append(block(5, struct.pack('<IIIQ', 0, 0, 0, 0)))   # interface statistics
    open(dst, 'wb').write(b''.join(out))

def count(src):
    print(sum(1 for _ in records(src)))

def dump(src):
    for hdr, rec, data in records(src):
        print(rec[0], rec[1], rec[2], rec[3], data.hex())

cmd = sys.argv[1]
{'be': lambda: be(sys.argv[2], sys.argv[3]), 'ng': lambda: ng(sys.argv[2], sys.argv[3]),
 'dump': lambda: dump(sys.argv[2]), 'count': lambda: count(sys.argv[2])}[cmd]()
EOF

python3 "$SHARED/gen_pkts.py" -o "$W/us.pcap" -n 3000 > /dev/null &&
	tcpdump --time-stamp-precision=nano -r "$W/us.pcap" -w "$W/ns.pcap" 2> /dev/null &&
	python3 "$W/conv.py" be "$W/us.pcap" "$W/be.pcap" &&
	python3 "$W/conv.py" ng "$W/us.pcap" "$W/ng.pcapng" &&
	python3 "$SHARED/gen_pkts.py" -o "$W/raw.pcap" -n 1000 --raw > /dev/null ||
	{ fail "-r vs tcpdump: make files"; finish; }

# A file tcpdump itself captured (root only: netns + veth).
if [ "$(id -u)" = 0 ] && command -v ip > /dev/null; then
	NS=rbrf$$
	trap 'ip netns del $NS 2> /dev/null' EXIT
	ip netns add $NS && ip -n $NS link add va type veth peer name vb &&
		ip -n $NS link set va up && ip -n $NS link set vb up
	ip netns exec $NS tcpdump -U -i va -w "$W/live.pcap" 2> "$W/td.err" &
	tpid=$!
	for _ in $(seq 100); do grep -q listening "$W/td.err" && break; sleep 0.05; done
	ip netns exec $NS python3 - "$W/us.pcap" << 'EOF'
import socket, struct, sys, time
d = open(sys.argv[1], 'rb').read()
s = socket.socket(socket.AF_PACKET, socket.SOCK_RAW)
s.bind(('vb', 0))
off, n = 24, 0
while off + 16 <= len(d) and n < 800:
    cap = struct.unpack('<I', d[off + 8:off + 12])[0]
    frame = d[off + 16:off + 16 + cap]
    off += 16 + cap
    if 14 <= len(frame) <= 1514:
        s.send(frame); n += 1
        if n % 64 == 0: time.sleep(0.002)
EOF
	sleep 0.3
	kill -INT $tpid; wait $tpid
	ip netns del $NS
fi

# tcpdump's match count (its text output can take several lines per packet).
tcount() {
	tcpdump -n -r "$1" -w "$W/t.pcap" "$2" 2> /dev/null && python3 "$W/conv.py" count "$W/t.pcap"
}

EXPRS=("ip" "tcp" "udp port 53" "host 10.0.0.1 and tcp" "ip6" "arp" "vlan" "vlan and ip"
       "icmp or icmp6" "greater 200" "tcp[tcpflags] & tcp-syn != 0" "ether multicast"
       "not ip" "ip6 and udp" "net 192.168.0.0/16")

# count_check FILE LINK : matched counts and -w records against tcpdump.
count_check() {
	local f=$1 link=$2 name bad=0 n=0 expr want got
	name=$(basename "$f")
	for expr in "${EXPRS[@]}"; do
		"$W/refc" compile -l "$link" -dd "$expr" > "$W/p.dd" 2> /dev/null || continue
		n=$((n + 1))
		want=$(tcount "$f" "$expr")
		"$W/cap" -r "$f" -w "$W/out.pcap" "$W/p.dd" 2> "$W/cap.err" > /dev/null
		got=$(sed -n 's/^[0-9]* packets read, \([0-9]*\) matched$/\1/p' "$W/cap.err")
		if [ "$want" != "$got" ]; then
			bad=$((bad + 1)); echo "  $name '$expr': tcpdump $want, rawbpf ${got:-?}: $(cat "$W/cap.err")"
		fi
	done
	[ $n -gt 0 ] && [ $bad -eq 0 ] && pass "-r $name: matched counts equal tcpdump's ($n expressions)" ||
		fail "-r $name: $bad of $n expressions count differently from tcpdump"
}

for f in "$W/us.pcap" "$W/ns.pcap" "$W/be.pcap" "$W/ng.pcapng" "$W/live.pcap"; do
	[ -f "$f" ] || { skip "-r $(basename "$f"): not made"; continue; }
	count_check "$f" EN10MB
done
count_check "$W/raw.pcap" RAW

# -w writes the same records (time, lengths, bytes) as tcpdump -w.
"$W/refc" compile -dd "tcp or arp" > "$W/p.dd"
"$W/cap" -q -r "$W/us.pcap" -w "$W/mine.pcap" "$W/p.dd" &&
	tcpdump -r "$W/us.pcap" -w "$W/theirs.pcap" "tcp or arp" 2> /dev/null
if cmp -s <(python3 "$W/conv.py" dump "$W/mine.pcap") <(python3 "$W/conv.py" dump "$W/theirs.pcap"); then
	pass "-w output holds the records tcpdump -w writes"
else fail "-w output differs from tcpdump -w"; fi

# Summary lines: one per match, tcpdump-like fields.
"$W/cap" -r "$W/us.pcap" "$W/p.dd" > "$W/sum.out" 2> /dev/null
want=$(tcount "$W/us.pcap" "tcp or arp")
if [ "$(wc -l < "$W/sum.out")" = "$want" ] && grep -qE '^[0-9:.]{15} EN10MB (vlan [0-9]+ )*IP6? [0-9a-f:.]+ > [0-9a-f:.]+: TCP \[' "$W/sum.out" &&
	grep -q 'ARP ' "$W/sum.out"; then
	pass "summary lines: one per match with addresses, ports and flags"
else fail "summary lines: $(wc -l < "$W/sum.out") lines, want $want: $(head -2 "$W/sum.out" | tr '\n' ' ')"; fi

# Damaged files: a clear error naming the record and offset, exit 2.
head -c 5000 "$W/us.pcap" > "$W/cut.pcap"
check_fails "-r truncated pcap names the record" 2 "cut.pcap: record [0-9]+ at offset [0-9]+: packet data cut short" \
	"$W/cap" -r "$W/cut.pcap" "$W/p.dd"
head -c 3001 "$W/ng.pcapng" > "$W/cut.pcapng"
check_fails "-r truncated pcapng names the block" 2 "cut.pcapng: record [0-9]+ at offset [0-9]+: pcapng block" \
	"$W/cap" -r "$W/cut.pcapng" "$W/p.dd"
echo "not a capture" > "$W/text.pcap"
check_fails "-r on a text file is refused" 2 "not a pcap or pcapng file" "$W/cap" -r "$W/text.pcap" "$W/p.dd"

# rawbpf filter -r, once the compiler exists: same counts as tcpdump.
if "$RAWBPF" filter -d ip > /dev/null 2>&1; then
	bad=0
	for expr in "${EXPRS[@]}"; do
		want=$(tcount "$W/us.pcap" "$expr")
		got=$("$RAWBPF" filter -r "$W/us.pcap" "$expr" 2>&1 > /dev/null |
			sed -n 's/^[0-9]* packets read, \([0-9]*\) matched$/\1/p')
		[ "$want" = "$got" ] || { bad=$((bad + 1)); echo "  rawbpf filter -r '$expr': $got, tcpdump $want"; }
	done
	[ $bad = 0 ] && pass "rawbpf filter -r: matched counts equal tcpdump's" || fail "rawbpf filter -r: $bad expressions differ"
	check_fails "rawbpf filter -r truncated file" 2 "record [0-9]+ at offset" "$RAWBPF" filter -r "$W/cut.pcap" ip
else
	skip "rawbpf filter -r: the compiler is not built yet"
fi
finish
