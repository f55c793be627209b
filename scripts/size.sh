#!/bin/bash
# `make size`: the stripped static binary's size and what each module adds to
# it, from a link map of the same objects (sections kept after --gc-sections).
set -euo pipefail
cd "$(dirname "$0")/.."
BUDGET=$((300 * 1024))
size=$(stat -c %s rawbpf)
CC=$(command -v musl-gcc || echo gcc)
objs=$(find build/rel -name '*.o' | sort)
$CC -static -Wl,--gc-sections -Wl,-Map=build/rawbpf.map -o build/rawbpf.unstripped $objs 2>/dev/null
python3 - build/rawbpf.map <<'PY'
import re, sys, collections
per = collections.Counter()
cur = None
sec_re = re.compile(r'^\s*(\.\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S+\.o|\S+\.a\(\S+\))\s*$')
in_map = False
for line in open(sys.argv[1]):
    if line.startswith('Linker script and memory map'):
        in_map = True
        continue
    if not in_map:
        continue
    m = sec_re.match(line)
    if not m:
        lone = re.match(r'^ (\.\S+)\s*$', line)   # a long name stands on its own line
        cur = lone.group(1) if lone else None
        continue
    name, addr, sz, src = m.group(1) or cur, int(m.group(2), 16), int(m.group(3), 16), m.group(4)
    if addr == 0 or not name or name.startswith(('.debug', '.comment', '.note')):
        continue
    if src.startswith('build/rel/'):
        parts = src[len('build/rel/'):].split('/')
        mod = '/'.join(parts[:2]) if len(parts) > 2 else parts[0]
    else:
        mod = 'libc (musl)'
    per[mod] += sz
total = sum(per.values())
for mod, sz in per.most_common():
    print(f'  {mod:28s} {sz:8d} bytes  {100.0 * sz / total:5.1f}%')
PY
echo "rawbpf (stripped, static): $size bytes = $((size / 1024)) KiB; budget $((BUDGET / 1024)) KiB" \
     "($((100 * size / BUDGET))% used)"
echo "for comparison: a libbpf-based loader ~460 KB; bpftool ~550 KB + 2.4 MB of shared libraries"
