#!/bin/bash
# `rawbpf btf`: dumps checked against bpftool (test-only oracle), C output
# compiled by clang, kernel BTF by id, and clear errors on bad input.
. "$(dirname "$0")/../lib.sh"

VMLINUX=/sys/kernel/btf/vmlinux
HERE=$(cd "$(dirname "$0")" && pwd)
SRC=$TMPDIR/btf_t.bpf.c
cat > "$SRC" <<'EOF'
struct ev { int pid; char comm[16]; unsigned flag:3, other:5; enum { A = 1, B = -2 } e; long long big; };
struct { int type; int *key; struct ev *value; int max_entries; } m __attribute__((section(".maps")));
typedef int (*cb_t)(void *ctx, const char *fmt, ...);
struct ops { cb_t cb; struct ev *evs[4]; const volatile int knob; };
struct ops ops_inst __attribute__((section(".data")));
struct __attribute__((packed)) pk { char a; int b; short c; };
enum __attribute__((packed)) small { S1 = 1, S2 = 200 };
struct al { char a; int b __attribute__((aligned(16))); char c; struct pk p; enum small s; unsigned f:3; long long g __attribute__((aligned(32))); };
struct al al_inst __attribute__((section(".data")));
const volatile int knob = 3;
static __attribute__((noinline)) int helper(int x) { return x * knob; }
__attribute__((section("socket"), used)) int prog(void *ctx) { return helper(ops_inst.knob); }
char _license[] __attribute__((section("license"), used)) = "GPL";
EOF

have_bpftool=0; command -v bpftool >/dev/null && have_bpftool=1
have_clang=0; command -v clang >/dev/null && have_clang=1

same_as_bpftool() { # FILE
	diff <($RAWBPF btf dump file "$1") <(bpftool btf dump file "$1") > "$TMPDIR/diff.out"
}

if [ $have_clang = 1 ] && clang -target bpfel -O2 -g -c "$SRC" -o "$TMPDIR/le.o" &&
	clang -target bpfeb -O2 -g -c "$SRC" -o "$TMPDIR/be.o"; then
	if [ $have_bpftool = 1 ]; then
		check "dump file of a clang object is bpftool's listing" same_as_bpftool "$TMPDIR/le.o"
		check "dump file of a big-endian object is bpftool's listing" same_as_bpftool "$TMPDIR/be.o"
	else
		skip "bpftool comparison: bpftool missing"
	fi
	check "format c of an object compiles" bash -c \
		"$RAWBPF btf dump file $TMPDIR/le.o format c > $TMPDIR/obj.h && clang -target bpf -fsyntax-only -Werror -x c $TMPDIR/obj.h"
	check "format c keeps bitfields and function pointers" bash -c \
		"grep -q 'unsigned int other: 5;' $TMPDIR/obj.h && grep -Eq 'typedef int \(\*cb_t\)\(void \*(ctx)?, const char \*(fmt)?, \.\.\.\);' $TMPDIR/obj.h &&
		 grep -q 'struct ev \*evs\[4\];' $TMPDIR/obj.h"
	check "format c reproduces the object's layout (packed, aligned, small enum)" bash -c \
		"$RAWBPF btf dump file $TMPDIR/le.o | python3 $HERE/layout_asserts.py > $TMPDIR/obj_asserts.c &&
		 grep -q 'sizeof(struct al)' $TMPDIR/obj_asserts.c &&
		 cat $TMPDIR/obj.h $TMPDIR/obj_asserts.c > $TMPDIR/obj_check.c &&
		 clang -target bpf -fsyntax-only -Werror -x c $TMPDIR/obj_check.c"
	check "-j dump is JSON with every type" bash -c \
		"$RAWBPF -j btf dump file $TMPDIR/le.o | python3 -c 'import json,sys; t=json.load(sys.stdin)[\"types\"]; sys.exit(0 if len(t)==$(bpftool btf dump file $TMPDIR/le.o 2>/dev/null | grep -c '^\[') else 1)'"
else
	skip "clang-built objects: clang with the BPF target missing"
fi

if [ -r $VMLINUX ]; then
	if [ $have_bpftool = 1 ]; then
		check "vmlinux listing is bpftool's, line for line" same_as_bpftool $VMLINUX
		# bpftool -j sign-extends 32-bit unsigned enumerators; compare modulo that.
		check "vmlinux -j dump is bpftool's JSON" python3 -c '
import json, subprocess, sys
def load(cmd):
    return json.loads(subprocess.run(cmd, capture_output=True, check=True).stdout)["types"]
ours = load(sys.argv[1:] + ["-j", "btf", "dump", "file", "'$VMLINUX'"])
theirs = load(["bpftool", "-j", "btf", "dump", "file", "'$VMLINUX'"])
for t in theirs:
    if t["kind"] == "ENUM" and t["encoding"] == "UNSIGNED":
        for v in t["values"]:
            v["val"] &= 0xffffffff
sys.exit(0 if ours == theirs else 1)' $RAWBPF
		check "vmlinux type count matches bpftool" bash -c \
			"[ \$($RAWBPF btf dump file $VMLINUX | grep -c '^\[') = \$(bpftool btf dump file $VMLINUX | grep -c '^\[') ]"
	fi
	check "vmlinux format c compiles and gives task_struct" bash -c \
		"$RAWBPF btf dump file $VMLINUX format c > $TMPDIR/vmlinux.h &&
		 echo 'int f(struct task_struct *t) { return t->pid; }' > $TMPDIR/use.c &&
		 clang -target bpf -O2 -Werror -c -include $TMPDIR/vmlinux.h $TMPDIR/use.c -o $TMPDIR/use.o"
	# x86-64 host target: vmlinux's va_list is the host's, not BPF's void *.
	check "vmlinux format c reproduces every struct's size and offsets" bash -c \
		"$RAWBPF btf dump file $VMLINUX | python3 $HERE/layout_asserts.py > $TMPDIR/vm_asserts.c &&
		 cat $TMPDIR/vmlinux.h $TMPDIR/vm_asserts.c > $TMPDIR/vm_check.c &&
		 clang -fsyntax-only -Werror -DBPF_NO_PRESERVE_ACCESS_INDEX -x c $TMPDIR/vm_check.c"
	head -c 100000 $VMLINUX > "$TMPDIR/trunc.btf"
	check_fails "truncated BTF is a clear input error" 2 "past the end|runs past" $RAWBPF btf dump file "$TMPDIR/trunc.btf"
else
	skip "vmlinux BTF: $VMLINUX missing"
fi

if [ "$(id -u)" = 0 ] && [ -r $VMLINUX ]; then
	ID=$($RAWBPF -j btf list | python3 -c 'import json,sys; print([b["id"] for b in json.load(sys.stdin) if b["name"]=="vmlinux"][0])')
	check "btf list names vmlinux" bash -c "$RAWBPF btf list | grep -q 'name vmlinux'"
	check "dump id $ID (vmlinux) equals the file" bash -c \
		"cmp <($RAWBPF btf dump id $ID) <($RAWBPF btf dump file $VMLINUX)"
	check_fails "unknown BTF id is a usage error" 1 "no such BTF object" $RAWBPF btf dump id 4000000000
else
	skip "btf dump id: needs root and kernel BTF"
fi

check_fails "missing file" 4 "cannot read" $RAWBPF btf dump file "$TMPDIR/nope"
check_fails "not BTF" 2 "bad BTF magic" $RAWBPF btf dump file /etc/passwd
head -c 3000 /bin/true > "$TMPDIR/cut.elf"
check_fails "truncated ELF" 2 "past the end|truncated" $RAWBPF btf dump file "$TMPDIR/cut.elf"
check_fails "ELF without .BTF" 2 "no .BTF section" $RAWBPF btf dump file /bin/true
check_fails "bad format word" 1 "format is 'raw' or 'c'" $RAWBPF btf dump file /bin/true format xml
check_fails "dump without a source" 1 "usage" $RAWBPF btf dump
finish
