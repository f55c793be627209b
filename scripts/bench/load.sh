#!/bin/bash
# Whole-process time of `rawbpf load OBJ --pin DIR` against
# `bpftool prog loadall OBJ DIR pinmaps DIR/maps` on the same objects in one
# run, best of N each (both pin, so both do the same kernel work), plus the
# process start of rawbpf alone (`rawbpf --version`) as the floor's share
# that is not kernel time.  Needs root and bpftool (test-only).
#   N=50 scripts/bench/load.sh [RAWBPF]
set -uo pipefail
cd "$(dirname "$0")/../.."
RAWBPF=${1:-./rawbpf}
N=${N:-30}
[ "$(id -u)" = 0 ] || { echo "bench load: needs root"; exit 0; }
command -v bpftool >/dev/null || { echo "bench load: bpftool not installed"; exit 0; }
mountpoint -q /sys/fs/bpf || mount -t bpf bpf /sys/fs/bpf
DIR=/sys/fs/bpf/rawbpf-bench-$$
trap 'rm -rf "$DIR"' EXIT

python3 - "$RAWBPF" "$N" "$DIR" <<'PY'
import os, shutil, subprocess, sys, time

rawbpf, n, pin = sys.argv[1], int(sys.argv[2]), sys.argv[3]
objs = [("socket filter, 3 insns", "build/progs/loader/bench_trivial.bpf.o"),
        ("tracepoint + 10,240-entry hash", "build/progs/loader/bench_tp_hash.bpf.o"),
        ("~2,000-instruction program", "build/progs/loader/bench_big.bpf.o")]

def best(cmd):
    times = []
    for _ in range(n):
        shutil.rmtree(pin, ignore_errors=True)
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        times.append(time.perf_counter() - t)
        if r.returncode != 0:
            sys.exit("bench load: %s failed: %s" % (" ".join(cmd), r.stderr.decode()[-200:]))
    shutil.rmtree(pin, ignore_errors=True)
    return min(times) * 1000

start = best([rawbpf, "--version"])
print("best of %d runs, milliseconds (whole process, pinning included)" % n)
print("rawbpf process start alone (--version): %.2f ms" % start)
print("%-32s %9s %9s %9s" % ("object", "rawbpf", "bpftool", "bpftool/rawbpf"))
for label, obj in objs:
    rb = best([rawbpf, "load", obj, "--pin", pin])
    bt = best(["bpftool", "prog", "loadall", obj, pin, "pinmaps", pin + "/maps"])
    print("%-32s %9.2f %9.2f %9.2fx" % (label, rb, bt, bt / rb))
PY
