#!/bin/bash
# A musl sysroot for a cross build (`make ARCH=arm64`): Debian has no musl
# cross compiler, so this takes Debian's musl-dev of the target architecture
# (apt-get download through scripts/apt-arch.sh, unpacked with dpkg -x, never
# installed), writes a gcc specs file that points the cross gcc at it (what
# musl-gcc does natively), and links the target's UAPI headers from
# linux-libc-dev-<arch>-cross.
#   usage: scripts/cross-musl.sh ARCH OUT_DIR   ->  OUT_DIR/musl-gcc.specs, OUT_DIR/uapi
set -euo pipefail
ARCH=$1 OUT=$(realpath -m "$2")
case $ARCH in
arm64) gnu=aarch64-linux-gnu musl=aarch64-linux-musl ;;
*) echo "cross-musl: no cross build for ARCH=$ARCH (arm64 only)" >&2; exit 5 ;;
esac
[ -d /usr/$gnu/include/asm ] ||
	{ echo "cross-musl: /usr/$gnu/include/asm missing: install linux-libc-dev-$ARCH-cross" >&2; exit 4; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fetch() {   # [--refresh]
	local opts
	mapfile -t opts < <(scripts/apt-arch.sh "$@" "$ARCH")
	[ ${#opts[@]} -gt 0 ] && (cd "$tmp" && apt-get "${opts[@]}" download musl-dev >/dev/null 2>&1)
}
fetch || fetch --refresh ||
	{ echo "cross-musl: cannot download musl-dev:$ARCH from Debian" >&2; exit 4; }
dpkg -x "$tmp"/musl-dev_*.deb "$tmp/x"
rm -rf "$OUT"
mkdir -p "$OUT/uapi"
mv "$tmp/x/usr/lib/$musl" "$OUT/lib"
mv "$tmp/x/usr/include/$musl" "$OUT/include"
sed -e "s|/usr/lib/$musl|$OUT/lib|g" -e "s|/usr/include/$musl|$OUT/include|g" \
	"$OUT/lib/musl-gcc.specs" > "$OUT/musl-gcc.specs"
for h in linux asm asm-generic; do ln -sfn "/usr/$gnu/include/$h" "$OUT/uapi/$h"; done
