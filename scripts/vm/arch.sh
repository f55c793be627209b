# Sourced by scripts/vm/*: everything that differs per guest architecture,
# chosen by VM_ARCH (amd64, the host's, by default; arm64 = `make check-vm ARCH=arm64`).
#   VM_QEMU     emulator and machine;  VM_CONSOLE  serial console device
#   VM_BUSYBOX, VM_BASH   static guest userland;  VM_RAWBPF, VM_PROGS  what is tested
#   VM_CC       static C compiler for the guest's helper programs
#   VM_UAPI     its flags for the kernel UAPI headers (linux/, asm/)
VM_ARCH=${VM_ARCH:-amd64}
case $VM_ARCH in
amd64)
	VM_QEMU=(qemu-system-x86_64 -cpu max)
	VM_CONSOLE=ttyS0
	VM_BUSYBOX=/bin/busybox VM_BASH=/bin/bash-static
	VM_RAWBPF=rawbpf VM_PROGS=build/progs
	VM_CC=${CC_STATIC:-musl-gcc}
	VM_UAPI="-isystem build/musl-inc"
	;;
arm64)
	# cortex-a57, not max: TCG emulates max's pointer authentication slowly
	# (a 6.1 boot takes ~30 s instead of ~7 s).  PL011 serial on virt.
	VM_QEMU=(qemu-system-aarch64 -M virt -cpu cortex-a57)
	VM_CONSOLE=ttyAMA0
	ul=$(scripts/vm/fetch-userland.sh arm64) || return 4
	VM_BUSYBOX=$ul/busybox VM_BASH=$ul/bash
	VM_RAWBPF=build/arm64/rawbpf VM_PROGS=build/arm64/progs
	VM_CC="aarch64-linux-gnu-gcc -specs build/arm64/musl/musl-gcc.specs"
	VM_UAPI="-isystem build/arm64/musl/uapi"
	;;
*)
	echo "scripts/vm: VM_ARCH=$VM_ARCH: guests are amd64 or arm64" >&2
	return 5
	;;
esac
