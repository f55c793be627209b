#!/bin/bash
# rawbpf load on objects that must be refused: verifier rejects, bad pin
# directories, damaged files.  Each gives a clear one-line error (plus the
# verifier explanation) and the documented exit code, never a crash.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/load_helpers.bash"
P=$PROGS/loader
OBJ=$PROGS/demo/counter.bpf.o

# ---- the verifier refuses a program
check_fails "verifier reject exits 3" 3 "the verifier refused it" $RAWBPF load $P/reject_null.bpf.o
check_fails "reject names object, section and program" 3 "reject_null.bpf.o: program 'no_null_check' \(section 'socket'\)" \
	$RAWBPF load $P/reject_null.bpf.o
check_fails "reject annotates the source line" 3 "reject_null.bpf.c:18: return \(int\)\*v; /\* REJECTED_LINE" \
	$RAWBPF load $P/reject_null.bpf.o
check_fails "reject gives a hint" 3 "hint: check the pointer" $RAWBPF load $P/reject_null.bpf.o
check_fails "-v prints the whole log" 3 "verifier log:" $RAWBPF -v load $P/reject_null.bpf.o
check "--skip the rejected program loads the rest" $RAWBPF load $P/reject_null.bpf.o --skip no_null_check
check_fails "reject leaves nothing pinned" 3 "refused" $RAWBPF load $P/reject_null.bpf.o --pin $PINS/rej
check "failed load removed its pin directory" test ! -e $PINS/rej

# ---- pin directories
check_fails "missing pin parent" 4 "parent directory .* does not exist" $RAWBPF load $OBJ --pin $PINS/no/such/dir
check_fails "pin outside bpffs" 1 "not on a BPF file system" $RAWBPF load $OBJ --pin $TMPDIR/pins
check "pin into an existing empty directory" bash -c "mkdir -p $PINS/e && $RAWBPF load $OBJ --pin $PINS/e"
check_fails "pinning over existing pins" 3 "already exists" $RAWBPF load $OBJ --pin $PINS/e
check "the failed load kept the first load's pins" test -e $PINS/e/maps/by_proto
rm -rf $PINS/e

# ---- damaged objects: one line, documented exit, no crash
one_line_error() {  # NAME WANT_EXIT REGEX FILE
	check_fails "$1" "$2" "$3" $RAWBPF load "$4"
	local n; n=$($RAWBPF load "$4" 2>&1 >/dev/null | wc -l)
	[ "$n" = 1 ] && pass "$1: one line" || fail "$1: $n lines of error"
}
one_line_error "missing file" 4 "No such file" $TMPDIR/nonexistent.o
: > $TMPDIR/empty.o
one_line_error "empty file" 2 "." $TMPDIR/empty.o
head -c 4096 /dev/urandom > $TMPDIR/random.o
one_line_error "random bytes" 2 "." $TMPDIR/random.o
size=$(stat -c %s $OBJ)
for cut in 16 64 200 $((size / 2)) $((size - 9)); do
	head -c $cut $OBJ > $TMPDIR/trunc.o
	one_line_error "truncated to $cut bytes" 2 "." $TMPDIR/trunc.o
done
printf 'int f(void) { return 0; }\n' > $TMPDIR/x86.c
gcc -c -o $TMPDIR/x86.o $TMPDIR/x86.c
one_line_error "wrong machine" 2 "x86-64|machine" $TMPDIR/x86.o
clang -target bpfeb -O2 -g -Iverifier-helpers/include -I/usr/include/$(gcc -dumpmachine) \
	-c -o $TMPDIR/be.o progs/demo/counter.bpf.c
one_line_error "other byte order" 2 "big-endian" $TMPDIR/be.o

# huge counts: e_shnum, and the .BTF header's type_len
python3 - $OBJ $TMPDIR/shnum.o $TMPDIR/btflen.o <<'PY'
import struct, sys
data = bytearray(open(sys.argv[1], "rb").read())
a = bytearray(data); a[60:62] = b"\xff\xff"
open(sys.argv[2], "wb").write(a)
b = bytearray(data); pos = b.find(b"\x9f\xeb\x01\x00")  # BTF magic, version 1
b[pos + 12:pos + 16] = struct.pack("<I", 0x7fffffff)      # type_len
open(sys.argv[3], "wb").write(b)
PY
one_line_error "huge section count" 2 "." $TMPDIR/shnum.o
one_line_error "huge BTF type_len" 2 "BTF" $TMPDIR/btflen.o

# bit flips anywhere: any refusal is fine, a crash or sanitizer report is not
crashes=0
for i in $(seq 1 40); do
	python3 - $OBJ $TMPDIR/flip.o $i <<'PY'
import random, sys
data = bytearray(open(sys.argv[1], "rb").read())
rnd = random.Random(int(sys.argv[3]))
for _ in range(rnd.randint(1, 8)):
    pos = rnd.randrange(len(data))
    data[pos] ^= 1 << rnd.randrange(8)
open(sys.argv[2], "wb").write(data)
PY
	timeout 20 $RAWBPF load $TMPDIR/flip.o > $TMPDIR/flip.out 2>&1; rc=$?
	if [ $rc = 124 ] || [ $rc -ge 128 ] || grep -qE 'Sanitizer|runtime error' $TMPDIR/flip.out; then
		crashes=$((crashes + 1)); cp $TMPDIR/flip.o $TMPDIR/crash-$i.o
		echo "  flip $i: exit $rc: $(head -3 $TMPDIR/flip.out)"
	fi
done
[ $crashes = 0 ] && pass "40 bit-flipped objects: no crash or hang" || fail "bit flips: $crashes crashed or hung"
finish
