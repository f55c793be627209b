#!/bin/bash
# Installs the Debian packages rawbpf's build and tests need, when missing.
# Build: clang/llvm (BPF target), musl-tools (static binary), check (unit tests),
#        zopfli (packs the help text, scripts/mkhelp.sh),
#        linux-libc-dev (UAPI headers).
# Test-only oracles, never linked into rawbpf: libpcap-dev, tcpdump, bpftool,
#        libbpf-dev, qemu-system-x86, busybox-static, iproute2, cpio.
set -euo pipefail
PKGS=(clang llvm musl-tools check pkg-config linux-libc-dev make gcc zopfli
      libpcap-dev tcpdump bpftool libbpf-dev qemu-system-x86 busybox-static
      iproute2 cpio python3 xz-utils zstd bash-static kmod)
# ARCH=arm64 (make ARCH=arm64, make check-vm ARCH=arm64) only: the cross gcc, the
# arm64 UAPI headers and qemu-system-aarch64 (~150 MB, so not for every `make check`).
# musl-dev, busybox-static and bash-static of arm64 are fetched, not installed
# (scripts/cross-musl.sh, scripts/vm/fetch-kernels.sh): the host's dpkg stays amd64-only.
[ "${ARCH:-}" = arm64 ] && PKGS=(gcc-aarch64-linux-gnu linux-libc-dev-arm64-cross qemu-system-arm
				 debian-archive-keyring)
missing=()
for p in "${PKGS[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}"
SUDO=; [ "$(id -u)" -ne 0 ] && SUDO=sudo
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
