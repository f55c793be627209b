/* Fetching what the kernel knows about a program, map or link. */
#include "loader/inspect/inspect.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "elf/btf.h"
#include "loader/bpf.h"

int rb_fdinfo_read(const char *path, const char *name, uint64_t *v)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char line[256];
	size_t n = strlen(name);
	int r = -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, name, n) == 0 && line[n] == ':') {
			*v = strtoull(line + n + 1, NULL, 0);
			r = 0;
			break;
		}
	fclose(f);
	return r;
}

int rb_fdinfo_u64(int fd, const char *name, uint64_t *v)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	return rb_fdinfo_read(path, name, v);
}

static int info_failed(struct rb_err *err, int e, const char *what)
{
	return rb_errnof(err, RB_EKERNEL, e, "cannot read the %s's info (BPF_OBJ_GET_INFO_BY_FD)", what);
}

/* load_time counts from boot; bpftool shows wall-clock time. */
static int64_t boot_ns_to_wall(uint64_t boot_ns)
{
	struct timespec real, boot;
	clock_gettime(CLOCK_REALTIME, &real);
	clock_gettime(CLOCK_BOOTTIME, &boot);
	int64_t wall_ns = ((int64_t)real.tv_sec - boot.tv_sec) * 1000000000LL +
			  (real.tv_nsec - boot.tv_nsec) + (int64_t)boot_ns;
	return wall_ns / 1000000000LL;
}

/* The kernel keeps 15 characters of a name; the first func_info record's
 * BTF FUNC has the whole one.  Failing that, the short name stands. */
static void full_prog_name(const struct rb_sys *sys, int fd, struct rb_prog_desc *d)
{
	const struct bpf_prog_info *in = &d->info;
	if (strnlen(in->name, BPF_OBJ_NAME_LEN) < BPF_OBJ_NAME_LEN - 1 || !in->btf_id || !in->nr_func_info ||
	    in->func_info_rec_size < sizeof(struct bpf_func_info) || in->func_info_rec_size > 64)
		return;
	uint8_t rec[64];
	struct bpf_prog_info again;
	memset(&again, 0, sizeof(again));
	again.nr_func_info = 1;
	again.func_info_rec_size = in->func_info_rec_size;
	again.func_info = (uint64_t)(uintptr_t)rec;
	uint32_t len = sizeof(again);
	struct rb_btf *btf, *base;
	if (rb_bpf_obj_get_info(sys, fd, &again, &len) < 0 || rb_btf_get_by_id(sys, in->btf_id, &btf, &base) < 0)
		return;
	struct bpf_func_info fi;
	memcpy(&fi, rec, sizeof(fi));
	const char *name = rb_btf_type_name(btf, fi.type_id);
	if (name && !strncmp(name, in->name, BPF_OBJ_NAME_LEN - 1))
		snprintf(d->full_name, sizeof(d->full_name), "%s", name);
	rb_btf_free(btf);
	rb_btf_free(base);
}

int rb_prog_describe(const struct rb_sys *sys, int fd, struct rb_prog_desc *d, struct rb_err *err)
{
	memset(d, 0, sizeof(*d));
	uint32_t len = sizeof(d->info);
	int r = rb_bpf_obj_get_info(sys, fd, &d->info, &len);
	if (r < 0)
		return info_failed(err, -r, "program");
	uint32_t want = d->info.nr_map_ids;
	if (want) {
		/* Second call only for the map ids: every other pointer stays 0. */
		struct bpf_prog_info again;
		memset(&again, 0, sizeof(again));
		again.nr_map_ids = want < RB_INSPECT_MAX_MAP_IDS ? want : RB_INSPECT_MAX_MAP_IDS;
		again.map_ids = (uint64_t)(uintptr_t)d->map_ids;
		len = sizeof(again);
		r = rb_bpf_obj_get_info(sys, fd, &again, &len);
		if (r < 0)
			return info_failed(err, -r, "program");
		d->nr_map_ids = again.nr_map_ids < RB_INSPECT_MAX_MAP_IDS ? again.nr_map_ids
									 : RB_INSPECT_MAX_MAP_IDS;
	}
	d->has_memlock = rb_fdinfo_u64(fd, "memlock", &d->memlock) == 0;
	d->loaded_at = boot_ns_to_wall(d->info.load_time);
	full_prog_name(sys, fd, d);
	return 0;
}

int rb_map_describe(const struct rb_sys *sys, int fd, struct rb_map_desc *d, struct rb_err *err)
{
	memset(d, 0, sizeof(*d));
	uint32_t len = sizeof(d->info);
	int r = rb_bpf_obj_get_info(sys, fd, &d->info, &len);
	if (r < 0)
		return info_failed(err, -r, "map");
	uint64_t frozen = 0;
	d->has_memlock = rb_fdinfo_u64(fd, "memlock", &d->memlock) == 0;
	rb_fdinfo_u64(fd, "frozen", &frozen);
	d->frozen = frozen != 0;
	uint64_t owner, jited = 0;
	if (rb_fdinfo_u64(fd, "owner_prog_type", &owner) == 0) {
		rb_fdinfo_u64(fd, "owner_jited", &jited);
		d->has_owner = true;
		d->owner_prog_type = (uint32_t)owner;
		d->owner_jited = jited != 0;
	}
	return 0;
}

static void put_u64_at(unsigned char *raw, size_t off, uint64_t v) { memcpy(raw + off, &v, 8); }
static void put_u32_at(unsigned char *raw, size_t off, uint32_t v) { memcpy(raw + off, &v, 4); }

/* Where a link type wants a string buffer in struct bpf_link_info (pointer
 * offset, length offset), per the UAPI; 0 when it has none. */
static size_t link_str_slot(uint32_t type, uint32_t perf_type, size_t *len_off)
{
	switch (type) {
	case 1: case 4: /* raw_tracepoint tp_name, iter target_name */
		*len_off = 24;
		return 16;
	case 12: /* uprobe_multi: path, path_size */
		*len_off = 48;
		return 16;
	case 7: /* perf_event: uprobe file / kprobe func / tracepoint name */
		*len_off = 32;
		return perf_type >= 1 && perf_type <= 5 ? 24 : 0;
	default:
		return 0;
	}
}

int rb_link_describe(const struct rb_sys *sys, int fd, struct rb_link_desc *d, struct rb_err *err)
{
	memset(d, 0, sizeof(*d));
	uint32_t len = sizeof(d->raw);
	int r = rb_bpf_obj_get_info(sys, fd, d->raw, &len);
	if (r < 0)
		return info_failed(err, -r, "link");
	memcpy(&d->type, d->raw, 4);
	memcpy(&d->id, d->raw + 4, 4);
	memcpy(&d->prog_id, d->raw + 8, 4);
	uint32_t perf_type;
	memcpy(&perf_type, d->raw + 16, 4);
	size_t len_off = 0, ptr_off = link_str_slot(d->type, perf_type, &len_off);
	if (ptr_off) {
		/* Again with a buffer for the string; only the pointer, its
		 * length and the fields before them may be set. */
		memset(d->raw + 12, 0, sizeof(d->raw) - 12);
		if (d->type == 7)
			put_u32_at(d->raw, 16, perf_type);
		put_u64_at(d->raw, ptr_off, (uint64_t)(uintptr_t)d->str);
		put_u32_at(d->raw, len_off, sizeof(d->str));
		len = sizeof(d->raw);
		r = rb_bpf_obj_get_info(sys, fd, d->raw, &len);
		if (r < 0)
			return info_failed(err, -r, "link");
		d->str[sizeof(d->str) - 1] = 0;
		put_u64_at(d->raw, ptr_off, 0); /* do not keep a pointer into d */
	}
	d->raw_len = len;
	return 0;
}

int rb_parse_cpu_list(const char *text, struct rb_err *err)
{
	long highest = -1;
	const char *p = text;
	while (*p && *p != '\n') {
		char *end;
		long a = strtol(p, &end, 10), b = a;
		if (end == p || a < 0)
			break;
		p = end;
		if (*p == '-') {
			b = strtol(p + 1, &end, 10);
			if (end == p + 1 || b < a)
				break;
			p = end;
		}
		if (b > 65535)
			break;
		highest = b > highest ? b : highest;
		if (*p == ',')
			p++;
		else if (*p && *p != '\n')
			break;
	}
	if (highest < 0 || (*p && *p != '\n'))
		return rb_errf(err, RB_ESYS, "/sys/devices/system/cpu/possible: cannot parse '%.40s'", text);
	return (int)highest + 1;
}

int rb_possible_cpus(struct rb_err *err)
{
	struct rb_buf b = {0};
	int r = rb_read_file("/sys/devices/system/cpu/possible", 4096, &b);
	if (r < 0) {
		rb_buf_free(&b);
		return rb_errnof(err, RB_ESYS, -r, "cannot read /sys/devices/system/cpu/possible (needed for per-CPU values)");
	}
	r = rb_parse_cpu_list(rb_buf_str(&b), err);
	rb_buf_free(&b);
	return r;
}

bool rb_map_type_is_percpu(uint32_t type)
{
	return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY ||
	       type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
}

bool rb_map_type_holds_ids(uint32_t type)
{
	return type == BPF_MAP_TYPE_PROG_ARRAY || type == BPF_MAP_TYPE_ARRAY_OF_MAPS ||
	       type == BPF_MAP_TYPE_HASH_OF_MAPS;
}

bool rb_map_type_walkable(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_RINGBUF: case BPF_MAP_TYPE_USER_RINGBUF: case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK: case BPF_MAP_TYPE_BLOOM_FILTER: case 33: /* arena */
		return false;
	default:
		return true;
	}
}
