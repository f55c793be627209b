#!/bin/bash
# rawbpf feature: the program and map types it finds match bpftool's probes.
. "$(dirname "$0")/../../lib.sh"
need_root
command -v bpftool >/dev/null || { skip "feature: bpftool missing"; exit 0; }

check "feature runs" bash -c "$RAWBPF feature > $TMPDIR/f.txt"
check "feature text lists xdp" grep -qE '^  xdp +available$' "$TMPDIR/f.txt"
$RAWBPF -j feature > "$TMPDIR/ours.json" 2>&1
bpftool -j feature probe kernel > "$TMPDIR/theirs.json" 2>/dev/null
if python3 - "$TMPDIR/ours.json" "$TMPDIR/theirs.json" > "$TMPDIR/diff.txt" 2>&1 <<'PY'
import json, sys
ours, theirs = (json.load(open(p)) for p in sys.argv[1:3])
compared = 0
for sec in ("program_types", "map_types"):
    for k, v in theirs[sec].items():
        if k in ours[sec]:
            compared += 1
            if ours[sec][k] != v:
                sys.exit(f"{k}: rawbpf {ours[sec][k]} bpftool {v}")
if compared < 40:
    sys.exit(f"only {compared} types compared")
PY
then pass "feature agrees with bpftool feature probe"; else fail "feature agrees with bpftool: $(head -2 "$TMPDIR/diff.txt")"; fi
if command -v setpriv >/dev/null && [ "$(cat /proc/sys/kernel/unprivileged_bpf_disabled)" != 0 ]; then
	cp "$RAWBPF" "$TMPDIR/rawbpf-unpriv" && chmod 755 "$TMPDIR" "$TMPDIR/rawbpf-unpriv"
	check_fails "feature without privilege says so" 3 "run as root" \
		setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all "$TMPDIR/rawbpf-unpriv" feature
fi
check_fails "feature has one subcommand" 1 "unknown subcommand 'frob'" $RAWBPF feature frob
finish
