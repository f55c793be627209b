#include "loader/load/phases.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <sys/resource.h>

#include "common/buf.h"
#include "common/strtab.h"
#include "loader/bpf.h"

static bool name_listed(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

/* "OBJ: --only X: the object has no program 'X' (it has: a, b, c)": the
 * names of its programs or maps (both start with their name), cut short when
 * long, "none" when there are none. */
static int not_in_object(const struct rb_obj *obj, const char *opt, const char *arg,
			 bool map, const char *name, struct rb_err *err)
{
	char names[256];
	size_t used = 0, n = map ? obj->n_maps : obj->n_progs;
	snprintf(names, sizeof(names), "none");
	for (size_t i = 0; i < n && used < sizeof(names); i++) {
		const char *each = map ? obj->maps[i].name : obj->progs[i].name;
		int w = snprintf(names + used, sizeof(names) - used, "%s%s", i ? ", " : "", each);
		used += w > 0 ? (size_t)w : 0;
	}
	return rb_errf(err, RB_EUSAGE, "%s: %s %s: the object has no %s '%s' (it has: %s)",
		       obj->path, opt, arg, map ? "map" : "program", name, names);
}

static int check_names(const struct rb_obj *obj, const char *opt, const char *const *list,
		       size_t n, struct rb_err *err)
{
	for (size_t i = 0; i < n; i++)
		if (!rb_obj_find_prog(obj, list[i]))
			return not_in_object(obj, opt, list[i], false, list[i], err);
	return 0;
}

/* Every --map-size parses and names a map of the object, before anything is
 * created (what a map can take is checked when it is sized). */
static int check_map_sizes(const struct rb_obj *obj, const struct rb_load_opts *o, struct rb_err *err)
{
	for (size_t i = 0; i < o->n_map_sizes; i++) {
		struct rb_map_size_arg arg;
		int r = rb_map_size_parse(o->map_sizes[i], &arg, err);
		if (r < 0)
			return r;
		if (!rb_obj_find_map(obj, arg.name))
			return not_in_object(obj, "--map-size", o->map_sizes[i], true, arg.name, err);
	}
	return 0;
}

/* Decides which programs load: --only, --skip, and SEC("?...") autoload. */
static void select_progs(struct rb_loaded *ld)
{
	const struct rb_load_opts *o = ld->opts;
	for (size_t i = 0; i < ld->n_progs; i++) {
		struct rb_loaded_prog *lp = &ld->progs[i];
		const char *name = lp->prog->name;
		bool only = name_listed(name, o->only, o->n_only);
		if (o->n_only && !only)
			lp->skip_reason = "not named by --only";
		else if (name_listed(name, o->skip, o->n_skip))
			lp->skip_reason = "--skip";
		else if (!lp->prog->autoload && !only)
			lp->skip_reason = "not autoloaded (SEC(\"?...\")); name it with --only";
	}
}

static int phase_check(struct rb_loaded *ld, struct rb_err *err)
{
	const struct rb_obj *obj = ld->obj;
	if (obj->foreign_endian)
		return rb_errf(err, RB_EINPUT, "%s: the object is %s-endian but this machine is %s-endian; "
			       "rebuild it with clang -target bpf (or bpfel/bpfeb to match)", obj->path,
			       obj->big_endian ? "big" : "little", obj->big_endian ? "little" : "big");
	if (obj->elf.machine != EM_BPF)
		return rb_errf(err, RB_EINPUT, "%s: not a BPF object (machine %s); build it with "
			       "clang -target bpf", obj->path, rb_elf_machine_name(obj->elf.machine));
	int r = check_names(obj, "--skip", ld->opts->skip, ld->opts->n_skip, err);
	if (r == 0)
		r = check_names(obj, "--only", ld->opts->only, ld->opts->n_only, err);
	if (r == 0)
		r = check_map_sizes(obj, ld->opts, err);
	if (r == 0)
		select_progs(ld);
	return r;
}

static int phase_set(struct rb_loaded *ld, struct rb_err *err)
{
	const struct rb_load_opts *o = ld->opts;
	for (size_t i = 0; i < o->n_sets; i++) {
		char name[256];
		const char *eq = strchr(o->sets[i], '=');
		size_t n = eq ? (size_t)(eq - o->sets[i]) : 0;
		if (!eq || n == 0 || n >= sizeof(name))
			return rb_errf(err, RB_EUSAGE, "--set %s: expected NAME=VALUE", o->sets[i]);
		memcpy(name, o->sets[i], n);
		name[n] = 0;
		int r = rb_obj_set_global(ld->obj, name, eq + 1, err);
		if (r < 0)
			return r;
	}
	return 0;
}

/* The CO-RE/externs hook: opts->resolve, else the resolver module's default. */
static int phase_resolve(struct rb_loaded *ld, struct rb_err *err)
{
	if (ld->opts->resolve)
		return ld->opts->resolve(ld, ld->opts->resolve_ctx, err);
	if (rb_load_resolve_default)
		return rb_load_resolve_default(ld, NULL, err);
	return 0;
}

/* Older kernels (< 5.11) charge BPF memory to RLIMIT_MEMLOCK; newer ones
 * ignore it, so one attempt that may fail is enough.  prlimit, because musl's
 * setrlimit brings thread-synchronisation code (~2 KB) a single thread needs not. */
static void raise_memlock(struct rb_loaded *ld)
{
	struct rlimit inf = {RLIM_INFINITY, RLIM_INFINITY};
	if (!ld->memlock_raised)
		(void)prlimit(0, RLIMIT_MEMLOCK, &inf, NULL);
	ld->memlock_raised = true;
}

static int phase_memlock(struct rb_loaded *ld, struct rb_err *err)
{
	(void)err;
	raise_memlock(ld);
	return 0;
}

/* The map table is sized after resolve: the resolver may add maps (.kconfig). */
static int phase_map_table(struct rb_loaded *ld, struct rb_err *err)
{
	ld->n_maps = ld->obj->n_maps;
	ld->maps = calloc(ld->n_maps ? ld->n_maps : 1, sizeof(*ld->maps));
	if (!ld->maps)
		return rb_load_oom(err);
	for (size_t i = 0; i < ld->n_maps; i++) {
		ld->maps[i].map = &ld->obj->maps[i];
		ld->maps[i].fd = -1;
	}
	return 0;
}

/* The phases in order, and their names in the same order (one string: the
 * names are only for rb_load_phase_name). */
static int (*const phases[])(struct rb_loaded *ld, struct rb_err *err) = {
	phase_check, phase_set, rb_phase_pin_dir, phase_resolve, phase_memlock, rb_phase_ringbuf,
	rb_phase_btf, phase_map_table, rb_phase_maps, rb_phase_fixup, rb_phase_progs,
	rb_phase_values, rb_phase_pin,
};
static const char phase_names[] =
	"check\0set\0pin-dir\0resolve\0memlock\0ringbuf\0btf\0map-table\0maps\0fixup\0progs\0"
	"values\0pin\0";

size_t rb_load_phase_count(void)
{
	return RB_ARRAY_SIZE(phases);
}

const char *rb_load_phase_name(size_t i)
{
	return rb_strtab_at(phase_names, i);
}

static struct rb_loaded *loaded_new(const struct rb_sys *sys, struct rb_obj *obj,
				    const struct rb_load_opts *opts)
{
	struct rb_loaded *ld = calloc(1, sizeof(*ld));
	if (!ld)
		return NULL;
	ld->obj = obj;
	ld->sys = sys;
	ld->opts = opts;
	ld->btf_fd = -1;
	ld->n_progs = obj->n_progs;
	ld->progs = calloc(obj->n_progs ? obj->n_progs : 1, sizeof(*ld->progs));
	if (!ld->progs) {
		free(ld);
		return NULL;
	}
	for (size_t i = 0; i < obj->n_progs; i++) {
		ld->progs[i].prog = &obj->progs[i];
		ld->progs[i].fd = -1;
	}
	return ld;
}

/* Removes what a failed load created, newest first. */
static void remove_created(struct rb_loaded *ld)
{
	for (size_t i = ld->n_created; i-- > 0;)
		if (unlink(ld->created[i]) != 0 && errno == EISDIR)
			(void)rmdir(ld->created[i]);
}

int rb_load_obj(struct rb_loaded **out, const struct rb_sys *sys, struct rb_obj *obj,
		const struct rb_load_opts *opts, struct rb_err *err)
{
	*out = NULL;
	struct rb_loaded *ld = loaded_new(sys, obj, opts);
	if (!ld) {
		rb_obj_free(obj);
		return rb_load_oom(err);
	}
	for (size_t i = 0; i < RB_ARRAY_SIZE(phases); i++) {
		int r = phases[i](ld, err);
		if (r < 0) {
			remove_created(ld);
			rb_loaded_free(ld);
			return r;
		}
	}
	*out = ld;
	return 0;
}

int rb_load_file(struct rb_loaded **out, const struct rb_sys *sys, const char *path,
		 const struct rb_load_opts *opts, struct rb_err *err)
{
	struct rb_obj *obj = NULL;
	*out = NULL;
	int r = rb_obj_open_file(&obj, path, err);
	if (r < 0)
		return r;
	return rb_load_obj(out, sys, obj, opts, err);
}

int rb_load_oom(struct rb_err *err)
{
	return rb_errf(err, RB_ESYS, "out of memory");
}

void rb_load_close(const struct rb_loaded *ld, int fd)
{
	if (fd >= 0)
		rb_sys_close(ld->sys, fd);
}

static void free_progs(struct rb_loaded *ld)
{
	for (size_t i = 0; i < ld->n_progs; i++) {
		struct rb_loaded_prog *lp = &ld->progs[i];
		rb_load_close(ld, lp->fd);
		if (lp->attach_btf_obj_fd > 0)
			rb_load_close(ld, lp->attach_btf_obj_fd);
		if (lp->attach_prog_fd > 0)
			rb_load_close(ld, lp->attach_prog_fd);
		free(lp->pin_path);
	}
	free(ld->progs);
}

static void free_fd_array(struct rb_loaded *ld)
{
	for (size_t i = 1; i < ld->n_fd_array; i++)
		rb_load_close(ld, ld->fd_array[i]);
	free(ld->fd_array);
	free(ld->fd_array_src);
}

static void free_maps(struct rb_loaded *ld)
{
	for (size_t i = 0; i < ld->n_maps; i++) {
		rb_load_close(ld, ld->maps[i].fd);
		free(ld->maps[i].pin_path);
		free(ld->maps[i].by_name_path);
	}
	free(ld->maps);
}

void rb_loaded_free(struct rb_loaded *ld)
{
	if (!ld)
		return;
	free_progs(ld);
	free_maps(ld);
	free_fd_array(ld);
	rb_load_close(ld, ld->btf_fd);
	for (size_t i = 0; i < ld->n_created; i++)
		free(ld->created[i]);
	free(ld->created);
	rb_obj_free(ld->obj);
	free(ld);
}

struct rb_loaded_prog *rb_loaded_prog(struct rb_loaded *ld, const char *name)
{
	for (size_t i = 0; i < ld->n_progs; i++)
		if (strcmp(ld->progs[i].prog->name, name) == 0)
			return &ld->progs[i];
	return NULL;
}

struct rb_loaded_map *rb_loaded_map(struct rb_loaded *ld, const char *name)
{
	for (size_t i = 0; i < ld->n_maps; i++)
		if (strcmp(ld->maps[i].map->name, name) == 0)
			return &ld->maps[i];
	return NULL;
}

/* The kernel reads at most MAX_KFUNC_BTFS (256) module BTFs per program. */
#define MAX_MODULE_BTFS 256

static int grow_fd_array(struct rb_loaded *ld, struct rb_err *err)
{
	size_t n = ld->n_fd_array ? ld->n_fd_array + 1 : 2;
	int *fds = realloc(ld->fd_array, n * sizeof(*fds));
	if (fds)
		ld->fd_array = fds;
	int *src = fds ? realloc(ld->fd_array_src, n * sizeof(*src)) : NULL;
	if (src)
		ld->fd_array_src = src;
	if (!fds || !src)
		return rb_load_oom(err);
	/* index 0 stands for vmlinux in insn.off: never read, never an fd */
	fds[0] = src[0] = -1;
	return 0;
}

int rb_loaded_module_btf(struct rb_loaded *ld, int btf_fd, struct rb_err *err)
{
	for (size_t i = 1; i < ld->n_fd_array; i++)
		if (ld->fd_array_src[i] == btf_fd)
			return (int)i;
	if (ld->n_fd_array > MAX_MODULE_BTFS)
		return rb_errf(err, RB_ENOTSUP, "%s: the programs call kfuncs of more than %d kernel "
			       "modules; the kernel takes at most that many", ld->obj->path, MAX_MODULE_BTFS);
	int r = grow_fd_array(ld, err);
	if (r < 0)
		return r;
	long fd = rb_sys_call(ld->sys, SYS_fcntl, btf_fd, F_DUPFD_CLOEXEC, 3, 0, 0, 0);
	if (fd < 0)
		return rb_errnof(err, RB_ESYS, (int)-fd, "%s: cannot duplicate the module BTF fd %d",
				 ld->obj->path, btf_fd);
	size_t idx = ld->n_fd_array ? ld->n_fd_array : 1;
	ld->fd_array[idx] = (int)fd;
	ld->fd_array_src[idx] = btf_fd;
	ld->n_fd_array = idx + 1;
	return (int)idx;
}

int rb_load_track(struct rb_loaded *ld, const char *path, struct rb_err *err)
{
	char **grown = realloc(ld->created, (ld->n_created + 1) * sizeof(*grown));
	char *copy = strdup(path);
	if (grown)
		ld->created = grown;
	if (!grown || !copy) {
		free(copy);
		return rb_load_oom(err);
	}
	ld->created[ld->n_created++] = copy;
	return 0;
}

char *rb_load_join(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *s = malloc(n);
	if (s)
		snprintf(s, n, "%s/%s", dir, name);
	return s;
}

void rb_load_map_pin_name(char *out, size_t size, const char *map_name)
{
	size_t i = 0;
	if (size == 0)
		return;
	for (; map_name[i] && i + 1 < size; i++)
		out[i] = map_name[i] == '.' ? '_' : map_name[i];
	out[i] = 0;
}

#define CPU_POSSIBLE "/sys/devices/system/cpu/possible"

/* Counts the CPUs of a list like "0-3,5,7-8". */
static int count_cpu_list(const char *s, struct rb_err *err)
{
	long total = 0;
	while (*s && *s != '\n') {
		char *end;
		long a = strtol(s, &end, 10), b = a;
		if (end == s || a < 0)
			return rb_errf(err, RB_EINPUT, "%s: cannot parse '%s'", CPU_POSSIBLE, s);
		if (*end == '-') {
			s = end + 1;
			b = strtol(s, &end, 10);
			if (end == s || b < a)
				return rb_errf(err, RB_EINPUT, "%s: bad range", CPU_POSSIBLE);
		}
		total += b - a + 1;
		if (total > 65536)
			return rb_errf(err, RB_EINPUT, "%s: too many CPUs", CPU_POSSIBLE);
		s = *end == ',' ? end + 1 : end;
	}
	return total > 0 ? (int)total : rb_errf(err, RB_EINPUT, "%s is empty", CPU_POSSIBLE);
}

int rb_load_possible_cpus(struct rb_err *err)
{
	struct rb_buf b = {0};
	int r = rb_read_file(CPU_POSSIBLE, 4096, &b);
	if (r < 0)
		return rb_errnof(err, RB_ESYS, -r, "cannot read %s", CPU_POSSIBLE);
	r = count_cpu_list(rb_buf_str(&b), err);
	rb_buf_free(&b);
	return r;
}
