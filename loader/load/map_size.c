/* The sizes each map is created with: --map-size overrides, then defaults
 * for sizes the object leaves 0 (the policy is documented in load.h). */
#include "loader/load/load.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/uapi_compat.h"
#include "loader/inspect/names.h"

/* Kernel element size of a stack trace with BPF_F_STACK_BUILD_ID:
 * struct bpf_stack_build_id (status, build_id[20], offset/ip). */
#define STACK_BUILD_ID_SIZE 32
#define MAX_STACK_SANE 65535   /* the sysctl's own upper bound is far below this */

/* "123", "0x1f"; empty -> 0 (not given).  false on junk, 0 or > UINT32_MAX. */
static bool parse_size(const char *s, size_t n, uint32_t *out)
{
	char buf[24];
	*out = 0;
	if (n == 0)
		return true;
	if (n >= sizeof(buf) || s[0] < '0' || s[0] > '9')
		return false;  /* strtoull would take spaces and signs */
	memcpy(buf, s, n);
	buf[n] = 0;
	char *end;
	errno = 0;
	/* decimal or 0x hex; a leading 0 is not octal */
	bool hex = buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X');
	unsigned long long v = strtoull(buf, &end, hex ? 16 : 10);
	if (errno || *end || end == buf || v == 0 || v > UINT32_MAX)
		return false;
	*out = (uint32_t)v;
	return true;
}

static int parse_arg(const char *arg, struct rb_map_size_arg *out, struct rb_err *err)
{
	const char *eq = strchr(arg, '=');
	size_t name_len = eq ? (size_t)(eq - arg) : 0;
	*out = (struct rb_map_size_arg){0};
	if (!eq || name_len == 0 || name_len >= sizeof(out->name))
		return rb_errf(err, RB_EUSAGE, "expected NAME=ENTRIES[,VALUE_SIZE]");
	memcpy(out->name, arg, name_len);
	const char *sizes = eq + 1, *comma = strchr(sizes, ',');
	size_t entries_len = comma ? (size_t)(comma - sizes) : strlen(sizes);
	if (!parse_size(sizes, entries_len, &out->max_entries) ||
	    (comma && !parse_size(comma + 1, strlen(comma + 1), &out->value_size)))
		return rb_errf(err, RB_EUSAGE, "sizes must be numbers from 1 to 4294967295 "
			       "(ENTRIES[,VALUE_SIZE], either may be empty)");
	if (!out->max_entries && !out->value_size)
		return rb_errf(err, RB_EUSAGE, "give ENTRIES, VALUE_SIZE or both");
	return 0;
}

/* Every message is about the argument: "--map-size ARG: ..." */
int rb_map_size_parse(const char *arg, struct rb_map_size_arg *out, struct rb_err *err)
{
	int r = parse_arg(arg, out, err);
	if (r < 0)
		rb_err_prefix(err, "--map-size %s", arg);
	return r;
}

static const char *type_name(uint32_t type)
{
	const char *n = rb_map_type_name(type);
	return n ? n : "map";
}

/* Kinds whose max_entries the kernel requires to be 0: the storage lives
 * with its owner (socket, inode, task, cgroup), not in the map. */
static bool sized_by_kernel(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_SK_STORAGE: case BPF_MAP_TYPE_INODE_STORAGE:
	case BPF_MAP_TYPE_TASK_STORAGE: case RB_BPF_MAP_TYPE_CGRP_STORAGE:
	case BPF_MAP_TYPE_CGROUP_STORAGE: case BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE:
		return true;
	default:
		return false;
	}
}

static bool is_ringbuf(uint32_t type)
{
	return type == BPF_MAP_TYPE_RINGBUF || type == BPF_MAP_TYPE_USER_RINGBUF;
}

static int check_override(const struct rb_map *m, const struct rb_map_size_arg *arg,
			  struct rb_err *err)
{
	if (m->kind == RB_MAP_DATA || m->kind == RB_MAP_KCONFIG)
		return rb_errf(err, RB_EUSAGE, "'%s' is global data; its size is that of its section",
			       m->name);
	if (sized_by_kernel(m->type) && arg->max_entries)
		return rb_errf(err, RB_EUSAGE, "'%s' is a %s map, whose entries live with their "
			       "owners (max_entries must stay 0)", m->name, type_name(m->type));
	if ((is_ringbuf(m->type) || m->type == RB_BPF_MAP_TYPE_ARENA) && arg->value_size)
		return rb_errf(err, RB_EUSAGE, "'%s' is a %s map, which has no value size; give its "
			       "size as ENTRIES only", m->name, type_name(m->type));
	return 0;
}

/* Appends "what from -> to (why)" to the map's note line. */
static void add_note(const struct rb_map *m, struct rb_map_sizing *out, const char *what,
		     uint32_t from, uint32_t to, const char *why)
{
	size_t used = strlen(out->note);
	if (used == 0)
		used = (size_t)snprintf(out->note, sizeof(out->note), "map '%s' (%s): ", m->name,
					type_name(m->type));
	else
		used += (size_t)snprintf(out->note + used, sizeof(out->note) - used, ", ");
	if (used < sizeof(out->note))
		snprintf(out->note + used, sizeof(out->note) - used, "%s %u -> %u (%s)", what, from, to, why);
}

/* Ring buffers are a power-of-2 number of pages (the kernel's rule); libbpf
 * rounds user sizes up the same way. */
static int round_ringbuf(const struct rb_map *m, const struct rb_map_size_env *env,
			 struct rb_map_sizing *out, struct rb_err *err)
{
	uint64_t page = env->page_size ? env->page_size : 4096, size = page;
	if (out->max_entries == 0)
		return rb_errf(err, RB_EINPUT, "map '%s' (%s) has max_entries 0: a ring buffer's size "
			       "in bytes must be chosen; give it with --map-size %s=BYTES (a power of 2 "
			       "number of pages, e.g. 262144)", m->name, type_name(m->type), m->name);
	while (size < out->max_entries)
		size *= 2;
	if (size > UINT32_MAX)
		return rb_errf(err, RB_EINPUT, "map '%s' (%s): %u bytes cannot be rounded up to a power "
			       "of 2 number of pages", m->name, type_name(m->type), out->max_entries);
	if (size != out->max_entries)
		add_note(m, out, "max_entries", out->max_entries, (uint32_t)size,
			 "a ring buffer is a power of 2 number of pages");
	out->max_entries = (uint32_t)size;
	return 0;
}

static int default_entries(const struct rb_map *m, const struct rb_map_size_env *env,
			   struct rb_map_sizing *out, struct rb_err *err)
{
	if (m->type == RB_BPF_MAP_TYPE_ARENA)
		return rb_errf(err, RB_EINPUT, "map '%s' (arena) has max_entries 0: choose its number "
			       "of pages with --map-size %s=PAGES", m->name, m->name);
	if (m->type == BPF_MAP_TYPE_PERF_EVENT_ARRAY) {
		int cpus = env->possible_cpus(env->ctx, err);
		if (cpus < 0)
			return cpus;
		out->max_entries = (uint32_t)cpus;
		add_note(m, out, "max_entries", 0, out->max_entries, "one per possible CPU");
		return 0;
	}
	out->max_entries = RB_MAP_DEFAULT_ENTRIES;
	add_note(m, out, "max_entries", 0, out->max_entries,
		 "rawbpf's default for sizes a tool sets at run time");
	return 0;
}

static void default_value_size(const struct rb_map *m, const struct rb_map_size_env *env,
			       struct rb_map_sizing *out)
{
	bool build_id = m->map_flags & BPF_F_STACK_BUILD_ID;
	uint32_t depth = env->perf_max_stack(env->ctx);
	char why[96];
	if (depth == 0 || depth > MAX_STACK_SANE)
		depth = RB_PERF_MAX_STACK_DEFAULT;
	out->value_size = depth * (build_id ? STACK_BUILD_ID_SIZE : 8);
	snprintf(why, sizeof(why), "perf_event_max_stack %u x %u-byte %s", depth,
		 build_id ? STACK_BUILD_ID_SIZE : 8, build_id ? "build-id frames" : "frames");
	add_note(m, out, "value_size", 0, out->value_size, why);
}

int rb_map_size_decide(const struct rb_map *m, const struct rb_map_size_arg *arg,
		       const struct rb_map_size_env *env, struct rb_map_sizing *out,
		       struct rb_err *err)
{
	*out = (struct rb_map_sizing){.max_entries = m->max_entries, .value_size = m->value_size};
	int r = arg ? check_override(m, arg, err) : 0;
	if (r < 0)
		rb_err_prefix(err, "--map-size %s", arg->name);
	if (r < 0 || m->kind == RB_MAP_DATA || m->kind == RB_MAP_KCONFIG)
		return r;
	if (arg && arg->max_entries)
		out->max_entries = arg->max_entries;
	if (arg && arg->value_size)
		out->value_size = arg->value_size;
	if (is_ringbuf(m->type))
		r = round_ringbuf(m, env, out, err);
	else if (out->max_entries == 0 && !sized_by_kernel(m->type))
		r = default_entries(m, env, out, err);
	if (r == 0 && out->value_size == 0 && m->type == BPF_MAP_TYPE_STACK_TRACE)
		default_value_size(m, env, out);
	return r;
}

uint32_t rb_load_perf_max_stack(void)
{
	struct rb_buf b = {0};
	uint32_t depth = RB_PERF_MAX_STACK_DEFAULT;
	if (rb_read_file("/proc/sys/kernel/perf_event_max_stack", 64, &b) == 0) {
		char *end;
		unsigned long v = strtoul(rb_buf_str(&b), &end, 10);
		if (end != rb_buf_str(&b) && (*end == '\n' || !*end) && v >= 1 && v <= MAX_STACK_SANE)
			depth = (uint32_t)v;
	}
	rb_buf_free(&b);
	return depth;
}
