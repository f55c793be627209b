#!/bin/bash
# Kfuncs that live in a kernel module: nf_conntrack's bpf_xdp_ct_lookup and
# bpf_ct_release (progs/loader/kfunc_module).  vmlinux lacks them, so the
# resolver finds them in /sys/kernel/btf/nf_conntrack, passes the module's BTF
# fd in BPF_PROG_LOAD's fd_array and points the calls' insn.off at it.  The
# program is then run (BPF_PROG_TEST_RUN): XDP_PASS (2) says the kfunc ran
# and answered -ENOENT for a flow nobody opened.  Needs a kernel with
# nf_conntrack as a module with BTF (Debian 6.1/6.12 in the qemu guests);
# elsewhere SKIP with the reason.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/module_helpers.inc"
need_root "module kfunc"
OBJ=$PROGS/loader/kfunc_module.bpf.o

load_test_modules
why=$(module_btf_missing nf_conntrack)
if [ -n "$why" ]; then
	skip "module kfunc: $why"
	finish
fi

PIN=/sys/fs/bpf/rawbpf-kfunc-$$
trap 'rm -rf "$PIN"' EXIT
if "$RAWBPF" --trace-syscalls load "$OBJ" --pin "$PIN" > "$TMPDIR/load.out" 2> "$TMPDIR/trace"; then
	pass "module kfunc: kfunc_module loads (kfuncs found in nf_conntrack's BTF)"
else
	fail "module kfunc: load refused: $(grep -m3 -E '^rawbpf: |verifier|invalid' "$TMPDIR/trace" | tr '\n' ' ')"
	finish
fi
check "module kfunc: BPF_PROG_LOAD of ct_lookup passes an fd_array" \
	grep -q -E 'BPF_PROG_LOAD, \{.*prog_name="ct_lookup".*fd_array=0x[0-9a-f]+' "$TMPDIR/trace"
check "module kfunc: the module's BTF object was looked up by id" \
	grep -q 'BPF_BTF_GET_FD_BY_ID' "$TMPDIR/trace"

zeros=$(printf '00%.0s' $(seq 64))
"$RAWBPF" -j prog run pinned "$PIN/ct_lookup" data_in "$zeros" > "$TMPDIR/run.out" 2>&1
if grep -q '"retval":2,' "$TMPDIR/run.out"; then
	pass "module kfunc: bpf_xdp_ct_lookup ran and answered -ENOENT (XDP_PASS)"
else
	fail "module kfunc: test run: $(cat "$TMPDIR/run.out")"
fi
finish
