/* The maps phase (create every map, reuse or pin pin-by-name maps, write
 * global data, freeze .rodata) and the values phase (fill `.values` slots
 * of prog arrays and map-in-maps once programs exist). */
#include "loader/load/phases.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader/bpf.h"
#include "loader/bpffs.h"
#include "loader/inspect/inspect.h"
#include "loader/inspect/names.h"

/* Map types the kernel refuses BTF key/value types for (libbpf drops them too). */
static bool map_takes_btf(uint32_t type)
{
	switch (type) {
	case BPF_MAP_TYPE_PERF_EVENT_ARRAY: case BPF_MAP_TYPE_CGROUP_ARRAY:
	case BPF_MAP_TYPE_STACK_TRACE: case BPF_MAP_TYPE_ARRAY_OF_MAPS:
	case BPF_MAP_TYPE_HASH_OF_MAPS: case BPF_MAP_TYPE_DEVMAP:
	case BPF_MAP_TYPE_DEVMAP_HASH: case BPF_MAP_TYPE_CPUMAP:
	case BPF_MAP_TYPE_XSKMAP: case BPF_MAP_TYPE_SOCKMAP:
	case BPF_MAP_TYPE_SOCKHASH: case BPF_MAP_TYPE_QUEUE:
	case BPF_MAP_TYPE_STACK: case BPF_MAP_TYPE_RINGBUF:
	case BPF_MAP_TYPE_PROG_ARRAY:
		return false;
	default:
		return true;
	}
}

static const char *type_name(uint32_t type, char *buf, size_t size)
{
	const char *n = rb_map_type_name(type);
	if (n)
		return n;
	snprintf(buf, size, "type %u", type);
	return buf;
}

static int env_possible_cpus(void *ctx, struct rb_err *err)
{
	(void)ctx;
	return rb_load_possible_cpus(err);
}

static uint32_t env_perf_max_stack(void *ctx)
{
	(void)ctx;
	return rb_load_perf_max_stack();
}

/* The map's --map-size, the last one naming it; false when none does (the
 * check phase has parsed every one already). */
static bool find_size_arg(const struct rb_loaded *ld, const char *name, struct rb_map_size_arg *arg)
{
	bool found = false;
	struct rb_map_size_arg a;
	for (size_t i = 0; i < ld->opts->n_map_sizes; i++) {
		struct rb_err ignored = {0};
		if (rb_map_size_parse(ld->opts->map_sizes[i], &a, &ignored) == 0 && !strcmp(a.name, name)) {
			*arg = a;
			found = true;
		}
	}
	return found;
}

static int choose_sizes(struct rb_loaded *ld, struct rb_loaded_map *lm, struct rb_err *err)
{
	const struct rb_map_size_env env = {.possible_cpus = env_possible_cpus,
					    .perf_max_stack = env_perf_max_stack,
					    .page_size = (uint32_t)getpagesize()};
	struct rb_map_size_arg arg;
	struct rb_map_sizing sz;
	bool given = find_size_arg(ld, lm->map->name, &arg);
	if (given && lm->map->was_ringbuf) {
		if (ld->opts->note)
			fprintf(ld->opts->note, "rawbpf: note: %s: --map-size %s ignored: the ring buffer is "
				"a perf event array on this kernel, one buffer per CPU\n", ld->obj->path,
				lm->map->name);
		given = false;
	}
	int r = rb_map_size_decide(lm->map, given ? &arg : NULL, &env, &sz, err);
	if (r < 0) {
		rb_err_prefix(err, "%s", ld->obj->path);
		return r;
	}
	lm->max_entries = sz.max_entries;
	lm->value_size = sz.value_size;
	if (sz.note[0] && ld->opts->note)
		fprintf(ld->opts->note, "rawbpf: note: %s: %s; choose with --map-size %s=ENTRIES[,VALUE_SIZE]\n",
			ld->obj->path, sz.note, lm->map->name);
	return 0;
}

/* The definition as it will be created. */
static int effective_def(struct rb_loaded *ld, struct rb_loaded_map *lm, struct rb_err *err)
{
	const struct rb_map *m = lm->map;
	lm->map_flags = m->map_flags;
	int r = choose_sizes(ld, lm, err);
	if (r < 0)
		return r;
	/* libbpf makes global data mmapable (Linux >= 5.5); keep the same shape */
	if (m->kind == RB_MAP_DATA || m->kind == RB_MAP_KCONFIG)
		lm->map_flags |= BPF_F_MMAPABLE;
	if (m->readonly)
		lm->map_flags |= BPF_F_RDONLY_PROG;
	return 0;
}

static void describe(char *out, size_t size, uint32_t type, uint32_t key, uint32_t value,
		     uint32_t entries, uint32_t flags)
{
	char tb[24];
	snprintf(out, size, "%s key %u value %u entries %u flags 0x%x", type_name(type, tb, sizeof(tb)),
		 key, value, entries, flags);
}

static void def_opts(const struct rb_map *m, uint32_t value_size, uint32_t max_entries, uint32_t flags,
		     struct rb_map_create_opts *o)
{
	*o = (struct rb_map_create_opts){
		.type = m->type, .name = m->name, .key_size = m->key_size,
		.value_size = value_size, .max_entries = max_entries,
		.map_flags = flags, .numa_node = m->numa_node, .map_extra = m->map_extra,
	};
}

static int create_inner(struct rb_loaded *ld, const struct rb_map *inner, struct rb_err *err)
{
	struct rb_map_create_opts o;
	def_opts(inner, inner->value_size, inner->max_entries, inner->map_flags, &o);
	int fd = rb_bpf_map_create(ld->sys, &o);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "%s: map '%s': cannot create its inner map template",
				 ld->obj->path, inner->name);
	return fd;
}

static void fill_create(const struct rb_loaded *ld, const struct rb_loaded_map *lm,
			struct rb_map_create_opts *o)
{
	const struct rb_map *m = lm->map;
	def_opts(m, lm->value_size, lm->max_entries, lm->map_flags, o);
	/* A ring buffer's `__type(value, T)` only documents its records (the
	 * convention of rawbpf/events.h): the kernel wants key and value size 0. */
	if (m->type == BPF_MAP_TYPE_RINGBUF || m->type == BPF_MAP_TYPE_USER_RINGBUF) {
		o->key_size = o->value_size = 0;
		return;
	}
	if (ld->btf_fd >= 0 && map_takes_btf(m->type) && (m->btf_key_type_id || m->btf_value_type_id)) {
		o->btf_fd = ld->btf_fd;
		o->btf_key_type_id = m->btf_key_type_id;
		o->btf_value_type_id = m->btf_value_type_id;
	}
}

/* BPF_MAP_CREATE, retrying without BTF and without the mmapable flag rawbpf
 * added on its own, as libbpf does on kernels that refuse them. */
static int create_fd(struct rb_loaded *ld, struct rb_loaded_map *lm, int inner_fd)
{
	struct rb_map_create_opts o;
	fill_create(ld, lm, &o);
	o.inner_map_fd = inner_fd > 0 ? inner_fd : 0; /* 0: none (an fd is never 0 here) */
	int fd = rb_bpf_map_create(ld->sys, &o);
	if (fd < 0 && o.btf_fd) {
		o.btf_fd = 0;
		o.btf_key_type_id = o.btf_value_type_id = 0;
		fd = rb_bpf_map_create(ld->sys, &o);
		if (fd >= 0 && ld->opts->note)
			fprintf(ld->opts->note, "rawbpf: warning: %s: map '%s' created without BTF "
				"(the kernel refused its key/value types)\n", ld->obj->path, lm->map->name);
	}
	if (fd == -EINVAL && (o.map_flags & BPF_F_MMAPABLE) && !(lm->map->map_flags & BPF_F_MMAPABLE)) {
		lm->map_flags &= ~(uint32_t)BPF_F_MMAPABLE;
		return create_fd(ld, lm, inner_fd);
	}
	return fd;
}

/* The kernel refuses even a minimal map of the type: it lacks the type. */
static int missing_map_type(const struct rb_loaded *ld, const struct rb_map *m, struct rb_err *err)
{
	char tb[24];
	const char *since = rb_map_type_since(m->type);
	return rb_errf(err, RB_ENOTSUP, "%s: map '%s' needs kernel support for %s maps (Linux >= %s); "
		       "this kernel refuses the map type", ld->obj->path, m->name,
		       type_name(m->type, tb, sizeof(tb)), since ? since : "?");
}

static int create_map(struct rb_loaded *ld, struct rb_loaded_map *lm, struct rb_err *err)
{
	const struct rb_map *m = lm->map;
	int inner_fd = -1;
	if (m->inner) {
		inner_fd = create_inner(ld, m->inner, err);
		if (inner_fd < 0)
			return inner_fd;
	}
	int fd = create_fd(ld, lm, inner_fd);
	rb_load_close(ld, inner_fd);
	if (fd == -EINVAL && rb_feature_map_type(ld->sys, m->type) == 0)
		return missing_map_type(ld, m, err);
	if (fd < 0) {
		char def[160];
		describe(def, sizeof(def), m->type, m->key_size, lm->value_size, lm->max_entries, lm->map_flags);
		return rb_errnof(err, RB_EKERNEL, -fd, "%s: map '%s' (%s): BPF_MAP_CREATE refused; "
				 "check the definition (and that this kernel has the map type)%s",
				 ld->obj->path, m->name, def, (m->max_entries && m->value_size) ? "" :
				 "; sizes the object leaves 0 can be given with --map-size NAME=ENTRIES[,VALUE_SIZE]");
	}
	lm->fd = fd;
	return 0;
}

/* Global data: the initial image at key 0, then .rodata frozen. */
static int populate_data(struct rb_loaded *ld, struct rb_loaded_map *lm, struct rb_err *err)
{
	const struct rb_map *m = lm->map;
	uint32_t zero = 0;
	if (m->kind != RB_MAP_DATA || !m->data)
		return 0;
	int r = rb_bpf_map_update(ld->sys, lm->fd, &zero, m->data, 0);
	if (r < 0)
		return rb_errnof(err, RB_EKERNEL, -r, "%s: map '%s': cannot write the initial contents of %s",
				 ld->obj->path, m->name, m->sec_name ? m->sec_name : "global data");
	/* BPF_MAP_FREEZE: Linux >= 5.2 */
	if (m->readonly && (r = rb_bpf_map_freeze(ld->sys, lm->fd)) < 0)
		return rb_errnof(err, RB_EKERNEL, -r, "%s: map '%s': cannot freeze read-only %s",
				 ld->obj->path, m->name, m->sec_name ? m->sec_name : "data");
	return 0;
}

static int map_info(struct rb_loaded *ld, int fd, struct bpf_map_info *info)
{
	uint32_t len = sizeof(*info);
	memset(info, 0, sizeof(*info));
	return rb_bpf_obj_get_info(ld->sys, fd, info, &len);
}

static const char *pin_root(const struct rb_loaded *ld)
{
	return ld->opts->pin_root ? ld->opts->pin_root : RB_BPFFS_DEFAULT;
}

/* A pinned map is reused only when it is what the object defines. */
static int check_reusable(struct rb_loaded *ld, struct rb_loaded_map *lm, int fd, struct rb_err *err)
{
	const struct rb_map *m = lm->map;
	struct bpf_map_info info;
	int r = map_info(ld, fd, &info);
	if (r < 0)
		return rb_errnof(err, RB_EKERNEL, -r, "%s: cannot inspect the map pinned at %s",
				 ld->obj->path, lm->by_name_path);
	if (info.type == m->type && info.key_size == m->key_size && info.value_size == lm->value_size &&
	    info.max_entries == lm->max_entries && info.map_flags == lm->map_flags)
		return 0;
	char have[160], want[160];
	describe(have, sizeof(have), info.type, info.key_size, info.value_size, info.max_entries, info.map_flags);
	describe(want, sizeof(want), m->type, m->key_size, lm->value_size, lm->max_entries, lm->map_flags);
	return rb_errf(err, RB_EKERNEL, "%s: map '%s': the map pinned at %s (%s) differs from the "
		       "object's definition (%s); remove the pin or choose another --pin-root",
		       ld->obj->path, m->name, lm->by_name_path, have, want);
}

/* pinning = LIBBPF_PIN_BY_NAME: 1 when a pinned map was reused, 0 when the
 * caller must create (and then pin) it. */
static int reuse_pinned(struct rb_loaded *ld, struct rb_loaded_map *lm, struct rb_err *err)
{
	int r = strcmp(pin_root(ld), RB_BPFFS_DEFAULT) == 0
			? rb_bpffs_ensure_default(ld->sys, ld->opts->note, err) : 0;
	if (r < 0)
		return r;
	lm->by_name_path = rb_load_join(pin_root(ld), lm->map->name);
	if (!lm->by_name_path)
		return rb_load_oom(err);
	int fd = rb_bpf_obj_get(ld->sys, lm->by_name_path, 0);
	if (fd == -ENOENT)
		return 0;
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "%s: map '%s': cannot open the pin %s",
				 ld->obj->path, lm->map->name, lm->by_name_path);
	r = check_reusable(ld, lm, fd, err);
	if (r < 0) {
		rb_load_close(ld, fd);
		return r;
	}
	lm->fd = fd;
	lm->reused = true;
	return 1;
}

static int pin_by_name(struct rb_loaded *ld, struct rb_loaded_map *lm, struct rb_err *err)
{
	int r = rb_bpf_obj_pin(ld->sys, lm->fd, lm->by_name_path);
	if (r < 0)
		return rb_errnof(err, RB_EKERNEL, -r, "%s: map '%s': cannot pin it at %s (does %s exist "
				 "on a BPF file system?)", ld->obj->path, lm->map->name, lm->by_name_path,
				 pin_root(ld));
	return rb_load_track(ld, lm->by_name_path, err);
}

static int setup_map(struct rb_loaded *ld, struct rb_loaded_map *lm, struct rb_err *err)
{
	int r = effective_def(ld, lm, err);
	bool by_name = lm->map->pinning == RB_PIN_BY_NAME;
	if (r == 0 && by_name)
		r = reuse_pinned(ld, lm, err);
	if (r != 0)
		return r < 0 ? r : 0;
	r = create_map(ld, lm, err);
	if (r == 0)
		r = populate_data(ld, lm, err);
	if (r == 0 && by_name)
		r = pin_by_name(ld, lm, err);
	return r;
}

int rb_phase_maps(struct rb_loaded *ld, struct rb_err *err)
{
	for (size_t i = 0; i < ld->n_maps; i++) {
		struct rb_loaded_map *lm = &ld->maps[i];
		int r = setup_map(ld, lm, err);
		if (r < 0)
			return r;
		struct bpf_map_info info;
		if (map_info(ld, lm->fd, &info) == 0)
			lm->id = info.id;
	}
	return 0;
}

/* ---- .values ------------------------------------------------------------------- */

static int slot_fd(struct rb_loaded *ld, const struct rb_loaded_map *lm, const struct rb_map_slot *s,
		   const char **target)
{
	if (s->kind == RB_SLOT_PROG && s->target < ld->n_progs) {
		*target = ld->progs[s->target].prog->name;
		return ld->progs[s->target].fd;
	}
	if (s->kind == RB_SLOT_MAP && s->target < ld->n_maps) {
		*target = ld->maps[s->target].map->name;
		return ld->maps[s->target].fd;
	}
	*target = "?";
	return -1;
}

static int fill_slots(struct rb_loaded *ld, struct rb_loaded_map *lm, struct rb_err *err)
{
	for (size_t i = 0; i < lm->map->n_slots; i++) {
		const struct rb_map_slot *s = &lm->map->slots[i];
		const char *target;
		int fd = slot_fd(ld, lm, s, &target);
		if (fd < 0) {
			if (ld->opts->note)
				fprintf(ld->opts->note, "rawbpf: warning: %s: map '%s' slot %u stays empty: "
					"'%s' was not loaded\n", ld->obj->path, lm->map->name, s->slot, target);
			continue;
		}
		uint32_t key = s->slot, value = (uint32_t)fd;
		int r = rb_bpf_map_update(ld->sys, lm->fd, &key, &value, 0);
		if (r < 0)
			return rb_errnof(err, RB_EKERNEL, -r, "%s: map '%s': cannot put '%s' in slot %u",
					 ld->obj->path, lm->map->name, target, s->slot);
	}
	return 0;
}

int rb_phase_values(struct rb_loaded *ld, struct rb_err *err)
{
	for (size_t i = 0; i < ld->n_maps; i++) {
		if (ld->maps[i].reused || !ld->maps[i].map->n_slots)
			continue;
		int r = fill_slots(ld, &ld->maps[i], err);
		if (r < 0)
			return r;
	}
	return 0;
}
