#!/bin/bash
# CO-RE on the running kernel: progs/core/task.bpf.o reads this test's own
# task_struct, mm, a UDP socket and a queued sk_buff (checked by
# task_check.py, which runs the program with BPF_PROG_TEST_RUN), plus kconfig
# externs against /proc/config.gz and a ksym against /proc/kallsyms; a
# poisoned relocation the verifier reaches; alternative programs.
. tests/lib.sh
need_root "core"
[ -r /sys/kernel/btf/vmlinux ] || { skip "core: the kernel has no BTF"; finish; }
if [ ! -r /proc/config.gz ] && [ ! -r "/boot/config-$(uname -r)" ]; then
	skip "core: kconfig externs: the kernel exposes no config"; finish
fi
DIR=/sys/fs/bpf/rawbpf-core-test-$$
trap 'rm -rf "$DIR"' EXIT

check "core: task.bpf.o loads (CO-RE, kconfig, ksym, weak kfunc)" \
	"$RAWBPF" load "$PROGS/core/task.bpf.o" --pin "$DIR"
if [ -e "$DIR/read_task" ]; then
	python3 tests/loader/core/task_check.py "$DIR" > "$TMPDIR/task.out" 2>&1
	while read -r word rest; do
		case $word in
		ok) pass "core: $rest" ;;
		FAIL) fail "core: $rest" ;;
		*) fail "core: task_check.py: $word $rest" ;;
		esac
	done < "$TMPDIR/task.out"
fi
rm -rf "$DIR"

check_fails "core: a reached poisoned relocation is refused and named" 3 \
	"CO-RE: struct task_struct has no field 'rawbpf_no_such_field' in the running kernel \(program 'unguarded_read', insn 1, poison.bpf.c:[0-9]+\)" \
	"$RAWBPF" load "$PROGS/core/poison.bpf.o"
check_fails "core: --strict refuses an object with a missing attach target" 5 \
	"missing_target.*--strict" "$RAWBPF" load "$PROGS/core/alternatives.bpf.o" --strict
check_fails "core: the CO-RE sentence names the --btf file" 3 \
	"CO-RE: struct task_struct has no field 'rawbpf_no_such_field' in /sys/kernel/btf/vmlinux " \
	"$RAWBPF" load "$PROGS/core/poison.bpf.o" --btf /sys/kernel/btf/vmlinux
check "core: --btf FILE (raw BTF) instead of the kernel's" \
	"$RAWBPF" load "$PROGS/core/task.bpf.o" --btf /sys/kernel/btf/vmlinux
check_fails "core: --btf with a missing file says which" 4 "/nonexistent/vmlinux" \
	"$RAWBPF" load "$PROGS/core/task.bpf.o" --btf /nonexistent/vmlinux

"$RAWBPF" load "$PROGS/core/alternatives.bpf.o" --pin "$DIR" > "$TMPDIR/alt.out" 2>&1
rc=$?
if [ $rc = 0 ] && [ -e "$DIR/always_loads" ] && [ ! -e "$DIR/missing_target" ] &&
	grep -q "missing_target.*skipped.*btf_trace_rawbpf_no_such_tracepoint" "$TMPDIR/alt.out"; then
	pass "core: alternative programs: missing attach target skipped, the rest loads"
else
	fail "core: alternative programs (exit $rc): $(tr '\n' ' ' < "$TMPDIR/alt.out")"
fi
rm -rf "$DIR"
finish
