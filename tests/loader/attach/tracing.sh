#!/bin/bash
# The tracing kinds this host refuses or lacks (fexit, fmod_ret, lsm,
# kretprobe, kprobe through tracefs): attached, triggered, counted and gone
# after, in the qemu guest kernels; SKIP with the kernel's reason here.
. "$(dirname "$0")/../../lib.sh"
. "$(dirname "$0")/run_helpers.inc"
need_root "tracing kinds"
P=$PROGS/attach

# counted KIND OBJ TRIGGER MIN PROG [run args...]: counted, and nothing left after
counted() {
	local kind=$1 obj=$2 trig=$3 min=$4 prog=$5; shift 5
	run_counting "$kind" "$obj" "$trig" "$min" "$@" &&
		check "$kind: nothing left" no_leftovers "$kind" "$prog"
}

counted fexit "$P/fexit.bpf.o" "getpgid_n 50" 50 count_fexit
counted fmod_ret "$P/fmod_ret.bpf.o" "cat /dev/null /dev/null" 2 count_fmod_ret
counted lsm "$P/lsm.bpf.o" "cat /dev/null /dev/null" 2 count_lsm
if [ -e /sys/bus/event_source/devices/kprobe ] || [ -e /sys/kernel/tracing/kprobe_events ]; then
	counted kretprobe "$P/kretprobe.bpf.o" "cat /dev/null" 1 count_kretprobe
	counted "kprobe via tracefs" "$P/kprobe.bpf.o" "cat /dev/null" 1 count_kprobe --probe-tracefs
else
	skip "kretprobe: this kernel has neither the kprobe PMU nor tracefs kprobe_events"
	skip "kprobe via tracefs: this kernel has no kprobes (CONFIG_KPROBES off)"
fi
finish
