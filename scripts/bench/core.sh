#!/bin/bash
# Time and peak memory of loading CO-RE objects: rawbpf vs bpftool (libbpf)
# in the same run, best of N each: wall time of the whole process, and its
# getrusage ru_maxrss as /usr/bin/time reports it (measured from a small
# parent, not from a forked python that would count its own pages).
#   usage: scripts/bench/core.sh [RAWBPF] [N] [OBJ...]
# Default objects: a few carved from libbpf-tools (scripts/carve-libbpf-tools.sh)
# and progs/core/task.bpf.o.  Needs root; pins under /sys/fs/bpf and removes them.
set -u
cd "$(dirname "$0")/../.."
RAWBPF=${1:-./rawbpf}; N=${2:-15}; shift 2 2>/dev/null
OBJS=("$@")
if [ ${#OBJS[@]} = 0 ]; then
	[ -e build/libbpf-tools/execsnoop.bpf.o ] || scripts/carve-libbpf-tools.sh > /dev/null
	OBJS=(build/libbpf-tools/execsnoop.bpf.o build/libbpf-tools/biolatency.bpf.o
	      build/libbpf-tools/tcpconnect.bpf.o build/progs/core/task.bpf.o)
fi
python3 - "$RAWBPF" "$N" "${OBJS[@]}" <<'PY'
import os, shutil, subprocess, sys, time
rawbpf, n, objs = sys.argv[1], int(sys.argv[2]), sys.argv[3:]
pin = '/sys/fs/bpf/rawbpf-bench-%d' % os.getpid()

def run(argv):
    t0 = time.perf_counter()
    p = subprocess.run(['/usr/bin/time', '-f', '%M %x'] + argv, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True)
    dt = time.perf_counter() - t0
    shutil.rmtree(pin, ignore_errors=True)
    kib, rc = p.stderr.strip().splitlines()[-1].split()[-2:]
    return dt, int(kib), int(rc)

def best(argv):
    res = [run(argv) for _ in range(n)]
    return min(r[0] for r in res), min(r[1] for r in res), res[0][2]

print('best of %d runs each; load average %s' % (n, open('/proc/loadavg').read().split()[0]))
print('%-22s %22s %22s %7s %7s' % ('object', 'rawbpf ms / KiB', 'bpftool ms / KiB', 'time', 'memory'))
for obj in objs:
    if not os.path.exists(obj):
        continue
    rt, rm, rc = best([rawbpf, 'load', obj, '--pin', pin])
    bt, bm, bc = best(['bpftool', 'prog', 'loadall', obj, pin])
    flag = '' if rc == 0 and bc == 0 else '  (exit rawbpf %d, bpftool %d)' % (rc, bc)
    print('%-22s %12.1f / %7d %12.1f / %7d %6.2fx %6.2fx%s' % (
        os.path.basename(obj), rt * 1e3, rm, bt * 1e3, bm, rt / bt, rm / bm, flag))
PY
