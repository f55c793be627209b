#!/bin/bash
# sk_msg and sk_skb/verdict attached to the object's sockhash, filled by a
# sockops program on a cgroup v2 child: a loopback TCP connection made
# inside the cgroup goes through both (bytes counted on the send and the
# receive side, data delivered); with drop=1 sk_msg refuses the send
# (EACCES) and nothing arrives.  sk_skb/stream_parser + stream_verdict are
# attached to the map too (their delivery is timing-dependent on 6.18's
# strparser, so only the attachment is asserted).  Nothing left after exit.
# bash and busybox nc only (the qemu guests run it too).
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "sockmap"
P=$PROGS/attach
if command -v busybox >/dev/null && busybox nc 2>&1 | grep -q -- '-l'; then NC="busybox nc"
else skip "sockmap: needs busybox nc for a listener"; exit 0; fi
CG=/sys/fs/cgroup/unified/rawbpf_sockmap_$$
mkdir "$CG" 2>/dev/null || { skip "sockmap: cannot make a cgroup v2 folder under /sys/fs/cgroup/unified"; exit 0; }
trap 'rmdir "$CG" 2>/dev/null' EXIT

# talk PORT: in the cgroup, a listener on PORT and a client sending 14 bytes;
# what the listener received goes to $TMPDIR/recv, the client's errors to stdout
talk() {
	bash -c "echo \$\$ > $CG/cgroup.procs
		timeout 5 $NC -l -p $1 > $TMPDIR/recv 2>/dev/null & sleep 0.3
		for i in \$(seq 1 50); do exec 3<>/dev/tcp/127.0.0.1/$1 && break; sleep 0.1; done
		echo hello-sockmap >&3; exec 3>&-; wait" 2>&1
}
port=$((20000 + $$ % 20000))
kver() { uname -r | awk -F. '{print $1 * 1000 + $2}'; }

if [ "$(kver)" -lt 5013 ]; then
	skip "sockmap: sk_skb/verdict needs Linux >= 5.13 (this is $(uname -r))"
elif start_run sockmap -- "$P/sockmap.bpf.o" --cgroup "$CG" --dump-maps; then
	check "sockmap: sk_msg and sk_skb attached to the sockhash" \
		grep -q 'attached count_sent: sockmap socks' "$TMPDIR/sockmap.err"
	talk $port > /dev/null
	stop_run sockmap
	sent=$(hits sockmap 0) recvd=$(hits sockmap 1) socks=$(hits sockmap 2)
	if [ "$RUN_RC" = 0 ] && [ "$(cat "$TMPDIR/recv")" = hello-sockmap ] && [ "$sent" = 14 ] &&
	   [ "$recvd" = 14 ] && [ "$socks" = 2 ]; then
		pass "sockmap: 2 sockets inserted, 14 bytes seen by sk_msg and sk_skb/verdict, delivered"
	else
		fail "sockmap: exit $RUN_RC, sockets '$socks', sent '$sent', received '$recvd', data '$(cat "$TMPDIR/recv")'"
	fi
	check "sockmap: nothing left" no_leftovers sockmap count_sent count_received add_established
else
	fail "sockmap: did not attach: $(tail -3 "$TMPDIR/sockmap.err" | tr '\n' ' ')"
fi

if [ "$(kver)" -lt 5013 ]; then
	skip "sockmap drop: the object's sk_skb/verdict needs Linux >= 5.13"
elif start_run sockmap_drop -- "$P/sockmap.bpf.o" --cgroup "$CG" --dump-maps --set drop=1; then
	out=$(talk $((port + 1)))
	stop_run sockmap_drop
	if [ "$RUN_RC" = 0 ] && grep -q 'Permission denied' <<< "$out" && [ ! -s "$TMPDIR/recv" ] &&
	   [ "$(hits sockmap_drop 0)" = 14 ]; then
		pass "sockmap: sk_msg SK_DROP refuses the send with EACCES, nothing arrives"
	else
		fail "sockmap drop: exit $RUN_RC, client said '$out', received '$(cat "$TMPDIR/recv")'"
	fi
	check "sockmap drop: nothing left" no_leftovers sockmap_drop count_sent
else
	fail "sockmap drop: did not attach: $(tail -3 "$TMPDIR/sockmap_drop.err" | tr '\n' ' ')"
fi
if start_run stream -- "$P/sockmap_stream.bpf.o" --cgroup "$CG" --dump-maps; then
	check "sockmap: stream_parser and stream_verdict attached" bash -c \
		"grep -q 'attached parse_all: sockmap socks' $TMPDIR/stream.err &&
		 grep -q 'attached count_stream: sockmap socks' $TMPDIR/stream.err"
	talk $((port + 3)) > /dev/null
	stop_run stream
	check "sockmap: sockets inserted with the strparser programs on the map" \
		test "$RUN_RC" = 0 -a "$(hits stream 2)" = 2
	check "sockmap stream: nothing left" no_leftovers stream parse_all count_stream
else
	fail "sockmap stream: did not attach: $(tail -3 "$TMPDIR/stream.err" | tr '\n' ' ')"
fi
# after exit the same connection is plain TCP again
talk $((port + 2)) > /dev/null
check "sockmap: data flows after exit" grep -qx hello-sockmap "$TMPDIR/recv"
check_fails "sockmap: --sockmap must name a sockmap" 1 'no sockmap or sockhash map of that name' \
	"$RAWBPF" run "$P/sockmap.bpf.o" --cgroup "$CG" --sockmap hits --duration 0
finish
