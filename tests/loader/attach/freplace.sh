#!/bin/bash
# freplace: an XDP program whose verdict comes from its global function
# xdp_verdict is loaded and pinned; BPF_PROG_TEST_RUN says XDP_PASS (2).
# `rawbpf run freplace.bpf.o --target-prog PIN` replaces xdp_verdict with a
# function returning XDP_DROP (1): the same test run says 1 while it runs,
# and 2 again after exit.  This host refuses freplace (EPERM): SKIP here,
# exercised in the qemu guests.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "freplace"
P=$PROGS/attach
PIN=/sys/fs/bpf/rawbpf_freplace_$$
PKT=$(printf '%0128d' 0)   # 64 zero bytes
verdict() { "$RAWBPF" -j prog run pinned "$PIN/xdp_target" data_in "$PKT" | sed -n 's/.*"retval":\([0-9]*\).*/\1/p'; }

if ! "$RAWBPF" load "$P/freplace_target.bpf.o" --pin "$PIN" > "$TMPDIR/target.out" 2>&1; then
	fail "freplace: loading the target: $(tail -2 "$TMPDIR/target.out" | tr '\n' ' ')"; finish
fi
trap 'rm -rf "$PIN"' EXIT
check "freplace: the target passes before" test "$(verdict)" = 2

check_fails "freplace: without --target-prog the program is skipped, saying why" 0 \
	"skipped: freplace needs the program whose 'xdp_verdict' it replaces: --target-prog" \
	"$RAWBPF" run "$P/freplace.bpf.o" --duration 0
check_fails "freplace: --target-prog must name a loaded program" 3 'no program with id 4000000000' \
	"$RAWBPF" run "$P/freplace.bpf.o" --target-prog 4000000000 --duration 0
if "$RAWBPF" load "$P/xdp.bpf.o" --pin "$PIN/other" > /dev/null 2>&1; then
	check_fails "freplace: the target must have the function" 1 "\(id [0-9]+\) has no function 'xdp_verdict' in its BTF" \
		"$RAWBPF" run "$P/freplace.bpf.o" --target-prog "$PIN/other/count_xdp" --duration 0
else
	fail "freplace: loading xdp.bpf.o as a wrong target"
fi

if start_run freplace -- "$P/freplace.bpf.o" --target-prog "$PIN/xdp_target" --dump-maps; then
	during=$(verdict); during2=$(verdict)
	stop_run freplace
	h=$(hits freplace 0)
	if [ "$RUN_RC" = 0 ] && [ "$during" = 1 ] && [ "$during2" = 1 ] && [ "${h:-0}" = 2 ]; then
		pass "freplace: xdp_verdict replaced while running (XDP_DROP, 2 calls counted)"
	else
		fail "freplace: exit $RUN_RC, verdicts '$during' '$during2' (wanted 1), counted '$h'"
	fi
	check "freplace: the target passes again after exit" test "$(verdict)" = 2
	check "freplace: nothing left" no_leftovers freplace drop_verdict
elif grep -qE 'Operation not permitted|EPERM' "$TMPDIR/freplace.err"; then
	skip "freplace: this kernel refuses BPF_PROG_TYPE_EXT programs with EPERM (as it does fentry)"
else
	fail "freplace: did not attach: $(tail -3 "$TMPDIR/freplace.err" | tr '\n' ' ')"
fi
finish
