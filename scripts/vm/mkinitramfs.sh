#!/bin/bash
# Builds the guest initramfs for one kernel: busybox-static, bash-static, the
# static rawbpf, the built BPF objects, the integration tests and the kernel's
# modules the tests need (decompressed: busybox insmod reads plain .ko).
#   usage: scripts/vm/mkinitramfs.sh KERNEL_DIR OUT.cpio.gz [MODE]
#   MODE suite (default): /init mounts proc/sys/dev and runs tests/vm/guest.sh
#   MODE smoke: as suite, with tests/vm/guest-smoke.txt as the list
#   MODE bare: /init is tests/vm/bare-init.sh: nothing mounted, rawbpf on its own
# VM_ARCH picks the binaries (scripts/vm/arch.sh).
set -euo pipefail
KDIR=$1 OUT=$2 MODE=${3:-suite}
source scripts/vm/arch.sh
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT"/{bin,sbin,proc,sys,dev,tmp,run,mnt,lib/modules,rawbpf/build}
cp "$VM_BUSYBOX" "$ROOT/bin/busybox"
cp "$VM_BASH" "$ROOT/bin/bash"
# the applet list of the host's busybox: the same Debian version on every architecture
for app in $(/bin/busybox --list); do
	case $app in bash|busybox) ;; *) ln -sf busybox "$ROOT/bin/$app" ;; esac
done
cp "$VM_RAWBPF" "$ROOT/rawbpf/rawbpf"
$VM_CC -static -O2 -o "$ROOT/rawbpf/build/getpgid_n" tests/vm/getpgid_n.c
# USDT targets for tests/vm/usdt.sh: notes as the guest's compiler writes them
# (arguments in registers at -O1, in stack slots at -O0)
for o in O1 O0; do
	mkdir -p "$ROOT/rawbpf/build/usdt/$o"
	$VM_CC -static -$o -o "$ROOT/rawbpf/build/usdt/$o/rawbpf-usdt-target" tests/loader/attach/target.c
done
# netkit pairs for tests/loader/attach/netkit.sh (the guests have no iproute2)
# shellcheck disable=SC2086
$VM_CC -static -O2 $VM_UAPI -o "$ROOT/rawbpf/build/netkit_add" tests/loader/attach/netkit_add.c
cp -r tests scripts "$ROOT/rawbpf/"
[ -d "$VM_PROGS" ] && cp -r "$VM_PROGS" "$ROOT/rawbpf/build/progs"
[ -d build/guest-extra ] && cp -r build/guest-extra/. "$ROOT/rawbpf/build/"
# put_module NAME DIR: the kernel's NAME.ko, decompressed, into DIR
put_module() {
	local f; f=$(find "$KDIR/modules" -name "$1.ko*" -print -quit 2>/dev/null)
	[ -n "$f" ] || return 0
	case $f in
	*.xz) xz -dc "$f" > "$2/$1.ko" ;;
	*.zst) zstd -qdc "$f" > "$2/$1.ko" ;;
	*) cp "$f" "$2/$1.ko" ;;
	esac
}
# kernel modules the network tests load (dependency order); /init loads them
for m in veth sch_ingress cls_bpf act_bpf; do put_module $m "$ROOT/lib/modules"; done
# modules a test loads itself, in the order of lib/modules/extra/order
# (nf_conntrack: kfuncs in module BTF, tests/loader/externs/module_kfunc.sh)
mkdir -p "$ROOT/lib/modules/extra"
for m in libcrc32c nf_defrag_ipv4 nf_defrag_ipv6 nf_conntrack; do
	put_module $m "$ROOT/lib/modules/extra"
	if [ -e "$ROOT/lib/modules/extra/$m.ko" ]; then echo $m >> "$ROOT/lib/modules/extra/order"; fi
done
cp "$KDIR/config" "$ROOT/rawbpf/kernel-config"
if [ "$MODE" = bare ]; then
	cp tests/vm/bare-init.sh "$ROOT/init"
else
	cp tests/vm/guest-init.sh "$ROOT/init"
fi
[ "$MODE" = smoke ] && echo tests/vm/guest-smoke.txt > "$ROOT/rawbpf/guest-list"
chmod +x "$ROOT/init"
(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -1) > "$OUT"
