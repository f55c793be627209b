#include "loader/bpf.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/strtab.h"

/* Pointers travel through bpf_attr as u64. */
static uint64_t ptr(const void *p)
{
	return (uint64_t)(uintptr_t)p;
}

static int call(const struct rb_sys *sys, int cmd, union bpf_attr *attr)
{
	return (int)rb_sys_bpf(sys, cmd, attr, sizeof(*attr));
}

void rb_bpf_name_sanitize(char out[BPF_OBJ_NAME_LEN], const char *name)
{
	size_t n = 0;
	memset(out, 0, BPF_OBJ_NAME_LEN);
	for (; name && name[n] && n < RB_BPF_NAME_MAX; n++) {
		char c = name[n];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '.';
		out[n] = ok ? c : '_';
	}
}

int rb_bpf_map_create(const struct rb_sys *sys, const struct rb_map_create_opts *o)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = o->type;
	a.key_size = o->key_size;
	a.value_size = o->value_size;
	a.max_entries = o->max_entries;
	a.map_flags = o->map_flags;
	a.inner_map_fd = (uint32_t)o->inner_map_fd;
	a.numa_node = o->numa_node;
	a.map_ifindex = o->map_ifindex;
	a.btf_fd = (uint32_t)o->btf_fd;
	a.btf_key_type_id = o->btf_key_type_id;
	a.btf_value_type_id = o->btf_value_type_id;
	a.btf_vmlinux_value_type_id = o->btf_vmlinux_value_type_id;
	a.map_extra = o->map_extra;
	rb_bpf_name_sanitize(a.map_name, o->name);
	return call(sys, BPF_MAP_CREATE, &a);
}

static int map_elem(const struct rb_sys *sys, int cmd, int fd, const void *key,
		    const void *value, uint64_t flags)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_fd = (uint32_t)fd;
	a.key = ptr(key);
	a.value = ptr(value);
	a.flags = flags;
	return call(sys, cmd, &a);
}

int rb_bpf_map_lookup(const struct rb_sys *sys, int fd, const void *key, void *value,
		      uint64_t flags)
{
	return map_elem(sys, BPF_MAP_LOOKUP_ELEM, fd, key, value, flags);
}

int rb_bpf_map_update(const struct rb_sys *sys, int fd, const void *key, const void *value,
		      uint64_t flags)
{
	return map_elem(sys, BPF_MAP_UPDATE_ELEM, fd, key, value, flags);
}

int rb_bpf_map_delete(const struct rb_sys *sys, int fd, const void *key)
{
	return map_elem(sys, BPF_MAP_DELETE_ELEM, fd, key, NULL, 0);
}

int rb_bpf_map_lookup_and_delete(const struct rb_sys *sys, int fd, const void *key,
				 void *value)
{
	return map_elem(sys, BPF_MAP_LOOKUP_AND_DELETE_ELEM, fd, key, value, 0);
}

/* next_key shares value's place in the attr */
_Static_assert(offsetof(union bpf_attr, next_key) == offsetof(union bpf_attr, value), "next_key");

int rb_bpf_map_get_next_key(const struct rb_sys *sys, int fd, const void *key, void *next_key)
{
	return map_elem(sys, BPF_MAP_GET_NEXT_KEY, fd, key, next_key, 0);
}

/* The commands whose attr is one u32 at offset 0: map_fd (freeze), an id
 * (GET_FD_BY_ID), link_fd (detach, iter create), a stats type. */
static int call_u32(const struct rb_sys *sys, int cmd, uint32_t v)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_fd = v;
	return call(sys, cmd, &a);
}
_Static_assert(offsetof(union bpf_attr, prog_id) == 0 && offsetof(union bpf_attr, link_detach.link_fd) == 0 &&
	       offsetof(union bpf_attr, iter_create.link_fd) == 0 && offsetof(union bpf_attr, enable_stats.type) == 0,
	       "a one-u32 attr");

int rb_bpf_map_freeze(const struct rb_sys *sys, int fd)
{
	return call_u32(sys, BPF_MAP_FREEZE, (uint32_t)fd);
}

/* attr.log_true_size follows core_relo_rec_size (Linux >= 6.4); Debian's 6.1
 * header lacks the member but the union's padding holds it. */
#define PROG_LOG_TRUE_SIZE_OFF (offsetof(union bpf_attr, core_relo_rec_size) + 4)
/* attr.btf_log_true_size follows btf_log_level (Linux >= 6.4). */
#define BTF_LOG_TRUE_SIZE_OFF (offsetof(union bpf_attr, btf_log_level) + 4)

_Static_assert(PROG_LOG_TRUE_SIZE_OFF + 4 <= sizeof(union bpf_attr), "attr too small");

static uint32_t attr_u32_at(const union bpf_attr *a, size_t off)
{
	uint32_t v;
	memcpy(&v, (const char *)a + off, sizeof(v));
	return v;
}

static void fill_prog_load(union bpf_attr *a, const struct rb_prog_load_opts *o)
{
	a->prog_type = o->prog_type;
	a->expected_attach_type = o->expected_attach_type;
	a->insns = ptr(o->insns);
	a->insn_cnt = o->insn_cnt;
	a->license = ptr(o->license);
	a->kern_version = o->kern_version;
	a->prog_flags = o->prog_flags;
	a->prog_ifindex = o->prog_ifindex;
	a->prog_btf_fd = (uint32_t)o->prog_btf_fd;
	a->func_info_rec_size = o->func_info_rec_size;
	a->func_info = ptr(o->func_info);
	a->func_info_cnt = o->func_info_cnt;
	a->line_info_rec_size = o->line_info_rec_size;
	a->line_info = ptr(o->line_info);
	a->line_info_cnt = o->line_info_cnt;
	a->attach_btf_id = o->attach_btf_id;
	if (o->attach_prog_fd)
		a->attach_prog_fd = (uint32_t)o->attach_prog_fd;
	else
		a->attach_btf_obj_fd = (uint32_t)o->attach_btf_obj_fd;
	a->fd_array = ptr(o->fd_array);
	rb_bpf_name_sanitize(a->prog_name, o->name);
	if (o->log_level && o->log_buf && o->log_size) {
		a->log_level = o->log_level;
		a->log_buf = ptr(o->log_buf);
		a->log_size = o->log_size;
	}
}

int rb_bpf_prog_load(const struct rb_sys *sys, struct rb_prog_load_opts *o)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	fill_prog_load(&a, o);
	int r = call(sys, BPF_PROG_LOAD, &a);
	o->log_true_size = attr_u32_at(&a, PROG_LOG_TRUE_SIZE_OFF);
	return r;
}

int rb_bpf_prog_test_run(const struct rb_sys *sys, struct rb_prog_test_run_opts *o)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.test.prog_fd = (uint32_t)o->prog_fd;
	a.test.data_in = ptr(o->data_in);
	a.test.data_size_in = o->data_size_in;
	a.test.data_out = ptr(o->data_out);
	a.test.data_size_out = o->data_out ? o->data_size_out : 0;
	a.test.ctx_in = ptr(o->ctx_in);
	a.test.ctx_size_in = o->ctx_size_in;
	a.test.ctx_out = ptr(o->ctx_out);
	a.test.ctx_size_out = o->ctx_out ? o->ctx_size_out : 0;
	a.test.repeat = o->repeat;
	a.test.flags = o->flags;
	a.test.cpu = o->cpu;
	a.test.batch_size = o->batch_size;
	int r = call(sys, BPF_PROG_TEST_RUN, &a);
	o->retval = a.test.retval;
	o->duration = a.test.duration;
	o->data_size_out = a.test.data_size_out;
	o->ctx_size_out = a.test.ctx_size_out;
	return r;
}

/* OBJ_PIN, OBJ_GET and RAW_TRACEPOINT_OPEN: a string, an fd, flags (the
 * raw_tracepoint {name, prog_fd} sits where pathname and bpf_fd do). */
static int call_str_fd(const struct rb_sys *sys, int cmd, const char *s, int fd, uint32_t flags)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.pathname = ptr(s);
	a.bpf_fd = (uint32_t)fd;
	a.file_flags = flags;
	return call(sys, cmd, &a);
}
_Static_assert(offsetof(union bpf_attr, raw_tracepoint.name) == offsetof(union bpf_attr, pathname) &&
	       offsetof(union bpf_attr, raw_tracepoint.prog_fd) == offsetof(union bpf_attr, bpf_fd),
	       "raw_tracepoint attr");

int rb_bpf_obj_pin(const struct rb_sys *sys, int fd, const char *path)
{
	return call_str_fd(sys, BPF_OBJ_PIN, path, fd, 0);
}

int rb_bpf_obj_get(const struct rb_sys *sys, const char *path, uint32_t file_flags)
{
	return call_str_fd(sys, BPF_OBJ_GET, path, 0, file_flags);
}

int rb_bpf_obj_get_info(const struct rb_sys *sys, int fd, void *info, uint32_t *info_len)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.info.bpf_fd = (uint32_t)fd;
	a.info.info_len = *info_len;
	a.info.info = ptr(info);
	int r = call(sys, BPF_OBJ_GET_INFO_BY_FD, &a);
	if (r == 0)
		*info_len = a.info.info_len;
	return r;
}

int rb_bpf_get_next_id(const struct rb_sys *sys, int cmd, uint32_t start_id, uint32_t *next_id)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.start_id = start_id;
	int r = call(sys, cmd, &a);
	if (r == 0)
		*next_id = a.next_id;
	return r;
}

int rb_bpf_prog_get_next_id(const struct rb_sys *sys, uint32_t start_id, uint32_t *next_id)
{
	return rb_bpf_get_next_id(sys, BPF_PROG_GET_NEXT_ID, start_id, next_id);
}

int rb_bpf_map_get_next_id(const struct rb_sys *sys, uint32_t start_id, uint32_t *next_id)
{
	return rb_bpf_get_next_id(sys, BPF_MAP_GET_NEXT_ID, start_id, next_id);
}

int rb_bpf_btf_get_next_id(const struct rb_sys *sys, uint32_t start_id, uint32_t *next_id)
{
	return rb_bpf_get_next_id(sys, BPF_BTF_GET_NEXT_ID, start_id, next_id);
}

int rb_bpf_link_get_next_id(const struct rb_sys *sys, uint32_t start_id, uint32_t *next_id)
{
	return rb_bpf_get_next_id(sys, BPF_LINK_GET_NEXT_ID, start_id, next_id);
}

int rb_bpf_fd_by_id(const struct rb_sys *sys, int cmd, uint32_t id)
{
	return call_u32(sys, cmd, id);  /* prog_id, map_id, btf_id, link_id */
}

int rb_bpf_prog_fd_by_id(const struct rb_sys *sys, uint32_t id)
{
	return rb_bpf_fd_by_id(sys, BPF_PROG_GET_FD_BY_ID, id);
}

int rb_bpf_map_fd_by_id(const struct rb_sys *sys, uint32_t id)
{
	return rb_bpf_fd_by_id(sys, BPF_MAP_GET_FD_BY_ID, id);
}

int rb_bpf_btf_fd_by_id(const struct rb_sys *sys, uint32_t id)
{
	return rb_bpf_fd_by_id(sys, BPF_BTF_GET_FD_BY_ID, id);
}

int rb_bpf_link_fd_by_id(const struct rb_sys *sys, uint32_t id)
{
	return rb_bpf_fd_by_id(sys, BPF_LINK_GET_FD_BY_ID, id);
}

int rb_bpf_btf_load(const struct rb_sys *sys, struct rb_btf_load_opts *o)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.btf = ptr(o->data);
	a.btf_size = o->size;
	if (o->log_level && o->log_buf && o->log_size) {
		a.btf_log_buf = ptr(o->log_buf);
		a.btf_log_size = o->log_size;
		a.btf_log_level = o->log_level;
	}
	int r = call(sys, BPF_BTF_LOAD, &a);
	o->log_true_size = attr_u32_at(&a, BTF_LOG_TRUE_SIZE_OFF);
	return r;
}

int rb_bpf_link_create(const struct rb_sys *sys, const struct rb_link_create_opts *o)
{
	union bpf_attr a;
	const size_t tail_off = offsetof(union bpf_attr, link_create.target_btf_id);
	if (o->tail_size > sizeof(a) - tail_off)
		return -E2BIG;
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = (uint32_t)o->prog_fd;
	a.link_create.target_fd = (uint32_t)o->target_fd;
	a.link_create.attach_type = o->attach_type;
	a.link_create.flags = o->flags;
	if (o->tail && o->tail_size)
		memcpy((char *)&a + tail_off, o->tail, o->tail_size);
	return call(sys, BPF_LINK_CREATE, &a);
}

int rb_bpf_link_detach(const struct rb_sys *sys, int link_fd)
{
	return call_u32(sys, BPF_LINK_DETACH, (uint32_t)link_fd);
}

int rb_bpf_link_update(const struct rb_sys *sys, int link_fd, int new_prog_fd, int old_prog_fd,
		       uint32_t flags)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.link_update.link_fd = (uint32_t)link_fd;
	a.link_update.new_prog_fd = (uint32_t)new_prog_fd;
	a.link_update.old_prog_fd = (uint32_t)old_prog_fd;
	a.link_update.flags = flags;
	return call(sys, BPF_LINK_UPDATE, &a);
}

static int prog_attach_cmd(const struct rb_sys *sys, int cmd, int prog_fd, int target_fd,
			   uint32_t attach_type, uint32_t flags)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.attach_bpf_fd = (uint32_t)prog_fd;
	a.target_fd = (uint32_t)target_fd;
	a.attach_type = attach_type;
	a.attach_flags = flags;
	return call(sys, cmd, &a);
}

int rb_bpf_prog_attach(const struct rb_sys *sys, int prog_fd, int target_fd,
		       uint32_t attach_type, uint32_t flags)
{
	return prog_attach_cmd(sys, BPF_PROG_ATTACH, prog_fd, target_fd, attach_type, flags);
}

int rb_bpf_prog_detach(const struct rb_sys *sys, int prog_fd, int target_fd,
		       uint32_t attach_type)
{
	return prog_attach_cmd(sys, BPF_PROG_DETACH, prog_fd, target_fd, attach_type, 0);
}

int rb_bpf_raw_tracepoint_open(const struct rb_sys *sys, const char *name, int prog_fd)
{
	return call_str_fd(sys, BPF_RAW_TRACEPOINT_OPEN, name, prog_fd, 0);
}

int rb_bpf_enable_stats(const struct rb_sys *sys, uint32_t type)
{
	return call_u32(sys, BPF_ENABLE_STATS, type);
}

int rb_bpf_iter_create(const struct rb_sys *sys, int link_fd)
{
	return call_u32(sys, BPF_ITER_CREATE, (uint32_t)link_fd);
}

/* Every command up to Linux 6.18, in enum bpf_cmd order (--trace-syscalls
 * must name every command the kernel knows), without the
 * "BPF_" every one of them starts with. */
static const char cmd_names[] =
	"MAP_CREATE\0" "MAP_LOOKUP_ELEM\0" "MAP_UPDATE_ELEM\0" "MAP_DELETE_ELEM\0"
	"MAP_GET_NEXT_KEY\0" "PROG_LOAD\0" "OBJ_PIN\0" "OBJ_GET\0" "PROG_ATTACH\0"
	"PROG_DETACH\0" "PROG_TEST_RUN\0" "PROG_GET_NEXT_ID\0" "MAP_GET_NEXT_ID\0"
	"PROG_GET_FD_BY_ID\0" "MAP_GET_FD_BY_ID\0" "OBJ_GET_INFO_BY_FD\0"
	"PROG_QUERY\0" "RAW_TRACEPOINT_OPEN\0" "BTF_LOAD\0" "BTF_GET_FD_BY_ID\0"
	"TASK_FD_QUERY\0" "MAP_LOOKUP_AND_DELETE_ELEM\0" "MAP_FREEZE\0"
	"BTF_GET_NEXT_ID\0" "MAP_LOOKUP_BATCH\0" "MAP_LOOKUP_AND_DELETE_BATCH\0"
	"MAP_UPDATE_BATCH\0" "MAP_DELETE_BATCH\0" "LINK_CREATE\0" "LINK_UPDATE\0"
	"LINK_GET_FD_BY_ID\0" "LINK_GET_NEXT_ID\0" "ENABLE_STATS\0" "ITER_CREATE\0"
	"LINK_DETACH\0" "PROG_BIND_MAP\0" "TOKEN_CREATE\0" "PROG_STREAM_READ_BY_FD\0";

const char *rb_bpf_cmd_known_name(unsigned long cmd)
{
	return rb_strtab_at(cmd_names, cmd);
}
