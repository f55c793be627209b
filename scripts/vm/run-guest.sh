#!/bin/bash
# Boots one kernel under qemu with an initramfs and prints its serial console.
# TCG by default; VM_KVM=1 uses KVM (on this workplace /dev/kvm opens but
# nested KVM fails at the first vCPU run, so KVM cannot be detected by opening
# it); hard timeout; the guest powers off.  One vCPU: 6.12 under multi-threaded
# TCG sometimes hits an int3 Oops while patching its own text at boot.
#   usage: scripts/vm/run-guest.sh VMLINUZ INITRD LOG [EXTRA_CMDLINE]
# VM_ARCH picks the emulator and console (scripts/vm/arch.sh).
set -uo pipefail
KERNEL=$1 INITRD=$2 LOG=$3 EXTRA=${4:-}
TIMEOUT=${VM_TIMEOUT:-600}
source scripts/vm/arch.sh || exit
qemu=("${VM_QEMU[@]}" -accel tcg)
[ "${VM_KVM:-0}" = 1 ] && qemu=("${VM_QEMU[0]}" -accel kvm -cpu host)
timeout --foreground -k 5 "$TIMEOUT" "${qemu[@]}" -m 1024 -smp 1 \
	-kernel "$KERNEL" -initrd "$INITRD" -nographic -no-reboot -nic none \
	-append "console=$VM_CONSOLE panic=-1 oops=panic quiet loglevel=3 lsm=lockdown,yama,bpf $EXTRA" \
	< /dev/null > "$LOG" 2>&1
rc=$?
[ $rc = 124 ] && echo "run-guest: timed out after ${TIMEOUT}s" >> "$LOG"
exit $rc
