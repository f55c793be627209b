/* Name tables for the kernel's BPF enums and errno values.
 *
 * Names follow bpftool/libbpf: the enum constant without its prefix, in lower
 * case ("sched_cls", "percpu_array", "tcx", "cgroup_inet_ingress").  Tables go
 * by number, not by the UAPI headers' constants, so types newer than the
 * build machine's headers (the running kernel may be far newer) still get
 * names.  Lookups return NULL for a number nobody has named. */
#ifndef RAWBPF_LOADER_INSPECT_NAMES_H
#define RAWBPF_LOADER_INSPECT_NAMES_H

#include <stdint.h>
#include <stdio.h>

const char *rb_prog_type_name(uint32_t type);
const char *rb_map_type_name(uint32_t type);
const char *rb_link_type_name(uint32_t type);
const char *rb_attach_type_name(uint32_t type);

/* The first Linux release with the map type ("5.16" for bloom_filter), NULL
 * when unknown.  For messages only: what a kernel has is learnt by trying. */
const char *rb_map_type_since(uint32_t type);

/* Reverse lookups (exact, lower case); return -1 when unknown. */
int rb_prog_type_by_name(const char *name);
int rb_map_type_by_name(const char *name);

/* "EPERM", "ENOENT", "ENOTSUPP" (the kernel-internal 524 BPF often returns);
 * NULL for numbers without a name. */
const char *rb_errno_name(int err);
/* A message for err that also covers the kernel-internal codes libc does not
 * know (524 -> "Operation is not supported"). */
const char *rb_errno_text(int err);

/* Writes PREFIX + NAME in upper case ("BPF_PROG_TYPE_" "xdp" -> BPF_PROG_TYPE_XDP),
 * or PREFIX + number when name is NULL: the strace spelling of an enum. */
void rb_print_enum_upper(FILE *out, const char *prefix, const char *name, uint32_t value);

#endif
