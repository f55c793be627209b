# Sourced by tests/loader/*.sh (the loader's integration tests): bpftool as the
# test-only oracle to run programs and read maps back, and pin cleanup.
need_root "${0##*/}"
command -v bpftool >/dev/null || { skip "${0##*/}: bpftool not installed"; exit 0; }
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
PINS=/sys/fs/bpf/rawbpf-test-$$-${0##*/}
PINS=${PINS%.sh}
cleanup_pins() { rm -rf "$PINS"; }
trap cleanup_pins EXIT
mkdir -p "$PINS"

# packet FILE N: N zero bytes (an Ethernet frame with protocol 0)
packet() { head -c "$2" /dev/zero > "$1"; }

# prog_ret PIN [BYTES]: the program's return value for a zeroed packet
prog_ret() {
	packet "$TMPDIR/pkt" "${2:-64}"
	bpftool -j prog run pinned "$1" data_in "$TMPDIR/pkt" repeat 1 |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["retval"])'
}

# map_json PIN: bpftool's JSON dump of a pinned map
map_json() { bpftool -j map dump pinned "$1"; }

# json_get EXPR: evaluates a python expression on the JSON on stdin (as d);
# le(b) turns bpftool's ["0x2a","0x00",...] into a little-endian number
json_get() {
	python3 -c "import json,sys
le = lambda b: int.from_bytes(bytes(int(x, 16) for x in b), 'little')
d = json.load(sys.stdin)
print($1)"
}

# expect NAME WANT CMD...: CMD's output must equal WANT
expect() {
	local name=$1 want=$2; shift 2
	local got; got=$("$@" 2>"$TMPDIR/expect.err")
	if [ "$got" = "$want" ]; then pass "$name"
	else fail "$name: got '$got', wanted '$want' $(tail -2 "$TMPDIR/expect.err" | tr '\n' ' ')"; fi
}
export -f map_json json_get
