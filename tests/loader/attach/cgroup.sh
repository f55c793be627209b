#!/bin/bash
# cgroup kinds beyond cgroup_skb (kinds.sh): sock_create, connect4, sysctl,
# setsockopt, getsockopt, sockops, dev, lsm_cgroup.  Each program refuses one
# operation of the processes of a cgroup v2 child made here (getsockopt
# rewrites an answer, sockops counts); the test asserts the operation
# works before, is refused (EPERM) while `rawbpf run` holds the program on
# the cgroup, the program counted the refusal, and after exit the operation
# works again and nothing of the run is left.  Bash and busybox only (the
# qemu guests run it too); the setsockopt and getsockopt cases need python3.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "cgroup kinds"
P=$PROGS/attach
CG=/sys/fs/cgroup/unified/rawbpf_cgroup_$$
mkdir "$CG" 2>/dev/null || { skip "cgroup kinds: cannot make a cgroup v2 folder under /sys/fs/cgroup/unified"; exit 0; }
trap 'rmdir "$CG" 2>/dev/null' EXIT

# in_cg CMD: CMD in a bash moved into the cgroup first; stdout+stderr
in_cg() { bash -c "echo \$\$ > $CG/cgroup.procs && $1" 2>&1; }

# refused KIND OBJ PROG CMD: CMD works (no EPERM) before and after the run,
# fails with EPERM during it, and the program counted at least one refusal.
refused() {
	local kind=$1 obj=$2 prog=$3 cmd=$4 out name=${1//\//_}
	out=$(in_cg "$cmd")
	if grep -q 'Operation not permitted' <<< "$out"; then
		fail "$kind: refused even before attaching: $out"; return
	fi
	if ! start_run "$name" -- "$obj" --cgroup "$CG" --dump-maps; then
		local why; why=$(grep -o -m1 'skipped: .*\|cannot put BPF trampolines.*' "$TMPDIR/$name.err")
		if [ -n "$why" ]; then skip "$kind: $why"
		else fail "$kind: did not attach: $(tail -3 "$TMPDIR/$name.err" | tr '\n' ' ')"; fi
		return
	fi
	out=$(in_cg "$cmd")
	stop_run "$name"
	local h; h=$(hits "$name" 0)
	if [ "$RUN_RC" = 0 ] && grep -q 'Operation not permitted' <<< "$out" && [ "${h:-0}" -ge 1 ]; then
		pass "$kind: refused with EPERM while attached, counted $h"
	else
		fail "$kind: exit $RUN_RC, hits '$h', output: $(tr '\n' ' ' <<< "$out" | cut -c1-160)"
	fi
	out=$(in_cg "$cmd")
	if grep -q 'Operation not permitted' <<< "$out"; then fail "$kind: still refused after exit: $out"
	else pass "$kind: allowed again after exit"; fi
	check "$kind: nothing left" no_leftovers "$name" "$prog"
}

# A UDP socket is refused (bash opens one for /dev/udp); TCP is not.
refused "cgroup/sock_create" "$P/cg_sock_create.bpf.o" deny_udp \
	'exec 3>/dev/udp/127.0.0.1/9 && echo opened'
# No listener on port 9: "Connection refused" normally, EPERM from the program.
refused "cgroup/connect4" "$P/cg_connect4.bpf.o" deny_port9 \
	'exec 3<>/dev/tcp/127.0.0.1/9; echo tried'
refused "cgroup/sysctl" "$P/cg_sysctl.bpf.o" deny_ostype 'cat /proc/sys/kernel/ostype'
refused "cgroup/dev" "$P/cg_dev.bpf.o" deny_zero 'head -c 4 /dev/zero | wc -c'
# lsm_cgroup: Linux >= 6.0 with the BPF LSM (the qemu guests); this host
# refuses lsm programs, so the loader skips it with the kernel's reason.
refused "lsm_cgroup/socket_post_create" "$P/lsm_cgroup.bpf.o" deny_udp_lsm \
	'exec 3>/dev/udp/127.0.0.1/9 && echo opened'
if command -v python3 >/dev/null; then
	refused "cgroup/setsockopt" "$P/cg_setsockopt.bpf.o" deny_tos \
		"python3 -c 'import socket; s = socket.socket(); s.setsockopt(socket.IPPROTO_IP, socket.IP_TOS, 0x10); print(\"set\")' 2>&1 | tail -1"
	# getsockopt: the program rewrites the answer (42) rather than refusing
	tos='import socket; print(socket.socket().getsockopt(socket.IPPROTO_IP, socket.IP_TOS))'
	if start_run getsockopt -- "$P/cg_getsockopt.bpf.o" --cgroup "$CG" --dump-maps; then
		during=$(in_cg "python3 -c '$tos'"); outside=$(python3 -c "$tos")
		stop_run getsockopt
		if [ "$RUN_RC" = 0 ] && [ "$during" = 42 ] && [ "$outside" = 0 ] && [ "$(hits getsockopt 0)" = 1 ]; then
			pass "cgroup/getsockopt: IP_TOS reads 42 in the cgroup, 0 outside, counted 1"
		else
			fail "cgroup/getsockopt: exit $RUN_RC, in the cgroup '$during', outside '$outside'"
		fi
		check "cgroup/getsockopt: the real value after exit" test "$(in_cg "python3 -c '$tos'")" = 0
		check "cgroup/getsockopt: nothing left" no_leftovers getsockopt tos_42
	else
		fail "cgroup/getsockopt: did not attach: $(tail -3 "$TMPDIR/getsockopt.err" | tr '\n' ' ')"
	fi
else
	skip "cgroup/setsockopt: needs python3 to call setsockopt(2)"
	skip "cgroup/getsockopt: needs python3 to call getsockopt(2)"
fi

# sockops: active connects counted (refused ones too: the callback runs
# before the SYN is sent), only for the cgroup's processes.
if start_run sockops -- "$P/cg_sockops.bpf.o" --cgroup "$CG" --dump-maps; then
	bash -c 'for i in 1 2 3; do exec 3<>/dev/tcp/127.0.0.1/9; done' 2>/dev/null  # outside: not counted
	in_cg 'for i in 1 2 3 4 5; do exec 3<>/dev/tcp/127.0.0.1/9; done' > /dev/null
	stop_run sockops
	h=$(hits sockops 0)
	if [ "$RUN_RC" = 0 ] && [ "${h:-0}" = 5 ]; then pass "sockops: 5 connects from the cgroup counted, none from outside"
	else fail "sockops: exit $RUN_RC, counted '$h' connects, wanted 5"; fi
	check "sockops: nothing left" no_leftovers sockops count_connects
else
	fail "sockops: did not attach: $(tail -3 "$TMPDIR/sockops.err" | tr '\n' ' ')"
fi
command -v bpftool >/dev/null &&
	check "cgroup kinds: no program left on the cgroup" bash -c "[ -z \"\$(bpftool cgroup show $CG)\" ]"
finish
