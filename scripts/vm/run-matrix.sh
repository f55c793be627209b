#!/bin/bash
# `make check-vm`: the integration suite inside every Debian guest kernel it
# can fetch (scripts/vm/fetch-kernels.sh), each booted under qemu from an
# initramfs (scripts/vm/mkinitramfs.sh).  Prints each kernel's SKIP lines and
# totals; results in build/test-results/vm-<kernel>.txt.  Exit 1 on any failure.
# Every kernel runs the whole guest list and the bare boot.  VM_SMOKE=1 runs
# only a smoke set (tests/vm/guest-smoke.txt) on the generic and rt flavours
# (6.1-generic, 6.12-rt, ...), each script left out printed as a SKIP.
#   VM_KERNELS="6.1 6.12 5.10 6.1-generic ..."  which kernels (default: all 7)
#   VM_TIMEOUT  seconds per boot
#   VM_ARCH=arm64  the arm64 images under qemu-system-aarch64 (make check-vm ARCH=arm64),
#                  kernels named arm64-<version>; see scripts/vm/arch.sh
set -uo pipefail
cd "$(dirname "$0")/../.."
export VM_ARCH=${VM_ARCH:-amd64}
RES=build/test-results
mkdir -p "$RES" build/vm
mapfile -t kernels < <(scripts/vm/fetch-kernels.sh)
[ ${#kernels[@]} -gt 0 ] || { echo "check-vm: no guest kernel could be fetched"; exit 1; }
total_p=0 total_f=0 total_s=0
# boot KERNEL MODE: one guest run; appends its result lines to $out
boot() {
	local k=$1 mode=$2 kdir=build/cache/kernels/$1
	local img=build/vm/initramfs-$k-$mode.cpio.gz log=build/vm/console-$k-$mode.log
	scripts/vm/mkinitramfs.sh "$kdir" "$img" "$mode"
	scripts/vm/run-guest.sh "$kdir/vmlinuz" "$img" "$log"
	# a guest that died before /init ran is emulator trouble, not a result: once more
	# grep the file itself: `tr | grep -q` under pipefail fails at random when
	# grep quits early and tr dies of SIGPIPE
	if ! grep -aq 'RAWBPF-GUEST' "$log"; then
		echo "check-vm: $k $mode: the guest did not reach /init; booting it again"
		scripts/vm/run-guest.sh "$kdir/vmlinuz" "$img" "$log"
	fi
	tr -d '\r' < "$log" | sed -n '/^RAWBPF-RESULTS-BEGIN/,/^RAWBPF-RESULTS-END/p' |
		grep -E '^(PASS|FAIL|SKIP)' >> "$out"
	if ! grep -aq '^RAWBPF-RESULTS-END' "$log"; then
		echo "FAIL vm $k $mode: the guest did not finish (console: $log)" >> "$out"
		tr -d '\r' < "$log" | tail -20
	fi
	kver=$(tr -d '\r' < "$log" | grep -a -m1 -o 'RAWBPF-GUEST kernel .*' | cut -d' ' -f3)
}

# smoke_skips: the scripts of the full list a smoke flavour leaves out
smoke_skips() {
	grep -v '^#' tests/vm/guest-tests.txt | grep -vxF -f <(grep -v '^#' tests/vm/guest-smoke.txt) |
		sed "s|\$| ($1): left out on this flavour by VM_SMOKE=1 (the cloud flavour runs it)|; s|^|SKIP |"
}

for k in "${kernels[@]}"; do
	out=$RES/vm-$k.txt
	: > "$out"
	start=$(date +%s)
	mode=suite
	case $k in *-*) [ "${VM_SMOKE:-0}" = 1 ] && mode=smoke ;; esac
	boot "$k" $mode
	[ $mode = smoke ] && smoke_skips "$k" >> "$out"
	t1=$(( $(date +%s) - start ))
	boot "$k" bare
	p=$(grep -c '^PASS' "$out"); f=$(grep -c '^FAIL' "$out"); s=$(grep -c '^SKIP' "$out")
	echo "== guest $k (${kver:-?}; $mode ${t1}s + bare $(( $(date +%s) - start - t1 ))s):" \
	     "$p passed, $f failed, $s skipped"
	grep -E '^(FAIL|SKIP)' "$out" | sed 's/^/   /'
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
done
echo "check-vm: $total_p passed, $total_f failed, $total_s skipped"
[ $total_f -eq 0 ]
