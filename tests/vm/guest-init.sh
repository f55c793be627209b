#!/bin/sh
# /init of the test guest: mounts the basics (not bpffs or tracefs: rawbpf
# must mount those itself), runs the integration suite, prints the results
# between markers for scripts/vm/run-matrix.sh, powers off.
export PATH=/bin:/sbin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t tmpfs tmp /tmp
# devtmpfs lacks these; bash's process substitution needs /dev/fd
ln -s /proc/self/fd /dev/fd; ln -s fd/0 /dev/stdin; ln -s fd/1 /dev/stdout; ln -s fd/2 /dev/stderr
# cgroup v2 where the host tests expect it (sysfs takes no mkdir: a tmpfs first)
mount -t tmpfs cgroup /sys/fs/cgroup && mkdir -p /sys/fs/cgroup/unified &&
	mount -t cgroup2 cgroup2 /sys/fs/cgroup/unified
for m in /lib/modules/*.ko; do [ -e "$m" ] && insmod "$m" 2>/dev/null; done
ip link set lo up 2>/dev/null
cd /rawbpf
echo "RAWBPF-GUEST kernel $(uname -r)"
export RB_GUEST=1 HOME=/tmp
# the initramfs names a smaller list for the smoke flavours
list=tests/vm/guest-tests.txt
[ -f guest-list ] && list=$(cat guest-list)
/bin/bash scripts/run-tests.sh --rawbpf ./rawbpf --label guest --list "$list" > /tmp/suite.log 2>&1
grep -E '^(SKIP|  FAIL)' /tmp/suite.log | head -200
[ -s build/test-results/guest.txt ] || tail -30 /tmp/suite.log
echo "RAWBPF-RESULTS-BEGIN"
cat build/test-results/guest.txt
echo "RAWBPF-RESULTS-END"
poweroff -f
