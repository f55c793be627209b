#!/bin/bash
# netfilter links (Linux >= 6.4, CONFIG_NETFILTER_BPF_LINK) in a network
# namespace made here: a hook at ipv4 local_in (from --nf, then from the
# section's target) drops ICMP, so ping of 127.0.0.1 fails while rawbpf
# runs and works again after it exits; the program counted what it dropped.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "netfilter links"
P=$PROGS/attach
NS=rbnf$$
cleanup() { ip netns del $NS 2>/dev/null; }
trap cleanup EXIT
ip netns add $NS && ip -n $NS link set lo up || { skip "netfilter: cannot create a network namespace"; exit 0; }
INNS=(ip netns exec $NS)
PING="busybox ping"
command -v busybox >/dev/null || PING=ping
pings() { "${INNS[@]}" $PING -c 2 -W 1 127.0.0.1 > /dev/null 2>&1; }

check "ping in the namespace works before" pings

# nf_case NAME OBJ run-args...
nf_case() {
	local name=$1 obj=$2; shift 2
	if ! start_run "$name" "${INNS[@]}" -- "$obj" --dump-maps "$@"; then
		if grep -qE 'Linux >= 6.4|EOPNOTSUPP|not supported' "$TMPDIR/$name.err"; then skip "$name: $(skip_reason "$name")"
		else fail "$name: did not attach: $(tail -3 "$TMPDIR/$name.err" | tr '\n' ' ')"; fi
		return 1
	fi
	if pings; then fail "$name: ping got through while ICMP is dropped"
	else pass "$name: ping fails while attached"; fi
	stop_run "$name"
	local seen dropped; seen=$(hits "$name" 0); dropped=$(hits "$name" 1)
	if [ "$RUN_RC" = 0 ] && [ "${dropped:-0}" -ge 2 ] && [ "${seen:-0}" -ge "${dropped:-0}" ]; then
		pass "$name: dropped $dropped ICMP packets of $seen seen, exit 0"
	else fail "$name: exit $RUN_RC, seen '$seen' dropped '$dropped' (want >= 2)"; fi
	check "$name: ping works again after exit" pings
	check "$name: nothing left" no_leftovers "$name" drop_icmp
	return 0
}

if nf_case "netfilter --nf" "$P/netfilter.bpf.o" --nf ipv4:local_in:-50; then
	check "netfilter: the hook is named" grep -q '^attached drop_icmp: netfilter ipv4 local_in priority -50' \
		"$TMPDIR/netfilter --nf.err"
	nf_case "netfilter section target" "$P/netfilter_sec.bpf.o"
	# an ipv6 hook leaves IPv4 ICMP alone
	if start_run v6 "${INNS[@]}" -- "$P/netfilter.bpf.o" --nf ipv6:local_in; then
		check "netfilter ipv6 hook: IPv4 ping unaffected" pings
		stop_run v6
	else
		fail "netfilter ipv6: did not attach: $(tail -2 "$TMPDIR/v6.err" | tr '\n' ' ')"
	fi
fi
check_fails "netfilter without a hook says how to give one" 1 "--nf FAMILY:HOOK" \
	"${INNS[@]}" "$RAWBPF" run "$P/netfilter.bpf.o"
check_fails "netfilter: a bad hook name is a usage error" 1 "expected FAMILY:HOOK" \
	"${INNS[@]}" "$RAWBPF" run "$P/netfilter.bpf.o" --nf ipv4:input
check_fails "netfilter: INT_MIN priority is refused before the kernel" 1 "expected FAMILY:HOOK" \
	"${INNS[@]}" "$RAWBPF" run "$P/netfilter.bpf.o" --nf ipv4:local_in:-2147483648
finish
