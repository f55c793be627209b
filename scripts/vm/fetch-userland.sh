#!/bin/bash
# The guest's busybox and bash for a foreign architecture: Debian's
# busybox-static and bash-static of VM_ARCH, fetched with apt-get download
# through scripts/apt-arch.sh and unpacked (never installed).  Cached in
# CACHE/userland-<arch>/{busybox,bash}; prints that folder.
#   usage: scripts/vm/fetch-userland.sh ARCH
set -euo pipefail
ARCH=$1
CACHE=$(realpath -m "${RAWBPF_CACHE:-build/cache}")
out=$CACHE/userland-$ARCH
if [ ! -x "$out/busybox" ] || [ ! -x "$out/bash" ]; then
	tmp=$(mktemp -d "$CACHE/ul.XXXX")
	trap 'rm -rf "$tmp"' EXIT
	fetch() {   # [--refresh]
		local opts
		mapfile -t opts < <(scripts/apt-arch.sh "$@" "$ARCH")
		[ ${#opts[@]} -gt 0 ] &&
			(cd "$tmp" && apt-get "${opts[@]}" download busybox-static bash-static >/dev/null 2>&1)
	}
	fetch || fetch --refresh ||
		{ echo "fetch-userland: cannot download busybox-static/bash-static:$ARCH" >&2; exit 4; }
	for d in "$tmp"/*.deb; do dpkg -x "$d" "$tmp/x"; done
	mkdir -p "$out"
	cp "$tmp/x/bin/busybox" "$out/busybox"
	cp "$tmp/x/bin/bash-static" "$out/bash"
fi
echo "$out"
