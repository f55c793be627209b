#!/bin/bash
# Cross-check with bpftool (test-only oracle): every progs/ object bpftool can
# load (`bpftool prog loadall OBJ DIR pinmaps DIR/maps`) is loaded by rawbpf
# too, and per program the kernel's translated instruction count, per map
# the type and sizes, are the same.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/load_helpers.bash"

prog_field() { bpftool -j prog show pinned "$1" | json_get "d['bytes_xlated'] // 8"; }
map_fields() { bpftool -j map show pinned "$1" | json_get "'%s %s %s %s' % (d['type'], d['bytes_key'], d['bytes_value'], d['max_entries'])"; }

compare_dirs() {  # OBJ BPFTOOL_DIR RAWBPF_DIR
	local obj=${1##*/} a=$2 b=$3 f n=0
	for f in "$a"/*; do
		[ -d "$f" ] && continue
		n=$((n + 1))
		expect "$obj: program ${f##*/}: xlated instructions" "$(prog_field "$f")" prog_field "$b/${f##*/}"
	done
	for f in "$a"/maps/*; do
		[ -e "$f" ] || continue
		expect "$obj: map ${f##*/}: type and sizes" "$(map_fields "$f")" map_fields "$b/maps/${f##*/}"
	done
	[ $n -gt 0 ] || fail "$obj: bpftool pinned no program"
}

for obj in $PROGS/demo/*.bpf.o $PROGS/loader/*.bpf.o; do
	name=$(basename "$obj" .bpf.o)
	case $name in
	pin_by_name*) continue ;;  # libbpf would pin at /sys/fs/bpf itself; covered by load.sh
	esac
	if ! bpftool prog loadall "$obj" "$PINS/bt-$name" pinmaps "$PINS/bt-$name/maps" > "$TMPDIR/bt.out" 2>&1; then
		rm -rf "$PINS/bt-$name"
		skip "xcheck $name: bpftool cannot load it ($(grep -m1 -iE 'error|fail' "$TMPDIR/bt.out" | cut -c1-80))"
		continue
	fi
	if $RAWBPF load "$obj" --pin "$PINS/rb-$name" > "$TMPDIR/rb.out" 2>&1; then
		pass "xcheck $name: rawbpf loads what bpftool loads"
		compare_dirs "$obj" "$PINS/bt-$name" "$PINS/rb-$name"
	else
		fail "xcheck $name: bpftool loads it, rawbpf does not: $(tail -1 "$TMPDIR/rb.out")"
	fi
	rm -rf "$PINS/bt-$name" "$PINS/rb-$name"
done
finish
