#!/bin/bash
# "X needs kernel support for Y (Linux >= V)": a table of features newer than
# some kernel rawbpf runs on, each with an object that needs it.  On every
# kernel (the host and each qemu guest): kernel >= V (and the config option
# the feature also needs) -> the command works; otherwise it exits 5 with a
# message naming the feature and V.  rawbpf decides by trying, so a kernel
# whose version says yes but which lacks the feature shows up here as a
# failure of the "works" case, not as a silent pass.
. "$(dirname "$0")/../lib.sh"
need_root "kernel support messages"
P=$PROGS

kver=$(uname -r | sed -E 's/^([0-9]+)\.([0-9]+).*/\1.\2/')
# ver_ge A B: version A >= B (major.minor)
ver_ge() {
	local a1=${1%%.*} a2=${1#*.} b1=${2%%.*} b2=${2#*.}
	[ "$a1" -gt "$b1" ] || { [ "$a1" -eq "$b1" ] && [ "$a2" -ge "$b2" ]; }
}
# kconfig_has OPT: the running kernel was built with OPT=y (the guests carry
# their config; the host has /proc/config.gz)
kconfig_has() {
	if in_guest && [ -f kernel-config ]; then grep -q "^$1=y" kernel-config
	elif [ -r /proc/config.gz ]; then zcat /proc/config.gz | grep -q "^$1=y"
	else return 2; fi
}

# row FEATURE SINCE CONFIG REGEX CMD...: CONFIG "-" when none is needed
row() {
	local what=$1 since=$2 opt=$3 re=$4; shift 4
	local want=works why="Linux $kver >= $since"
	if ! ver_ge "$kver" "$since"; then want=refused why="Linux $kver < $since"
	elif [ "$opt" != - ]; then
		kconfig_has "$opt"
		case $? in
		0) why="$why, $opt=y" ;;
		1) want=refused why="$why but $opt is not set" ;;
		*) skip "$what: the kernel config is not readable here"; return ;;
		esac
	fi
	"$@" > "$TMPDIR/ks.out" 2>&1; local rc=$?
	local said; said=$(grep -m1 'rawbpf: ' "$TMPDIR/ks.out" | cut -c1-220)
	# with the verifier's last words, when it refused
	said="$said$(grep -A2 '^verifier says:' "$TMPDIR/ks.out" | tail -2 | tr '\n' ' ' | sed 's/^/ [verifier: /; s/$/]/')"
	if grep -qE 'Operation not permitted|EPERM' "$TMPDIR/ks.out"; then
		skip "$what: this kernel refuses it with EPERM (lockdown): $said"
	elif [ $want = works ]; then
		if [ $rc = 0 ]; then pass "$what works ($why)"
		else fail "$what: exit $rc although $why: $said"; fi
	elif [ $rc = 5 ] && grep -qE -- "$re" "$TMPDIR/ks.out"; then
		pass "$what refused with its kernel requirement ($why): exit 5"
	else
		fail "$what ($why): wanted exit 5 and /$re/, got exit $rc: $said"
	fi
}

row "BPF ring buffer map" 5.8 - \
	"map 'lengths' needs kernel support for BPF ring buffers \(BPF_MAP_TYPE_RINGBUF, Linux >= 5\.8\)" \
	"$RAWBPF" load "$P/loader/ringbuf.bpf.o"
row "atomic fetch-and-add" 5.12 - \
	"program 'produce_ring' .*needs kernel support for atomic fetch/exchange instructions .*\(Linux >= 5\.12\)" \
	"$RAWBPF" load "$P/attach/bench_ring.bpf.o"
row "bloom filter map" 5.16 - \
	"map 'seen_protos' needs kernel support for bloom_filter maps \(Linux >= 5\.16\)" \
	"$RAWBPF" load "$P/loader/bloom.bpf.o"
# bpf_loop takes a callback, which kernels < 5.13 refuse before the helper
row "bpf_loop helper" 5.17 - \
	"program 'first_user' .*needs kernel support for (the helper bpf_loop \(Linux >= 5\.17\)|BPF callbacks .*\(Linux >= 5\.13\))" \
	"$RAWBPF" load "$P/loader/subprogs.bpf.o"
row "kprobe.multi link" 5.18 CONFIG_FPROBE \
	"kprobe.multi needs kernel support for multi-kprobe links \(Linux >= 5\.18, built with CONFIG_FPROBE\)" \
	"$RAWBPF" run "$P/attach/kprobe_multi.bpf.o" --duration 0
finish
