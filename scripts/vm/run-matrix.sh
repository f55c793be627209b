#!/bin/bash
# `make check-vm`: the integration suite inside every Debian guest kernel it
# can fetch (scripts/vm/fetch-kernels.sh), each booted under qemu from an
# initramfs (scripts/vm/mkinitramfs.sh).  Prints each kernel's SKIP lines and
# totals; results in build/test-results/vm-<kernel>.txt.  Exit 1 on any failure.
#   VM_KERNELS="6.1 6.12 5.10"  which kernels;  VM_TIMEOUT  seconds per boot
set -uo pipefail
cd "$(dirname "$0")/../.."
RES=build/test-results
mkdir -p "$RES" build/vm
mapfile -t kernels < <(scripts/vm/fetch-kernels.sh)
[ ${#kernels[@]} -gt 0 ] || { echo "check-vm: no guest kernel could be fetched"; exit 1; }
total_p=0 total_f=0 total_s=0
for k in "${kernels[@]}"; do
	kdir=build/cache/kernels/$k
	img=build/vm/initramfs-$k.cpio.gz log=build/vm/console-$k.log out=$RES/vm-$k.txt
	scripts/vm/mkinitramfs.sh "$kdir" "$img" suite
	start=$(date +%s)
	scripts/vm/run-guest.sh "$kdir/vmlinuz" "$img" "$log"
	sed -n '/^RAWBPF-RESULTS-BEGIN/,/^RAWBPF-RESULTS-END/p' "$log" | tr -d '\r' |
		grep -E '^(PASS|FAIL|SKIP)' > "$out"
	if ! grep -q '^RAWBPF-RESULTS-END' <(tr -d '\r' < "$log"); then
		echo "FAIL vm $k: the guest did not finish (console: $log)" >> "$out"
		tail -20 "$log" | tr -d '\r'
	fi
	p=$(grep -c '^PASS' "$out"); f=$(grep -c '^FAIL' "$out"); s=$(grep -c '^SKIP' "$out")
	echo "== guest $k ($(grep -a -m1 -o 'RAWBPF-GUEST kernel .*' "$log" | tr -d '\r' | cut -d' ' -f3)," \
	     "$(( $(date +%s) - start ))s): $p passed, $f failed, $s skipped"
	grep -E '^(FAIL|SKIP)' "$out" | sed 's/^/   /'
	total_p=$((total_p + p)) total_f=$((total_f + f)) total_s=$((total_s + s))
done
echo "check-vm: $total_p passed, $total_f failed, $total_s skipped"
[ $total_f -eq 0 ]
