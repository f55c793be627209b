#!/bin/bash
# A hostile struct_ops object: a member whose BTF claims 2^64 - 1 bytes (an
# array of arrays with patched counts: 65535 x 42009217 x 6700417) placed
# at byte 1 of the variable.  offset + size wraps around 64 bits; the
# resolver must not read past the variable's bytes (the sanitizer run of
# this test catches such a read) and must not crash.
. "$(dirname "$0")/../../lib.sh"
need_root "struct_ops hostile object"
need_cmd clang "struct_ops hostile object"
need_cmd python3 "struct_ops hostile object"
W=$TMPDIR/sto
mkdir -p "$W"
cat > "$W/so.c" <<'SRC'
struct big { char a[65535]; };
struct tcp_congestion_ops {
	char pad;
	struct big flags[3][5];
	char name[16];
};
__attribute__((section(".struct_ops"), used)) struct tcp_congestion_ops evil = { };
char _license[] __attribute__((section("license"), used)) = "GPL";
SRC
# the two array counts 3 and 5 become 42009217 and 6700417 in .BTF
cat > "$W/patch.py" <<'PY'
import struct, sys
d = bytearray(open(sys.argv[1], 'rb').read())
shoff, = struct.unpack_from('<Q', d, 0x28)
shentsize, shnum, shstrndx = struct.unpack_from('<HHH', d, 0x3a)
sh = lambda i: struct.unpack_from('<IIQQQQIIQQ', d, shoff + i * shentsize)
stro = sh(shstrndx)[4]
off = next(sh(i)[4] for i in range(shnum)
           if d[stro + sh(i)[0]:d.index(b'\0', stro + sh(i)[0])] == b'.BTF')
hl, toff, tlen = struct.unpack_from('<III', d, off + 4)
p, end, done = off + hl + toff, off + hl + toff + tlen, 0
extra = {1: 4, 3: 12, 4: 12, 5: 12, 6: 8, 13: 8, 14: 4, 15: 12, 17: 4, 19: 16}
while p < end:
    _, info, _ = struct.unpack_from('<III', d, p)
    kind, vlen = (info >> 24) & 0x1f, info & 0xffff
    if kind == 3:
        n, = struct.unpack_from('<I', d, p + 20)
        new = {3: 42009217, 5: 6700417}.get(n)
        if new:
            struct.pack_into('<I', d, p + 20, new)
            done += 1
    per = extra.get(kind, 0)
    p += 12 + (per * vlen if kind in (4, 5, 6, 13, 15) else per)
open(sys.argv[2], 'wb').write(d)
sys.exit(0 if done == 2 else 1)
PY
clang -target bpf -O2 -g -c -o "$W/so.o" "$W/so.c" && python3 "$W/patch.py" "$W/so.o" "$W/evil.o" ||
	{ fail "struct_ops hostile object: could not build it"; finish; }
check_fails "struct_ops hostile object: a member claiming 2^64 - 1 bytes is not read" 0 '0 programs' \
	"$RAWBPF" load "$W/evil.o"
finish
