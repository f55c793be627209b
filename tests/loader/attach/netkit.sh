#!/bin/bash
# netkit links (Linux >= 6.7, CONFIG_NETKIT): a netkit pair made by the
# test helper netkit_add (rtnetlink; Debian 12's iproute2 and the guests'
# busybox cannot), the peer in a network namespace held by a sleeping
# process.  Programs on the primary and the peer count a ping's packets;
# a dropping primary program makes the ping fail until rawbpf exits.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "netkit"
P=$PROGS/attach
NK=nkp$$ NKP=nkq$$
HELPER=$RB_ROOT/build/netkit_add
if [ ! -x "$HELPER" ]; then
	need_cmd gcc "netkit (building the netkit_add helper)"
	HELPER=$TMPDIR/netkit_add
	gcc -O1 -o "$HELPER" "$(dirname "$0")/netkit_add.c" || { fail "building netkit_add"; finish; }
fi
unshare -n sleep 600 & HOLDER=$!
cleanup() { ip link del $NK 2>/dev/null; kill $HOLDER 2>/dev/null; }
trap cleanup EXIT
sleep 0.2
NSF=/proc/$HOLDER/ns/net
"$HELPER" $NK $NKP $NSF 2> "$TMPDIR/netkit_add.err"
case $? in
0) ;;
2) skip "netkit: this kernel has no netkit devices (Linux >= 6.7 with CONFIG_NETKIT): $(cat "$TMPDIR/netkit_add.err")"; exit 0 ;;
*) fail "netkit: creating the pair: $(cat "$TMPDIR/netkit_add.err")"; finish ;;
esac
INNS=(nsenter --net=$NSF)
ip addr add 10.78.0.1/24 dev $NK && ip link set $NK up
"${INNS[@]}" ip addr add 10.78.0.2/24 dev $NKP && "${INNS[@]}" ip link set $NKP up && "${INNS[@]}" ip link set lo up
PING="busybox ping"
command -v busybox >/dev/null || PING=ping
pings() { $PING -c 3 -W 1 10.78.0.2 > /dev/null 2>&1; }
check "netkit: ping to the peer's namespace works before" pings

if start_run netkit -- "$P/netkit.bpf.o" --dump-maps --iface $NK; then
	check "netkit: ping works through counting programs" pings
	stop_run netkit
	h0=$(hits netkit 0) h1=$(hits netkit 1)
	if [ "$RUN_RC" = 0 ] && [ "${h0:-0}" -ge 3 ] && [ "${h1:-0}" -ge 3 ]; then
		pass "netkit: primary saw $h0, peer $h1 packets, exit 0"
	else fail "netkit: exit $RUN_RC, primary '$h0' peer '$h1' (want >= 3 each)"; fi
	check "netkit: both sides attached" grep -q "^attached nk_peer: netkit $NK peer" "$TMPDIR/netkit.err"
	check "netkit: nothing left" no_leftovers netkit nk_primary nk_peer
else
	fail "netkit: did not attach: $(tail -3 "$TMPDIR/netkit.err" | tr '\n' ' ')"
fi

if start_run netkit_drop -- "$P/netkit.bpf.o" --dump-maps --iface $NK --set drop=1; then
	if pings; then fail "netkit drop: ping got through a dropping primary program"
	else pass "netkit drop: ping fails while attached"; fi
	stop_run netkit_drop
	check "netkit drop: the primary program saw the pings" test "$(hits netkit_drop 0)" -ge 1
	check "netkit drop: ping works again after exit" pings
	check "netkit drop: nothing left" no_leftovers netkit_drop nk_primary nk_peer
else
	fail "netkit drop: did not attach: $(tail -3 "$TMPDIR/netkit_drop.err" | tr '\n' ' ')"
fi
check_fails "netkit on a non-netkit device says so" 3 "primary device of a netkit pair" \
	"$RAWBPF" run "$P/netkit.bpf.o" --iface lo
finish
