#!/bin/bash
# `rawbpf disasm OBJ`: programs as they will be loaded, checked against llvm-objdump.
. "$(dirname "$0")/../../lib.sh"
OBJ=$PROGS/demo/counter.bpf.o
out=$TMPDIR/d.txt
check "disasm the demo object" bash -c "$RAWBPF disasm $OBJ > $out"
check "map references are named" grep -q "r1 = map\[by_proto\]" "$out"
check "global data references name the data map" grep -q "map\[counter.rodata\]+0" "$out"
check "helper calls are named" grep -q "call bpf_map_lookup_elem#1" "$out"
check "C source lines from line_info" grep -q "^; .*skb->len < min_len.*counter.bpf.c:" "$out"
if command -v llvm-objdump >/dev/null; then
	# the program has no subprograms: its instruction count is the section's
	want=$(llvm-objdump -d --section=socket "$OBJ" | grep -cE '^ +[0-9]+:')
	# llvm-objdump prints ld_imm64 on one line: count our two-slot ones once too
	got=$(grep -cE '^ +[0-9]+: ' "$out")
	check "instruction count matches llvm-objdump ($want)" test "$got" = "$want"
else
	skip "disasm vs llvm-objdump: needs llvm-objdump"
fi
check_fails "unknown program name" 1 "not in the object" $RAWBPF disasm $OBJ no_such_prog
head -c 100 "$OBJ" > "$TMPDIR/trunc.o"
check_fails "truncated object" 2 "trunc.o" $RAWBPF disasm "$TMPDIR/trunc.o"
check_fails "no object" 1 "usage" $RAWBPF disasm
finish
