/* rb_obj: open -> collect -> relocate, and the small helpers of the model. */
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "elf/obj/obj_int.h"

int obj_bad(struct obj_ctx *c, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = rb_verrf(c->err, RB_EINPUT, fmt, ap);
	va_end(ap);
	return r;
}

int obj_bad_at(struct obj_ctx *c, const char *sec, int64_t rel, const char *fmt, ...)
{
	char head[sizeof(c->err->msg)], rest[sizeof(c->err->msg)];
	va_list ap;
	if (rel < 0)
		snprintf(head, sizeof(head), "section '%s'", sec);
	else
		snprintf(head, sizeof(head), "section '%s': relocation %lld", sec, (long long)rel);
	va_start(ap, fmt);
	vsnprintf(rest, sizeof(rest), fmt, ap);
	va_end(ap);
	return obj_bad(c, "%s%s", head, rest);
}

int obj_oom(struct obj_ctx *c)
{
	return rb_errf(c->err, RB_ESYS, "out of memory");
}

void *obj_calloc(struct obj_ctx *c, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		rb_errf(c->err, RB_ESYS, "out of memory (%zu x %zu bytes)", n, size);
	return p;
}

/* Grows *arr (of elements of `size`) so that `need` fit; doubles. */
int obj_grow(struct obj_ctx *c, void **arr, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t n = *cap ? *cap * 2 : 8;
	while (n < need)
		n *= 2;
	void *p = realloc(*arr, n * size);
	if (!p)
		return rb_errf(c->err, RB_ESYS, "out of memory (%zu x %zu bytes)", n, size);
	memset((char *)p + *cap * size, 0, (n - *cap) * size);
	*arr = p;
	*cap = n;
	return 0;
}

/* Appends one zeroed element of `size` bytes to the array *arrp holding *n;
 * returns it (counted already, so a half-filled element is freed with the
 * object), or NULL when out of memory.  For arrays that grow rarely. */
void *obj_append(void *arrp, size_t *n, size_t size)
{
	void **arr = arrp;
	char *p = realloc(*arr, (*n + 1) * size);
	if (!p)
		return NULL;
	*arr = p;
	p += (*n)++ * size;
	memset(p, 0, size);
	return p;
}

char *obj_strdup(struct obj_ctx *c, const char *s)
{
	char *p = strdup(s ? s : "");
	if (!p)
		obj_oom(c);
	return p;
}

const char *obj_sec_name(const struct obj_ctx *c, uint32_t shndx)
{
	const struct rb_elf_sec *s = rb_elf_sec(&c->obj->elf, shndx);
	return s ? s->name : "?";
}

/* A symbol named `name` defined in section shndx of .symtab. Returns 1/0. */
int obj_sym_find_in_sec(const struct rb_obj *obj, uint32_t shndx, const char *name,
			struct rb_elf_sym *out)
{
	const struct rb_elf_sec *st = obj->elf.symtab;
	struct rb_err e = {0};
	if (!st)
		return 0;
	size_t n = rb_elf_sym_count(&obj->elf, st);
	for (size_t i = 1; i < n; i++) {
		if (rb_elf_sym(&obj->elf, st, i, out, &e) < 0)
			return 0;
		if (out->shndx == shndx && strcmp(out->name, name) == 0)
			return 1;
	}
	return 0;
}

int obj_each_sym(struct obj_ctx *c, int (*fn)(struct obj_ctx *c, const struct rb_elf_sym *s, void *arg),
		 void *arg)
{
	const struct rb_elf *elf = &c->obj->elf;
	size_t n = rb_elf_sym_count(elf, elf->symtab);
	for (size_t i = 1; i < n; i++) {
		struct rb_elf_sym s;
		int r = rb_elf_sym(elf, elf->symtab, i, &s, c->err);
		r = r ? r : fn(c, &s, arg);
		if (r < 0)
			return r;
	}
	return 0;
}

int obj_each_rel(struct obj_ctx *c, uint32_t target, bool rela,
		 int (*fn)(struct obj_ctx *c, const struct obj_data_rel *r, void *arg), void *arg)
{
	const struct rb_elf *elf = &c->obj->elf;
	for (uint32_t s = 1; s < elf->shnum; s++) {
		const struct rb_elf_sec *rs = &elf->secs[s];
		if ((rs->type != SHT_REL && !(rela && rs->type == SHT_RELA)) || rs->info != target)
			continue;
		for (size_t i = 0; i < rb_elf_rel_count(elf, rs); i++) {
			struct obj_data_rel r = { .index = i };
			int rc = rb_elf_rel(elf, rs, i, &r.rel, c->err);
			rc = rc ? rc : rb_elf_sym(elf, rb_elf_sec(elf, rs->link), r.rel.sym, &r.sym, c->err);
			rc = rc ? rc : fn(c, &r, arg);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

/* A hostile object could name thousands of odd sections: the CLI prints at
 * most this many warnings and a note that more were dropped. */
#define OBJ_MAX_WARNINGS 64

void rb_obj_warn(struct rb_obj *obj, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	if (obj->n_warnings > OBJ_MAX_WARNINGS)
		return;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (obj->n_warnings == OBJ_MAX_WARNINGS)
		snprintf(buf, sizeof(buf), "%s: further warnings omitted", obj->path);
	char **w = obj_append(&obj->warnings, &obj->n_warnings, sizeof(*w));
	if (w && !(*w = strdup(buf)))
		obj->n_warnings--;
}

/* libbpf's object name: the basename cut at its first '.'. */
static void set_obj_name(struct rb_obj *obj, const char *path)
{
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	size_t n = strcspn(base, ".");
	if (n >= sizeof(obj->name))
		n = sizeof(obj->name) - 1;
	memcpy(obj->name, base, n);
	obj->name[n] = '\0';
}

static int read_license(struct obj_ctx *c)
{
	const struct rb_elf_sec *s = rb_elf_sec_by_name(&c->obj->elf, "license");
	size_t n = 0;
	if (s && s->data)
		n = strnlen((const char *)s->data, s->size);
	c->obj->license = malloc(n + 1);
	if (!c->obj->license)
		return obj_oom(c);
	if (n)
		memcpy(c->obj->license, s->data, n);
	c->obj->license[n] = '\0';
	return 0;
}

static int read_version(struct obj_ctx *c)
{
	const struct rb_elf_sec *s = rb_elf_sec_by_name(&c->obj->elf, "version");
	if (!s)
		return 0;
	if (s->size != 4 || !s->data)
		return obj_bad_sec(c, "version", " is %llu bytes, wanted 4 (a u32 kernel version)",
				   (unsigned long long)s->size);
	c->obj->kern_version = rb_elf_u32(&c->obj->elf, s->data);
	c->obj->has_kern_version = true;
	return 0;
}

static int check_header(struct obj_ctx *c)
{
	const struct rb_elf *elf = &c->obj->elf;
	if (elf->machine != EM_BPF)
		return obj_bad(c, "not a BPF object: machine is %s, wanted BPF (compile with clang -target bpf)",
			       rb_elf_machine_name(elf->machine));
	if (elf->type != 1 /* ET_REL */)
		return obj_bad(c, "not a relocatable object: ELF type %s, wanted REL",
			       rb_elf_type_name(elf->type));
	if (!elf->symtab)
		return obj_bad(c, "no symbol table (.symtab); was the object stripped?");
	c->obj->big_endian = elf->big_endian;
	c->obj->foreign_endian = elf->needs_swap;
	return 0;
}

static int read_btf(struct obj_ctx *c)
{
	struct rb_obj *obj = c->obj;
	int r = rb_btf_from_elf(&obj->btf, &obj->elf, NULL, c->err);
	if (r < 0 || !obj->btf)
		return r;
	return rb_btf_ext_from_elf(&obj->btf_ext, &obj->elf, obj->btf, c->err);
}

static int alloc_sec_tables(struct obj_ctx *c)
{
	uint32_t n = c->obj->elf.shnum;
	c->sec_code = obj_calloc(c, n, sizeof(int32_t));
	c->sec_map = obj_calloc(c, n, sizeof(int32_t));
	if (!c->sec_code || !c->sec_map)
		return -RB_ESYS;
	for (uint32_t i = 0; i < n; i++)
		c->sec_code[i] = c->sec_map[i] = -1;
	return 0;
}

static bool is_consumed(const struct obj_ctx *c, const struct rb_elf_sec *s)
{
	return c->sec_code[s->index] >= 0 || c->sec_map[s->index] >= 0 || s == c->maps_sec ||
	       s == c->btf_maps_sec || strcmp(s->name, "license") == 0 ||
	       strcmp(s->name, "version") == 0 || obj_is_struct_ops_sec(s) ||
	       /* rawbpf's own annotations (verifier-helpers/include/rawbpf/events.h) */
	       strncmp(s->name, ".rawbpf.", 8) == 0;
}

/* Loaded sections rawbpf has no use for (struct_ops maps, custom sections)
 * are named rather than dropped silently. */
static void warn_unused_sections(struct obj_ctx *c)
{
	const struct rb_elf *elf = &c->obj->elf;
	for (uint32_t i = 1; i < elf->shnum; i++) {
		const struct rb_elf_sec *s = &elf->secs[i];
		if (!(s->flags & SHF_ALLOC) || s->size == 0 || is_consumed(c, s) ||
		    (s->type != SHT_PROGBITS && s->type != SHT_NOBITS))
			continue;
		rb_obj_warn(c->obj, "%s: section '%s' (%llu bytes) is not a map, data or program "
			    "section rawbpf knows; skipped", c->obj->path, s->name,
			    (unsigned long long)s->size);
	}
}

static int collect_all(struct obj_ctx *c)
{
	int r = check_header(c);
	r = r ? r : alloc_sec_tables(c);
	r = r ? r : read_license(c);
	r = r ? r : read_version(c);
	r = r ? r : read_btf(c);
	r = r ? r : obj_collect_code(c);
	r = r ? r : obj_collect_legacy_maps(c);
	r = r ? r : obj_collect_btf_maps(c);
	r = r ? r : obj_collect_data_maps(c);
	r = r ? r : obj_collect_map_slots(c);
	r = r ? r : obj_collect_externs(c);
	r = r ? r : obj_link_progs(c);
	r = r ? r : obj_collect_struct_ops(c);
	if (r == 0)
		warn_unused_sections(c);
	return r;
}

static void free_ctx(struct obj_ctx *c)
{
	for (size_t i = 0; i < c->n_code; i++) {
		free(c->code[i].insns);
		free(c->code[i].rels);
	}
	free(c->code);
	free(c->funcs);
	free(c->sec_code);
	free(c->sec_map);
}

static int open_owned(struct rb_obj **out, void *data, size_t size, const char *path,
		      struct rb_err *err)
{
	struct rb_obj *obj = calloc(1, sizeof(*obj));
	*out = NULL;
	if (!obj) {
		free(data);
		return rb_errf(err, RB_ESYS, "%s: out of memory", path);
	}
	obj->file_data = data;
	obj->path = strdup(path);
	set_obj_name(obj, path);
	struct obj_ctx c = { .obj = obj, .err = err };
	int r = obj->path ? 0 : rb_errf(err, RB_ESYS, "out of memory");
	r = r ? r : rb_elf_open_mem(&obj->elf, data, size, path, err);
	if (r == 0) {
		r = collect_all(&c);
		/* The ELF and BTF readers name the file themselves. */
		if (r < 0 && !(strncmp(err->msg, path, strlen(path)) == 0 &&
			       err->msg[strlen(path)] == ':'))
			rb_err_prefix(err, "%s", path);
	}
	free_ctx(&c);
	if (r < 0) {
		rb_obj_free(obj);
		return r;
	}
	*out = obj;
	return 0;
}

int rb_obj_open_mem(struct rb_obj **out, const void *data, size_t size, const char *name,
		    struct rb_err *err)
{
	void *copy = malloc(size ? size : 1);
	*out = NULL;
	if (!copy)
		return rb_errf(err, RB_ESYS, "%s: out of memory (%zu bytes)", name, size);
	if (size)
		memcpy(copy, data, size);
	return open_owned(out, copy, size, name, err);
}

int rb_obj_open_file(struct rb_obj **out, const char *path, struct rb_err *err)
{
	struct rb_buf b = {0};
	*out = NULL;
	int r = rb_read_file(path, RB_ELF_MAX_FILE_SIZE, &b);
	if (r < 0) {
		rb_buf_free(&b);
		return rb_errnof(err, RB_ESYS, -r, "cannot read BPF object '%s'", path);
	}
	return open_owned(out, b.data, b.len, path, err);
}

static void free_map(struct rb_map *m)
{
	free(m->name);
	free(m->sec_name);
	free(m->slots);
	free(m->data);
	if (m->inner) {
		free_map(m->inner);
		free(m->inner);
	}
}

static void free_prog(struct rb_prog *p)
{
	free(p->name);
	free(p->sec_name);
	free(p->insns);
	free(p->fixups);
	free(p->func_info);
	free(p->line_info);
	free(p->core_relo);
}

void rb_obj_free(struct rb_obj *obj)
{
	if (!obj)
		return;
	for (size_t i = 0; i < obj->n_progs; i++)
		free_prog(&obj->progs[i]);
	for (size_t i = 0; i < obj->n_maps; i++)
		free_map(&obj->maps[i]);
	for (size_t i = 0; i < obj->n_externs; i++) {
		free(obj->externs[i].name);
		free(obj->externs[i].refs);
	}
	for (size_t i = 0; i < obj->n_warnings; i++)
		free(obj->warnings[i]);
	for (size_t i = 0; i < obj->n_st_ops; i++) {
		free(obj->st_ops[i].name);
		free(obj->st_ops[i].type_name);
		free(obj->st_ops[i].data);
		free(obj->st_ops[i].funcs);
		free(obj->st_ops[i].fields);
	}
	free(obj->st_ops);
	free(obj->progs);
	free(obj->maps);
	free(obj->externs);
	free(obj->warnings);
	free(obj->license);
	free(obj->path);
	rb_btf_ext_free(obj->btf_ext);
	rb_btf_free(obj->btf);
	rb_elf_close(&obj->elf);
	free(obj->file_data);
	free(obj);
}

struct rb_prog *rb_obj_find_prog(const struct rb_obj *obj, const char *name)
{
	for (size_t i = 0; i < obj->n_progs; i++)
		if (strcmp(obj->progs[i].name, name) == 0)
			return &obj->progs[i];
	return NULL;
}

struct rb_map *rb_obj_find_map(const struct rb_obj *obj, const char *name)
{
	for (size_t i = 0; i < obj->n_maps; i++)
		if (strcmp(obj->maps[i].name, name) == 0)
			return &obj->maps[i];
	for (size_t i = 0; i < obj->n_maps; i++)
		if (obj->maps[i].sec_name && strcmp(obj->maps[i].sec_name, name) == 0)
			return &obj->maps[i];
	return NULL;
}

size_t rb_obj_map_index(const struct rb_obj *obj, const struct rb_map *map)
{
	return (size_t)(map - obj->maps);
}

int rb_obj_sec_size(const struct rb_obj *obj, const char *sec_name, uint64_t *size)
{
	const struct rb_elf_sec *s = rb_elf_sec_by_name(&obj->elf, sec_name);
	if (!s)
		return 0;
	*size = s->size;
	return 1;
}

int rb_obj_sym_offset(const struct rb_obj *obj, const char *sec_name, const char *sym_name,
		      uint64_t *off)
{
	const struct rb_elf_sec *s = rb_elf_sec_by_name(&obj->elf, sec_name);
	struct rb_elf_sym sym;
	if (!s || !obj_sym_find_in_sec(obj, s->index, sym_name, &sym))
		return 0;
	*off = sym.value;
	return 1;
}

struct rb_map *rb_obj_add_map(struct rb_obj *obj)
{
	return obj_append(&obj->maps, &obj->n_maps, sizeof(struct rb_map));
}

int rb_prog_add_fixup(struct rb_prog *prog, const struct rb_fixup *fixup)
{
	struct rb_fixup *f = obj_append(&prog->fixups, &prog->n_fixups, sizeof(*f));
	if (!f)
		return -RB_ESYS;
	*f = *fixup;
	return 0;
}
