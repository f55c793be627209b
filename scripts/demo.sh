#!/bin/bash
# `make demo`: load the bundled counter (progs/demo/counter.bpf.c) with rawbpf,
# show what got loaded, run it on a few packets and read its maps back, using
# nothing but rawbpf; then remove everything again.
#   usage: scripts/demo.sh RAWBPF OBJECT
set -u
RAWBPF=${1:-./rawbpf}
OBJ=${2:-build/progs/demo/counter.bpf.o}
[ "$(id -u)" = 0 ] || { echo "demo: run as root (loading BPF programs needs CAP_BPF/CAP_SYS_ADMIN)"; exit 1; }
DIR=/sys/fs/bpf/rawbpf-demo-$$
WORK=$(mktemp -d)
cleanup() { rm -rf "$DIR" "$WORK"; }
trap cleanup EXIT

if [ -t 1 ]; then B=$'\033[1m' N=$'\033[0m'; else B= N=; fi
show() { printf '\n%s$ %s%s\n' "$B" "$*" "$N"; }
step() { show "$@"; "$@"; }
# run_prog ARGS...: a test run, showing only the program's return value
run_prog() { show "$RAWBPF" prog run "$@"; "$RAWBPF" prog run "$@" | grep retval; }

# Two frames: an IPv4/UDP one and an IPv4/TCP one (Ethernet + IPv4 header + padding).
frame() {  # PROTO LEN FILE
	python3 -c "import sys
proto, n = int(sys.argv[1]), int(sys.argv[2])
ip = bytes([0x45, 0, 0, n - 14, 0, 0, 0, 0, 64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2])
sys.stdout.buffer.write(bytes(12) + b'\x08\x00' + ip + bytes(n - 34))" "$1" "$2" > "$3"
}
frame 17 80 "$WORK/udp.bin"
frame 6 200 "$WORK/tcp.bin"

echo "rawbpf demo: a socket filter counting packets per IP protocol"
step "$RAWBPF" load "$OBJ" --pin "$DIR" --set min_len=20 || exit $?
step ls -R "$DIR"
if "$RAWBPF" help prog 2>/dev/null | grep -q 'prog run' && "$RAWBPF" help map 2>/dev/null | grep -q 'map dump'; then
	run_prog pinned "$DIR/count_packets" data_in "@$WORK/udp.bin" repeat 3
	run_prog pinned "$DIR/count_packets" data_in "@$WORK/tcp.bin"
	echo "(the filter returns the length it keeps: a socket filter sees the packet"
	echo " without its 14-byte Ethernet header; key 17 = UDP: 3 x 66 bytes, 6 = TCP: 1 x 186)"
	step "$RAWBPF" map dump pinned "$DIR/maps/by_proto"
	step "$RAWBPF" map dump pinned "$DIR/maps/counter_bss"
	step "$RAWBPF" map dump pinned "$DIR/maps/counter_rodata"
else
	echo "(this build has no 'rawbpf prog run'/'map dump' yet: showing what loaded only)"
fi
echo
echo "demo: removing $DIR (unpinning frees the programs and maps)"
