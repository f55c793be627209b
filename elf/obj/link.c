/* Linking and relocation: each program gets its function, then every
 * subprogram it reaches through calls or callback addresses appended once
 * (depth first, in the order libbpf appends them, so both produce the same
 * instructions), with pc-relative immediates re-based.  Map and global-data
 * references become fixups for the loader, extern references are recorded,
 * and .BTF.ext records follow their code. */
#include <elf.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "elf/obj/obj_int.h"

#define INSN_LD_IMM64 (BPF_LD | BPF_IMM | BPF_DW)
#define INSN_CALL (BPF_JMP | BPF_CALL)

/* One function copied into the program. */
struct chunk {
	uint32_t func;           /* index into ctx->funcs */
	uint32_t out_start;      /* first instruction in prog->insns */
};

/* A function being relocated: chunk k, next instruction i of its section. */
struct frame {
	size_t k;
	uint32_t i;
};

struct link {
	struct obj_ctx *c;
	struct rb_prog *prog;
	uint32_t prog_idx;
	struct chunk *chunks;
	size_t n_chunks, cap_chunks, cap_insns;
	int64_t *func_out;       /* per function: its start in the program, or -1 */
	/* Depth-first like libbpf (a callee's callees follow it directly), with
	 * an explicit stack so that hostile call chains cannot exhaust ours. */
	struct frame *stack;
	size_t n_stack, cap_stack;
};

/* --- appending functions ------------------------------------------------------------ */

static int append_func(struct link *l, uint32_t fi, uint32_t *start)
{
	struct obj_ctx *c = l->c;
	const struct obj_func *f = &c->funcs[fi];
	size_t n = f->end - f->start, at = l->prog->insn_cnt;
	if (at + n > OBJ_MAX_INSNS)
		return obj_bad(c, "program '%s' grows past %u instructions while "
			       "linking '%s'", l->prog->name, OBJ_MAX_INSNS, f->name);
	int r = obj_grow(c, (void **)&l->prog->insns, &l->cap_insns, at + n, sizeof(struct bpf_insn));
	r = r ? r : obj_grow(c, (void **)&l->chunks, &l->cap_chunks, l->n_chunks + 1,
			     sizeof(*l->chunks));
	r = r ? r : obj_grow(c, (void **)&l->stack, &l->cap_stack, l->n_stack + 1, sizeof(*l->stack));
	if (r < 0)
		return r;
	memcpy(&l->prog->insns[at], &c->code[f->code].insns[f->start], n * sizeof(struct bpf_insn));
	l->prog->insn_cnt = at + n;
	l->stack[l->n_stack++] = (struct frame){ .k = l->n_chunks, .i = f->start };
	l->chunks[l->n_chunks++] = (struct chunk){ .func = fi, .out_start = (uint32_t)at };
	l->func_out[fi] = (int64_t)at;
	*start = (uint32_t)at;
	return 0;
}

static const char *sec_of(const struct link *l, uint32_t code)
{
	return l->c->code[code].sec->name;
}

/* Points the call or ld_imm64 at out to the function starting at
 * instruction target of code section tcode, appending it if needed. */
static int link_target(struct link *l, uint32_t from_code, uint32_t from_insn, uint32_t tcode,
		       int64_t target, uint32_t out)
{
	struct obj_ctx *c = l->c;
	struct obj_func *tf = target >= 0 && (uint64_t)target < c->code[tcode].cnt
		? obj_func_at(c, tcode, (uint32_t)target) : NULL;
	if (!tf)
		return obj_bad_sec(c, sec_of(l, from_code), ": instruction %u calls or takes the "
				   "address of instruction %lld of section '%s', which is not the "
				   "start of a function", from_insn, (long long)target,
				   sec_of(l, tcode));
	uint32_t fi = (uint32_t)(tf - c->funcs), start = 0;
	int r = l->func_out[fi] >= 0 ? 0 : append_func(l, fi, &start);
	if (r < 0)
		return r;
	struct bpf_insn *in = &l->prog->insns[out];
	in->imm = (int32_t)(l->func_out[fi] - (int64_t)out - 1);
	if (in->code == INSN_CALL) {
		in->src_reg = BPF_PSEUDO_CALL;
	} else {
		in->src_reg = BPF_PSEUDO_FUNC;
		in[1].imm = 0;
	}
	return 0;
}

/* --- relocations ------------------------------------------------------------------- */

static const char *sym_label(const struct obj_ctx *c, const struct rb_elf_sym *s)
{
	return s->name[0] ? s->name : obj_sec_name(c, s->shndx);
}

static int add_fixup(struct link *l, uint32_t out, enum rb_fixup_kind kind, uint32_t map, uint32_t off)
{
	struct bpf_insn *in = &l->prog->insns[out];
	in->src_reg = kind == RB_FIXUP_MAP_FD ? BPF_PSEUDO_MAP_FD : BPF_PSEUDO_MAP_VALUE;
	in->imm = 0;
	in[1].imm = (int32_t)off;
	struct rb_fixup f = { .insn = out, .kind = kind, .map = map, .off = off };
	return rb_prog_add_fixup(l->prog, &f) < 0 ? obj_oom(l->c) : 0;
}

static int add_extern_ref(struct link *l, const struct obj_rel *rel, uint32_t code, uint32_t out)
{
	struct obj_ctx *c = l->c;
	int xi = obj_extern_by_sym(c->obj, rel->sym.index);
	if (xi < 0)
		return obj_bad_rel(c, sec_of(l, code), rel->index, " points at undefined symbol "
				   "'%s' that is not an extern", sym_label(c, &rel->sym));
	struct rb_extern *x = &c->obj->externs[xi];
	struct rb_extern_ref *ref = obj_append(&x->refs, &x->n_refs, sizeof(*ref));
	if (!ref)
		return obj_oom(c);
	const struct bpf_insn *in = &l->prog->insns[out];
	*ref = (struct rb_extern_ref){ .prog = l->prog_idx, .insn = out,
		.is_call = in->code == INSN_CALL, .addend = in->code == INSN_CALL ? 0 : in->imm };
	return 0;
}

static int code_rel(struct link *l, const struct obj_rel *rel, uint32_t code, uint32_t out)
{
	const struct rb_elf_sym *s = &rel->sym;
	uint32_t tcode = (uint32_t)l->c->sec_code[s->shndx];
	int64_t imm = l->prog->insns[out].imm, target;
	if (s->value % OBJ_INSN_SZ)
		return obj_bad_rel(l->c, sec_of(l, code), rel->index, " points at '%s' (offset "
				   "0x%llx), not on an instruction boundary", sym_label(l->c, s),
				   (unsigned long long)s->value);
	/* Calls: global functions have imm -1, static ones (section symbol) the
	 * callee's index - 1.  Callback addresses carry a byte offset instead. */
	if (rel->type == R_BPF_64_32)
		target = (int64_t)(s->value / OBJ_INSN_SZ) + imm + 1;
	else if (imm % (int64_t)OBJ_INSN_SZ)
		return obj_bad_rel(l->c, sec_of(l, code), rel->index, ": function address offset "
				   "%lld is not a multiple of 8", (long long)imm);
	else
		target = (int64_t)((s->value + (uint64_t)imm) / OBJ_INSN_SZ);
	return link_target(l, code, rel->insn, tcode, target, out);
}

static int map_rel(struct link *l, const struct obj_rel *rel, uint32_t code, uint32_t out)
{
	struct obj_ctx *c = l->c;
	const struct rb_elf_sym *s = &rel->sym;
	int64_t off = (int64_t)s->value + l->prog->insns[out].imm;
	int mi = obj_map_at(c, s->shndx, (uint64_t)off);
	if (mi < 0)
		return obj_bad_rel(c, sec_of(l, code), rel->index, " points at offset %lld of "
				   "section '%s' (symbol '%s'), where no map starts",
				   (long long)off, obj_sec_name(c, s->shndx), sym_label(c, s));
	return add_fixup(l, out, RB_FIXUP_MAP_FD, (uint32_t)mi, 0);
}

static int data_rel(struct link *l, const struct obj_rel *rel, uint32_t code, uint32_t out)
{
	struct obj_ctx *c = l->c;
	const struct rb_elf_sym *s = &rel->sym;
	uint32_t mi = (uint32_t)c->sec_map[s->shndx];
	int64_t off = (int64_t)s->value + l->prog->insns[out].imm;
	if (off < 0 || off > (int64_t)c->obj->maps[mi].value_size)
		return obj_bad_rel(c, sec_of(l, code), rel->index, " points at offset %lld of "
				   "'%s', outside its %u bytes", (long long)off,
				   obj_sec_name(c, s->shndx), c->obj->maps[mi].value_size);
	return add_fixup(l, out, RB_FIXUP_MAP_VALUE, mi, (uint32_t)off);
}

static bool is_maps_sec(const struct obj_ctx *c, uint32_t shndx)
{
	return (c->maps_sec && c->maps_sec->index == shndx) ||
	       (c->btf_maps_sec && c->btf_maps_sec->index == shndx);
}

static int apply_rel(struct link *l, const struct obj_rel *rel, uint32_t code, uint32_t out)
{
	struct obj_ctx *c = l->c;
	uint32_t shndx = rel->sym.shndx;
	bool call = rel->type == R_BPF_64_32;
	if (shndx == SHN_UNDEF)
		return add_extern_ref(l, rel, code, out);
	if (shndx < c->obj->elf.shnum && c->sec_code[shndx] >= 0)
		return code_rel(l, rel, code, out);
	if (call)
		return obj_bad_rel(c, sec_of(l, code), rel->index, ": a call points at symbol "
				   "'%s', which is not a function", sym_label(c, &rel->sym));
	if (shndx < c->obj->elf.shnum && is_maps_sec(c, shndx))
		return map_rel(l, rel, code, out);
	if (shndx < c->obj->elf.shnum && c->sec_map[shndx] >= 0)
		return data_rel(l, rel, code, out);
	return obj_bad_rel(c, sec_of(l, code), rel->index, " points at symbol '%s' which is in no "
			   "map section", sym_label(c, &rel->sym));
}

static const struct obj_rel *rel_at(const struct obj_code *code, uint32_t insn)
{
	size_t lo = 0, hi = code->n_rels;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (code->rels[mid].insn == insn)
			return &code->rels[mid];
		if (code->rels[mid].insn < insn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Calls and callback addresses inside one section need no relocation:
 * their immediate is already relative to the instruction. */
static int local_ref(struct link *l, uint32_t code, uint32_t insn, uint32_t out)
{
	const struct bpf_insn *in = &l->prog->insns[out];
	bool call = in->code == INSN_CALL && in->src_reg == BPF_PSEUDO_CALL;
	bool func = in->code == INSN_LD_IMM64 && in->src_reg == BPF_PSEUDO_FUNC;
	if (!call && !func)
		return 0;
	return link_target(l, code, insn, code, (int64_t)insn + in->imm + 1, out);
}

static int relocate_insn(struct link *l, const struct obj_func *f, uint32_t i, uint32_t out)
{
	const struct obj_code *code = &l->c->code[f->code];
	const struct obj_rel *rel = rel_at(code, i);
	if (l->prog->insns[out].code == INSN_LD_IMM64 && i + 1 >= f->end)
		return obj_bad_sec(l->c, code->sec->name, ": function '%s' ends inside the 64-bit "
				   "load at instruction %u", f->name, i);
	return rel ? apply_rel(l, rel, f->code, out) : local_ref(l, f->code, i, out);
}

/* One instruction of the function on top of the stack; a newly reached
 * callee is pushed and relocated before the caller goes on. */
static int relocate_next(struct link *l)
{
	struct frame *fr = &l->stack[l->n_stack - 1];
	struct chunk ch = l->chunks[fr->k];
	const struct obj_func *f = &l->c->funcs[ch.func];
	if (fr->i >= f->end) {
		l->n_stack--;
		return 0;
	}
	uint32_t i = fr->i, out = ch.out_start + (i - f->start);
	fr->i += 1 + (l->prog->insns[out].code == INSN_LD_IMM64);
	return relocate_insn(l, f, i, out);
}

/* --- .BTF.ext ----------------------------------------------------------------------- */

enum ext_kind { EXT_FUNC, EXT_LINE, EXT_CORE };

/* Per kind: where the program keeps its records and their count, the
 * record size, and the object's records of that kind. */
static const struct {
	uint8_t arr, n, size, info;
} ext_kinds[] = {
	[EXT_FUNC] = { offsetof(struct rb_prog, func_info), offsetof(struct rb_prog, n_func_info),
		       sizeof(struct bpf_func_info), offsetof(struct rb_btf_ext, func_info) },
	[EXT_LINE] = { offsetof(struct rb_prog, line_info), offsetof(struct rb_prog, n_line_info),
		       sizeof(struct bpf_line_info), offsetof(struct rb_btf_ext, line_info) },
	[EXT_CORE] = { offsetof(struct rb_prog, core_relo), offsetof(struct rb_prog, n_core_relo),
		       sizeof(struct bpf_core_relo), offsetof(struct rb_btf_ext, core_relo) },
};

static void **ext_array(struct rb_prog *p, enum ext_kind k, size_t **n, size_t *size)
{
	*n = (size_t *)((char *)p + ext_kinds[k].n);
	*size = ext_kinds[k].size;
	return (void **)((char *)p + ext_kinds[k].arr);
}

static const struct rb_btf_ext_info *ext_info(const struct rb_btf_ext *x, enum ext_kind k)
{
	return (const struct rb_btf_ext_info *)((const char *)x + ext_kinds[k].info);
}

/* Every record kind starts with its u32 insn_off. */
static int copy_ext_rec(struct link *l, enum ext_kind k, const uint8_t *rec, uint32_t new_insn,
			size_t *cap)
{
	size_t *n, size;
	void **arr = ext_array(l->prog, k, &n, &size);
	int r = obj_grow(l->c, arr, cap, *n + 1, size);
	if (r < 0)
		return r;
	uint8_t *dst = (uint8_t *)*arr + *n * size;
	memcpy(dst, rec, size);
	uint32_t off = k == EXT_CORE ? new_insn * OBJ_INSN_SZ : new_insn;
	memcpy(dst, &off, sizeof(off));
	(*n)++;
	return 0;
}

static uint32_t rec_insn_off(const struct rb_btf_ext_sec *s, uint32_t i)
{
	uint32_t off;
	memcpy(&off, s->recs + (size_t)i * s->rec_size, sizeof(off));
	return off;
}

/* First record at or after byte offset `off` (0 when unsorted: scan all). */
static uint32_t first_rec(const struct rb_btf_ext_sec *s, bool sorted, uint64_t off)
{
	uint32_t lo = 0, hi = s->count;
	while (sorted && lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (rec_insn_off(s, mid) < off)
			lo = mid + 1;
		else
			hi = mid;
	}
	return sorted ? lo : 0;
}

static int ext_chunk(struct link *l, enum ext_kind k, const struct chunk *ch, size_t *cap)
{
	const struct obj_func *f = &l->c->funcs[ch->func];
	const struct obj_code *code = &l->c->code[f->code];
	const struct rb_btf_ext_sec *s = code->ext[k];
	uint64_t start = (uint64_t)f->start * OBJ_INSN_SZ, end = (uint64_t)f->end * OBJ_INSN_SZ;
	for (uint32_t i = s ? first_rec(s, code->ext_sorted[k], start) : 0; s && i < s->count; i++) {
		uint32_t off = rec_insn_off(s, i);
		if (off % OBJ_INSN_SZ)
			return obj_bad_sec(l->c, code->sec->name, ": .BTF.ext record %u has "
					   "insn_off %u, not a multiple of 8", i, off);
		if (off >= end && code->ext_sorted[k])
			break;
		if (off < start || off >= end)
			continue;
		int r = copy_ext_rec(l, k, s->recs + (size_t)i * s->rec_size,
				     ch->out_start + (off / OBJ_INSN_SZ - f->start), cap);
		if (r < 0)
			return r;
	}
	return 0;
}

/* Finds each code section's records once, so that linking a program costs
 * a binary search per function rather than a scan of the section's records. */
static void index_ext(struct obj_ctx *c)
{
	for (size_t ci = 0; ci < c->n_code; ci++) {
		struct obj_code *code = &c->code[ci];
		for (int k = EXT_FUNC; k <= EXT_CORE; k++) {
			const struct rb_btf_ext_sec *s =
				rb_btf_ext_find(ext_info(c->obj->btf_ext, (enum ext_kind)k), code->sec->name);
			bool sorted = true;
			for (uint32_t i = 1; s && sorted && i < s->count; i++)
				sorted = rec_insn_off(s, i - 1) <= rec_insn_off(s, i);
			code->ext[k] = s;
			code->ext_sorted[k] = sorted;
		}
	}
}

static int rewrite_ext(struct link *l)
{
	if (!l->c->obj->btf_ext)
		return 0;
	for (int k = EXT_FUNC; k <= EXT_CORE; k++) {
		size_t cap = 0;
		for (size_t i = 0; i < l->n_chunks; i++) {
			int r = ext_chunk(l, (enum ext_kind)k, &l->chunks[i], &cap);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* --- per program -------------------------------------------------------------------- */

static int link_prog(struct obj_ctx *c, uint32_t pi, uint32_t fi)
{
	struct link l = { .c = c, .prog = &c->obj->progs[pi], .prog_idx = pi };
	uint32_t start = 0;
	l.func_out = obj_calloc(c, c->n_funcs, sizeof(int64_t));
	if (!l.func_out)
		return -RB_ESYS;
	for (size_t i = 0; i < c->n_funcs; i++)
		l.func_out[i] = -1;
	int r = append_func(&l, fi, &start);
	l.prog->main_cnt = l.prog->insn_cnt;
	while (r == 0 && l.n_stack > 0)
		r = relocate_next(&l);
	r = r ? r : rewrite_ext(&l);
	free(l.stack);
	free(l.chunks);
	free(l.func_out);
	return r;
}

int obj_link_progs(struct obj_ctx *c)
{
	if (c->obj->btf_ext)
		index_ext(c);
	for (size_t fi = 0; fi < c->n_funcs; fi++) {
		if (c->funcs[fi].prog < 0)
			continue;
		int r = link_prog(c, (uint32_t)c->funcs[fi].prog, (uint32_t)fi);
		if (r < 0)
			return r;
	}
	return 0;
}
