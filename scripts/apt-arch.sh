#!/bin/bash
# apt options for Debian packages of another architecture (or suite) than the
# host's, kept in their own state under the build cache: the host's sources,
# lists and dpkg architectures are left alone, and nothing is installed (the
# callers use `apt-get download` and `dpkg -x`).  Prints one option per line:
#   mapfile -t opts < <(scripts/apt-arch.sh arm64 [SUITE]); apt-get "${opts[@]}" download PKG
# The lists are fetched on first use; --refresh fetches them again (a mirror
# drops superseded versions, so a stale list names files that are gone).
set -euo pipefail
refresh=0
[ "${1:-}" = --refresh ] && { refresh=1; shift; }
ARCH=${1:?usage: apt-arch.sh [--refresh] ARCH [SUITE]} SUITE=${2:-bookworm}
CACHE=$(realpath -m "${RAWBPF_CACHE:-build/cache}")
d=$CACHE/apt-$SUITE-$ARCH
mkdir -p "$d/lists/partial" "$d/etc" "$d/cache/archives/partial"
key=/usr/share/keyrings/debian-archive-keyring.gpg
if [ ! -f "$d/etc/sources.list" ]; then
	cat > "$d/etc/sources.list" <<SRC
deb [arch=$ARCH signed-by=$key] http://deb.debian.org/debian $SUITE main
deb [arch=$ARCH signed-by=$key] http://deb.debian.org/debian $SUITE-updates main
deb [arch=$ARCH signed-by=$key] http://deb.debian.org/debian-security $SUITE-security main
SRC
fi
: >> "$d/status"   # an empty dpkg database: nothing of the host's counts as installed
opts=(-o "Dir::Etc::SourceList=$d/etc/sources.list" -o "Dir::Etc::SourceParts=-"
      -o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" -o "Dir::State::status=$d/status"
      -o "APT::Architecture=$ARCH" -o "APT::Architectures::=$ARCH" -o "APT::Sandbox::User=root")
if [ $refresh = 1 ] || [ ! -f "$d/.updated" ]; then
	apt-get "${opts[@]}" update -qq >/dev/null 2>&1 ||
		{ echo "apt-arch: cannot fetch the $SUITE $ARCH package lists (network?)" >&2; exit 4; }
	touch "$d/.updated"
fi
printf '%s\n' "${opts[@]}"
