/* `.kconfig` externs: their values are laid out in a read-only ".kconfig"
 * array map added to the object, and every ld_imm64 that names one becomes a
 * map-value reference into it (what libbpf does). */
#include "loader/externs/resolve_int.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "common/buf.h"
#include "common/strtab.h"
#include "common/sort.h"
#include "loader/bpf.h"

#define KCONFIG_SEC ".kconfig"

enum kcfg_type { KCFG_UNKNOWN, KCFG_CHAR, KCFG_BOOL, KCFG_INT, KCFG_TRISTATE, KCFG_CHAR_ARR };

struct kcfg_ext {
	const struct rb_extern *ext;
	enum kcfg_type type;
	bool is_signed;
	uint32_t size, align, off;
};

static enum kcfg_type kcfg_type_of(const struct rb_btf *btf, uint32_t id, bool *is_signed)
{
	const struct btf_type *t = rb_btf_resolve(btf, id, NULL);
	if (!t)
		return KCFG_UNKNOWN;
	const char *name = rb_btf_str(btf, t->name_off);
	uint32_t enc = rb_btf_kind(t) == BTF_KIND_INT ? BTF_INT_ENCODING(rb_btf_int_info(t)) : 0;
	switch (rb_btf_kind(t)) {
	case BTF_KIND_INT:
		if (enc & BTF_INT_BOOL)
			return t->size == 1 ? KCFG_BOOL : KCFG_UNKNOWN;
		*is_signed = enc & BTF_INT_SIGNED;
		if (t->size == 1)
			return KCFG_CHAR;
		return t->size == 2 || t->size == 4 || t->size == 8 ? KCFG_INT : KCFG_UNKNOWN;
	case BTF_KIND_ENUM:
	case BTF_KIND_ENUM64:
		return name && strcmp(name, "libbpf_tristate") == 0 ? KCFG_TRISTATE : KCFG_UNKNOWN;
	case BTF_KIND_ARRAY: {
		bool s;
		const struct btf_array *a = rb_btf_array(t);
		return a->nelems && kcfg_type_of(btf, a->type, &s) == KCFG_CHAR ? KCFG_CHAR_ARR
										 : KCFG_UNKNOWN;
	}
	default:
		return KCFG_UNKNOWN;
	}
}

static int describe(const struct rb_loaded *ld, struct kcfg_ext *k, struct rb_err *err)
{
	uint64_t size;
	const struct rb_extern *e = k->ext;
	if (!ld->obj->btf)
		return rb_errf(err, RB_EINPUT, "%s: extern '%s' needs the object's .BTF", ld->obj->path,
			       e->name);
	k->type = kcfg_type_of(ld->obj->btf, e->btf_type_id, &k->is_signed);
	if (k->type == KCFG_UNKNOWN || rb_btf_type_size(ld->obj->btf, e->btf_type_id, &size, err) ||
	    size == 0 || size > 4096)
		return rb_errf(err, RB_EINPUT, "%s: kconfig extern '%s' has a type rawbpf cannot fill "
			       "(use bool, char, an int, enum libbpf_tristate or a char array)",
			       ld->obj->path, e->name);
	k->size = (uint32_t)size;
	k->align = k->type == KCFG_CHAR_ARR ? 1 : k->size;
	return 0;
}

/* --- values ----------------------------------------------------------------------- */

static bool int_fits(const struct kcfg_ext *k, uint64_t v, bool negative)
{
	if (k->size >= 8)
		return !negative || k->is_signed;
	uint64_t bits = (uint64_t)k->size * 8;
	if (k->is_signed) {
		int64_t s = (int64_t)v, lim = (int64_t)1 << (bits - 1);
		return s >= -lim && s < lim;
	}
	return !negative && v < ((uint64_t)1 << bits);
}

static void put_int(uint8_t *dst, uint32_t size, uint64_t v)
{
	for (uint32_t i = 0; i < size; i++) /* host order: BPF runs little-endian here */
		dst[i] = (uint8_t)(v >> (8 * i));
}

static int set_tristate(const struct kcfg_ext *k, char tri, uint8_t *dst)
{
	switch (k->type) {
	case KCFG_BOOL:
		if (tri == 'm')
			return -1;
		*dst = tri == 'y';
		return 0;
	case KCFG_TRISTATE:
		put_int(dst, k->size, tri == 'y' ? 1 : tri == 'm' ? 2 : 0);
		return 0;
	case KCFG_CHAR:
		*dst = (uint8_t)tri;
		return 0;
	default:
		return -1;
	}
}

static int set_value(const struct kcfg_ext *k, const struct rb_kconfig_value *v, uint8_t *dst)
{
	switch (v->kind) {
	case RB_KCONFIG_TRISTATE:
		return set_tristate(k, v->tristate, dst);
	case RB_KCONFIG_STRING:
		if (k->type != KCFG_CHAR_ARR)
			return -1;
		memcpy(dst, v->str, v->str_len < k->size ? v->str_len : k->size - 1);
		return 0; /* truncated strings stay NUL-terminated, as in libbpf */
	case RB_KCONFIG_NUMBER:
		if ((k->type != KCFG_INT && k->type != KCFG_CHAR) || !int_fits(k, v->num, v->negative))
			return -1;
		put_int(dst, k->size, v->num);
		return 0;
	}
	return -1;
}

/* bpf_get_attach_cookie (helper 174, Linux >= 5.15) in a tracepoint program. */
static bool has_bpf_cookie(const struct rb_resolver *rs)
{
	static const struct bpf_insn prog[2] = {
		{.code = BPF_JMP | BPF_CALL, .imm = 174},
		{.code = BPF_JMP | BPF_EXIT},
	};
	struct rb_prog_load_opts o = {.prog_type = BPF_PROG_TYPE_TRACEPOINT, .insns = prog,
				      .insn_cnt = 2, .license = "GPL", .name = "rawbpf_probe"};
	int fd = rb_bpf_prog_load(rs->sys, &o);
	if (fd >= 0)
		rb_sys_close(rs->sys, fd);
	return fd >= 0;
}

/* Syscalls enter through __<arch>_sys_NAME wrappers (Linux >= 4.17 on x86). */
static bool has_syscall_wrapper(struct rb_resolver *rs)
{
	struct rb_kbtf_hit hit;
	struct rb_err ignored = {0};
	static const char names[] = "__x64_sys_bpf\0__arm64_sys_bpf\0__s390x_sys_bpf\0"
				    "__riscv_sys_bpf\0__ia32_sys_bpf\0";
	for (const char *n = names; *n; n = rb_strtab_next(n))
		if (rb_kbtf_find(rs->kbtf, n, BTF_KIND_FUNC, &hit, &ignored) == 1)
			return true;
	return false;
}

/* 1 set, 0 unknown to this kernel. */
static int linux_value(struct rb_resolver *rs, const struct kcfg_ext *k, uint8_t *dst)
{
	struct rb_kconfig_value v = {.kind = RB_KCONFIG_NUMBER};
	const char *name = k->ext->name;
	if (strcmp(name, "LINUX_KERNEL_VERSION") == 0)
		v.num = rb_load_kernel_version();
	else if (strcmp(name, "LINUX_HAS_BPF_COOKIE") == 0)
		v = (struct rb_kconfig_value){.kind = RB_KCONFIG_TRISTATE,
					      .tristate = has_bpf_cookie(rs) ? 'y' : 'n'};
	else if (strcmp(name, "LINUX_HAS_SYSCALL_WRAPPER") == 0)
		v = (struct rb_kconfig_value){.kind = RB_KCONFIG_TRISTATE,
					      .tristate = has_syscall_wrapper(rs) ? 'y' : 'n'};
	else
		return 0;
	if (v.kind == RB_KCONFIG_TRISTATE && k->type == KCFG_INT)
		v = (struct rb_kconfig_value){.kind = RB_KCONFIG_NUMBER, .num = v.tristate == 'y'};
	return set_value(k, &v, dst) ? -1 : 1;
}

static int read_config_file(struct rb_resolver *rs, const char *path, struct rb_err *err)
{
	struct rb_buf buf = {0};
	int r = rb_read_file(path, 64u << 20, &buf);
	if (r) {
		rb_buf_free(&buf);
		return r == -ENOENT ? 0 : rb_errnof(err, RB_ESYS, -r, "%s: cannot read", path);
	}
	r = rb_kconfig_parse(&rs->kconfig, buf.data, buf.len, path, err);
	rb_buf_free(&buf);
	return r ? r : 1;
}

/* /proc/config.gz (CONFIG_IKCONFIG_PROC), else /boot/config-$(uname -r). */
static int load_kconfig(struct rb_resolver *rs, struct rb_err *err)
{
	if (rs->kconfig || rs->kconfig_missing)
		return 0;
	if (rs->opts.kconfig_path)
		return read_config_file(rs, rs->opts.kconfig_path, err) == 1
			       ? 0 : rb_errf(err, RB_ESYS, "%s: cannot read", rs->opts.kconfig_path);
	int r = read_config_file(rs, "/proc/config.gz", err);
	struct utsname u;
	if (r == 0 && uname(&u) == 0) {
		char path[400];
		snprintf(path, sizeof(path), "/boot/config-%s", u.release);
		r = read_config_file(rs, path, err);
	}
	rs->kconfig_missing = r == 0;
	return r < 0 ? r : 0;
}

static int config_value(struct rb_resolver *rs, const struct kcfg_ext *k, uint8_t *dst,
			struct rb_err *err)
{
	struct rb_kconfig_value v;
	int r = load_kconfig(rs, err);
	if (r)
		return r;
	if (!rs->kconfig || !rb_kconfig_get(rs->kconfig, k->ext->name, &v))
		return 0;
	return set_value(k, &v, dst) ? -2 : 1;
}

static int not_found(struct rb_resolver *rs, const struct rb_loaded *ld, const struct kcfg_ext *k,
		     struct rb_err *err)
{
	if (k->ext->is_weak)
		return 0; /* stays zero */
	if (strncmp(k->ext->name, "LINUX_", 6) == 0)
		return rb_errf(err, RB_EINPUT, "%s: extern '%s': rawbpf knows no such LINUX_ value",
			       ld->obj->path, k->ext->name);
	if (rs->kconfig_missing)
		return rb_errf(err, RB_ENOTSUP, "%s: extern '%s' needs the kernel config, but neither "
			       "/proc/config.gz nor /boot/config-$(uname -r) exists; declare it __weak "
			       "to default to 0", ld->obj->path, k->ext->name);
	return rb_errf(err, RB_ENOTSUP, "%s: extern '%s' is not in the kernel config; declare it "
		       "__weak to default to 0", ld->obj->path, k->ext->name);
}

static int fill_one(struct rb_resolver *rs, const struct rb_loaded *ld, const struct kcfg_ext *k,
		    uint8_t *data, struct rb_err *err)
{
	const char *name = k->ext->name;
	int r;
	if (strncmp(name, "LINUX_", 6) == 0)
		r = linux_value(rs, k, data + k->off);
	else if (strncmp(name, "CONFIG_", 7) == 0)
		r = config_value(rs, k, data + k->off, err);
	else
		return rb_errf(err, RB_EINPUT, "%s: kconfig extern '%s' is neither CONFIG_* nor LINUX_*",
			       ld->obj->path, name);
	if (r == -1 || r == -2)
		return rb_errf(err, RB_EINPUT, "%s: kconfig extern '%s': the kernel's value does not "
			       "fit its type", ld->obj->path, name);
	if (r < 0)
		return r;
	return r == 0 ? not_found(rs, ld, k, err) : 0;
}

static uint32_t layout(struct kcfg_ext *ks, size_t n)
{
	uint32_t off = 0;
	for (size_t i = 0; i < n; i++) {
		off = (off + ks[i].align - 1) / ks[i].align * ks[i].align;
		ks[i].off = off;
		off += ks[i].size;
	}
	return off ? off : 1;
}

static char *internal_map_name(const struct rb_obj *obj)
{
	char name[RB_OBJ_NAME_LEN];
	/* libbpf's internal_map_name(): the object name cut so all fits in 15 */
	int pfx = (int)(RB_OBJ_NAME_LEN - sizeof(KCONFIG_SEC));
	snprintf(name, sizeof(name), "%.*s%s", pfx, obj->name, KCONFIG_SEC);
	return strdup(name);
}

static int add_map(struct rb_loaded *ld, uint8_t *data, uint32_t size, uint32_t *index,
		   struct rb_err *err)
{
	char *name = internal_map_name(ld->obj), *sec = strdup(KCONFIG_SEC);
	struct rb_map *m = name && sec ? rb_obj_add_map(ld->obj) : NULL;
	if (!m) {
		free(name);
		free(sec);
		free(data);
		return rb_errf(err, RB_ESYS, "%s: out of memory", ld->obj->path);
	}
	/* kind DATA, not KCONFIG: loader/load writes and freezes the initial
	 * image of DATA maps only (see the report asking to include KCONFIG) */
	*m = (struct rb_map){.name = name, .sec_name = sec, .kind = RB_MAP_DATA,
			     .type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = size,
			     .max_entries = 1, .map_flags = BPF_F_RDONLY_PROG, .data = data,
			     .readonly = true};
	*index = (uint32_t)rb_obj_map_index(ld->obj, m);
	return 0;
}

static int point_refs(struct rb_loaded *ld, const struct kcfg_ext *k, uint32_t map,
		      struct rb_err *err)
{
	for (size_t i = 0; i < k->ext->n_refs; i++) {
		const struct rb_extern_ref *ref = &k->ext->refs[i];
		struct rb_prog *p = ref->prog < ld->obj->n_progs ? &ld->obj->progs[ref->prog] : NULL;
		if (!p || ref->is_call || (size_t)ref->insn + 1 >= p->insn_cnt)
			return rb_errf(err, RB_EINPUT, "%s: kconfig extern '%s' is used by an instruction "
				       "that is not an ld_imm64", ld->obj->path, k->ext->name);
		uint32_t off = k->off + (uint32_t)ref->addend;
		struct bpf_insn *insn = &p->insns[ref->insn];
		insn[0].src_reg = BPF_PSEUDO_MAP_VALUE;
		insn[0].imm = 0;
		insn[1].imm = (int32_t)off;
		struct rb_fixup f = {.insn = ref->insn, .kind = RB_FIXUP_MAP_VALUE, .map = map, .off = off};
		if (rb_prog_add_fixup(p, &f))
			return rb_errf(err, RB_ESYS, "%s: out of memory", ld->obj->path);
	}
	return 0;
}

static const struct kcfg_ext *by_name(const struct kcfg_ext *ks, size_t n, const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (strcmp(ks[i].ext->name, name) == 0)
			return &ks[i];
	return NULL;
}

static int cmp_secinfo_off(const void *a, const void *b)
{
	uint32_t x = ((const struct btf_var_secinfo *)a)->offset;
	uint32_t y = ((const struct btf_var_secinfo *)b)->offset;
	return (x > y) - (x < y);
}

/* clang leaves the ".kconfig" DATASEC at size 0 with extern VARs: give it
 * the map's layout so the kernel accepts the object's BTF (as libbpf does). */
static void fix_datasec(struct rb_loaded *ld, const struct kcfg_ext *ks, size_t n, uint32_t size)
{
	struct rb_btf *btf = ld->obj->btf;
	uint32_t id = rb_btf_find(btf, KCONFIG_SEC, BTF_KIND_DATASEC);
	struct btf_type *sec = id ? rb_btf_type_mut(btf, id) : NULL;
	if (!sec)
		return;
	sec->size = size;
	struct btf_var_secinfo *vs = (struct btf_var_secinfo *)(sec + 1);
	for (uint32_t i = 0; i < rb_btf_vlen(sec); i++) {
		struct btf_type *var = rb_btf_type_mut(btf, vs[i].type);
		const struct kcfg_ext *k = var && rb_btf_kind(var) == BTF_KIND_VAR
			? by_name(ks, n, rb_btf_str(btf, var->name_off)) : NULL;
		if (!k)
			continue;
		vs[i].offset = k->off;
		vs[i].size = k->size;
		*(uint32_t *)(var + 1) = BTF_VAR_GLOBAL_ALLOCATED;
	}
	/* the kernel wants the variables in ascending offsets */
	rb_sort(vs, rb_btf_vlen(sec), sizeof(*vs), cmp_secinfo_off);
}

static size_t collect(const struct rb_obj *obj, struct kcfg_ext *ks)
{
	size_t n = 0;
	for (size_t i = 0; i < obj->n_externs; i++)
		if (obj->externs[i].kind == RB_EXTERN_KCONFIG)
			ks[n++] = (struct kcfg_ext){.ext = &obj->externs[i]};
	return n;
}

static int fill_all(struct rb_resolver *rs, struct rb_loaded *ld, struct kcfg_ext *ks, size_t n,
		    struct rb_err *err)
{
	int r = 0;
	for (size_t i = 0; !r && i < n; i++)
		r = describe(ld, &ks[i], err);
	if (r)
		return r;
	uint32_t size = layout(ks, n), map = 0;
	uint8_t *data = calloc(1, size);
	if (!data)
		return rb_errf(err, RB_ESYS, "%s: out of memory", ld->obj->path);
	for (size_t i = 0; !r && i < n; i++)
		r = fill_one(rs, ld, &ks[i], data, err);
	if (r) {
		free(data);
		return r;
	}
	if ((r = add_map(ld, data, size, &map, err)))
		return r;
	fix_datasec(ld, ks, n, size);
	for (size_t i = 0; !r && i < n; i++)
		r = point_refs(ld, &ks[i], map, err);
	return r;
}

int rb_resolve_kconfig(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_err *err)
{
	struct kcfg_ext *ks = calloc(ld->obj->n_externs + 1, sizeof(*ks));
	if (!ks)
		return rb_errf(err, RB_ESYS, "%s: out of memory", ld->obj->path);
	size_t n = collect(ld->obj, ks);
	int r = n ? fill_all(rs, ld, ks, n, err) : 0;
	free(ks);
	return r;
}
