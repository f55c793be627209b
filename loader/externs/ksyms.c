/* `.ksyms` externs: kernel variables (typed through BTF, typeless through
 * /proc/kallsyms) and kfuncs (BTF FUNC ids). */
#include "loader/externs/resolve_int.h"

#include <errno.h>
#include <string.h>

#include "common/buf.h"

/* libbpf's immediate for calls to absent weak kfuncs: never a valid helper. */
#define POISON_KFUNC_BASE 2002000000

struct ksym_target {
	bool found;
	uint64_t addr;           /* typeless variables */
	uint32_t btf_id;         /* typed variables and kfuncs */
	int obj_fd;              /* module BTF fd (the resolver's), 0 for vmlinux */
	const char *module;      /* "" for vmlinux */
};

static int load_kallsyms(struct rb_resolver *rs, struct rb_err *err)
{
	if (rs->kallsyms.data)
		return 0;
	int r = rb_read_file("/proc/kallsyms", 256u << 20, &rs->kallsyms);
	if (r) {
		rb_buf_free(&rs->kallsyms);
		return rb_errnof(err, RB_ESYS, -r, "/proc/kallsyms: cannot read (typeless ksyms need it)");
	}
	return rb_buf_reserve(&rs->kallsyms, 1) ? 0 : rb_errf(err, RB_ESYS, "out of memory");
}

/* Only the lines naming the symbol are read (rb_kallsyms_search). */
static int find_typeless(struct rb_resolver *rs, const struct rb_extern *e,
			 struct ksym_target *t, struct rb_err *err)
{
	struct rb_ksym sym;
	int r = load_kallsyms(rs, err);
	if (!r)
		r = rb_kallsyms_search(rs->kallsyms.data, rs->kallsyms.len, e->name, NULL, &sym, NULL, err);
	if (r == 1 && sym.addr == 0)
		return rb_errf(err, RB_EKERNEL, "/proc/kallsyms shows '%s' at address 0 "
			       "(kernel.kptr_restrict); run as root or lower it", e->name);
	if (r == 1)
		*t = (struct ksym_target){.found = true, .addr = sym.addr};
	return r < 0 ? r : 0;
}

/* The kernel's VAR/FUNC of that name, checked against the local type. */
static int find_typed(struct rb_resolver *rs, const struct rb_loaded *ld, const struct rb_extern *e,
		      struct ksym_target *t, struct rb_err *err)
{
	struct rb_kbtf_hit hit;
	int kind = e->is_func ? BTF_KIND_FUNC : BTF_KIND_VAR;
	int r = rb_kbtf_find(rs->kbtf, e->name, kind, &hit, err);
	if (r <= 0)
		return r;
	const struct btf_type *kt = rb_btf_type(hit.btf, hit.id);
	if (rb_core_types_compat(ld->obj->btf, e->btf_type_id, hit.btf, kt->type) != 1)
		return rb_errf(err, RB_EINPUT, "%s: extern %s '%s' does not match the kernel's type "
			       "(%s [%u]); rebuild against this kernel's vmlinux.h", ld->obj->path,
			       e->is_func ? "kfunc" : "ksym", e->name, hit.module[0] ? hit.module : "vmlinux",
			       hit.id);
	if (hit.module[0] && hit.obj_fd <= 0)
		return rb_errf(err, RB_ENOTSUP, "%s: %s '%s' is in module %s, whose BTF object the "
			       "kernel does not list (module BTF objects are named since Linux 5.11)",
			       ld->obj->path, e->is_func ? "kfunc" : "ksym", e->name, hit.module);
	*t = (struct ksym_target){.found = true, .btf_id = hit.id, .obj_fd = hit.obj_fd,
				  .module = hit.module};
	return 0;
}

static bool is_typeless(const struct rb_loaded *ld, const struct rb_extern *e)
{
	uint32_t id = 0;
	if (e->is_func || !ld->obj->btf)
		return !e->is_func;
	return rb_btf_resolve(ld->obj->btf, e->btf_type_id, &id) && id == 0;
}

/* The loader's own dup of a module BTF fd (its fd_array index in *idx), or
 * 0 for vmlinux. */
static int module_fd(struct rb_loaded *ld, const struct ksym_target *t, int *idx,
		     struct rb_err *err)
{
	*idx = 0;
	if (!t->found || !t->obj_fd)
		return 0;
	int r = rb_loaded_module_btf(ld, t->obj_fd, err);
	if (r < 0)
		return r;
	*idx = r;
	return ld->fd_array[r];
}

static int patch_ld_imm64(struct rb_loaded *ld, struct bpf_insn *insn, const struct rb_extern_ref *ref,
			  const struct ksym_target *t, bool typeless, struct rb_err *err)
{
	if (t->found && !typeless) {
		int idx, fd = module_fd(ld, t, &idx, err);
		if (fd < 0)
			return fd;
		/* BPF_PSEUDO_BTF_ID in a module: the BTF fd in the second half
		 * (Linux >= 5.11) */
		insn[0].src_reg = BPF_PSEUDO_BTF_ID;
		insn[0].imm = (int32_t)t->btf_id;
		insn[1].imm = fd;
		return 0;
	}
	uint64_t addr = t->found ? t->addr + (uint64_t)(int64_t)ref->addend : 0;
	insn[0].src_reg = 0;
	insn[0].imm = (int32_t)(uint32_t)addr;
	insn[1].imm = (int32_t)(uint32_t)(addr >> 32);
	return 0;
}

static int patch_call(struct rb_loaded *ld, size_t ext_idx, struct bpf_insn *insn,
		      const struct ksym_target *t, struct rb_err *err)
{
	if (!t->found) {
		/* dead code behind bpf_ksym_exists(); the verifier names it if reached */
		*insn = (struct bpf_insn){.code = BPF_JMP | BPF_CALL,
					  .imm = POISON_KFUNC_BASE + (int32_t)ext_idx};
		return 0;
	}
	/* A module's kfunc: insn.off is the index of its BTF fd in the
	 * program's fd_array, 0 being vmlinux (Linux >= 5.16). */
	int idx, fd = module_fd(ld, t, &idx, err);
	if (fd < 0)
		return fd;
	insn->src_reg = BPF_PSEUDO_KFUNC_CALL;
	insn->imm = (int32_t)t->btf_id;
	insn->off = (int16_t)idx;
	ld->fd_array_used |= idx > 0;
	return 0;
}

static int patch_refs(struct rb_loaded *ld, const struct rb_extern *e, size_t ext_idx,
		      const struct ksym_target *t, struct rb_err *err)
{
	bool typeless = is_typeless(ld, e);
	for (size_t i = 0; i < e->n_refs; i++) {
		const struct rb_extern_ref *ref = &e->refs[i];
		struct rb_prog *p = ref->prog < ld->obj->n_progs ? &ld->obj->progs[ref->prog] : NULL;
		if (!p || ref->insn >= p->insn_cnt || (!ref->is_call && ref->insn + 1 >= p->insn_cnt))
			return rb_errf(err, RB_EINPUT, "%s: extern '%s': reference outside its program",
				       ld->obj->path, e->name);
		struct bpf_insn *insn = &p->insns[ref->insn];
		int r = ref->is_call ? patch_call(ld, ext_idx, insn, t, err)
				     : patch_ld_imm64(ld, insn, ref, t, typeless, err);
		if (r)
			return r;
	}
	return 0;
}

static int resolve_one(struct rb_resolver *rs, struct rb_loaded *ld, size_t idx,
		       struct rb_err *err)
{
	const struct rb_extern *e = &ld->obj->externs[idx];
	struct ksym_target t = {0};
	if (!ld->obj->btf && !is_typeless(ld, e))
		return rb_errf(err, RB_EINPUT, "%s: extern '%s' needs the object's .BTF", ld->obj->path,
			       e->name);
	int r = is_typeless(ld, e) ? find_typeless(rs, e, &t, err) : find_typed(rs, ld, e, &t, err);
	if (r)
		return r;
	if (!t.found && !e->is_weak)
		return rb_errf(err, RB_ENOTSUP, "%s: %s '%s' is not in the running kernel%s; declare "
			       "it __weak to load without it", ld->obj->path,
			       e->is_func ? "kfunc" : "kernel symbol", e->name,
			       is_typeless(ld, e) ? " (/proc/kallsyms)" : "'s BTF");
	return patch_refs(ld, e, idx, &t, err);
}

/* A 4-byte int of the object's BTF, for the stand-in variable types. */
static uint32_t find_int(const struct rb_btf *btf)
{
	uint32_t id = rb_btf_find(btf, "int", BTF_KIND_INT);
	for (uint32_t i = rb_btf_start_id(btf); !id && i < rb_btf_type_cnt(btf); i++) {
		const struct btf_type *t = rb_btf_type(btf, i);
		if (rb_btf_kind(t) == BTF_KIND_INT && t->size == 4)
			id = i;
	}
	return id;
}

/* The kernel refuses extern VARs of type void in BTF: like libbpf, each
 * ".ksyms" variable becomes an allocated int at its own 4-byte slot.  FUNCs
 * in the section are the btf phase's business (it adds a stand-in VAR). */
static void fix_datasec(struct rb_loaded *ld)
{
	struct rb_btf *btf = ld->obj->btf;
	uint32_t id = btf ? rb_btf_find(btf, ".ksyms", BTF_KIND_DATASEC) : 0;
	struct btf_type *sec = id ? rb_btf_type_mut(btf, id) : NULL;
	uint32_t int_id = btf ? find_int(btf) : 0;
	if (!sec || !int_id)
		return;
	struct btf_var_secinfo *vs = (struct btf_var_secinfo *)(sec + 1);
	uint32_t n = rb_btf_vlen(sec);
	for (uint32_t i = 0; i < n; i++) {
		struct btf_type *var = rb_btf_type_mut(btf, vs[i].type);
		if (var && rb_btf_kind(var) == BTF_KIND_VAR) {
			var->type = int_id;
			*(uint32_t *)(var + 1) = BTF_VAR_GLOBAL_ALLOCATED;
		}
		vs[i].offset = i * 4;
		vs[i].size = 4;
	}
	sec->size = n * 4;
}

int rb_resolve_ksyms(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_err *err)
{
	bool any = false;
	for (size_t i = 0; i < ld->obj->n_externs; i++) {
		if (ld->obj->externs[i].kind != RB_EXTERN_KSYM)
			continue;
		int r = resolve_one(rs, ld, i, err);
		if (r)
			return r;
		any = true;
	}
	if (any)
		fix_datasec(ld);
	return 0;
}
