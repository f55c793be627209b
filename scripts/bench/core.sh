#!/bin/bash
# Time and peak memory of loading CO-RE objects: rawbpf against libbpf on the
# same objects in the same run.  libbpf twice: a minimal libbpf loader
# (core_libbpf.c: open, load, pin programs and maps, as `rawbpf load --pin`
# does; built against libbpf-dev) and bpftool (`prog loadall ... pinmaps`).
# Runs are interleaved (rawbpf, libbpf, bpftool, rawbpf, ...) so machine
# load hits all alike; best of N each: wall time and CPU time (user + system,
# microseconds from wait4) of the whole process, and ru_maxrss, all measured
# by a small C parent (runstat.c; a forked python would count its own pages).
# Goal (issue 3): rawbpf's whole-process time at most half of libbpf's.
#   usage: scripts/bench/core.sh [RAWBPF] [N] [OBJ...]
# Default objects: a few carved from libbpf-tools (scripts/carve-libbpf-tools.sh)
# and progs/core/task.bpf.o.  Needs root; pins under /sys/fs/bpf and removes them.
set -u
cd "$(dirname "$0")/../.."
RAWBPF=${1:-./rawbpf}; N=${2:-15}; shift 2 2>/dev/null
OBJS=("$@")
[ "$(id -u)" = 0 ] || { echo "bench core: needs root"; exit 0; }
if [ ${#OBJS[@]} = 0 ]; then
	[ -e build/libbpf-tools/execsnoop.bpf.o ] || scripts/carve-libbpf-tools.sh > /dev/null
	OBJS=(build/libbpf-tools/execsnoop.bpf.o build/libbpf-tools/biolatency.bpf.o
	      build/libbpf-tools/tcpconnect.bpf.o build/libbpf-tools/runqlat.bpf.o
	      build/libbpf-tools/opensnoop.bpf.o build/progs/core/task.bpf.o)
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
gcc -O2 -o "$T/runstat" scripts/bench/runstat.c || exit 1
LIBBPF=$T/core_libbpf
gcc -O2 -o "$LIBBPF" scripts/bench/core_libbpf.c -lbpf 2> "$T/cc.err" ||
	{ echo "bench core: no libbpf loader (libbpf-dev?): $(head -1 "$T/cc.err")"; LIBBPF=; }
command -v bpftool > /dev/null || echo "bench core: bpftool not installed"
python3 - "$T/runstat" "$RAWBPF" "$N" "$LIBBPF" "${OBJS[@]}" <<'PY'
import os, shutil, subprocess, sys
runstat, rawbpf, n, libbpf, objs = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5:]
pin = '/sys/fs/bpf/rawbpf-bench-%d' % os.getpid()

def run(argv):
    p = subprocess.run([runstat] + argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    shutil.rmtree(pin, ignore_errors=True)
    line = [l for l in p.stderr.splitlines() if l.startswith('runstat ')][-1]
    wall, cpu, kib, rc = (int(x) for x in line.split()[1:])
    return wall / 1e3, cpu / 1e3, kib, rc

loaders = [('rawbpf', lambda o: [rawbpf, 'load', o, '--pin', pin])]
if libbpf:
    loaders.append(('libbpf', lambda o: [libbpf, o, pin]))
if shutil.which('bpftool'):
    loaders.append(('bpftool', lambda o: ['bpftool', 'prog', 'loadall', o, pin, 'pinmaps', pin + '/maps']))

print('best of %d interleaved runs each; load average %s; ms = milliseconds, KiB = ru_maxrss' %
      (n, open('/proc/loadavg').read().split()[0]))
head = '%-12s' % 'object'
for name, _ in loaders:
    head += ' | %-24s' % (name + ' cpu/wall ms, KiB')
for name, _ in loaders[1:]:
    head += ' | ' + 'rawbpf/' + name + ' cpu wall mem'
print(head)
for obj in objs:
    if not os.path.exists(obj):
        continue
    res = {name: [] for name, _ in loaders}
    for _ in range(n):
        for name, argv in loaders:
            res[name].append(run(argv(obj)))
    best = {k: (min(r[0] for r in v), min(r[1] for r in v), min(r[2] for r in v),
                max(r[3] for r in v)) for k, v in res.items()}
    line = '%-12s' % os.path.basename(obj).replace('.bpf.o', '')
    for name, _ in loaders:
        w, c, m, _rc = best[name]
        line += ' | %7.1f / %6.1f / %6d' % (c, w, m)
    r = best['rawbpf']
    for name, _ in loaders[1:]:
        o = best[name]
        cell = '%4.2f %4.2f %4.2f' % (r[1] / o[1], r[0] / o[0], r[2] / o[2])
        line += ' | %*s' % (len('rawbpf/' + name + ' cpu wall mem'), cell)
    bad = ['%s exit %d' % (k, v[3]) for k, v in best.items() if v[3]]
    print(line + ('  (%s)' % ', '.join(bad) if bad else ''))
PY
