#!/bin/bash
# Each progs/examples program triggered for real, its output asserted.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "examples"
E=$PROGS/examples

# execsnoop: a /bin/true exec'd by this shell, with its pid and our pid as ppid
if start_run execsnoop -- "$E/execsnoop.bpf.o"; then
	(exec /bin/true) & child=$!
	wait $child
	sleep 0.3
	stop_run execsnoop
	check "execsnoop: /bin/true with its pid and ppid" \
		grep -qE "^events: pid=$child ppid=$$ comm=\"true\" filename=\"/bin/true\"" "$TMPDIR/execsnoop.out"
	check "execsnoop: exit 0 on SIGINT" test "$RUN_RC" = 0
else
	fail "execsnoop: did not attach: $(tail -2 "$TMPDIR/execsnoop.err" | tr '\n' ' ')"
fi

# execsnoop -j: one JSON object per record
if start_run execsnoop_json -- "$E/execsnoop.bpf.o" -j; then
	/bin/true
	sleep 0.3
	stop_run execsnoop_json
	check "execsnoop -j: records are JSON with fields" python3 -c "
import json, sys
recs = [json.loads(l) for l in open('$TMPDIR/execsnoop_json.out') if l.strip()]
assert any(r['map'] == 'events' and r['record']['filename'] == '/bin/true' and r['record']['comm'] == 'true' for r in recs), recs[:3]"
else
	fail "execsnoop -j: did not attach: $(tail -2 "$TMPDIR/execsnoop_json.err" | tr '\n' ' ')"
fi

# opensnoop (perf buffer): a file opened by cat
F=$TMPDIR/rawbpf-opensnoop-probe
echo x > "$F"
if start_run opensnoop -- "$E/opensnoop.bpf.o"; then
	cat "$F" > /dev/null
	sleep 0.3
	stop_run opensnoop
	check "opensnoop: cat opening the file, via the perf buffer" \
		grep -qE "^events: pid=[0-9]+ flags=[0-9]+ comm=\"cat\" filename=\"$F\"" "$TMPDIR/opensnoop.out"
	check "opensnoop: summary counts records, none lost" grep -qE '^events: [1-9][0-9]* records, 0 lost' "$TMPDIR/opensnoop.err"
else
	fail "opensnoop: did not attach: $(tail -2 "$TMPDIR/opensnoop.err" | tr '\n' ' ')"
fi

# syscount: getpgid (121 on x86-64) counted at exit
if start_run syscount -- "$E/syscount.bpf.o" --dump-maps; then
	python3 -c "import os; [os.getpgid(0) for _ in range(250)]"
	stop_run syscount
	n=$(awk '$1 == "key:" && $2 == 121 {print $4}' "$TMPDIR/syscount.out")
	check "syscount: getpgid counted (>= 250, got ${n:-none})" test "${n:-0}" -ge 250
else
	fail "syscount: did not attach: $(tail -2 "$TMPDIR/syscount.err" | tr '\n' ' ')"
fi

# gethostlatency: a lookup of localhost through libc's getaddrinfo
if start_run gethostlatency -- "$E/gethostlatency.bpf.o"; then
	python3 -c 'import socket; socket.getaddrinfo("localhost", None)'
	sleep 0.3
	stop_run gethostlatency
	check "gethostlatency: localhost with a latency" \
		grep -qE '^events: pid=[0-9]+ comm="[^"]*" host="localhost" latency_ns=[1-9]' "$TMPDIR/gethostlatency.out"
else
	fail "gethostlatency: did not attach: $(tail -2 "$TMPDIR/gethostlatency.err" | tr '\n' ' ')"
fi

# bashreadline-style: the uretprobe on the test binary's readline()
gcc -O1 -g -o "$TMPDIR/target" "$(dirname "$0")/target.c"
if start_run bashreadline -- "$E/bashreadline.bpf.o" --uprobe "$TMPDIR/target:readline"; then
	"$TMPDIR/target" 1 0 'rb>' > /dev/null
	sleep 0.3
	stop_run bashreadline
	check "bashreadline: the returned line" \
		grep -qE '^lines: pid=[0-9]+ comm="target" line="rb> rawbpf says hello"' "$TMPDIR/bashreadline.out"
else
	fail "bashreadline: did not attach: $(tail -2 "$TMPDIR/bashreadline.err" | tr '\n' ' ')"
fi

# profile: a user-space spinner and a kernel-heavy dd, stacks symbolised
cat > "$TMPDIR/spin.c" <<'SPIN'
#include <stdlib.h>
__attribute__((noinline)) long spin_inner(long n) { volatile long s = 0; for (long i = 0; i < n; i++) s += i; return s; }
__attribute__((noinline)) long spin_outer(long n) { return spin_inner(n) + 1; }
int main(int argc, char **argv) { long t = 0; for (int r = 0; r < atoi(argv[1]); r++) t += spin_outer(10000000); return (int)(t & 1); }
SPIN
gcc -O1 -g -fno-omit-frame-pointer -o "$TMPDIR/spin" "$TMPDIR/spin.c"
"$TMPDIR/spin" 1000 & SPIN=$!
"$RAWBPF" run "$E/profile.bpf.o" --freq 199 --set target_pid=$SPIN --duration 1 --dump-maps > "$TMPDIR/profile.out" 2>&1
kill $SPIN; wait $SPIN 2>/dev/null
check "profile: user stack symbolised from the ELF" \
	grep -qE 'user: spin_inner\+0x[0-9a-f]+ \(spin\) <- spin_outer\+0x[0-9a-f]+ \(spin\) <- main\+' "$TMPDIR/profile.out"
dd if=/dev/zero of=/dev/null bs=1M count=1000000 2>/dev/null & DD=$!
"$RAWBPF" run "$E/profile.bpf.o" --freq 199 --set target_pid=$DD --duration 1 --dump-maps > "$TMPDIR/profile_k.out" 2>&1
kill $DD; wait $DD 2>/dev/null
check "profile: kernel stack symbolised from /proc/kallsyms" \
	grep -qE 'kernel: [a-z_0-9.]+\+0x[0-9a-f]+ <- .*(sys_read|sys_write|ksys_|do_syscall)' "$TMPDIR/profile_k.out"

# network examples in two namespaces
A=rbeA$$ B=rbeB$$
trap 'ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null' EXIT
ip netns add $A; ip netns add $B
ip -n $A link add veth0 type veth peer name veth1 netns $B
ip -n $A addr add 10.78.0.1/24 dev veth0; ip -n $A link set veth0 up
ip -n $B addr add 10.78.0.2/24 dev veth1; ip -n $B link set veth1 up
burst() { ip netns exec $1 bash -c ". $(dirname "$0")/run_helpers.inc; udp_burst $2 $3"; }

# XDP counter on B's side: UDP (17) from A
if start_run xdp_proto ip netns exec $B -- "$E/xdp_proto.bpf.o" --iface veth1 --dump-maps; then
	burst $A 10.78.0.2 25
	sleep 0.2
	stop_run xdp_proto
	udp=$(awk '$1 == "key:" && $2 == 17 {s = 0; for (i = 4; i <= NF; i++) {v = $i; gsub(/[^0-9]/, "", v); s += v}; print s}' "$TMPDIR/xdp_proto.out")
	check "xdp_proto: UDP packets counted per CPU (>= 25, got ${udp:-none})" test "${udp:-0}" -ge 25
fi

# tc egress drop by port: 7777 dropped, 9 passes; B counts what arrives
ip netns exec $B python3 -c "
import socket, select, time
socks = {p: socket.socket(socket.AF_INET, socket.SOCK_DGRAM) for p in (7777, 9)}
for p, s in socks.items(): s.bind(('10.78.0.2', p))
open('$TMPDIR/recv.ready', 'w').close()
got = {7777: 0, 9: 0}
end = time.time() + 6
while time.time() < end:
    r, _, _ = select.select(list(socks.values()), [], [], 0.2)
    for s in r:
        s.recv(100); got[s.getsockname()[1]] += 1
print(got[7777], got[9])" > "$TMPDIR/recv.txt" &
RECV=$!
for i in $(seq 1 100); do [ -e "$TMPDIR/recv.ready" ] && break; sleep 0.05; done
if start_run tc_drop ip netns exec $A -- "$E/tc_drop.bpf.o" --iface veth0 --set drop_port=7777 --dump-maps; then
	ip netns exec $A python3 -c "
import socket
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for _ in range(20):
    s.sendto(b'x', ('10.78.0.2', 7777)); s.sendto(b'y', ('10.78.0.2', 9))"
	sleep 0.3
	stop_run tc_drop
	wait $RECV
	check "tc_drop: port 7777 dropped, port 9 delivered" test "$(cat "$TMPDIR/recv.txt")" = "0 20"
	d=$(awk '$1 == "key:" && $2 == 0 {print $4}' "$TMPDIR/tc_drop.out")
	check "tc_drop: 20 drops counted (got ${d:-none})" test "${d:-0}" = 20
else
	kill $RECV 2>/dev/null
fi

# socket filter: only UDP reaches the packet socket
if start_run sockfilter ip netns exec $B -- "$E/sockfilter.bpf.o" --iface veth1 --dump-maps; then
	burst $A 10.78.0.2 15
	sleep 0.3
	stop_run sockfilter
	acc=$(sed -nE 's/^socket filter udp_only on veth1: ([0-9]+) packets accepted/\1/p' "$TMPDIR/sockfilter.err")
	udp=$(awk '$1 == "key:" && $2 == 0 {print $4}' "$TMPDIR/sockfilter.out")
	check "sockfilter: accepted = UDP seen = 15 (accepted ${acc:-none}, udp ${udp:-none})" \
		test "${acc:-x}" = 15 -a "${udp:-y}" = 15
fi
check "examples: no program left loaded" no_leftovers examples handle_exec remember_parent trace_openat \
	count_syscall lookup_start lookup_done line_read sample count_protocols drop_port_egress udp_only
finish
