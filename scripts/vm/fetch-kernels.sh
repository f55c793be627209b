#!/bin/bash
# Fetches Debian kernel images for the qemu matrix with `apt-get download` and
# unpacks them with dpkg -x: nothing is installed on the host.
#   6.1 and 6.12: bookworm(-security), the machine's own apt sources
#   5.10:         bullseye(-security), through a separate sources list under CACHE
# VM_ARCH=arm64: the arm64 images of the same suites, through a separate apt
# state for that architecture (scripts/apt-arch.sh; the host's dpkg stays
# amd64-only), named arm64-<version>; the vmlinuz is unpacked to a raw Image.
# Names: VERSION[-FLAVOUR], FLAVOUR cloud (the default, also the bare name),
# generic or rt: 6.1 6.1-generic 6.1-rt 6.12 6.12-generic 6.12-rt 5.10.
# Result: CACHE/kernels/<name>/{vmlinuz,config,modules/} ; prints one name per line.
# Cached: a kernel already unpacked is not fetched again.
set -euo pipefail
CACHE=$(realpath -m "${RAWBPF_CACHE:-build/cache}")
KDIR=$CACHE/kernels
mkdir -p "$KDIR"
VM_ARCH=${VM_ARCH:-amd64}
APT_OPTS=()     # extra apt options for bookworm: none for the host's own architecture
PREFIX=         # kernel name prefix in the cache
if [ "$VM_ARCH" != amd64 ]; then
	mapfile -t APT_OPTS < <(scripts/apt-arch.sh "$VM_ARCH")
	PREFIX=$VM_ARCH-
fi

# Debian's package suffix for a flavour name
flavour_suffix() {
	case $1 in
	cloud) echo "cloud-$VM_ARCH" ;;
	generic) echo "$VM_ARCH" ;;
	rt) echo "rt-$VM_ARCH" ;;
	*) return 1 ;;
	esac
}

# apt options for the bullseye lists, kept apart from the host's own state
bullseye_apt() {
	local d=$CACHE/apt-bullseye
	mkdir -p "$d/lists/partial" "$d/etc"
	if [ ! -f "$d/etc/sources.list" ]; then
		cat > "$d/etc/sources.list" <<SRC
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bullseye main
deb [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian-security bullseye-security main
SRC
	fi
	local opts=(-o "Dir::Etc::SourceList=$d/etc/sources.list" -o "Dir::Etc::SourceParts=-"
		    -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache"
		    -o "APT::Sandbox::User=root")
	if [ ! -f "$d/.updated" ]; then
		mkdir -p "$d/cache/archives/partial"
		apt-get "${opts[@]}" update -qq >/dev/null 2>&1 && touch "$d/.updated"
	fi
	printf '%s\n' "${opts[@]}"
}

# packages matching a regex, newest first, from apt-cache with the given options
candidates() {
	local re=$1; shift
	apt-cache "$@" search --names-only "$re" 2>/dev/null | awk '{print $1}' | grep -v -- '-dbg' |
		sort -rV | head -12 | tr '\n' ' '
}

# The index may name a version the mirror no longer holds: try the newest few
# (bullseye-security's arm64 images are not on the mirror: the older ones of
# bullseye itself are).
download_one() {   # dir "pkg pkg..." apt-opts...
	local dir=$1 pkgs=$2 p; shift 2
	for p in $pkgs; do
		(cd "$dir" && apt-get "$@" -o APT::Sandbox::User=root download "$p" >/dev/null 2>&1) && return 0
	done
	return 1
}

# qemu -kernel boots arm64's raw Image.  Debian's arm64 vmlinuz is one (5.10,
# 6.1 and 6.12 checked: "ARM\x64" at offset 56), not a gzip'd or EFI zboot
# image; refuse anything else rather than boot it blind.
raw_image() {   # vmlinuz out
	local in=$1 out=$2
	if [ "$VM_ARCH" = arm64 ] && [ "$(dd if="$in" bs=1 skip=56 count=3 2>/dev/null)" != ARM ]; then
		echo "fetch-kernels: $in is not a raw arm64 Image (compressed?); qemu -kernel needs one" >&2
		return 1
	fi
	cp "$in" "$out"
}

unpack() {   # name "candidates" apt-opts...
	local name=$PREFIX$1 pkg=$2; shift 2
	local out=$KDIR/$name
	[ -f "$out/vmlinuz" ] && { echo "$name"; return; }
	local tmp; tmp=$(mktemp -d "$CACHE/dl.XXXX")
	download_one "$tmp" "$pkg" "$@" ||
		{ echo "fetch-kernels: cannot download any of: $pkg" >&2; rm -rf "$tmp"; return 1; }
	dpkg -x "$tmp"/*.deb "$tmp/x"
	mkdir -p "$out"
	raw_image "$tmp"/x/boot/vmlinuz-* "$out/vmlinuz"
	cp "$tmp"/x/boot/config-* "$out/config"
	[ -d "$tmp/x/lib/modules" ] && mv "$tmp"/x/lib/modules/* "$out/modules"
	rm -rf "$tmp"
	echo "$name"
}

want=${VM_KERNELS:-"6.1 6.12 5.10 6.1-generic 6.1-rt 6.12-generic 6.12-rt"}
for k in $want; do
	fl=cloud
	case $k in *-*) fl=${k#*-} ;; esac
	FLAVOUR=$(flavour_suffix "$fl") || { echo "fetch-kernels: unknown flavour in '$k'" >&2; continue; }
	case ${k%%-*} in
	6.1)  pkg=$(candidates "^linux-image-6\.1\.0-[0-9]+-$FLAVOUR-unsigned\$" "${APT_OPTS[@]}") ;;
	6.12) pkg=$(candidates "^linux-image-6\.12\.[0-9]+\+deb12-$FLAVOUR-unsigned\$" "${APT_OPTS[@]}") ;;
	5.10)
		if [ "$VM_ARCH" = amd64 ]; then mapfile -t opts < <(bullseye_apt)
		else mapfile -t opts < <(scripts/apt-arch.sh "$VM_ARCH" bullseye); fi
		pkg=$(candidates "^linux-image-5\.10\.0-[0-9]+-$FLAVOUR(-unsigned)?\$" "${opts[@]}")
		[ -n "$pkg" ] && unpack "$k" "$pkg" "${opts[@]}" || echo "fetch-kernels: no 5.10 image found" >&2
		continue ;;
	*) echo "fetch-kernels: unknown kernel '$k'" >&2; continue ;;
	esac
	[ -n "$pkg" ] && unpack "$k" "$pkg" "${APT_OPTS[@]}" || echo "fetch-kernels: no image for $k" >&2
done
