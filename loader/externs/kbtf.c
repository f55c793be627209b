/* Kernel BTF, read once and only when an object needs it: vmlinux on the
 * first lookup, module BTFs on the first name vmlinux lacks. */
#include "loader/externs/externs.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader/bpf.h"

#define SYS_BTF_DIR "/sys/kernel/btf"

struct kmod {
	char *name;
	struct rb_btf *btf;
	int fd;                  /* the module BTF object in the kernel, 0 when unknown */
};

struct rb_kbtf {
	const struct rb_sys *sys;
	char *path;              /* --btf FILE or NULL */
	const char *dir;         /* tests: a folder laid out like /sys/kernel/btf */
	struct rb_btf *vmlinux;
	bool modules_loaded;
	struct kmod *mods;
	size_t n_mods;
	struct rb_core_targets *targets;
};

int rb_kbtf_new(struct rb_kbtf **out, const struct rb_sys *sys, const char *btf_path,
		struct rb_err *err)
{
	struct rb_kbtf *kb = calloc(1, sizeof(*kb));
	if (!kb || (btf_path && !(kb->path = strdup(btf_path)))) {
		free(kb);
		return rb_errf(err, RB_ESYS, "kernel BTF: out of memory");
	}
	kb->sys = sys;
	*out = kb;
	return 0;
}

void rb_kbtf_free(struct rb_kbtf *kb)
{
	if (!kb)
		return;
	rb_core_targets_free(kb->targets);
	for (size_t i = 0; i < kb->n_mods; i++) {
		if (kb->mods[i].fd > 0)
			rb_sys_close(kb->sys, kb->mods[i].fd);
		rb_btf_free(kb->mods[i].btf);
		free(kb->mods[i].name);
	}
	free(kb->mods);
	rb_btf_free(kb->vmlinux);
	free(kb->path);
	free(kb);
}

void rb_kbtf_set_dir(struct rb_kbtf *kb, const char *dir)
{
	kb->dir = dir;
}

int rb_kbtf_vmlinux(struct rb_kbtf *kb, const struct rb_btf **out, struct rb_err *err)
{
	if (!kb->vmlinux) {
		char vmlinux[300];
		if (kb->dir)
			snprintf(vmlinux, sizeof(vmlinux), "%s/vmlinux", kb->dir);
		int r = kb->path ? rb_btf_load_file(&kb->vmlinux, kb->path, NULL, err)
			: kb->dir ? rb_btf_load_file(&kb->vmlinux, vmlinux, NULL, err)
				 : rb_btf_load_vmlinux(&kb->vmlinux, err);
		if (r) {
			if (!kb->path)
				rb_err_prefix(err, "kernel BTF (give one with --btf FILE)");
			return r;
		}
	}
	*out = kb->vmlinux;
	return 0;
}

/* The kernel fd of module BTF `name`: walks the loaded BTF objects (Linux
 * >= 5.11 names module BTFs).  0 when not found. */
static int module_btf_fd(const struct rb_sys *sys, const char *name)
{
	uint32_t id = 0;
	while (rb_bpf_btf_get_next_id(sys, id, &id) == 0) {
		int fd = rb_bpf_btf_fd_by_id(sys, id);
		if (fd < 0)
			continue;
		char kname[64] = "";
		struct bpf_btf_info info = {.name = (uint64_t)(uintptr_t)kname, .name_len = sizeof(kname)};
		uint32_t len = sizeof(info);
		if (rb_bpf_obj_get_info(sys, fd, &info, &len) == 0 && info.kernel_btf &&
		    strcmp(kname, name) == 0)
			return fd;
		rb_sys_close(sys, fd);
	}
	return 0;
}

static int add_module(struct rb_kbtf *kb, const char *name, struct rb_err *err)
{
	char path[300];
	snprintf(path, sizeof(path), "%s/%s", kb->dir ? kb->dir : SYS_BTF_DIR, name);
	struct rb_btf *btf;
	struct rb_err ignored = {0};
	/* a module BTF that does not parse is left out, like libbpf does */
	if (rb_btf_load_file(&btf, path, kb->vmlinux, &ignored))
		return 0;
	struct kmod *v = realloc(kb->mods, (kb->n_mods + 1) * sizeof(*v));
	char *copy = strdup(name);
	if (!v || !copy) {
		free(copy);
		if (v)
			kb->mods = v;
		rb_btf_free(btf);
		return rb_errf(err, RB_ESYS, "kernel BTF: out of memory");
	}
	kb->mods = v;
	kb->mods[kb->n_mods++] = (struct kmod){.name = copy, .btf = btf, .fd = 0};
	return 0;
}

int rb_kbtf_load_modules(struct rb_kbtf *kb, struct rb_err *err)
{
	const struct rb_btf *vm;
	int r = rb_kbtf_vmlinux(kb, &vm, err);
	if (r || kb->modules_loaded)
		return r;
	kb->modules_loaded = true;
	if (kb->path)
		return 0; /* --btf FILE describes one kernel image, no modules */
	DIR *d = opendir(kb->dir ? kb->dir : SYS_BTF_DIR);
	if (!d)
		return 0;
	struct dirent *de;
	while (!r && (de = readdir(d)))
		if (de->d_name[0] != '.' && strcmp(de->d_name, "vmlinux") != 0)
			r = add_module(kb, de->d_name, err);
	closedir(d);
	for (size_t i = 0; !r && kb->targets && i < kb->n_mods; i++)
		r = rb_core_targets_add(kb->targets, kb->mods[i].btf, 0, err);
	return r;
}

int rb_kbtf_targets(struct rb_kbtf *kb, struct rb_core_targets **out, struct rb_err *err)
{
	const struct rb_btf *vm;
	int r = rb_kbtf_vmlinux(kb, &vm, err);
	if (!r && !kb->targets) {
		r = rb_core_targets_new(&kb->targets, err);
		if (!r)
			r = rb_core_targets_add(kb->targets, vm, 0, err);
		for (size_t i = 0; !r && i < kb->n_mods; i++)
			r = rb_core_targets_add(kb->targets, kb->mods[i].btf, 0, err);
	}
	*out = kb->targets;
	return r;
}

static int module_hit(struct rb_kbtf *kb, struct kmod *m, uint32_t id, struct rb_kbtf_hit *hit)
{
	if (m->fd == 0)
		m->fd = module_btf_fd(kb->sys, m->name);
	*hit = (struct rb_kbtf_hit){.btf = m->btf, .id = id, .obj_fd = m->fd, .module = m->name};
	return 1;
}

int rb_kbtf_find(struct rb_kbtf *kb, const char *name, int kind, struct rb_kbtf_hit *hit,
		 struct rb_err *err)
{
	/* through the CO-RE index: one index per BTF serves both uses */
	struct rb_core_targets *tg;
	int r = rb_kbtf_targets(kb, &tg, err);
	if (r)
		return r;
	uint32_t id = rb_core_targets_find(tg, 0, name, (uint32_t)kind, err);
	if (id) {
		*hit = (struct rb_kbtf_hit){.btf = kb->vmlinux, .id = id, .obj_fd = 0, .module = ""};
		return 1;
	}
	if (err && err->code)
		return -err->code;
	if ((r = rb_kbtf_load_modules(kb, err)))
		return r;
	for (size_t i = 0; i < kb->n_mods; i++) {
		id = rb_core_targets_find(tg, i + 1, name, (uint32_t)kind, err);
		if (id)
			return module_hit(kb, &kb->mods[i], id, hit);
	}
	return 0;
}
