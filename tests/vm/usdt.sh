#!/bin/bash
# USDT in the qemu guests, on the guest's own architecture.  The test target
# (tests/loader/attach/target.c) is built by scripts/vm/mkinitramfs.sh with
# the guest's static compiler at -O1 and -O0, so the notes hold what a real
# compiler chose: registers at -O1 ("-4@x19 8@x1" on arm64), stack slots at
# -O0 ("-4@[sp, 52] 8@[sp, 40]" on arm64, "-4@-20(%rbp)" on x86-64).  Each
# is traced and its arguments summed.  On the host (no prebuilt targets)
# tests/loader/attach/uprobe.sh covers USDT with targets it builds itself.
. "$(dirname "$0")/../lib.sh"
. "$(dirname "$0")/../loader/attach/run_helpers.inc"
need_root "usdt"
T=${RB_ROOT:-.}/build/usdt
if [ ! -x "$T/O1/rawbpf-usdt-target" ]; then
	skip "usdt in the guest: no prebuilt targets in $T (they are built into the guest image; the host runs tests/loader/attach/uprobe.sh)"
	finish
fi
BASE_PATH=$PATH
for opt in O1 O0; do
	export PATH=$T/$opt:$BASE_PATH
	name="usdt -$opt"
	if ! start_run "usdt$opt" -- "$PROGS/examples/usdt.bpf.o" --dump-maps; then
		if grep -q 'unknown#174\|unknown func bpf_get_attach_cookie\|Linux >= 5.15' "$TMPDIR/usdt$opt.err"; then
			skip "$name: this kernel has no BPF cookies (bpf_get_attach_cookie, Linux >= 5.15), which USDT arguments need"
		else
			fail "$name: did not attach: $(grep -m3 -i "func\|helper" "$TMPDIR/usdt$opt.err" | tr "\n" " ") $(tail -2 "$TMPDIR/usdt$opt.err" | tr "\n" " ")"
		fi
		continue
	fi
	out=$(rawbpf-usdt-target 10)
	stop_run "usdt$opt"
	check "$name: semaphore raised while attached" test "$out" = "sum 65 guarded 10"
	check "$name: int and long arguments read from the notes" \
		grep -q 'value: {.ticks = 10, .arg0_sum = 55, .arg1_sum = 110, .guarded = 10}' "$TMPDIR/usdt$opt.out"
	check "$name: nothing left" no_leftovers "usdt$opt" on_tick on_guarded
done
export PATH=$BASE_PATH
finish
