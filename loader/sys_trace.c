/* --trace-syscalls: one decoded line per kernel call, strace-style:
 *
 *   bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_HASH, key_size=4, ...}, 72) = 3
 *   bpf(BPF_OBJ_GET, {pathname="/sys/fs/bpf/x", bpf_fd=0, file_flags=0}, 16) = -1 ENOENT (No such file or directory)
 *
 * The bpf(2) decoder is table driven: each command has a list of fields
 * (name, offset, size, how to print, whether to print when zero).  A field is
 * only read when it lies inside the size the caller passed, so a short attr is
 * never read past its end.  Pointers inside attrs point into this process
 * (rawbpf's own buffers), so strings are printed through them, bounded. */
#include "loader/sys.h"

#include <ctype.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>

#include "common/buf.h"
#include "common/strtab.h"
#include "loader/bpf.h"
#include "loader/inspect/names.h"

enum field_kind {
	K_U32,          /* decimal */
	K_S32,          /* decimal, signed (fds, priorities) */
	K_U64,          /* decimal */
	K_PTR,          /* 0x... or NULL */
	K_NAME16,       /* inline char[16] object name */
	K_CSTR,         /* pointer to a NUL-terminated string */
	K_HEX,          /* 0x... */
	K_MAP_TYPE, K_PROG_TYPE, K_ATTACH_TYPE,
	/* flag set n of FLAG_SETS (same order) is kind K_FLAGS + n */
	K_FLAGS, K_MAP_FLAGS = K_FLAGS, K_PROG_FLAGS, K_ELEM_FLAGS, K_ATTACH_FLAGS, K_TEST_FLAGS,
	K_PROT_BITS, K_MMAP_BITS, K_CLOEXEC_BITS, K_SAMPLE_TYPES, K_PERF_ATTR_BITS, K_PERF_OPEN_FLAGS,
	K_KINDS  /* the syscall argument kinds follow (enum arg_kind) */
};

enum { SHOW_ALWAYS = 0, SHOW_IF_SET = 1 };

/* Field names live once each in one block of strings (a member of
 * struct field_names per name), and rows refer to them by offset (N_name):
 * a row is 4 bytes instead of 16 plus a copy of its string.  A new name
 * goes into FIELD_NAMES (X: the C identifier is the name; Y: a name that is
 * no identifier; Z: a name that is the tail of another one, which holds it:
 * "log_size" is the end of "btf_log_size"). */
#define FIELD_NAMES(X, Y, Z) \
	X(map_type) X(key_size) X(value_size) X(max_entries) X(map_flags) X(inner_map_fd) \
	X(numa_node) X(map_name) X(map_ifindex) Z(btf_fd, prog_btf_fd) X(btf_key_type_id) \
	X(btf_value_type_id) X(btf_vmlinux_value_type_id) X(map_extra) X(value_type_btf_obj_fd) \
	X(map_token_fd) Z(map_fd, inner_map_fd) Z(key, next_key) X(value) Z(flags, map_flags) \
	X(next_key) X(in_batch) X(out_batch) X(keys) X(values) X(count) X(elem_flags) \
	X(prog_type) X(insn_cnt) X(insns) X(license) Z(log_level, btf_log_level) \
	Z(log_size, btf_log_size) Z(log_buf, btf_log_buf) X(kern_version) X(prog_flags) \
	X(prog_name) X(prog_ifindex) X(expected_attach_type) X(prog_btf_fd) \
	X(func_info_rec_size) X(func_info_cnt) X(line_info_rec_size) X(line_info_cnt) \
	X(attach_btf_id) X(attach_prog_fd) X(core_relo_cnt) X(fd_array) X(core_relo_rec_size) \
	Z(log_true_size, btf_log_true_size) X(prog_token_fd) X(pathname) \
	Z(bpf_fd, attach_bpf_fd) X(file_flags) X(path_fd) X(target_fd) X(attach_bpf_fd) \
	Z(attach_type, expected_attach_type) X(attach_flags) X(replace_bpf_fd) \
	Z(prog_fd, attach_prog_fd) X(retval) X(data_size_in) X(data_size_out) X(data_in) \
	X(data_out) X(repeat) X(duration) X(ctx_size_in) X(ctx_size_out) X(ctx_in) X(ctx_out) \
	X(cpu) X(batch_size) X(start_id) X(next_id) X(open_flags) X(prog_id) X(map_id) \
	Z(btf_id, attach_btf_id) X(link_id) Z(info_len, iter_info_len) Z(info, iter_info) \
	X(query_flags) X(prog_ids) X(prog_cnt) Z(name, map_name) X(btf) X(btf_log_buf) \
	X(btf_size) X(btf_log_size) X(btf_log_level) X(btf_log_true_size) X(pid) \
	Z(fd, inner_map_fd) X(buf_len) X(fd_type) X(target_btf_id) Z(cookie, bpf_cookie) \
	X(iter_info) X(iter_info_len) X(bpf_cookie) Y(kprobe_multi_flags, "kprobe_multi.flags") \
	Z(cnt, insn_cnt) X(syms) X(addrs) X(cookies) X(path) Z(offsets, ref_ctr_offsets) \
	X(ref_ctr_offsets) Y(uprobe_multi_flags, "uprobe_multi.flags") X(pf) X(hooknum) \
	X(priority) Y(netfilter_flags, "netfilter.flags") X(relative_fd) X(expected_revision) \
	X(link_fd) X(new_prog_fd) X(old_prog_fd) Z(type, map_type)

#define NAME_DECL(id) char id[sizeof #id];
#define NAME_DECL_S(id, s) char id[sizeof s];
#define NAME_INIT(id) #id,
#define NAME_INIT_S(id, s) s,
#define NAME_NONE(id, of)
static const struct field_names { FIELD_NAMES(NAME_DECL, NAME_DECL_S, NAME_NONE) } field_names = {
	FIELD_NAMES(NAME_INIT, NAME_INIT_S, NAME_NONE)
};

#define NAME_OFF(id) N_##id = offsetof(struct field_names, id),
#define NAME_OFF_S(id, s) NAME_OFF(id)
#define NAME_OFF_TAIL(id, of) N_##id = offsetof(struct field_names, of) + sizeof #of - sizeof #id,
enum field_name { FIELD_NAMES(NAME_OFF, NAME_OFF_S, NAME_OFF_TAIL) };
#define NAME_NO_CHECK(...)
#define NAME_CHECK_TAIL(id, of) \
	_Static_assert(__builtin_strcmp(&#of[sizeof #of - sizeof #id], #id) == 0, \
		       #id " must be the end of " #of);
FIELD_NAMES(NAME_NO_CHECK, NAME_NO_CHECK, NAME_CHECK_TAIL)

/* Four bytes a row: offsets into bpf_attr stay below 256, names below
 * 2 KiB, sizes are 1 to 16 and the kinds of fields below 16
 * (-Werror=overflow says when one does not fit). */
struct field {
	uint32_t name : 11;     /* offset in field_names */
	uint32_t off : 8, size : 5;
	uint32_t kind : 4, show : 1;
};

#define ATTR_SIZE(m) sizeof(((union bpf_attr *)0)->m)
#define NAME(id) N_##id
/* A field the build headers know by name... */
#define F(id, member, kind, show) {NAME(id), offsetof(union bpf_attr, member), ATTR_SIZE(member), kind, show}
/* ...and one newer than them, by its fixed ABI offset. */
#define R(id, off, size, kind, show) {NAME(id), off, size, kind, show}

/* Name tables are a value array plus one string of NUL-separated names in
 * the same order: 4 bytes a row instead of a 16-byte {value, pointer} pair. */
#define VALUE_OF(v, name) v,
#define NAME_OF(v, name) name "\0"
#define NAMED_TABLE(t, LIST) \
	static const uint32_t t##_values[] = {LIST(VALUE_OF)}; \
	static const char t##_names[] = LIST(NAME_OF)
/* The arguments that pass table t to find_enum. */
#define NAMED(t) t##_values, t##_names, RB_ARRAY_SIZE(t##_values)
#define T_MAP_FLAGS(E) \
	E(1u << 0, "NO_PREALLOC") E(1u << 1, "NO_COMMON_LRU") \
	E(1u << 2, "NUMA_NODE") E(1u << 3, "RDONLY") E(1u << 4, "WRONLY") \
	E(1u << 5, "STACK_BUILD_ID") E(1u << 6, "ZERO_SEED") \
	E(1u << 7, "RDONLY_PROG") E(1u << 8, "WRONLY_PROG") E(1u << 9, "CLONE") \
	E(1u << 10, "MMAPABLE") E(1u << 11, "PRESERVE_ELEMS") \
	E(1u << 12, "INNER_MAP") E(1u << 13, "LINK") E(1u << 14, "PATH_FD") \
	E(1u << 15, "VTYPE_BTF_OBJ_FD") E(1u << 16, "TOKEN_FD") \
	E(1u << 17, "SEGV_ON_FAULT") E(1u << 18, "NO_USER_CONV")

#define T_PROG_FLAGS(E) \
	E(1u << 0, "STRICT_ALIGNMENT") E(1u << 1, "ANY_ALIGNMENT") \
	E(1u << 2, "TEST_RND_HI32") E(1u << 3, "TEST_STATE_FREQ") \
	E(1u << 4, "SLEEPABLE") E(1u << 5, "XDP_HAS_FRAGS") \
	E(1u << 6, "XDP_DEV_BOUND_ONLY") E(1u << 7, "TEST_REG_INVARIANTS") \
	E(1u << 16, "TOKEN_FD")

#define T_ELEM_FLAGS(E) \
	E(1u << 0, "NOEXIST") E(1u << 1, "EXIST") E(1u << 2, "F_LOCK")

#define T_ATTACH_FLAGS(E) \
	E(1u << 0, "ALLOW_OVERRIDE") E(1u << 1, "ALLOW_MULTI") E(1u << 2, "REPLACE") \
	E(1u << 3, "BEFORE") E(1u << 4, "AFTER") E(1u << 5, "ID") \
	E(1u << 6, "LINK")

#define T_TEST_FLAGS(E) \
	E(1u << 0, "TEST_RUN_ON_CPU") E(1u << 1, "TEST_XDP_LIVE_FRAMES") \
	E(1u << 2, "TEST_SKB_CHECKSUM_COMPLETE")

#define T_PROT_BITS(E) \
	E(1, "READ") E(2, "WRITE") E(4, "EXEC")
#define T_MMAP_BITS(E) \
	E(0x01, "SHARED") E(0x02, "PRIVATE") E(0x10, "FIXED") E(0x20, "ANONYMOUS") \
	E(0x8000, "POPULATE")
#define T_CLOEXEC_BITS(E) \
	E(02000000, "O_CLOEXEC") E(04000, "O_NONBLOCK")

#define T_SAMPLE_TYPES(E) \
	E(PERF_SAMPLE_IP, "IP") E(PERF_SAMPLE_TID, "TID") \
	E(PERF_SAMPLE_TIME, "TIME") E(PERF_SAMPLE_ADDR, "ADDR") \
	E(PERF_SAMPLE_READ, "READ") E(PERF_SAMPLE_CALLCHAIN, "CALLCHAIN") \
	E(PERF_SAMPLE_ID, "ID") E(PERF_SAMPLE_CPU, "CPU") \
	E(PERF_SAMPLE_PERIOD, "PERIOD") E(PERF_SAMPLE_STREAM_ID, "STREAM_ID") \
	E(PERF_SAMPLE_RAW, "RAW")
/* The bit-field word of perf_event_attr (offset 40): the bits rawbpf sets. */
#define T_PERF_ATTR_BITS(E) \
	E(1ull << 0, "disabled") E(1ull << 1, "inherit") E(1ull << 2, "pinned") \
	E(1ull << 3, "exclusive") E(1ull << 4, "exclude_user") E(1ull << 5, "exclude_kernel") \
	E(1ull << 6, "exclude_hv") E(1ull << 10, "freq") E(1ull << 14, "watermark")
#define T_PERF_OPEN_FLAGS(E) \
	E(PERF_FLAG_FD_NO_GROUP, "FD_NO_GROUP") \
	E(PERF_FLAG_FD_OUTPUT, "FD_OUTPUT") E(PERF_FLAG_PID_CGROUP, "PID_CGROUP") \
	E(PERF_FLAG_FD_CLOEXEC, "FD_CLOEXEC")

/* Every flag set, in the order of their kinds (K_FLAGS + n): the prefix all
 * its names share (not repeated in them), what 0 prints as, and the flags
 * in print order.  The five bpf(2) attr sets come first: a field's kind has
 * four bits. */
#define FLAG_SETS(S) \
	S(map_flags, "BPF_F_", "0", T_MAP_FLAGS) \
	S(prog_flags, "BPF_F_", "0", T_PROG_FLAGS) \
	S(elem_flags, "BPF_", "BPF_ANY", T_ELEM_FLAGS) \
	S(attach_flags, "BPF_F_", "0", T_ATTACH_FLAGS) \
	S(test_flags, "BPF_F_", "0", T_TEST_FLAGS) \
	S(prot_bits, "PROT_", "PROT_NONE", T_PROT_BITS) \
	S(mmap_bits, "MAP_", "0", T_MMAP_BITS) \
	S(cloexec_bits, "", "0", T_CLOEXEC_BITS) \
	S(sample_types, "PERF_SAMPLE_", "0", T_SAMPLE_TYPES) \
	S(perf_attr_bits, "", "0", T_PERF_ATTR_BITS) \
	S(perf_open_flags, "PERF_FLAG_", "0", T_PERF_OPEN_FLAGS)

/* A set's strings are one block "prefix\0zero\0name\0name..." and its flags
 * one byte each, the bit number (every flag is a single bit); all blocks sit
 * in one struct, so that a set is named by offsets, as field names are. */
#define BIT_OF(mask, name) __builtin_ctzll(mask),
#define SET_NAMES_DECL(t, prefix, zero, LIST) char t[sizeof(prefix "\0" zero "\0" LIST(NAME_OF))];
#define SET_NAMES_INIT(t, prefix, zero, LIST) prefix "\0" zero "\0" LIST(NAME_OF),
#define SET_BITS_DECL(t, prefix, zero, LIST) uint8_t t[sizeof((uint8_t[]){LIST(BIT_OF)})];
#define SET_BITS_INIT(t, prefix, zero, LIST) {LIST(BIT_OF)},
static const struct flag_names { FLAG_SETS(SET_NAMES_DECL) } flag_names = { FLAG_SETS(SET_NAMES_INIT) };
static const struct flag_bits { FLAG_SETS(SET_BITS_DECL) } flag_bits = { FLAG_SETS(SET_BITS_INIT) };
#define BIT_CHECK(mask, name) _Static_assert(((mask) & ((mask) - 1)) == 0, name " is not one bit");
#define SET_BITS_CHECK(t, prefix, zero, LIST) LIST(BIT_CHECK)
FLAG_SETS(SET_BITS_CHECK)

struct flag_set {
	uint16_t names;  /* offset in flag_names */
	uint8_t bits, n;  /* offset in flag_bits, number of flags */
};
#define SET_ROW(t, prefix, zero, LIST) \
	{offsetof(struct flag_names, t), offsetof(struct flag_bits, t), sizeof(flag_bits.t)},
static const struct flag_set flag_sets[] = { FLAG_SETS(SET_ROW) };
_Static_assert(RB_ARRAY_SIZE(flag_sets) == K_KINDS - K_FLAGS, "a flag set without its kind");

/* "PREFIX_A|PREFIX_B|0x40": known bits by name, the rest in hex. */
static void print_flags(FILE *out, uint64_t v, unsigned kind)
{
	const struct flag_set *fs = &flag_sets[kind - K_FLAGS];
	const char *prefix = (const char *)&flag_names + fs->names;
	const char *name = rb_strtab_next(prefix);  /* what 0 prints as */
	if (v == 0) {
		fputs(name, out);
		return;
	}
	const char *sep = "";
	for (size_t i = 0; i < fs->n; i++) {
		uint64_t bit = 1ull << ((const uint8_t *)&flag_bits + fs->bits)[i];
		name = rb_strtab_next(name);
		if (v & bit) {
			fprintf(out, "%s%s%s", sep, prefix, name);
			sep = "|";
			v &= ~bit;
		}
	}
	if (v)
		fprintf(out, "%s%#llx", sep, (unsigned long long)v);
}

/* Strings come from rawbpf's own memory, but may be long or odd: escape
 * like strace and stop after a bound. */
static void print_escaped(FILE *out, const char *s, size_t n, bool more)
{
	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (isprint(c))
			fputc(c, out);
		else
			fprintf(out, "\\x%02x", c);
	}
	fputc('"', out);
	if (more)
		fputs("...", out);
}

static void print_cstr(FILE *out, uint64_t ptr)
{
	enum { MAX_STR = 256 };
	if (!ptr) {
		fputs("NULL", out);
		return;
	}
	const char *s = (const char *)(uintptr_t)ptr;
	size_t n = strnlen(s, MAX_STR + 1);
	print_escaped(out, s, n > MAX_STR ? MAX_STR : n, n > MAX_STR);
}

static void print_ptr(FILE *out, uint64_t v)
{
	if (v)
		fprintf(out, "%#llx", (unsigned long long)v);
	else
		fputs("NULL", out);
}

static uint64_t read_uint(const unsigned char *p, unsigned size)
{
	uint32_t v32;
	uint64_t v64;
	if (size == 4) {
		memcpy(&v32, p, 4);
		return v32;
	}
	if (size == 8) {
		memcpy(&v64, p, 8);
		return v64;
	}
	return size == 2 ? (uint64_t)(p[0] | p[1] << 8) : p[0];
}

/* One number as its kind says: also the syscall arguments' basic kinds. */
static void print_number(FILE *out, unsigned kind, uint64_t v)
{
	switch (kind) {
	case K_S32: fprintf(out, "%d", (int32_t)v); break;
	case K_PTR: print_ptr(out, v); break;
	case K_HEX: fprintf(out, "%#llx", (unsigned long long)v); break;
	case K_CSTR: print_cstr(out, v); break;
	case K_MAP_TYPE: rb_print_enum_upper(out, "BPF_MAP_TYPE_", rb_map_type_name((uint32_t)v), (uint32_t)v); break;
	case K_PROG_TYPE: rb_print_enum_upper(out, "BPF_PROG_TYPE_", rb_prog_type_name((uint32_t)v), (uint32_t)v); break;
	case K_ATTACH_TYPE: rb_print_enum_upper(out, "BPF_", rb_attach_type_name((uint32_t)v), (uint32_t)v); break;
	default:
		if (kind >= K_FLAGS)
			print_flags(out, v, kind);
		else
			fprintf(out, "%llu", (unsigned long long)v);
		break;
	}
}

static void print_value(FILE *out, const struct field *f, const unsigned char *p)
{
	if (f->kind == K_NAME16)
		print_escaped(out, (const char *)p, strnlen((const char *)p, f->size), false);
	else
		print_number(out, f->kind, read_uint(p, f->size));
}

static bool field_is_zero(const struct field *f, const unsigned char *p)
{
	for (unsigned i = 0; i < f->size; i++)
		if (p[i])
			return false;
	return true;
}

/* Prints the fields of one table that lie inside attr[0..size); returns
 * whether anything was printed (for the separator of a following table). */
static bool print_fields(FILE *out, const unsigned char *attr, unsigned long size,
			 const struct field *fields, size_t n, bool printed)
{
	for (size_t i = 0; i < n; i++) {
		const struct field *f = &fields[i];
		if (!rb_range_ok(f->off, f->size, size))
			continue;
		if (f->show == SHOW_IF_SET && field_is_zero(f, attr + f->off))
			continue;
		fprintf(out, "%s%s=", printed ? ", " : "", (const char *)&field_names + f->name);
		print_value(out, f, attr + f->off);
		printed = true;
	}
	return printed;
}

#define T_MAP_CREATE \
	F(map_type, map_type, K_MAP_TYPE, SHOW_ALWAYS), \
	F(key_size, key_size, K_U32, SHOW_ALWAYS), \
	F(value_size, value_size, K_U32, SHOW_ALWAYS), \
	F(max_entries, max_entries, K_U32, SHOW_ALWAYS), \
	F(map_flags, map_flags, K_MAP_FLAGS, SHOW_ALWAYS), \
	F(inner_map_fd, inner_map_fd, K_S32, SHOW_IF_SET), \
	F(numa_node, numa_node, K_U32, SHOW_IF_SET), \
	F(map_name, map_name, K_NAME16, SHOW_ALWAYS), \
	F(map_ifindex, map_ifindex, K_U32, SHOW_IF_SET), \
	F(btf_fd, btf_fd, K_S32, SHOW_IF_SET), \
	F(btf_key_type_id, btf_key_type_id, K_U32, SHOW_IF_SET), \
	F(btf_value_type_id, btf_value_type_id, K_U32, SHOW_IF_SET), \
	F(btf_vmlinux_value_type_id, btf_vmlinux_value_type_id, K_U32, SHOW_IF_SET), \
	F(map_extra, map_extra, K_HEX, SHOW_IF_SET), \
	R(value_type_btf_obj_fd, 72, 4, K_S32, SHOW_IF_SET), /* Linux >= 6.9 */ \
	R(map_token_fd, 76, 4, K_S32, SHOW_IF_SET),          /* Linux >= 6.9 */

#define T_MAP_ELEM \
	F(map_fd, map_fd, K_S32, SHOW_ALWAYS), \
	F(key, key, K_PTR, SHOW_ALWAYS), \
	F(value, value, K_PTR, SHOW_ALWAYS), \
	F(flags, flags, K_ELEM_FLAGS, SHOW_ALWAYS),

#define T_MAP_NEXT_KEY \
	F(map_fd, map_fd, K_S32, SHOW_ALWAYS), \
	F(key, key, K_PTR, SHOW_ALWAYS), \
	F(next_key, next_key, K_PTR, SHOW_ALWAYS),

#define T_MAP_FD \
	F(map_fd, map_fd, K_S32, SHOW_ALWAYS),

#define T_BATCH \
	F(in_batch, batch.in_batch, K_PTR, SHOW_ALWAYS), \
	F(out_batch, batch.out_batch, K_PTR, SHOW_ALWAYS), \
	F(keys, batch.keys, K_PTR, SHOW_ALWAYS), \
	F(values, batch.values, K_PTR, SHOW_ALWAYS), \
	F(count, batch.count, K_U32, SHOW_ALWAYS), \
	F(map_fd, batch.map_fd, K_S32, SHOW_ALWAYS), \
	F(elem_flags, batch.elem_flags, K_ELEM_FLAGS, SHOW_ALWAYS), \
	F(flags, batch.flags, K_HEX, SHOW_IF_SET),

/* log_true_size and prog_token_fd follow core_relo_rec_size (Linux >= 6.4, 6.9). */
#define PROG_LOAD_END (offsetof(union bpf_attr, core_relo_rec_size) + 4)

#define T_PROG_LOAD \
	F(prog_type, prog_type, K_PROG_TYPE, SHOW_ALWAYS), \
	F(insn_cnt, insn_cnt, K_U32, SHOW_ALWAYS), \
	F(insns, insns, K_PTR, SHOW_ALWAYS), \
	F(license, license, K_CSTR, SHOW_ALWAYS), \
	F(log_level, log_level, K_U32, SHOW_ALWAYS), \
	F(log_size, log_size, K_U32, SHOW_IF_SET), \
	F(log_buf, log_buf, K_PTR, SHOW_IF_SET), \
	F(kern_version, kern_version, K_U32, SHOW_IF_SET), \
	F(prog_flags, prog_flags, K_PROG_FLAGS, SHOW_ALWAYS), \
	F(prog_name, prog_name, K_NAME16, SHOW_ALWAYS), \
	F(prog_ifindex, prog_ifindex, K_U32, SHOW_IF_SET), \
	F(expected_attach_type, expected_attach_type, K_ATTACH_TYPE, SHOW_ALWAYS), \
	F(prog_btf_fd, prog_btf_fd, K_S32, SHOW_IF_SET), \
	F(func_info_rec_size, func_info_rec_size, K_U32, SHOW_IF_SET), \
	F(func_info_cnt, func_info_cnt, K_U32, SHOW_IF_SET), \
	F(line_info_rec_size, line_info_rec_size, K_U32, SHOW_IF_SET), \
	F(line_info_cnt, line_info_cnt, K_U32, SHOW_IF_SET), \
	F(attach_btf_id, attach_btf_id, K_U32, SHOW_IF_SET), \
	F(attach_prog_fd, attach_prog_fd, K_S32, SHOW_IF_SET), \
	F(core_relo_cnt, core_relo_cnt, K_U32, SHOW_IF_SET), \
	F(fd_array, fd_array, K_PTR, SHOW_IF_SET), \
	F(core_relo_rec_size, core_relo_rec_size, K_U32, SHOW_IF_SET), \
	R(log_true_size, PROG_LOAD_END, 4, K_U32, SHOW_IF_SET), \
	R(prog_token_fd, PROG_LOAD_END + 4, 4, K_S32, SHOW_IF_SET),

#define T_OBJ \
	F(pathname, pathname, K_CSTR, SHOW_ALWAYS), \
	F(bpf_fd, bpf_fd, K_S32, SHOW_ALWAYS), \
	F(file_flags, file_flags, K_HEX, SHOW_ALWAYS), \
	R(path_fd, 16, 4, K_S32, SHOW_IF_SET), /* Linux >= 6.5 */

#define T_PROG_ATTACH \
	F(target_fd, target_fd, K_S32, SHOW_ALWAYS), \
	F(attach_bpf_fd, attach_bpf_fd, K_S32, SHOW_ALWAYS), \
	F(attach_type, attach_type, K_ATTACH_TYPE, SHOW_ALWAYS), \
	F(attach_flags, attach_flags, K_ATTACH_FLAGS, SHOW_ALWAYS), \
	F(replace_bpf_fd, replace_bpf_fd, K_S32, SHOW_IF_SET),

#define T_TEST_RUN \
	F(prog_fd, test.prog_fd, K_S32, SHOW_ALWAYS), \
	F(retval, test.retval, K_U32, SHOW_ALWAYS), \
	F(data_size_in, test.data_size_in, K_U32, SHOW_ALWAYS), \
	F(data_size_out, test.data_size_out, K_U32, SHOW_ALWAYS), \
	F(data_in, test.data_in, K_PTR, SHOW_IF_SET), \
	F(data_out, test.data_out, K_PTR, SHOW_IF_SET), \
	F(repeat, test.repeat, K_U32, SHOW_ALWAYS), \
	F(duration, test.duration, K_U32, SHOW_ALWAYS), \
	F(ctx_size_in, test.ctx_size_in, K_U32, SHOW_IF_SET), \
	F(ctx_size_out, test.ctx_size_out, K_U32, SHOW_IF_SET), \
	F(ctx_in, test.ctx_in, K_PTR, SHOW_IF_SET), \
	F(ctx_out, test.ctx_out, K_PTR, SHOW_IF_SET), \
	F(flags, test.flags, K_TEST_FLAGS, SHOW_IF_SET), \
	F(cpu, test.cpu, K_U32, SHOW_IF_SET), \
	F(batch_size, test.batch_size, K_U32, SHOW_IF_SET),

#define T_START_ID \
	F(start_id, start_id, K_U32, SHOW_ALWAYS), \
	F(next_id, next_id, K_U32, SHOW_ALWAYS), \
	F(open_flags, open_flags, K_HEX, SHOW_IF_SET),

#define T_PROG_ID \
	F(prog_id, prog_id, K_U32, SHOW_ALWAYS), \
	F(open_flags, open_flags, K_HEX, SHOW_IF_SET),

#define T_MAP_ID \
	F(map_id, map_id, K_U32, SHOW_ALWAYS), \
	F(open_flags, open_flags, K_HEX, SHOW_IF_SET),

#define T_BTF_ID \
	F(btf_id, btf_id, K_U32, SHOW_ALWAYS), \
	F(open_flags, open_flags, K_HEX, SHOW_IF_SET),

#define T_LINK_ID \
	F(link_id, link_id, K_U32, SHOW_ALWAYS), \
	F(open_flags, open_flags, K_HEX, SHOW_IF_SET),

#define T_INFO \
	F(bpf_fd, info.bpf_fd, K_S32, SHOW_ALWAYS), \
	F(info_len, info.info_len, K_U32, SHOW_ALWAYS), \
	F(info, info.info, K_PTR, SHOW_ALWAYS),

#define T_QUERY \
	F(target_fd, query.target_fd, K_S32, SHOW_ALWAYS), \
	F(attach_type, query.attach_type, K_ATTACH_TYPE, SHOW_ALWAYS), \
	F(query_flags, query.query_flags, K_HEX, SHOW_ALWAYS), \
	F(attach_flags, query.attach_flags, K_ATTACH_FLAGS, SHOW_IF_SET), \
	F(prog_ids, query.prog_ids, K_PTR, SHOW_ALWAYS), \
	F(prog_cnt, query.prog_cnt, K_U32, SHOW_ALWAYS),

#define T_RAW_TP \
	F(name, raw_tracepoint.name, K_CSTR, SHOW_ALWAYS), \
	F(prog_fd, raw_tracepoint.prog_fd, K_S32, SHOW_ALWAYS),

#define T_BTF_LOAD \
	F(btf, btf, K_PTR, SHOW_ALWAYS), \
	F(btf_log_buf, btf_log_buf, K_PTR, SHOW_IF_SET), \
	F(btf_size, btf_size, K_U32, SHOW_ALWAYS), \
	F(btf_log_size, btf_log_size, K_U32, SHOW_IF_SET), \
	F(btf_log_level, btf_log_level, K_U32, SHOW_ALWAYS), \
	R(btf_log_true_size, 28, 4, K_U32, SHOW_IF_SET), /* Linux >= 6.4 */

#define T_TASK_FD_QUERY \
	F(pid, task_fd_query.pid, K_U32, SHOW_ALWAYS), \
	F(fd, task_fd_query.fd, K_S32, SHOW_ALWAYS), \
	F(flags, task_fd_query.flags, K_HEX, SHOW_IF_SET), \
	F(buf_len, task_fd_query.buf_len, K_U32, SHOW_ALWAYS), \
	F(prog_id, task_fd_query.prog_id, K_U32, SHOW_ALWAYS), \
	F(fd_type, task_fd_query.fd_type, K_U32, SHOW_ALWAYS),

#define T_LINK_CREATE \
	F(prog_fd, link_create.prog_fd, K_S32, SHOW_ALWAYS), \
	F(target_fd, link_create.target_fd, K_S32, SHOW_ALWAYS), \
	F(attach_type, link_create.attach_type, K_ATTACH_TYPE, SHOW_ALWAYS), \
	F(flags, link_create.flags, K_ATTACH_FLAGS, SHOW_ALWAYS),

/* The tail of BPF_LINK_CREATE is a union chosen by attach type; the layouts
 * newer than the build headers are written by their ABI offsets (16 = the
 * start of the union). */
#define T_LINK_TRACING \
	R(target_btf_id, 16, 4, K_U32, SHOW_ALWAYS), R(cookie, 24, 8, K_HEX, SHOW_IF_SET),
#define T_LINK_ITER \
	R(iter_info, 16, 8, K_PTR, SHOW_ALWAYS), R(iter_info_len, 24, 4, K_U32, SHOW_ALWAYS),
#define T_LINK_PERF \
	R(bpf_cookie, 16, 8, K_HEX, SHOW_ALWAYS),
#define T_LINK_KPROBE_MULTI \
	R(kprobe_multi_flags, 16, 4, K_HEX, SHOW_ALWAYS), R(cnt, 20, 4, K_U32, SHOW_ALWAYS), \
	R(syms, 24, 8, K_PTR, SHOW_IF_SET), R(addrs, 32, 8, K_PTR, SHOW_IF_SET), \
	R(cookies, 40, 8, K_PTR, SHOW_IF_SET),
#define T_LINK_UPROBE_MULTI \
	R(path, 16, 8, K_CSTR, SHOW_ALWAYS), R(offsets, 24, 8, K_PTR, SHOW_ALWAYS), \
	R(ref_ctr_offsets, 32, 8, K_PTR, SHOW_IF_SET), R(cookies, 40, 8, K_PTR, SHOW_IF_SET), \
	R(cnt, 48, 4, K_U32, SHOW_ALWAYS), R(uprobe_multi_flags, 52, 4, K_HEX, SHOW_IF_SET), \
	R(pid, 56, 4, K_U32, SHOW_IF_SET),
#define T_LINK_NETFILTER \
	R(pf, 16, 4, K_U32, SHOW_ALWAYS), R(hooknum, 20, 4, K_U32, SHOW_ALWAYS), \
	R(priority, 24, 4, K_S32, SHOW_ALWAYS), R(netfilter_flags, 28, 4, K_HEX, SHOW_IF_SET),
#define T_LINK_TCX \
	R(relative_fd, 16, 4, K_S32, SHOW_IF_SET), R(expected_revision, 24, 8, K_U64, SHOW_IF_SET),

#define T_LINK_UPDATE \
	F(link_fd, link_update.link_fd, K_S32, SHOW_ALWAYS), \
	F(new_prog_fd, link_update.new_prog_fd, K_S32, SHOW_ALWAYS), \
	F(flags, link_update.flags, K_ATTACH_FLAGS, SHOW_ALWAYS), \
	F(old_prog_fd, link_update.old_prog_fd, K_S32, SHOW_IF_SET),

#define T_LINK_DETACH \
	F(link_fd, link_detach.link_fd, K_S32, SHOW_ALWAYS),

#define T_ENABLE_STATS \
	F(type, enable_stats.type, K_U32, SHOW_ALWAYS),

#define T_ITER_CREATE \
	F(link_fd, iter_create.link_fd, K_S32, SHOW_ALWAYS), \
	F(flags, iter_create.flags, K_HEX, SHOW_ALWAYS),

#define T_BIND_MAP \
	F(prog_fd, prog_bind_map.prog_fd, K_S32, SHOW_ALWAYS), \
	F(map_fd, prog_bind_map.map_fd, K_S32, SHOW_ALWAYS), \
	F(flags, prog_bind_map.flags, K_HEX, SHOW_ALWAYS),

/* All tables in one struct, so that a row names its table by a one-byte
 * index instead of an 8-byte pointer (the names trick of field_names). */
#define FIELD_TABLES(X) \
	X(map_create, T_MAP_CREATE) X(map_elem, T_MAP_ELEM) X(map_next_key, T_MAP_NEXT_KEY) \
	X(map_fd, T_MAP_FD) X(batch, T_BATCH) X(prog_load, T_PROG_LOAD) X(obj, T_OBJ) \
	X(prog_attach, T_PROG_ATTACH) X(test_run, T_TEST_RUN) X(start_id, T_START_ID) \
	X(prog_id, T_PROG_ID) X(map_id, T_MAP_ID) X(btf_id, T_BTF_ID) X(link_id, T_LINK_ID) \
	X(info, T_INFO) X(query, T_QUERY) X(raw_tp, T_RAW_TP) X(btf_load, T_BTF_LOAD) \
	X(task_fd_query, T_TASK_FD_QUERY) X(link_create, T_LINK_CREATE) \
	X(link_tracing, T_LINK_TRACING) X(link_iter, T_LINK_ITER) X(link_perf, T_LINK_PERF) \
	X(link_kprobe_multi, T_LINK_KPROBE_MULTI) X(link_uprobe_multi, T_LINK_UPROBE_MULTI) \
	X(link_netfilter, T_LINK_NETFILTER) X(link_tcx, T_LINK_TCX) X(link_update, T_LINK_UPDATE) \
	X(link_detach, T_LINK_DETACH) X(enable_stats, T_ENABLE_STATS) X(iter_create, T_ITER_CREATE) \
	X(bind_map, T_BIND_MAP)

#define TABLE_DECL(t, ...) struct field t[sizeof((struct field[]){__VA_ARGS__}) / sizeof(struct field)];
#define TABLE_INIT(t, ...) .t = {__VA_ARGS__},
static const struct field_tables { FIELD_TABLES(TABLE_DECL) } tables = { FIELD_TABLES(TABLE_INIT) };

struct cmd_fields {
	const struct field *fields;
	size_t n;
};

struct cmd_row {
	uint8_t cmd, first, n;  /* cmd (or attach type); first: index of the table's first row in tables */
};

#define ROW(cmd, t) \
	{cmd, offsetof(struct field_tables, t) / sizeof(struct field), RB_ARRAY_SIZE(tables.t)}

static const struct cmd_row cmd_rows[] = {
	ROW(BPF_MAP_CREATE, map_create),
	ROW(BPF_MAP_LOOKUP_ELEM, map_elem), ROW(BPF_MAP_UPDATE_ELEM, map_elem),
	ROW(BPF_MAP_DELETE_ELEM, map_elem), ROW(BPF_MAP_LOOKUP_AND_DELETE_ELEM, map_elem),
	ROW(BPF_MAP_GET_NEXT_KEY, map_next_key), ROW(BPF_MAP_FREEZE, map_fd),
	ROW(BPF_MAP_LOOKUP_BATCH, batch), ROW(BPF_MAP_LOOKUP_AND_DELETE_BATCH, batch),
	ROW(BPF_MAP_UPDATE_BATCH, batch), ROW(BPF_MAP_DELETE_BATCH, batch),
	ROW(BPF_PROG_LOAD, prog_load), ROW(BPF_OBJ_PIN, obj), ROW(BPF_OBJ_GET, obj),
	ROW(BPF_PROG_ATTACH, prog_attach), ROW(BPF_PROG_DETACH, prog_attach),
	ROW(BPF_PROG_TEST_RUN, test_run),
	ROW(BPF_PROG_GET_NEXT_ID, start_id), ROW(BPF_MAP_GET_NEXT_ID, start_id),
	ROW(BPF_BTF_GET_NEXT_ID, start_id), ROW(BPF_LINK_GET_NEXT_ID, start_id),
	ROW(BPF_PROG_GET_FD_BY_ID, prog_id), ROW(BPF_MAP_GET_FD_BY_ID, map_id),
	ROW(BPF_BTF_GET_FD_BY_ID, btf_id), ROW(BPF_LINK_GET_FD_BY_ID, link_id),
	ROW(BPF_OBJ_GET_INFO_BY_FD, info), ROW(BPF_PROG_QUERY, query),
	ROW(BPF_RAW_TRACEPOINT_OPEN, raw_tp), ROW(BPF_BTF_LOAD, btf_load),
	ROW(BPF_TASK_FD_QUERY, task_fd_query), ROW(BPF_LINK_CREATE, link_create),
	ROW(BPF_LINK_UPDATE, link_update), ROW(BPF_LINK_DETACH, link_detach),
	ROW(BPF_ENABLE_STATS, enable_stats), ROW(BPF_ITER_CREATE, iter_create),
	ROW(BPF_PROG_BIND_MAP, bind_map),
};

/* The tail of BPF_LINK_CREATE by attach type (rows keyed by attach type). */
static const struct cmd_row link_tails[] = {
	ROW(BPF_TRACE_FENTRY, link_tracing), ROW(BPF_TRACE_FEXIT, link_tracing),
	ROW(BPF_MODIFY_RETURN, link_tracing), ROW(BPF_LSM_MAC, link_tracing),
	ROW(BPF_TRACE_RAW_TP, link_tracing), ROW(BPF_LSM_CGROUP, link_tracing),
	ROW(BPF_TRACE_ITER, link_iter), ROW(BPF_PERF_EVENT, link_perf),
	ROW(BPF_TRACE_KPROBE_MULTI, link_kprobe_multi), ROW(56, link_kprobe_multi), /* kprobe_session */
	ROW(48, link_uprobe_multi), ROW(57, link_uprobe_multi), /* uprobe_multi, uprobe_session */
	ROW(45, link_netfilter),
	ROW(46, link_tcx), ROW(47, link_tcx), ROW(54, link_tcx), ROW(55, link_tcx), /* tcx, netkit */
};

static struct cmd_fields find_fields(const struct cmd_row *rows, size_t n, long key)
{
	for (size_t i = 0; i < n; i++)
		if (rows[i].cmd == key)
			return (struct cmd_fields){(const struct field *)((const char *)&tables +
						   rows[i].first * sizeof(struct field)),
						   rows[i].n};
	return (struct cmd_fields){NULL, 0};
}

static void print_bpf_cmd(FILE *out, long cmd)
{
	const char *name = cmd >= 0 ? rb_bpf_cmd_known_name((unsigned long)cmd) : NULL;
	if (name)
		fprintf(out, "BPF_%s", name);
	else
		fprintf(out, "%ld /* BPF_??? */", cmd);
}

/* The fields of the command's attr that lie inside the size passed. */
static void print_bpf_attr(FILE *out, long cmd, const unsigned char *attr, unsigned long size)
{
	if (!attr) {
		fputs("NULL", out);
		return;
	}
	struct cmd_fields cf = find_fields(cmd_rows, RB_ARRAY_SIZE(cmd_rows), cmd);
	fputc('{', out);
	bool printed = print_fields(out, attr, size, cf.fields, cf.n, false);
	if (cmd == BPF_LINK_CREATE && rb_range_ok(offsetof(union bpf_attr, link_create.attach_type), 4, size)) {
		cf = find_fields(link_tails, RB_ARRAY_SIZE(link_tails),
				 (long)read_uint(attr + offsetof(union bpf_attr, link_create.attach_type), 4));
		print_fields(out, attr, size, cf.fields, cf.n, printed);
	}
	fputc('}', out);
}

static const char *find_enum(const uint32_t *values, const char *names, size_t n, long v)
{
	for (size_t i = 0; i < n; i++, names = rb_strtab_next(names))
		if (values[i] == v)
			return names;
	return NULL;
}

#define T_PERF_TYPES(E) \
	E(PERF_TYPE_HARDWARE, "HARDWARE") E(PERF_TYPE_SOFTWARE, "SOFTWARE") \
	E(PERF_TYPE_TRACEPOINT, "TRACEPOINT") E(PERF_TYPE_HW_CACHE, "HW_CACHE") \
	E(PERF_TYPE_RAW, "RAW") E(PERF_TYPE_BREAKPOINT, "BREAKPOINT")
NAMED_TABLE(perf_types, T_PERF_TYPES);




static void trace_perf_attr(FILE *out, const struct perf_event_attr *a)
{
	const char *type = find_enum(NAMED(perf_types), a->type);
	uint64_t bits;
	memcpy(&bits, (const char *)a + 40, sizeof(bits));
	if (type)
		fprintf(out, "{type=PERF_TYPE_%s", type);
	else /* a dynamic PMU (kprobe, uprobe) */
		fprintf(out, "{type=%u", a->type);
	/* sample_period and sample_freq share a field; the freq bit says which */
	fprintf(out, ", size=%u, config=%#llx, %s=%llu, sample_type=", a->size,
		(unsigned long long)a->config, bits & (1ull << 10) ? "sample_freq" : "sample_period",
		(unsigned long long)a->sample_period);
	print_flags(out, a->sample_type, K_SAMPLE_TYPES);
	fputs(", flags=", out);
	print_flags(out, bits, K_PERF_ATTR_BITS);
	fprintf(out, ", wakeup_events=%u", a->wakeup_events);
	if (a->config1 || a->config2)
		fprintf(out, ", config1=%#llx, config2=%#llx", (unsigned long long)a->config1,
			(unsigned long long)a->config2);
	fputc('}', out);
}

/* The perf ioctls (type '$') without the PERF_EVENT_IOC_ they all start with. */
#define T_IOCTL_NAMES(E) \
	E(PERF_EVENT_IOC_ENABLE, "ENABLE") \
	E(PERF_EVENT_IOC_DISABLE, "DISABLE") \
	E(PERF_EVENT_IOC_REFRESH, "REFRESH") \
	E(PERF_EVENT_IOC_RESET, "RESET") \
	E(PERF_EVENT_IOC_PERIOD, "PERIOD") \
	E(PERF_EVENT_IOC_SET_OUTPUT, "SET_OUTPUT") \
	E(PERF_EVENT_IOC_SET_FILTER, "SET_FILTER") \
	E(PERF_EVENT_IOC_ID, "ID") E(PERF_EVENT_IOC_SET_BPF, "SET_BPF") \
	E(PERF_EVENT_IOC_PAUSE_OUTPUT, "PAUSE_OUTPUT") \
	E(PERF_EVENT_IOC_QUERY_BPF, "QUERY_BPF") \
	E(PERF_EVENT_IOC_MODIFY_ATTRIBUTES, "MODIFY_ATTRIBUTES") \
	E(SIOCGIFINDEX, "SIOCGIFINDEX") E(SIOCGIFFLAGS, "SIOCGIFFLAGS") \
	E(SIOCSIFFLAGS, "SIOCSIFFLAGS")
NAMED_TABLE(ioctl_names, T_IOCTL_NAMES);

/* An ioctl's name is known by its request; perf's lose PERF_EVENT_IOC_. */
static void print_ioctl_req(FILE *out, unsigned long req)
{
	const char *name = find_enum(NAMED(ioctl_names), (long)req);
	if (name)
		fprintf(out, "%s%s", _IOC_TYPE(req) == '$' ? "PERF_EVENT_IOC_" : "", name);
	else
		fprintf(out, "%#lx", req);
}

/* These take an int (fd, count, flag) or the filter string rather than a
 * pointer. */
static void print_ioctl_arg(FILE *out, unsigned long req, long arg)
{
	switch (req) {
	case PERF_EVENT_IOC_SET_BPF: case PERF_EVENT_IOC_SET_OUTPUT: case PERF_EVENT_IOC_ENABLE:
	case PERF_EVENT_IOC_DISABLE: case PERF_EVENT_IOC_RESET: case PERF_EVENT_IOC_REFRESH:
	case PERF_EVENT_IOC_PAUSE_OUTPUT:
		fprintf(out, "%ld", arg);
		break;
	case PERF_EVENT_IOC_SET_FILTER:
		print_cstr(out, (uint64_t)arg);
		break;
	default:
		fprintf(out, "%#lx", (unsigned long)arg);
	}
}

/* Every syscall rawbpf makes is described by a row: its name and how to
 * print each argument. */
enum arg_kind {
	/* printed like bpf(2) attr fields of these kinds */
	A_INT = K_S32, A_UINT = K_U64, A_HEX = K_HEX, A_PTR = K_PTR, A_STR = K_CSTR,
	A_PROT = K_PROT_BITS, A_MMAP_FLAGS = K_MMAP_BITS, A_EPOLL_FLAGS = K_CLOEXEC_BITS,
	A_PERF_FLAGS = K_PERF_OPEN_FLAGS,
	A_FAMILY = K_KINDS, A_SOCKTYPE, A_LEVEL, A_SOCKOPT, A_EPOLL_OP,
	A_IOCTL_REQ, A_IOCTL_ARG,  /* the argument's form depends on the request before it */
	A_PERF_ATTR,
	A_BPF_CMD, A_BPF_ATTR,  /* the attr is decoded by the command before it, up to the size after it */
};

struct syscall_desc {
	uint16_t nr;
	unsigned char nargs;
	bool returns_ptr;
	unsigned char kind[6];
};

/* Names in syscall_names, in the order of syscalls[]. */
static const char syscall_names[] =
	"close\0" "mount\0" "mmap\0" "munmap\0" "epoll_create1\0" "epoll_ctl\0" "epoll_pwait\0"
	"socket\0" "bind\0" "setsockopt\0" "getsockopt\0" "sendto\0" "recvfrom\0" "ioctl\0"
	"perf_event_open\0" "bpf\0";

static const struct syscall_desc syscalls[] = {
	{SYS_close, 1, false, {A_INT}},
	{SYS_mount, 5, false, {A_STR, A_STR, A_STR, A_HEX, A_STR}},
	{SYS_mmap, 6, true, {A_PTR, A_UINT, A_PROT, A_MMAP_FLAGS, A_INT, A_HEX}},
	{SYS_munmap, 2, false, {A_PTR, A_UINT}},
	{SYS_epoll_create1, 1, false, {A_EPOLL_FLAGS}},
	{SYS_epoll_ctl, 4, false, {A_INT, A_EPOLL_OP, A_INT, A_PTR}},
	{SYS_epoll_pwait, 6, false, {A_INT, A_PTR, A_INT, A_INT, A_PTR, A_UINT}},
	{SYS_socket, 3, false, {A_FAMILY, A_SOCKTYPE, A_INT}},
	{SYS_bind, 3, false, {A_INT, A_PTR, A_UINT}},
	{SYS_setsockopt, 5, false, {A_INT, A_LEVEL, A_SOCKOPT, A_PTR, A_UINT}},
	{SYS_getsockopt, 5, false, {A_INT, A_LEVEL, A_SOCKOPT, A_PTR, A_PTR}},
	{SYS_sendto, 6, false, {A_INT, A_PTR, A_UINT, A_HEX, A_PTR, A_UINT}},
	{SYS_recvfrom, 6, false, {A_INT, A_PTR, A_UINT, A_HEX, A_PTR, A_PTR}},
	{SYS_ioctl, 3, false, {A_INT, A_IOCTL_REQ, A_IOCTL_ARG}},
	{SYS_perf_event_open, 5, false, {A_PERF_ATTR, A_INT, A_INT, A_INT, A_PERF_FLAGS}},
	{SYS_bpf, 3, false, {A_BPF_CMD, A_BPF_ATTR, A_UINT}},
};

#define T_FAMILIES(E) \
	E(1, "AF_UNIX") E(2, "AF_INET") E(10, "AF_INET6") E(16, "AF_NETLINK") E(17, "AF_PACKET")
NAMED_TABLE(families, T_FAMILIES);
#define T_SOCK_TYPES(E) \
	E(1, "SOCK_STREAM") E(2, "SOCK_DGRAM") E(3, "SOCK_RAW")
NAMED_TABLE(sock_types, T_SOCK_TYPES);
#define T_LEVELS(E) \
	E(1, "SOL_SOCKET") E(0, "SOL_IP") E(6, "SOL_TCP") E(263, "SOL_PACKET")
NAMED_TABLE(levels, T_LEVELS);
/* Options by level: {level << 16 | optname}. */
#define T_SOCKOPTS(E) \
	E(1 << 16 | 26, "SO_ATTACH_FILTER") E(1 << 16 | 27, "SO_DETACH_FILTER") \
	E(1 << 16 | 50, "SO_ATTACH_BPF") E(1 << 16 | 51, "SO_ATTACH_REUSEPORT_CBPF") \
	E(1 << 16 | 52, "SO_ATTACH_REUSEPORT_EBPF") E(1 << 16 | 8, "SO_RCVBUF") \
	E(263 << 16 | 1, "PACKET_ADD_MEMBERSHIP") E(263 << 16 | 6, "PACKET_STATISTICS") \
	E(263 << 16 | 8, "PACKET_AUXDATA") E(263 << 16 | 10, "PACKET_VERSION")
NAMED_TABLE(sockopts, T_SOCKOPTS);
#define T_EPOLL_OPS(E) \
	E(1, "EPOLL_CTL_ADD") E(2, "EPOLL_CTL_DEL") E(3, "EPOLL_CTL_MOD")
NAMED_TABLE(epoll_ops, T_EPOLL_OPS);

static void print_enum_or_int(FILE *out, const uint32_t *values, const char *names, size_t n,
			      long v)
{
	const char *name = find_enum(values, names, n, v);
	if (name)
		fputs(name, out);
	else
		fprintf(out, "%ld", v);
}

static void print_sock_type(FILE *out, long v)
{
	print_enum_or_int(out, NAMED(sock_types), v & 0xf);
	if (v & ~0xfL) {
		fputc('|', out);
		print_flags(out, (uint64_t)(v & ~0xfL), K_CLOEXEC_BITS);
	}
}

/* An option name depends on the level passed before it. */
static void print_sockopt(FILE *out, long level, long opt)
{
	const char *name = find_enum(NAMED(sockopts), (level & 0xffff) << 16 | (opt & 0xffff));
	if (name)
		fputs(name, out);
	else
		fprintf(out, "%ld", opt);
}

static void print_arg(FILE *out, enum arg_kind kind, const long args[6], int i)
{
	long v = args[i];
	switch (kind) {
	default: print_number(out, kind, (uint64_t)v); break;
	case A_FAMILY: print_enum_or_int(out, NAMED(families), v); break;
	case A_SOCKTYPE: print_sock_type(out, v); break;
	case A_LEVEL: print_enum_or_int(out, NAMED(levels), v); break;
	case A_SOCKOPT: print_sockopt(out, args[i - 1], v); break;
	case A_EPOLL_OP: print_enum_or_int(out, NAMED(epoll_ops), v); break;
	case A_IOCTL_REQ: print_ioctl_req(out, (unsigned long)v); break;
	case A_IOCTL_ARG: print_ioctl_arg(out, (unsigned long)args[i - 1], v); break;
	case A_BPF_CMD: print_bpf_cmd(out, v); break;
	case A_BPF_ATTR: print_bpf_attr(out, args[i - 1], (const unsigned char *)v, (unsigned long)args[i + 1]); break;
	case A_PERF_ATTR:
		if (v)
			trace_perf_attr(out, (const struct perf_event_attr *)v);
		else
			fputs("NULL", out);
		break;
	}
}

static const struct syscall_desc *find_syscall(long nr)
{
	for (size_t i = 0; i < RB_ARRAY_SIZE(syscalls); i++)
		if (syscalls[i].nr == nr)
			return &syscalls[i];
	return NULL;
}

static void trace_plain(FILE *out, const struct syscall_desc *d, const long args[6])
{
	fprintf(out, "%s(", rb_strtab_at(syscall_names, (size_t)(d - syscalls)));
	for (int i = 0; i < d->nargs; i++) {
		if (i)
			fputs(", ", out);
		print_arg(out, d->kind[i], args, i);
	}
	fputc(')', out);
}

static void trace_result(FILE *out, long ret, bool returns_ptr)
{
	if (ret >= 0) {
		fprintf(out, returns_ptr ? " = %#lx\n" : " = %ld\n", ret);
		return;
	}
	int err = (int)-ret;
	const char *name = rb_errno_name(err);
	if (name)
		fprintf(out, " = -1 %s (%s)\n", name, rb_errno_text(err));
	else
		fprintf(out, " = -1 errno %d (%s)\n", err, rb_errno_text(err));
}

void rb_sys_trace_call(FILE *out, long nr, const long args[6], long ret)
{
	const struct syscall_desc *d = find_syscall(nr);
	if (d)
		trace_plain(out, d, args);
	else
		fprintf(out, "syscall_%ld(%#lx, %#lx, %#lx, %#lx, %#lx, %#lx)", nr, args[0], args[1],
			args[2], args[3], args[4], args[5]);
	trace_result(out, ret, d && d->returns_ptr);
	fflush(out);
}
