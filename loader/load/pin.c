/* The pin phase: `--pin DIR` pins every loaded program at DIR/<program>
 * and every map at DIR/maps/<map> (dots turned into underscores), the
 * layout of `bpftool prog loadall OBJ DIR pinmaps DIR/maps`.  Like bpftool,
 * DIR may already exist; an existing pin of the same name is an error. */
#include "loader/load/phases.h"

#include <errno.h>
#include <stdlib.h>
#include <sys/stat.h>

#include "loader/bpf.h"
#include "loader/bpffs.h"

static bool exists(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0;
}

/* Creates dir (via make) and remembers it when it did not exist before. */
static int make_dir(struct rb_loaded *ld, const char *dir, bool top, struct rb_err *err)
{
	bool existed = exists(dir);
	int r = top ? rb_bpffs_prepare_dir(ld->sys, dir, "--pin", ld->opts->note, err)
		    : rb_bpffs_mkdir(dir, err);
	if (r == 0 && !existed)
		r = rb_load_track(ld, dir, err);
	return r;
}

static int pin_fd(struct rb_loaded *ld, int fd, const char *path, const char *what,
		  const char *name, struct rb_err *err)
{
	int r = rb_bpf_obj_pin(ld->sys, fd, path);
	if (r == -EEXIST)
		return rb_errf(err, RB_EKERNEL, "%s: cannot pin %s '%s': %s already exists; remove it "
			       "(rm %s) or pin into another directory", ld->obj->path, what, name, path, path);
	if (r < 0)
		return rb_errnof(err, RB_EKERNEL, -r, "%s: cannot pin %s '%s' at %s", ld->obj->path,
				 what, name, path);
	return rb_load_track(ld, path, err);
}

static int pin_progs(struct rb_loaded *ld, const char *dir, struct rb_err *err)
{
	for (size_t i = 0; i < ld->n_progs; i++) {
		struct rb_loaded_prog *lp = &ld->progs[i];
		if (lp->fd < 0)
			continue;
		lp->pin_path = rb_load_join(dir, lp->prog->name);
		if (!lp->pin_path)
			return rb_load_oom(err);
		int r = pin_fd(ld, lp->fd, lp->pin_path, "program", lp->prog->name, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int pin_maps(struct rb_loaded *ld, const char *maps_dir, struct rb_err *err)
{
	for (size_t i = 0; i < ld->n_maps; i++) {
		struct rb_loaded_map *lm = &ld->maps[i];
		char name[256];
		rb_load_map_pin_name(name, sizeof(name), lm->map->name);
		lm->pin_path = rb_load_join(maps_dir, name);
		if (!lm->pin_path)
			return rb_load_oom(err);
		int r = pin_fd(ld, lm->fd, lm->pin_path, "map", lm->map->name, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Early, before anything exists in the kernel: a bad --pin DIR fails fast. */
int rb_phase_pin_dir(struct rb_loaded *ld, struct rb_err *err)
{
	return ld->opts->pin_dir ? make_dir(ld, ld->opts->pin_dir, true, err) : 0;
}

int rb_phase_pin(struct rb_loaded *ld, struct rb_err *err)
{
	const char *dir = ld->opts->pin_dir;
	if (!dir)
		return 0;
	int r = pin_progs(ld, dir, err);
	if (r < 0 || ld->n_maps == 0)
		return r;
	char *maps_dir = rb_load_join(dir, "maps");
	if (!maps_dir)
		return rb_load_oom(err);
	r = make_dir(ld, maps_dir, false, err);
	if (r == 0)
		r = pin_maps(ld, maps_dir, err);
	free(maps_dir);
	return r;
}
