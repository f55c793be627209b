/* `rawbpf feature`: what the running kernel supports, found by trying (like
 * `bpftool feature probe`): load a two-instruction program of each type,
 * create a small map of each type.  Types that cannot be tried without a
 * target (fentry needs a BTF id, storage maps need BTF) are reported as not
 * probed rather than guessed. */
#include "loader/inspect/inspect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "loader/bpf.h"
#include "loader/inspect/names.h"

enum probe_result { PROBE_NO, PROBE_YES, PROBE_SKIPPED };

/* Program types that only load with an attach target. */
static bool prog_needs_target(uint32_t type)
{
	return type == BPF_PROG_TYPE_TRACING || type == BPF_PROG_TYPE_EXT ||
	       type == BPF_PROG_TYPE_LSM || type == BPF_PROG_TYPE_STRUCT_OPS;
}

/* Some types refuse to load without the right expected attach type. */
static uint32_t probe_attach_type(uint32_t type)
{
	switch (type) {
	case BPF_PROG_TYPE_CGROUP_SOCK_ADDR: return BPF_CGROUP_INET4_CONNECT;
	case BPF_PROG_TYPE_SK_LOOKUP: return BPF_SK_LOOKUP;
	case BPF_PROG_TYPE_CGROUP_SOCKOPT: return BPF_CGROUP_GETSOCKOPT;
	case 32: return 45; /* netfilter: BPF_NETFILTER; Linux >= 6.4 */
	default: return 0;
	}
}

/* r0 = 0; exit: the smallest program of a type; returns its fd or -errno. */
static int load_trivial(const struct rb_sys *sys, uint32_t type)
{
	const struct bpf_insn insns[] = {
		{.code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = 0},
		{.code = BPF_JMP | BPF_EXIT},
	};
	struct rb_prog_load_opts o = {
		.prog_type = type, .expected_attach_type = probe_attach_type(type),
		.insns = insns, .insn_cnt = 2, .license = "GPL",
		/* syscall programs exist only sleepable */
		.prog_flags = type == BPF_PROG_TYPE_SYSCALL ? BPF_F_SLEEPABLE : 0,
	};
	return rb_bpf_prog_load(sys, &o);
}

static enum probe_result probe_prog(const struct rb_sys *sys, uint32_t type)
{
	if (prog_needs_target(type))
		return PROBE_SKIPPED;
	int fd = load_trivial(sys, type);
	if (fd < 0)
		return PROBE_NO;
	rb_sys_close(sys, fd);
	return PROBE_YES;
}

enum { P_NO_PREALLOC = 1, P_MMAPABLE = 2, P_NEEDS_BTF = 4, P_NEEDS_INNER = 8, P_PAGE = 0xff };

/* Sizes each map type accepts (the kernel's checks): type, key size, value
 * size, max_entries (P_PAGE: one page), P_* flags.  Others: 4, 4, 1. */
static const uint8_t map_probes[][5] = {
	{BPF_MAP_TYPE_STACK_TRACE, 4, 8, 1, 0},
	{BPF_MAP_TYPE_LPM_TRIE, 8, 4, 1, P_NO_PREALLOC},
	{BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 1, P_NEEDS_INNER},
	{BPF_MAP_TYPE_HASH_OF_MAPS, 4, 4, 1, P_NEEDS_INNER},
	{BPF_MAP_TYPE_CGROUP_STORAGE, sizeof(struct bpf_cgroup_storage_key), 4, 0, 0},
	{BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE, sizeof(struct bpf_cgroup_storage_key), 4, 0, 0},
	{BPF_MAP_TYPE_QUEUE, 0, 4, 1, 0}, {BPF_MAP_TYPE_STACK, 0, 4, 1, 0},
	{BPF_MAP_TYPE_BLOOM_FILTER, 0, 4, 1, 0},
	{BPF_MAP_TYPE_RINGBUF, 0, 0, P_PAGE, 0}, {BPF_MAP_TYPE_USER_RINGBUF, 0, 0, P_PAGE, 0},
	{33, 0, 0, 1, P_MMAPABLE}, /* arena: pages, mmapable; Linux >= 6.9 */
	{BPF_MAP_TYPE_SK_STORAGE, 4, 4, 0, P_NO_PREALLOC | P_NEEDS_BTF},
	{BPF_MAP_TYPE_INODE_STORAGE, 4, 4, 0, P_NO_PREALLOC | P_NEEDS_BTF},
	{BPF_MAP_TYPE_TASK_STORAGE, 4, 4, 0, P_NO_PREALLOC | P_NEEDS_BTF},
	{32, 4, 4, 0, P_NO_PREALLOC | P_NEEDS_BTF}, /* cgrp_storage */
	{BPF_MAP_TYPE_STRUCT_OPS, 4, 4, 0, P_NO_PREALLOC | P_NEEDS_BTF},
};

static const uint8_t *map_probe_for(uint32_t type)
{
	static const uint8_t plain[5] = {0, 4, 4, 1, 0};
	for (size_t i = 0; i < RB_ARRAY_SIZE(map_probes); i++)
		if (map_probes[i][0] == type)
			return map_probes[i];
	return plain;
}

static enum probe_result probe_map(const struct rb_sys *sys, uint32_t type)
{
	const uint8_t *p = map_probe_for(type);
	if (p[4] & P_NEEDS_BTF)
		return PROBE_SKIPPED;
	struct rb_map_create_opts o = {
		.type = type, .key_size = p[1], .value_size = p[2],
		.max_entries = p[3] == P_PAGE ? (uint32_t)getpagesize() : p[3],
		.map_flags = (p[4] & P_NO_PREALLOC ? BPF_F_NO_PREALLOC : 0) |
			     (p[4] & P_MMAPABLE ? BPF_F_MMAPABLE : 0),
	};
	int inner = -1;
	if (p[4] & P_NEEDS_INNER) {
		struct rb_map_create_opts io = {.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 1};
		inner = rb_bpf_map_create(sys, &io);
		if (inner < 0)
			return PROBE_NO;
		o.inner_map_fd = inner;
	}
	int fd = rb_bpf_map_create(sys, &o);
	if (inner >= 0)
		rb_sys_close(sys, inner);
	if (fd < 0)
		return PROBE_NO;
	rb_sys_close(sys, fd);
	return PROBE_YES;
}

int rb_feature_map_type(const struct rb_sys *sys, uint32_t type)
{
	enum probe_result r = probe_map(sys, type);
	return r == PROBE_SKIPPED ? -1 : r == PROBE_YES;
}

static int read_int_file(const char *path)
{
	struct rb_buf b = {0};
	int v = rb_read_file(path, 64, &b) == 0 ? (int)strtol(rb_buf_str(&b), NULL, 10) : -1;
	rb_buf_free(&b);
	return v;
}

static void system_config(const struct rb_show_out *o, struct rb_json *j)
{
	struct utsname u;
	const char *release = uname(&u) == 0 ? u.release : "unknown";
	int jit = read_int_file("/proc/sys/net/core/bpf_jit_enable");
	int unpriv = read_int_file("/proc/sys/kernel/unprivileged_bpf_disabled");
	bool btf = access("/sys/kernel/btf/vmlinux", R_OK) == 0;
	if (o->json) {
		rb_json_key(j, "system_config");
		rb_json_obj_begin(j);
		rb_json_kstr(j, "kernel_release", release);
		rb_json_ki64(j, "bpf_jit_enable", jit);
		rb_json_ki64(j, "unprivileged_bpf_disabled", unpriv);
		rb_json_kbool(j, "vmlinux_btf", btf);
		rb_json_obj_end(j);
		return;
	}
	fprintf(o->out, "System configuration:\n  kernel release %s\n  JIT compiler %s (bpf_jit_enable %d)\n"
		"  unprivileged bpf(2) %s (unprivileged_bpf_disabled %d)\n  vmlinux BTF %s\n\n",
		release, jit > 0 ? "enabled" : "disabled", jit, unpriv == 0 ? "allowed" : "disabled", unpriv,
		btf ? "available" : "missing (no CO-RE, no BTF-typed attach)");
}

typedef enum probe_result (*probe_fn)(const struct rb_sys *sys, uint32_t type);

static void probe_section(const struct rb_sys *sys, const struct rb_show_out *o, struct rb_json *j,
			  const char *title, const char *json_key, const char *kind, probe_fn probe,
			  const char *(*name_of)(uint32_t))
{
	if (o->json) {
		rb_json_key(j, json_key);
		rb_json_obj_begin(j);
	} else
		fprintf(o->out, "%s:\n", title);
	for (uint32_t t = 1; name_of(t); t++) {
		enum probe_result r = probe(sys, t);
		char key[96];
		snprintf(key, sizeof(key), "have_%s_%s_type", name_of(t), kind);
		if (o->json && r != PROBE_SKIPPED)
			rb_json_kbool(j, key, r == PROBE_YES);
		else if (!o->json)
			fprintf(o->out, "  %-24s %s\n", name_of(t),
				r == PROBE_YES ? "available" : r == PROBE_NO ? "NOT available" : "not probed (needs a target or BTF)");
	}
	if (o->json)
		rb_json_obj_end(j);
	else
		fputc('\n', o->out);
}

/* Without CAP_BPF every probe fails alike: say so instead of listing
 * everything as missing. */
static int check_privilege(const struct rb_sys *sys, struct rb_err *err)
{
	int fd = load_trivial(sys, BPF_PROG_TYPE_SOCKET_FILTER);
	if (fd == -EPERM || fd == -EACCES)
		return rb_errnof(err, RB_EKERNEL, -fd, "cannot probe: loading a trivial program was refused; "
				 "run as root (CAP_BPF and CAP_SYS_ADMIN)");
	if (fd >= 0)
		rb_sys_close(sys, fd);
	return 0;
}

int rb_feature_probe(const struct rb_sys *sys, const struct rb_show_out *o, struct rb_err *err)
{
	int r = check_privilege(sys, err);
	if (r < 0)
		return r;
	struct rb_json j;
	rb_json_init(&j, o->out, o->pretty);
	if (o->json)
		rb_json_obj_begin(&j);
	system_config(o, &j);
	probe_section(sys, o, &j, "Program types", "program_types", "prog", probe_prog, rb_prog_type_name);
	probe_section(sys, o, &j, "Map types", "map_types", "map", probe_map, rb_map_type_name);
	if (o->json) {
		rb_json_obj_end(&j);
		rb_json_finish(&j);
	}
	return 0;
}
