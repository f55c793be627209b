#!/bin/bash
# Real CO-RE objects: every BPF object carved from Debian's libbpf-tools is
# loaded by rawbpf and by `bpftool prog loadall` in the same run.  rawbpf
# must load at least as many, every one bpftool loads, and never crash; the
# objects it cannot load are listed with the reason.
. tests/lib.sh
need_root "libbpf-tools"
[ -r /sys/kernel/btf/vmlinux ] || { skip "libbpf-tools: the kernel has no BTF"; finish; }
command -v bpftool > /dev/null || { skip "libbpf-tools: no bpftool to compare with"; finish; }
OBJS=build/libbpf-tools
[ -n "$(ls $OBJS/*.bpf.o 2>/dev/null)" ] || scripts/carve-libbpf-tools.sh "$OBJS" > /dev/null 2>&1
[ -n "$(ls $OBJS/*.bpf.o 2>/dev/null)" ] || { skip "libbpf-tools: cannot fetch the package"; finish; }

# reason [CUT]: rawbpf's error line (not its notes or warnings)
reason() { grep -E '^rawbpf: ' "$TMPDIR/r.out" | grep -v -E '^rawbpf: (note|warning):' | head -1 | cut -c1-${1:-200}; }

PIN=/sys/fs/bpf/rawbpf-lt-$$
trap 'rm -rf "$PIN"' EXIT
total=0 ours=0 theirs=0 crashed=0 missed=""
for obj in "$OBJS"/*.bpf.o; do
	name=$(basename "$obj" .bpf.o)
	total=$((total + 1))
	timeout 120 "$RAWBPF" load "$obj" > "$TMPDIR/r.out" 2>&1; rc=$?
	if [ $rc -ge 124 ] || grep -q -E 'AddressSanitizer|runtime error:|LeakSanitizer' "$TMPDIR/r.out"; then
		crashed=$((crashed + 1))
		fail "libbpf-tools: $name: crash or hang (exit $rc): $(tail -2 "$TMPDIR/r.out" | tr '\n' ' ')"
	fi
	[ $rc = 0 ] && ours=$((ours + 1))
	rm -rf "$PIN"
	if timeout 120 bpftool prog loadall "$obj" "$PIN" > /dev/null 2>&1; then
		theirs=$((theirs + 1))
		if [ $rc != 0 ]; then
			# other tests share this kernel: a transient refusal gets one retry, said aloud
			rm -rf "$PIN"
			echo "  retry: $name: $(reason)"
			timeout 120 "$RAWBPF" load "$obj" > "$TMPDIR/r.out" 2>&1 && { rc=0; ours=$((ours + 1)); }
			[ $rc = 0 ] || missed="$missed $name($(reason 120))"
		fi
	fi
	rm -rf "$PIN"
	[ $rc = 0 ] || echo "  not loaded: $name: $(reason)"
done
echo "  libbpf-tools: rawbpf loads $ours of $total, bpftool $theirs"
if [ $ours -ge $theirs ] && [ -z "$missed" ]; then
	pass "libbpf-tools: rawbpf loads $ours/$total >= bpftool's $theirs"
else
	fail "libbpf-tools: rawbpf loads $ours/$total, bpftool $theirs; bpftool-only:$missed"
fi
[ $crashed = 0 ] && pass "libbpf-tools: no crash or hang on $total objects"
finish
