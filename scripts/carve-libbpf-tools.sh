#!/bin/bash
# Extracts the compiled BPF objects that Debian's libbpf-tools binaries embed
# (skeletons: an ELF64 EM_BPF image inside each executable) into OUT/<tool>.bpf.o.
# The package is fetched with `apt-get download` and unpacked with dpkg -x,
# never installed.  Cached: a second run with the .deb present does no download.
#   usage: scripts/carve-libbpf-tools.sh [OUT]   (default build/libbpf-tools)
set -euo pipefail
OUT=${1:-build/libbpf-tools}
CACHE=${RAWBPF_CACHE:-build/cache}
mkdir -p "$OUT" "$CACHE"
OUT=$(realpath "$OUT"); CACHE=$(realpath "$CACHE")
deb=$(ls "$CACHE"/libbpf-tools_*.deb 2>/dev/null | head -1 || true)
if [ -z "$deb" ]; then
	(cd "$CACHE" && apt-get download libbpf-tools >/dev/null 2>&1) || {
		apt-get update -qq >/dev/null 2>&1; (cd "$CACHE" && apt-get download libbpf-tools >/dev/null 2>&1); }
	deb=$(ls "$CACHE"/libbpf-tools_*.deb | head -1)
fi
rm -rf "$CACHE/libbpf-tools.x"
dpkg -x "$deb" "$CACHE/libbpf-tools.x"
python3 - "$CACHE/libbpf-tools.x/usr/sbin" "$OUT" <<'PY'
import os, struct, sys
src, out = sys.argv[1], sys.argv[2]
count = 0
for tool in sorted(os.listdir(src)):
    data = open(os.path.join(src, tool), 'rb').read()
    found, pos = 0, 1            # pos 1: skip the host executable's own header
    while True:
        pos = data.find(b'\x7fELF\x02\x01\x01', pos)
        if pos < 0:
            break
        hdr = data[pos:pos + 64]
        if len(hdr) < 64 or struct.unpack_from('<H', hdr, 18)[0] != 247:
            pos += 1
            continue
        shoff, = struct.unpack_from('<Q', hdr, 40)
        shentsize, shnum = struct.unpack_from('<HH', hdr, 58)
        end = shoff + shentsize * shnum
        for i in range(shnum):          # the object ends at its last byte in use
            off = pos + shoff + i * shentsize
            if off + 64 > len(data):
                break
            sh_type, = struct.unpack_from('<I', data, off + 4)
            sh_off, sh_size = struct.unpack_from('<QQ', data, off + 24)
            if sh_type != 8:             # SHT_NOBITS takes no file space
                end = max(end, sh_off + sh_size)
        if pos + end > len(data):
            pos += 1
            continue
        name = tool if found == 0 else f'{tool}.{found}'
        open(os.path.join(out, name + '.bpf.o'), 'wb').write(data[pos:pos + end])
        found += 1
        count += 1
        pos += end
print(f'carved {count} objects into {out}')
PY
