#!/bin/bash
# Every BPF object under $PROGS that `rawbpf load` loads: each pinned program
# and map as rawbpf shows and dumps it equals what bpftool shows and dumps
# (shared JSON keys; element keys and values byte for byte).
. "$(dirname "$0")/../../lib.sh"
need_root
command -v bpftool >/dev/null || { skip "progs oracle: bpftool missing"; exit 0; }
ls "$PROGS"/*/*.bpf.o >/dev/null 2>&1 || { skip "progs oracle: no built objects in $PROGS (make progs)"; exit 0; }
PIN=/sys/fs/bpf/rbtest_oracle_$$
trap 'rm -rf "$PIN"' EXIT

# same_json KIND PATH: rawbpf -j KIND ... and bpftool -j agree.
same_json() {
	local what=$1 path=$2
	$RAWBPF -j $what pinned "$path" > "$TMPDIR/ours.json" 2> "$TMPDIR/ours.err"
	bpftool -j $what pinned "$path" > "$TMPDIR/theirs.json" 2>/dev/null
	python3 - "$TMPDIR/ours.json" "$TMPDIR/theirs.json" "$what" <<'PY'
import json, sys
what = sys.argv[3]
ours = json.load(open(sys.argv[1]))
try:
    theirs = json.load(open(sys.argv[2]))
except ValueError:
    sys.exit(3) # bpftool's own JSON is broken for some types (floats in 7.1): no oracle

if what.endswith("dump"):
    # unreadable values: both say {"error": ...}, in their own words
    norm = lambda v: {"error": True} if isinstance(v, dict) and "error" in v else v
    strip = lambda d: [{k: norm(e.get(k)) for k in ("key", "value", "values")} for e in d]
    if strip(ours) != strip(theirs):
        sys.exit("elements differ")
    if any(("formatted" in a) != ("formatted" in b) for a, b in zip(ours, theirs)):
        sys.exit("BTF formatting present in one output only")
    sys.exit(0)
for k in theirs:
    if k in ("loaded_at", "pids"):
        continue
    # a type newer than Debian's bpftool (7.1: netfilter) is a bare number there
    if k == "type" and isinstance(theirs[k], int) and isinstance(ours.get(k), str):
        continue
    if ours.get(k) != theirs[k]:
        sys.exit(f"{k}: rawbpf {ours.get(k)!r} bpftool {theirs[k]!r}")
PY
}

n=0
for obj in "$PROGS"/*/*.bpf.o; do
	name=$(basename "$obj" .bpf.o)
	rm -rf "$PIN"
	if ! $RAWBPF -q load "$obj" --pin "$PIN" --pin-root "$PIN/root" > /dev/null 2>&1; then
		continue # objects meant to fail, or needing what this kernel lacks: the loader's tests cover them
	fi
	for p in "$PIN"/*; do
		[ -f "$p" ] || continue
		if same_json "prog show" "$p" > "$TMPDIR/why" 2>&1; then n=$((n + 1))
		else fail "$name: prog $(basename "$p"): $(head -2 "$TMPDIR/why" | tr '\n' ' ')"; fi
	done
	for m in "$PIN"/maps/*; do
		[ -f "$m" ] || continue
		if ! same_json "map show" "$m" > "$TMPDIR/why" 2>&1; then
			fail "$name: map $(basename "$m"): $(head -2 "$TMPDIR/why" | tr '\n' ' ')"
			continue
		fi
		n=$((n + 1))
		$RAWBPF map dump pinned "$m" > /dev/null 2>&1 || continue # keyless maps cannot be dumped
		same_json "map dump" "$m" > "$TMPDIR/why" 2>&1
		case $? in
		0) n=$((n + 1)) ;;
		3) skip "$name: dump $(basename "$m"): bpftool prints invalid JSON for it" ;;
		*) fail "$name: dump $(basename "$m"): $(head -2 "$TMPDIR/why" | tr '\n' ' ')" ;;
		esac
	done
done
rm -rf "$PIN"
if [ $n -gt 0 ]; then pass "progs oracle: $n programs, maps and dumps agree with bpftool"
else skip "progs oracle: rawbpf load loaded none of the objects"; fi
finish
