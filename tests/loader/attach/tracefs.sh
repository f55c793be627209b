#!/bin/bash
# rawbpf mounts tracefs itself when nobody has: tried in a private mount
# namespace where tracefs (and debugfs) are unmounted, so the host's mounts
# are untouched.
. "$(dirname "$0")/../../lib.sh"
need_root "tracefs mounting"
command -v unshare > /dev/null || { skip "tracefs mounting: no unshare"; exit 0; }
unshare -m --propagation private bash -c "
	umount -l /sys/kernel/debug/tracing 2>/dev/null; umount -l /sys/kernel/tracing 2>/dev/null
	umount -l /sys/kernel/debug 2>/dev/null
	if [ -e /sys/kernel/tracing/events ]; then echo 'still mounted'; exit 3; fi
	'$RAWBPF' run '$PROGS/attach/tracepoint.bpf.o' --duration 1.5 --dump-maps & pid=\$!
	sleep 0.7
	python3 -c 'import os; [os.getpgid(0) for _ in range(50)]'
	wait \$pid
" > "$TMPDIR/out" 2>&1
rc=$?
if [ $rc = 3 ]; then
	skip "tracefs mounting: cannot unmount tracefs in a private mount namespace"
else
	check "run exits 0 after mounting tracefs" test $rc = 0
	check "says once that it mounted tracefs" test "$(grep -c 'tracefs: mounted on /sys/kernel/tracing' "$TMPDIR/out")" = 1
	check "the tracepoint attached through it counted" grep -qE 'key: 0  value: (5[0-9]|[6-9][0-9]|[0-9]{3,})$' "$TMPDIR/out"
fi
check "the host's tracefs is still mounted" test -e /sys/kernel/tracing/events
finish
