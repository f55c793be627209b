#!/bin/bash
# An attach target in a kernel module's BTF: fentry/nf_conntrack_in
# (progs/loader/fentry_module).  vmlinux lacks the function, so the resolver
# finds it in /sys/kernel/btf/nf_conntrack and loads with attach_btf_id in
# that BTF plus the module's BTF object fd (attach_btf_obj_fd, which shares
# its place in bpf_attr with attach_prog_fd, the name the trace prints).
# `run` then attaches it.  Needs module BTF and fentry (the qemu guests);
# elsewhere SKIP with the reason.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/module_helpers.inc"
need_root "module attach target"
OBJ=$PROGS/loader/fentry_module.bpf.o

load_test_modules
why=$(module_btf_missing nf_conntrack)
if [ -n "$why" ]; then
	skip "module attach target: $why"
	finish
fi

"$RAWBPF" --trace-syscalls run "$OBJ" --duration 0 > "$TMPDIR/run.out" 2> "$TMPDIR/trace"
rc=$?
load=$(grep -m1 -E 'BPF_PROG_LOAD, \{.*prog_name="count_ct_in"' "$TMPDIR/trace")
# exit 5: the kernel lacks what fentry needs (lockdown, no ftrace direct calls)
if [ $rc -eq 5 ]; then
	skip "module attach target: fentry refused here: $(grep -m1 '^rawbpf' "$TMPDIR/trace")"
	finish
fi
check "module attach target: run loads and attaches fentry/nf_conntrack_in" test $rc -eq 0
check "module attach target: BPF_PROG_LOAD names the target's id in the module BTF and its fd" \
	grep -q -E 'attach_btf_id=[1-9][0-9]*.*attach_prog_fd=[1-9][0-9]*' <<< "$load"
check "module attach target: the module's BTF object was opened by id" \
	grep -q 'BPF_BTF_GET_FD_BY_ID' "$TMPDIR/trace"
finish
