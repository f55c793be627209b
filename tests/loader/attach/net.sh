#!/bin/bash
# Network attach kinds inside two network namespaces joined by a veth pair
# made here: xdp (kernel's mode and generic), tcx ingress/egress, the
# clsact + cls_bpf fallback, socket filters, sk_lookup.  After each run
# nothing of rawbpf is left on the interface.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "network attach kinds"
P=$PROGS/attach
A=rbA$$ B=rbB$$
cleanup() { ip netns del $A 2>/dev/null; ip netns del $B 2>/dev/null; }
trap cleanup EXIT
ip netns add $A && ip netns add $B || { skip "network kinds: cannot create network namespaces"; exit 0; }
ip -n $A link add veth0 type veth peer name veth1 netns $B || { skip "network kinds: no veth"; exit 0; }
ip -n $A addr add 10.77.0.1/24 dev veth0 && ip -n $A link set veth0 up && ip -n $A link set lo up
ip -n $B addr add 10.77.0.2/24 dev veth1 && ip -n $B link set veth1 up
INA=(ip netns exec $A)
# the neighbour flush makes the peer answer an ARP request: ingress sees a
# packet even when ICMP port-unreachable replies are rate-limited
traffic() { ip -n $A neigh flush dev veth0; "${INA[@]}" bash -c ". $(dirname "$0")/run_helpers.inc; udp_burst 10.77.0.2 20"; sleep 0.2; }

nothing_on_veth0() {
	local out
	out=$("${INA[@]}" bpftool net show dev veth0 2>&1)
	if grep -qE 'count_|id [0-9]+' <<<"$out"; then echo "still attached: $out"; return 1; fi
	if ip -n $A link show veth0 | grep -q 'xdp'; then echo "xdp still on veth0"; return 1; fi
	if tc -n $A qdisc show dev veth0 | grep -q clsact; then echo "clsact qdisc left on veth0"; return 1; fi
	return 0
}

# net_case NAME OBJ MINSLOT0 MINSLOT1 run-args...
net_case() {
	local name=$1 obj=$2 min0=$3 min1=$4; shift 4
	if ! start_run "$name" "${INA[@]}" -- "$obj" --dump-maps --iface veth0 "$@"; then
		fail "$name: did not attach: $(tail -3 "$TMPDIR/$name.err" | tr '\n' ' ')"; return
	fi
	traffic
	stop_run "$name"
	local h0 h1; h0=$(hits "$name" 0); h1=$(hits "$name" 1)
	if [ "$RUN_RC" = 0 ] && [ "${h0:-0}" -ge "$min0" ] && [ "${h1:-0}" -ge "$min1" ]; then
		pass "$name: attached, saw $h0/$h1 packets, exit 0"
	else
		fail "$name: exit $RUN_RC, hits '$h0'/'$h1' (want >= $min0/$min1): $(tail -2 "$TMPDIR/$name.err" | tr '\n' ' ')"
	fi
	check "$name: nothing left on veth0" nothing_on_veth0
}

net_case xdp "$P/xdp.bpf.o" 1 0
net_case "xdp generic" "$P/xdp.bpf.o" 1 0 --xdp-mode generic
net_case tcx "$P/tcx.bpf.o" 1 20
net_case "tc clsact+cls_bpf" "$P/tcx.bpf.o" 1 20 --tc-netlink
check "tc netlink path was taken" grep -q 'clsact' "$TMPDIR/tc clsact+cls_bpf.err"
net_case socket "$P/socket.bpf.o" 1 0
check "socket filter reports accepted packets" grep -qE 'socket filter count_socket on veth0: [1-9][0-9]* packets' "$TMPDIR/socket.err"

# sk_lookup: a TCP connect inside namespace A is looked up by the program
if start_run sk_lookup "${INA[@]}" -- "$P/sk_lookup.bpf.o" --dump-maps; then
	"${INA[@]}" bash -c 'exec 3<>/dev/tcp/127.0.0.1/9' 2>/dev/null
	stop_run sk_lookup
	h=$(hits sk_lookup 0)
	if [ "$RUN_RC" = 0 ] && [ "${h:-0}" -ge 1 ]; then pass "sk_lookup: counted $h lookups"
	else fail "sk_lookup: exit $RUN_RC hits '$h'"; fi
	check "sk_lookup: nothing left" no_leftovers sk_lookup count_lookup
else
	fail "sk_lookup: did not attach: $(tail -2 "$TMPDIR/sk_lookup.err" | tr '\n' ' ')"
fi
check_fails "xdp without --iface is a usage error" 1 'add --iface' "$RAWBPF" run "$P/xdp.bpf.o"
check_fails "unknown interface is a usage error" 1 'no such network interface' "$RAWBPF" run "$P/xdp.bpf.o" --iface nosuch0
finish
