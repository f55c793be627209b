/* What a BPF C program needs to be loaded by rawbpf (or any libbpf-style
 * loader): section and map-definition macros, pinning, license, and every
 * helper function declared by its id.  Include after <linux/bpf.h>:
 *
 *     #include <linux/bpf.h>
 *     #include <rawbpf/helpers.h>
 *
 *     struct {
 *             __uint(type, BPF_MAP_TYPE_HASH);
 *             __uint(max_entries, 1024);
 *             __type(key, __u32);
 *             __type(value, __u64);
 *     } counts SEC(".maps");
 *
 * The map-definition encoding is the BTF convention loaders agree on: a
 * member `int (*name)[N]` says name = N, a member `T *name` says name is
 * type T.  The loader reads them back from the object's BTF. */
#ifndef RAWBPF_HELPERS_H
#define RAWBPF_HELPERS_H

#include <linux/bpf.h>
#include <rawbpf/helper_defs.h>

/* Places a program, map or variable in an ELF section: the section name
 * decides the program type ("xdp", "tracepoint/syscalls/sys_enter_openat"). */
#define SEC(name) __attribute__((section(name), used))

/* BTF map definition members. */
#define __uint(name, val) int (*name)[val]
#define __type(name, val) typeof(val) *name
#define __array(name, val) typeof(val) *name[]
#define ___rawbpf_cat2(a, b) a##b
#define ___rawbpf_cat(a, b) ___rawbpf_cat2(a, b)
/* A 64-bit value (map_extra) encoded as an enum constant, as pointers cannot carry it. */
#define __ulong(name, val) enum { ___rawbpf_cat(___rawbpf_ulong_, __COUNTER__) = (val) } name

/* Values of a map's `pinning` member. */
enum rawbpf_pinning {
	RAWBPF_PIN_NONE = 0,
	RAWBPF_PIN_BY_NAME = 1, /* reuse or pin at <pin root>/<map name> */
};
#define LIBBPF_PIN_NONE RAWBPF_PIN_NONE
#define LIBBPF_PIN_BY_NAME RAWBPF_PIN_BY_NAME

/* The license string the kernel checks GPL-only helpers against. */
#define LICENSE(s) char _license[] SEC("license") = s
/* The kernel version word old kprobe loaders wanted; ignored since 5.0. */
#define KERN_VERSION(v) __u32 _version SEC("version") = (v)

#ifndef __always_inline
#define __always_inline inline __attribute__((always_inline))
#endif
#ifndef __noinline
#define __noinline __attribute__((noinline))
#endif
#ifndef __weak
#define __weak __attribute__((weak))
#endif
#ifndef __hidden
#define __hidden __attribute__((visibility("hidden")))
#endif
/* Kernel symbols and Kconfig values the loader resolves at load time. */
#define __ksym __attribute__((section(".ksyms")))
#define __kconfig __attribute__((section(".kconfig")))

#ifndef NULL
#define NULL ((void *)0)
#endif

/* A global (non-static) function the verifier checks on its own. */
#define __global __attribute__((noinline))

/* Keeps the compiler from folding or reordering a value the verifier must see. */
#define barrier_var(var) asm volatile("" : "+r"(var))
#define barrier() asm volatile("" ::: "memory")

/* bpf_printk("fmt %d", x): the format string lives on the stack as the helper wants. */
#define bpf_printk(fmt, ...)                                                     \
	({                                                                       \
		char ____fmt[] = fmt;                                            \
		bpf_trace_printk(____fmt, sizeof(____fmt), ##__VA_ARGS__);        \
	})

#endif
