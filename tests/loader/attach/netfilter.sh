#!/bin/bash
# netfilter links (Linux >= 6.4, CONFIG_NETFILTER_BPF_LINK) in a network
# namespace made here: a hook at ipv4 local_in (from --nf, then from the
# section's target) drops ICMP, so ping of 127.0.0.1 fails while rawbpf
# runs and works again after it exits; the program counted what it dropped.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "netfilter links"
P=$PROGS/attach
# the namespace is held by a sleeping process: the qemu guests have no iproute2
unshare -n sleep 600 & HOLDER=$!
cleanup() { kill $HOLDER 2>/dev/null; }
trap cleanup EXIT
sleep 0.2
INNS=(nsenter --net=/proc/$HOLDER/ns/net)
"${INNS[@]}" ip link set lo up || { skip "netfilter: cannot create a network namespace"; exit 0; }
PING="busybox ping"
command -v busybox >/dev/null || PING=ping
pings() { "${INNS[@]}" $PING -c 2 -W 1 127.0.0.1 > /dev/null 2>&1; }

check "ping in the namespace works before" pings

# kernels before 6.4 have neither the program type nor skb dynptrs for it
if ! "${INNS[@]}" "$RAWBPF" run "$P/netfilter.bpf.o" --nf ipv4:local_in --duration 0 > /dev/null 2> "$TMPDIR/probe.err"; then
	if grep -qE "not in the running kernel's BTF|Linux >= 6.4" "$TMPDIR/probe.err"; then
		skip "netfilter: $(grep -m1 'rawbpf: ' "$TMPDIR/probe.err" | sed 's/^rawbpf: //' | cut -c1-160)"; exit 0
	fi
	fail "netfilter: probe run failed: $(tail -2 "$TMPDIR/probe.err" | tr '\n' ' ')"; finish
fi

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
	check "netfilter: the object's BTF loads (its kfunc declarations' unnamed parameters named)" \
		bash -c "! grep -q \"refused the object's BTF\" '$TMPDIR/netfilter --nf.err'"
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
check_fails "netfilter: defrag below the kernel's own defragmentation is explained" 3 \
	"priority must be above -400" \
	"${INNS[@]}" "$RAWBPF" run "$P/netfilter.bpf.o" --nf ipv4:prerouting:-500:defrag --duration 0
finish
