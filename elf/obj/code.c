/* Executable sections: instructions, function symbols, programs and the
 * relocations of each section (checked against the instruction they patch). */
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/strtab.h"
#include "common/sort.h"
#include "elf/obj/obj_int.h"

#define INSN_LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)
#define INSN_CALL (BPF_JMP | BPF_CALL)

/* struct bpf_insn's register nibbles swap places with the byte order. */
void obj_decode_insn(const struct rb_elf *elf, const uint8_t *p, struct bpf_insn *out)
{
	out->code = p[0];
	if (elf->big_endian) {
		out->dst_reg = p[1] >> 4;
		out->src_reg = p[1] & 0xf;
	} else {
		out->dst_reg = p[1] & 0xf;
		out->src_reg = p[1] >> 4;
	}
	out->off = (int16_t)rb_elf_u16(elf, p + 2);
	out->imm = (int32_t)rb_elf_u32(elf, p + 4);
}

static bool is_code_sec(const struct rb_elf_sec *s)
{
	return s->type == SHT_PROGBITS && (s->flags & SHF_EXECINSTR) && s->size > 0;
}

static int add_code_sec(struct obj_ctx *c, const struct rb_elf_sec *s, size_t *cap)
{
	if (s->size % OBJ_INSN_SZ || s->size / OBJ_INSN_SZ > OBJ_MAX_INSNS || !s->data)
		return obj_bad_sec(c, s->name, " is %llu bytes, not a whole number of 8-byte BPF "
				   "instructions", (unsigned long long)s->size);
	int r = obj_grow(c, (void **)&c->code, cap, c->n_code + 1, sizeof(*c->code));
	if (r < 0)
		return r;
	struct obj_code *code = &c->code[c->n_code];
	code->sec = s;
	code->cnt = s->size / OBJ_INSN_SZ;
	code->insns = obj_calloc(c, code->cnt, sizeof(struct bpf_insn));
	if (!code->insns)
		return -RB_ESYS;
	for (size_t i = 0; i < code->cnt; i++)
		obj_decode_insn(&c->obj->elf, s->data + i * OBJ_INSN_SZ, &code->insns[i]);
	c->sec_code[s->index] = (int32_t)c->n_code++;
	return 0;
}

static int collect_code_secs(struct obj_ctx *c)
{
	size_t cap = 0;
	for (uint32_t i = 1; i < c->obj->elf.shnum; i++) {
		const struct rb_elf_sec *s = &c->obj->elf.secs[i];
		int r = is_code_sec(s) ? add_code_sec(c, s, &cap) : 0;
		if (r < 0)
			return r;
	}
	return 0;
}

static int check_func_sym(struct obj_ctx *c, const struct rb_elf_sym *sym, const struct obj_code *code)
{
	uint64_t cnt = code->cnt;
	if (!sym->name[0])
		return obj_bad_sec(c, code->sec->name, ": function symbol %u has no name",
				   sym->index);
	if (sym->value % OBJ_INSN_SZ || sym->size % OBJ_INSN_SZ ||
	    !rb_range_ok(sym->value / OBJ_INSN_SZ, sym->size / OBJ_INSN_SZ, cnt))
		return obj_bad_sec(c, code->sec->name, ": function '%s' (offset 0x%llx, size %llu) "
				   "is not inside the section's %llu instructions on an "
				   "instruction boundary", sym->name,
				   (unsigned long long)sym->value, (unsigned long long)sym->size,
				   (unsigned long long)cnt);
	return 0;
}

/* Function symbols of code sections (arg: the capacity of ctx->funcs). */
static int add_func(struct obj_ctx *c, const struct rb_elf_sym *sym, void *arg)
{
	const struct rb_elf *elf = &c->obj->elf;
	if (sym->type != STT_FUNC || sym->shndx >= elf->shnum || c->sec_code[sym->shndx] < 0)
		return 0;
	uint32_t ci = (uint32_t)c->sec_code[sym->shndx];
	int r = check_func_sym(c, sym, &c->code[ci]);
	r = r ? r : obj_grow(c, (void **)&c->funcs, arg, c->n_funcs + 1, sizeof(*c->funcs));
	if (r < 0)
		return r;
	struct obj_func *f = &c->funcs[c->n_funcs++];
	f->name = sym->name;
	f->code = ci;
	f->start = (uint32_t)(sym->value / OBJ_INSN_SZ);
	f->end = (uint32_t)(f->start + sym->size / OBJ_INSN_SZ);
	f->global = sym->bind == STB_GLOBAL || sym->bind == STB_WEAK;
	f->prog = -1;
	return 0;
}

static int collect_funcs(struct obj_ctx *c)
{
	size_t cap = 0;
	return obj_each_sym(c, add_func, &cap);
}

static int cmp_func(const void *a, const void *b)
{
	const struct obj_func *x = a, *y = b;
	if (x->code != y->code)
		return x->code < y->code ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Sorted per section; a size-0 symbol runs to the next function. */
static int index_funcs(struct obj_ctx *c)
{
	if (c->n_funcs > 1)
		rb_sort(c->funcs, c->n_funcs, sizeof(*c->funcs), cmp_func);
	for (size_t i = 0; i < c->n_funcs; i++) {
		struct obj_func *f = &c->funcs[i];
		struct obj_code *code = &c->code[f->code];
		const struct obj_func *next = i + 1 < c->n_funcs && c->funcs[i + 1].code == f->code
			? &c->funcs[i + 1] : NULL;
		if (f->end == f->start)
			f->end = next ? next->start : (uint32_t)code->cnt;
		if (next && (next->start < f->end || next->start == f->start))
			return obj_bad_sec(c, code->sec->name, ": functions '%s' and '%s' overlap",
					   f->name, next->name);
		if (code->n_funcs++ == 0)
			code->first_func = (uint32_t)i;
	}
	return 0;
}

struct obj_func *obj_func_at(struct obj_ctx *c, uint32_t code, uint32_t insn)
{
	const struct obj_code *cs = &c->code[code];
	size_t lo = cs->first_func, hi = (size_t)cs->first_func + cs->n_funcs;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->funcs[mid].start == insn)
			return &c->funcs[mid];
		if (c->funcs[mid].start < insn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

int obj_prog_at(const struct rb_obj *obj, uint32_t shndx, uint64_t off)
{
	for (size_t i = 0; i < obj->n_progs; i++)
		if (obj->progs[i].sec_index == shndx && obj->progs[i].sec_off == off)
			return (int)i;
	return -1;
}

static int add_prog(struct obj_ctx *c, struct obj_func *f)
{
	struct rb_obj *obj = c->obj;
	const char *raw = c->code[f->code].sec->name;
	f->prog = (int32_t)obj->n_progs;
	struct rb_prog *p = obj_append(&obj->progs, &obj->n_progs, sizeof(*p));
	if (!p)
		return obj_oom(c);
	p->name = obj_strdup(c, f->name);
	p->sec_name = obj_strdup(c, raw[0] == '?' ? raw + 1 : raw);
	if (!p->name || !p->sec_name)
		return -RB_ESYS;
	p->def = rb_sec_lookup(p->sec_name, &p->attach_target);
	p->prog_type = p->def->prog_type;
	p->expected_attach_type = p->def->attach_type;
	p->sleepable = p->def->sleepable;
	p->prog_flags = p->def->prog_flags | (p->sleepable ? BPF_F_SLEEPABLE : 0);
	p->autoload = raw[0] != '?';
	p->sec_index = c->code[f->code].sec->index;
	p->sec_off = (uint64_t)f->start * OBJ_INSN_SZ;
	return 0;
}

/* Every global function of a known program section is a program; the rest
 * (static ones, .text) are subprograms.  Unknown sections are named. */
static int make_progs_of(struct obj_ctx *c, uint32_t ci)
{
	struct obj_code *code = &c->code[ci];
	const char *name = code->sec->name;
	if (strcmp(name, ".text") == 0)
		return 0;
	code->def = rb_sec_lookup(name[0] == '?' ? name + 1 : name, NULL);
	if (!code->def) {
		rb_obj_warn(c->obj, "%s: section '%s' is not a known program type; skipped (%u %s)",
			    c->obj->path, name, code->n_funcs,
			    code->n_funcs == 1 ? "function" : "functions");
		return 0;
	}
	size_t made = 0;
	for (uint32_t k = 0; k < code->n_funcs; k++) {
		struct obj_func *f = &c->funcs[code->first_func + k];
		if (!f->global)
			continue;
		int r = add_prog(c, f);
		if (r < 0)
			return r;
		made++;
	}
	if (!made)
		rb_obj_warn(c->obj, "%s: section '%s' has no global function; no program made from it",
			    c->obj->path, name);
	return 0;
}

/* --- relocations of executable sections ----------------------------------------- */

static int check_rel_insn(struct obj_ctx *c, const struct obj_code *code, const struct obj_rel *rel,
			  uint64_t offset)
{
	const struct bpf_insn *in = &code->insns[rel->insn];
	const char *sec = code->sec->name;
	if (rel->type == R_BPF_64_64) {
		if (in->code != INSN_LD_IMM64 || rel->insn + 1 >= code->cnt)
			return obj_bad_rel(c, sec, rel->index, " (R_BPF_64_64) at offset 0x%llx is "
					   "on opcode 0x%02x, not on a 64-bit load (ld_imm64)",
					   (unsigned long long)offset, in->code);
		return 0;
	}
	if (rel->type == R_BPF_64_32) {
		if (in->code != INSN_CALL)
			return obj_bad_rel(c, sec, rel->index, " (R_BPF_64_32) at offset 0x%llx is "
					   "on opcode 0x%02x, not on a call",
					   (unsigned long long)offset, in->code);
		return 0;
	}
	/* types 2..4: R_BPF_64_ABS64, R_BPF_64_ABS32, R_BPF_64_NODYLD32 */
	const char *data_type = rel->type >= 2 ? rb_strtab_at("R_BPF_64_ABS64\0R_BPF_64_ABS32\0"
							      "R_BPF_64_NODYLD32\0", rel->type - 2) : NULL;
	if (data_type)
		return obj_bad_rel(c, sec, rel->index, " at offset 0x%llx has type %s, which "
				   "belongs in data, not in BPF code", (unsigned long long)offset,
				   data_type);
	return obj_bad_rel(c, sec, rel->index, " at offset 0x%llx has unknown type %u (BPF code "
			   "takes R_BPF_64_64 and R_BPF_64_32)", (unsigned long long)offset,
			   rel->type);
}

static int read_code_rel(struct obj_ctx *c, const struct rb_elf_sec *rs, struct obj_code *code,
			 size_t i, struct obj_rel *out)
{
	const struct rb_elf *elf = &c->obj->elf;
	struct rb_elf_rel rel;
	int r = rb_elf_rel(elf, rs, i, &rel, c->err);
	if (r < 0)
		return r;
	if (rel.offset % OBJ_INSN_SZ || rel.offset / OBJ_INSN_SZ >= code->cnt)
		return obj_bad_rel(c, code->sec->name, i, " at offset 0x%llx is %s (the section "
				   "has %zu instructions)", (unsigned long long)rel.offset,
				   rel.offset % OBJ_INSN_SZ ? "not on an instruction boundary"
							: "past the section end",
				   code->cnt);
	const struct rb_elf_sec *symtab = rb_elf_sec(elf, rs->link);
	r = rb_elf_sym(elf, symtab, rel.sym, &out->sym, c->err);
	if (r < 0)
		return r;
	out->insn = (uint32_t)(rel.offset / OBJ_INSN_SZ);
	out->index = (uint32_t)i;
	out->type = rel.type;
	return out->type == R_BPF_NONE ? 0 : check_rel_insn(c, code, out, rel.offset);
}

static int cmp_rel(const void *a, const void *b)
{
	const struct obj_rel *x = a, *y = b;
	return x->insn < y->insn ? -1 : x->insn > y->insn;
}

static int collect_code_rels(struct obj_ctx *c, const struct rb_elf_sec *rs, struct obj_code *code)
{
	if (rs->type == SHT_RELA)
		return obj_bad_sec(c, rs->name, ": RELA relocations in BPF code are not supported "
				   "(clang emits REL)");
	if (code->rels)
		return obj_bad_sec(c, code->sec->name, " has two relocation sections");
	size_t n = rb_elf_rel_count(&c->obj->elf, rs);
	code->rels = obj_calloc(c, n, sizeof(*code->rels));
	if (!code->rels)
		return -RB_ESYS;
	for (size_t i = 0; i < n; i++) {
		int r = read_code_rel(c, rs, code, i, &code->rels[code->n_rels]);
		if (r < 0)
			return r;
		if (code->rels[code->n_rels].type != R_BPF_NONE)
			code->n_rels++;
	}
	if (code->n_rels > 1)
		rb_sort(code->rels, code->n_rels, sizeof(*code->rels), cmp_rel);
	for (size_t i = 1; i < code->n_rels; i++)
		if (code->rels[i].insn == code->rels[i - 1].insn)
			return obj_bad_sec(c, code->sec->name, ": relocations %u and %u patch the "
					   "same instruction %u", code->rels[i - 1].index,
					   code->rels[i].index, code->rels[i].insn);
	return 0;
}

/* Whether s starts with one of the NUL-separated words of list. */
static bool starts_with_any(const char *s, const char *list)
{
	for (; *list; list = rb_strtab_next(list))
		if (strncmp(s, list, strlen(list)) == 0)
			return true;
	return false;
}

/* Relocation sections of non-code sections: .maps is read by maps_btf.c,
 * .struct_ops* by struct_ops.c;
 * BTF and DWARF ones are the linker's business; data pointers cannot be
 * expressed to the kernel (libbpf ignores them too) so they are named. */
static void note_other_rels(struct obj_ctx *c, const struct rb_elf_sec *rs, const struct rb_elf_sec *t)
{
	if (starts_with_any(rs->name, ".rel.BTF\0.rel.debug\0.rela.debug\0") ||
	    starts_with_any(t->name, ".debug\0.BTF\0") || strcmp(t->name, ".maps") == 0 ||
	    strcmp(t->name, ".eh_frame") == 0 || rb_elf_rel_count(&c->obj->elf, rs) == 0 ||
	    obj_is_struct_ops_sec(t))  /* read by struct_ops.c */
		return;
	rb_obj_warn(c->obj, "%s: %zu relocations in section '%s' ignored (pointers in BPF data "
		    "cannot be relocated)", c->obj->path, rb_elf_rel_count(&c->obj->elf, rs), t->name);
}

static int collect_all_rels(struct obj_ctx *c)
{
	const struct rb_elf *elf = &c->obj->elf;
	for (uint32_t i = 1; i < elf->shnum; i++) {
		const struct rb_elf_sec *rs = &elf->secs[i];
		if (rs->type != SHT_REL && rs->type != SHT_RELA)
			continue;
		const struct rb_elf_sec *t = rb_elf_sec(elf, rs->info);
		if (!t)
			continue;
		int32_t ci = c->sec_code[t->index];
		if (ci < 0) {
			note_other_rels(c, rs, t);
			continue;
		}
		int r = collect_code_rels(c, rs, &c->code[ci]);
		if (r < 0)
			return r;
	}
	return 0;
}

int obj_collect_code(struct obj_ctx *c)
{
	int r = collect_code_secs(c);
	r = r ? r : collect_funcs(c);
	r = r ? r : index_funcs(c);
	for (uint32_t i = 0; r == 0 && i < c->n_code; i++)
		r = make_progs_of(c, i);
	return r ? r : collect_all_rels(c);
}
