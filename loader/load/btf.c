/* The btf phase: a copy of the object's BTF is fixed up (DATASEC sizes and
 * VAR offsets, which clang leaves 0), sanitized for what the running kernel
 * accepts, and loaded with BPF_BTF_LOAD.  When the kernel still refuses it
 * the object loads without BTF, as libbpf does, with a warning. */
#include "loader/load/phases.h"

#include <stdlib.h>
#include <string.h>
#include <linux/btf.h>

#include "common/buf.h"
#include "loader/bpf.h"

/* BTF_VAR_GLOBAL_EXTERN / BTF_FUNC_EXTERN: linkage values the kernel refuses. */
#define LINKAGE_EXTERN 2

/* The raw copy being edited; types may be appended at the end of the type
 * section, which leaves every existing type's offset unchanged. */
struct btf_edit {
	uint8_t *data;
	size_t size;
	uint32_t next_id;          /* id an appended type gets */
	const struct rb_btf *btf;  /* the parsed original (names, kinds) */
};

static struct btf_header *hdr(struct btf_edit *e)
{
	return (struct btf_header *)e->data;
}

static struct btf_type *type_at(struct btf_edit *e, uint32_t id)
{
	size_t off = rb_btf_type_raw_offset(e->btf, id);
	return off ? (struct btf_type *)(e->data + off) : NULL;
}

static char *str_at(struct btf_edit *e, uint32_t off)
{
	struct btf_header *h = hdr(e);
	if (off >= h->str_len)
		return NULL;
	return (char *)e->data + h->hdr_len + h->str_off + off;
}

/* Appends words as one new type; returns its id, 0 when out of memory. */
static uint32_t append_type(struct btf_edit *e, const uint32_t *words, size_t n)
{
	size_t add = n * 4;
	uint8_t *grown = realloc(e->data, e->size + add);
	if (!grown)
		return 0;
	e->data = grown;
	struct btf_header *h = hdr(e);
	size_t at = h->hdr_len + h->type_off + h->type_len;
	memmove(e->data + at + add, e->data + at, e->size - at);
	memcpy(e->data + at, words, add);
	e->size += add;
	if (h->str_off >= h->type_off + h->type_len)
		h->str_off += (uint32_t)add;
	h->type_len += (uint32_t)add;
	return e->next_id++;
}

/* ---- DATASEC fixup ----------------------------------------------------------- */

static bool is_extern_sec(const char *name)
{
	return strcmp(name, ".kconfig") == 0 || strcmp(name, ".ksyms") == 0;
}

static void fix_datasec(struct btf_edit *e, const struct rb_obj *obj, uint32_t id)
{
	const struct btf_type *orig = rb_btf_type(e->btf, id);
	const char *sec = rb_btf_str(e->btf, orig->name_off);
	uint64_t size;
	if (!sec || is_extern_sec(sec) || !rb_obj_sec_size(obj, sec, &size) || size > UINT32_MAX)
		return;
	struct btf_type *t = type_at(e, id);
	t->size = (uint32_t)size;
	struct btf_var_secinfo *vs = (struct btf_var_secinfo *)(t + 1);
	for (uint32_t i = 0; i < rb_btf_vlen(orig); i++) {
		const struct btf_type *var = rb_btf_type(e->btf, vs[i].type);
		uint64_t off;
		if (!var || rb_btf_kind(var) != BTF_KIND_VAR)
			continue;
		const char *name = rb_btf_str(e->btf, var->name_off);
		if (name && rb_obj_sym_offset(obj, sec, name, &off) && off <= UINT32_MAX)
			vs[i].offset = (uint32_t)off;
	}
}

/* ---- sanitizing -------------------------------------------------------------- */

/* Sets of BTF features, one bit per RB_FEAT_ID_*. */
#define FEAT(id) (1u << RB_FEAT_ID_##id)

/* What the object's BTF contains, to probe only what matters. */
struct kinds_used {
	uint32_t feats;
	bool extern_func_in_sec;
};

/* The kernel feature each kind needs (FUNC's global linkage is checked apart). */
static const uint8_t kind_feat[NR_BTF_KINDS] = {
	[BTF_KIND_FUNC] = FEAT(FUNC), [BTF_KIND_FUNC_PROTO] = FEAT(FUNC),
	[BTF_KIND_VAR] = FEAT(DATASEC), [BTF_KIND_DATASEC] = FEAT(DATASEC),
	[BTF_KIND_FLOAT] = FEAT(FLOAT), [BTF_KIND_DECL_TAG] = FEAT(DECL_TAG),
	[BTF_KIND_TYPE_TAG] = FEAT(TYPE_TAG), [BTF_KIND_ENUM64] = FEAT(ENUM64),
};

static void note_kind(struct btf_edit *e, const struct btf_type *t, struct kinds_used *u)
{
	uint32_t kind = rb_btf_kind(t);
	u->feats |= kind < NR_BTF_KINDS ? kind_feat[kind] : 0;
	if (kind == BTF_KIND_FUNC && rb_btf_vlen(t) == BTF_FUNC_GLOBAL)
		u->feats |= FEAT(FUNC_GLOBAL);
	for (uint32_t i = 0; kind == BTF_KIND_DATASEC && i < rb_btf_vlen(t); i++) {
		const struct btf_type *m = rb_btf_type(e->btf, rb_btf_secinfos(t)[i].type);
		u->extern_func_in_sec |= m && rb_btf_kind(m) == BTF_KIND_FUNC;
	}
}

/* Which rewrites this kernel needs (a feature set): a kind is rewritten
 * when the object uses it and the kernel's answer to its probe is no; the
 * probes run in RB_FEAT_ID_* order, global linkage only when FUNC passed. */
static uint32_t plan(struct rb_loaded *ld, const struct kinds_used *u)
{
	uint32_t w = 0;
	for (int id = RB_FEAT_ID_FUNC; id <= RB_FEAT_ID_ENUM64; id++)
		if ((u->feats >> id & 1) && !(id == RB_FEAT_ID_FUNC_GLOBAL && (w & FEAT(FUNC))) &&
		    !rb_btf_feat_has(ld, (enum rb_btf_feat_id)id))
			w |= 1u << id;
	return w;
}

/* A one-byte anonymous INT: what unknown kinds with a 4-byte tail become. */
static void make_byte_int(struct btf_type *t)
{
	t->name_off = 0;
	t->info = RB_BTF_INFO(BTF_KIND_INT, 0, 0);
	t->size = 1;
	*(uint32_t *)(t + 1) = RB_BTF_INT_ENC(0, 0, 8);
}

/* VAR -> INT, DATASEC -> STRUCT with the variables as members (Linux < 5.2). */
static void datasec_to_struct(struct btf_edit *e, struct btf_type *t)
{
	uint32_t vlen = BTF_INFO_VLEN(t->info);
	struct btf_var_secinfo *vs = (struct btf_var_secinfo *)(t + 1);
	struct btf_member *m = (struct btf_member *)(t + 1);
	for (uint32_t i = 0; i < vlen; i++) {
		struct btf_var_secinfo v = vs[i];
		const struct btf_type *var = rb_btf_type(e->btf, v.type);
		m[i].name_off = var ? var->name_off : 0;
		m[i].type = v.type;
		m[i].offset = v.offset * 8;
	}
	t->info = RB_BTF_INFO(BTF_KIND_STRUCT, 0, vlen);
	/* ".data" is no C identifier; the struct gets "_data" */
	for (char *s = str_at(e, t->name_off); s && *s; s++)
		if (*s == '.')
			*s = '_';
}

static void enum64_to_union(struct btf_type *t, uint32_t placeholder)
{
	uint32_t vlen = BTF_INFO_VLEN(t->info);
	struct btf_member *m = (struct btf_member *)(t + 1);
	for (uint32_t i = 0; i < vlen; i++) {
		m[i].type = placeholder;
		m[i].offset = 0;
	}
	t->info = RB_BTF_INFO(BTF_KIND_UNION, 0, vlen);
}

struct sanitize_ctx {
	uint32_t w;                /* rewrites: FEAT() bits */
	uint32_t placeholder_int;  /* appended INT for ENUM64 members, 0 if none */
	uint32_t ksym_var;         /* appended VAR for FUNCs inside DATASECs, 0 if none */
};

/* clang leaves the parameters of an extern declaration unnamed, and the
 * kernel wants every FUNC's parameters named (btf_func_check: "Invalid
 * arg#N"): the function's own name is a valid identifier to give them (libbpf
 * gives its stand-in variable's). */
static void name_params(struct btf_edit *e, const struct btf_type *fn)
{
	struct btf_type *proto = type_at(e, fn->type);
	if (!proto || BTF_INFO_KIND(proto->info) != BTF_KIND_FUNC_PROTO)
		return;
	struct btf_param *p = (struct btf_param *)(proto + 1);
	for (uint32_t i = 0; i < BTF_INFO_VLEN(proto->info); i++)
		if (p[i].type && !p[i].name_off)
			p[i].name_off = fn->name_off;
}

static void sanitize_func(struct btf_edit *e, struct btf_type *t, uint32_t w)
{
	uint32_t linkage = BTF_INFO_VLEN(t->info);
	if (w & FEAT(FUNC)) {
		t->info = RB_BTF_INFO(BTF_KIND_TYPEDEF, 0, 0);
		return;
	}
	if (linkage == LINKAGE_EXTERN)
		name_params(e, t);
	/* extern FUNCs (kfunc declarations) are never accepted */
	if (linkage == LINKAGE_EXTERN || (linkage == BTF_FUNC_GLOBAL && (w & FEAT(FUNC_GLOBAL))))
		t->info = RB_BTF_INFO(BTF_KIND_FUNC, 0, BTF_FUNC_STATIC);
}

static void sanitize_datasec(struct btf_edit *e, struct btf_type *t, const struct sanitize_ctx *c)
{
	struct btf_var_secinfo *vs = (struct btf_var_secinfo *)(t + 1);
	for (uint32_t i = 0; i < BTF_INFO_VLEN(t->info); i++) {
		const struct btf_type *m = rb_btf_type(e->btf, vs[i].type);
		if (m && rb_btf_kind(m) == BTF_KIND_FUNC && c->ksym_var)
			vs[i].type = c->ksym_var;
	}
	if (c->w & FEAT(DATASEC))
		datasec_to_struct(e, t);
}

static void sanitize_type(struct btf_edit *e, uint32_t id, const struct sanitize_ctx *c)
{
	struct btf_type *t = type_at(e, id);
	uint32_t w = c->w;
	switch (BTF_INFO_KIND(t->info)) {
	case BTF_KIND_FUNC: sanitize_func(e, t, w); break;
	case BTF_KIND_FUNC_PROTO:
		if (w & FEAT(FUNC))
			t->info = RB_BTF_INFO(BTF_KIND_ENUM, 0, BTF_INFO_VLEN(t->info)), t->size = 4;
		break;
	case BTF_KIND_VAR:
		if (w & FEAT(DATASEC))
			make_byte_int(t);
		else if (*(uint32_t *)(t + 1) == LINKAGE_EXTERN)
			*(uint32_t *)(t + 1) = BTF_VAR_GLOBAL_ALLOCATED;
		break;
	case BTF_KIND_DATASEC: sanitize_datasec(e, t, c); break;
	case BTF_KIND_FLOAT:
		if (w & FEAT(FLOAT))
			t->name_off = 0, t->info = RB_BTF_INFO(BTF_KIND_STRUCT, 0, 0);
		break;
	case BTF_KIND_DECL_TAG:
		if (w & FEAT(DECL_TAG))
			make_byte_int(t);
		break;
	case BTF_KIND_TYPE_TAG:
		if (w & FEAT(TYPE_TAG)) /* a CONST must be anonymous */
			t->name_off = 0, t->info = RB_BTF_INFO(BTF_KIND_CONST, 0, 0);
		break;
	case BTF_KIND_ENUM64:
		if (w & FEAT(ENUM64))
			enum64_to_union(t, c->placeholder_int);
		break;
	default: break;
	}
}

/* The name of the first FUNC inside a DATASEC (a valid identifier to name
 * the stand-in VAR by). */
static uint32_t first_sec_func_name(struct btf_edit *e, uint32_t start, uint32_t end)
{
	for (uint32_t id = start; id < end; id++) {
		const struct btf_type *t = rb_btf_type(e->btf, id);
		if (rb_btf_kind(t) != BTF_KIND_DATASEC)
			continue;
		for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
			const struct btf_type *m = rb_btf_type(e->btf, rb_btf_secinfos(t)[i].type);
			if (m && rb_btf_kind(m) == BTF_KIND_FUNC)
				return m->name_off;
		}
	}
	return 0;
}

/* Adds the stand-in types some rewrites point at.  Existing types keep
 * their offsets (appends go after the last type). */
static int add_placeholders(struct btf_edit *e, const struct kinds_used *u, struct sanitize_ctx *c,
			    uint32_t start, uint32_t end)
{
	if (!((c->w & FEAT(ENUM64)) || u->extern_func_in_sec) || c->placeholder_int)
		return 0;
	const uint32_t int_t[] = {0, RB_BTF_INFO(BTF_KIND_INT, 0, 0), 4, RB_BTF_INT_ENC(0, 0, 32)};
	c->placeholder_int = append_type(e, int_t, RB_ARRAY_SIZE(int_t));
	if (!c->placeholder_int)
		return -1;
	if (u->extern_func_in_sec && !(c->w & FEAT(DATASEC))) {
		const uint32_t var_t[] = {first_sec_func_name(e, start, end), RB_BTF_INFO(BTF_KIND_VAR, 0, 0),
					  c->placeholder_int, BTF_VAR_GLOBAL_ALLOCATED};
		c->ksym_var = append_type(e, var_t, RB_ARRAY_SIZE(var_t));
		if (!c->ksym_var)
			return -1;
	}
	return 0;
}

/* One sanitizing pass with the rewrites in c->w (none: only what no kernel
 * accepts, such as extern linkage).  Passes are idempotent. */
static int sanitize(struct btf_edit *e, const struct kinds_used *u, struct sanitize_ctx *c)
{
	uint32_t start = rb_btf_start_id(e->btf), end = rb_btf_type_cnt(e->btf);
	if (add_placeholders(e, u, c, start, end) < 0)
		return -1;
	for (uint32_t id = start; id < end; id++)
		sanitize_type(e, id, c);
	return 0;
}

static void fix_datasecs(struct btf_edit *e, const struct rb_obj *obj, struct kinds_used *u)
{
	for (uint32_t id = rb_btf_start_id(e->btf); id < rb_btf_type_cnt(e->btf); id++) {
		const struct btf_type *t = rb_btf_type(e->btf, id);
		note_kind(e, t, u);
		if (rb_btf_kind(t) == BTF_KIND_DATASEC)
			fix_datasec(e, obj, id);
	}
}

/* ---- loading ----------------------------------------------------------------- */

/* The kernel's last log line, for the warning. */
static void last_log_line(const char *log, char *out, size_t size)
{
	const char *end = log + strlen(log);
	while (end > log && (end[-1] == '\n' || end[-1] == ' '))
		end--;
	const char *start = end;
	while (start > log && start[-1] != '\n')
		start--;
	snprintf(out, size, "%.*s", (int)(end - start), start);
}

static void warn_without_btf(struct rb_loaded *ld, const struct btf_edit *e, int r)
{
	char line[256] = "";
	struct rb_buf log = {0};
	if (rb_buf_reserve(&log, 1u << 20)) {
		struct rb_btf_load_opts o = {.data = e->data, .size = (uint32_t)e->size,
					     .log_buf = log.data, .log_size = 1u << 20, .log_level = 1};
		log.data[0] = 0;
		rb_load_close(ld, rb_bpf_btf_load(ld->sys, &o));
		last_log_line(log.data, line, sizeof(line));
	}
	rb_buf_free(&log);
	if (ld->opts->note)
		fprintf(ld->opts->note, "rawbpf: warning: %s: the kernel refused the object's BTF (%s%s%s); "
			"loading without BTF (no source lines in verifier messages, no BTF for maps)\n",
			ld->obj->path, strerror(-r), line[0] ? ": " : "", line);
}


static int try_load(struct rb_loaded *ld, const struct btf_edit *e)
{
	struct rb_btf_load_opts o = {.data = e->data, .size = (uint32_t)e->size};
	return rb_bpf_btf_load(ld->sys, &o);
}

/* Loads the BTF as clang wrote it (fixed up); only when the kernel refuses
 * it are its kinds probed and the unknown ones rewritten, so a current
 * kernel sees one BPF_BTF_LOAD and no probes. */
static int load_sanitized(struct rb_loaded *ld, struct btf_edit *e, int *fd_out, struct rb_err *err)
{
	struct kinds_used used = {0};
	struct sanitize_ctx c = {0};
	int fd = -1;
	fix_datasecs(e, ld->obj, &used);
	for (int pass = 0; pass < 2 && fd < 0; pass++) {
		if (pass)
			c.w = plan(ld, &used);
		if (sanitize(e, &used, &c) < 0)
			return rb_load_oom(err);
		if (e->size > UINT32_MAX)
			return rb_errf(err, RB_EINPUT, "%s: BTF too large", ld->obj->path);
		fd = try_load(ld, e);
	}
	if (fd < 0)
		warn_without_btf(ld, e, fd);
	*fd_out = fd < 0 ? -1 : fd;
	return 0;
}

int rb_phase_btf(struct rb_loaded *ld, struct rb_err *err)
{
	struct btf_edit e = {.btf = ld->obj->btf};
	if (!e.btf)
		return 0;
	e.data = rb_btf_clone_raw(e.btf, &e.size);
	if (!e.data)
		return rb_errf(err, RB_ESYS, "out of memory copying the BTF of %s", ld->obj->path);
	e.next_id = rb_btf_type_cnt(e.btf);
	int r = load_sanitized(ld, &e, &ld->btf_fd, err);
	free(e.data);
	return r;
}
