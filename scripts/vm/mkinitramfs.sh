#!/bin/bash
# Builds the guest initramfs for one kernel: busybox-static, bash-static, the
# static rawbpf, the built BPF objects, the integration tests and the kernel's
# modules the tests need (decompressed: busybox insmod reads plain .ko).
#   usage: scripts/vm/mkinitramfs.sh KERNEL_DIR OUT.cpio.gz [MODE]
#   MODE suite (default): /init mounts proc/sys/dev and runs tests/vm/guest.sh
#   MODE smoke: as suite, with tests/vm/guest-smoke.txt as the list
#   MODE bare: /init is tests/vm/bare-init.sh: nothing mounted, rawbpf on its own
set -euo pipefail
KDIR=$1 OUT=$2 MODE=${3:-suite}
ROOT=$(mktemp -d)
trap 'rm -rf "$ROOT"' EXIT
mkdir -p "$ROOT"/{bin,sbin,proc,sys,dev,tmp,run,mnt,lib/modules,rawbpf/build}
cp /bin/busybox "$ROOT/bin/busybox"
cp /bin/bash-static "$ROOT/bin/bash"
for app in $(/bin/busybox --list); do
	case $app in bash|busybox) ;; *) ln -sf busybox "$ROOT/bin/$app" ;; esac
done
cp rawbpf "$ROOT/rawbpf/rawbpf"
${CC_STATIC:-musl-gcc} -static -O2 -o "$ROOT/rawbpf/build/getpgid_n" tests/vm/getpgid_n.c
cp -r tests scripts "$ROOT/rawbpf/"
[ -d build/progs ] && cp -r build/progs "$ROOT/rawbpf/build/"
[ -d build/guest-extra ] && cp -r build/guest-extra/. "$ROOT/rawbpf/build/"
# kernel modules the network tests load (dependency order)
for m in veth sch_ingress cls_bpf act_bpf; do
	f=$(find "$KDIR/modules" -name "$m.ko*" 2>/dev/null | head -1)
	[ -n "$f" ] || continue
	case $f in
	*.xz) xz -dc "$f" > "$ROOT/lib/modules/$m.ko" ;;
	*.zst) zstd -qdc "$f" > "$ROOT/lib/modules/$m.ko" ;;
	*) cp "$f" "$ROOT/lib/modules/$m.ko" ;;
	esac
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
