/* The ringbuf phase: objects whose ring buffers the kernel cannot create.
 *
 * BPF_MAP_TYPE_RINGBUF needs Linux >= 5.8.  Whether the running kernel has
 * it is learnt by creating a one-page ring buffer (once per rb_loaded, only
 * for objects that have ring buffer maps), never from the version number.
 * Without it, an object built with rawbpf/output.h switches to perf event
 * arrays: its read-only rawbpf_ringbuf_ok becomes 0 and every ring buffer
 * map is created as a perf event array of the same name (one slot per
 * possible CPU); other objects cannot run and say so. */
#include "loader/load/phases.h"

#include <errno.h>
#include <unistd.h>

#include "loader/bpf.h"

#define RB_OUTPUT_SWITCH "rawbpf_ringbuf_ok"

static bool has_ringbuf_map(const struct rb_obj *obj, const char **name)
{
	for (size_t i = 0; i < obj->n_maps; i++)
		if (obj->maps[i].type == BPF_MAP_TYPE_RINGBUF) {
			*name = obj->maps[i].name;
			return true;
		}
	return false;
}

/* Only EINVAL means "no such map type"; any other refusal (EPERM, ENOMEM)
 * is left for the real BPF_MAP_CREATE to report. */
static bool kernel_has_ringbuf(struct rb_loaded *ld)
{
	if (ld->ringbuf == RB_FEAT_UNKNOWN) {
		/* getpagesize, not sysconf: musl's sysconf table is ~500 bytes */
		struct rb_map_create_opts o = {.type = BPF_MAP_TYPE_RINGBUF,
					       .max_entries = (uint32_t)getpagesize()};
		int fd = rb_bpf_map_create(ld->sys, &o);
		ld->ringbuf = fd == -EINVAL ? RB_FEAT_NO : RB_FEAT_YES;
		rb_load_close(ld, fd);
	}
	return ld->ringbuf == RB_FEAT_YES;
}

static void to_perf_event_array(struct rb_map *m)
{
	m->type = BPF_MAP_TYPE_PERF_EVENT_ARRAY;
	m->key_size = m->value_size = sizeof(uint32_t);
	m->max_entries = 0;  /* possible CPUs, filled in by the maps phase */
	m->btf_key_type_id = m->btf_value_type_id = 0;
	m->was_ringbuf = true;
}

int rb_phase_ringbuf(struct rb_loaded *ld, struct rb_err *err)
{
	const char *first;
	if (!has_ringbuf_map(ld->obj, &first) || kernel_has_ringbuf(ld))
		return 0;
	struct rb_err ignored = {0};
	if (rb_obj_set_global(ld->obj, RB_OUTPUT_SWITCH, "0", &ignored) < 0)
		return rb_errf(err, RB_ENOTSUP, "%s: map '%s' needs kernel support for BPF ring buffers "
			       "(BPF_MAP_TYPE_RINGBUF, Linux >= 5.8); build the program with "
			       "rawbpf/output.h to fall back to a perf buffer", ld->obj->path, first);
	for (size_t i = 0; i < ld->obj->n_maps; i++)
		if (ld->obj->maps[i].type == BPF_MAP_TYPE_RINGBUF)
			to_perf_event_array(&ld->obj->maps[i]);
	if (ld->opts->note)
		fprintf(ld->opts->note, "rawbpf: this kernel has no BPF ring buffers; %s sends its "
			"records through perf buffers instead\n", ld->obj->path);
	return 0;
}
