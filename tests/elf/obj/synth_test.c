/* Linking and relocation on hand-built objects: exact instruction streams,
 * every relocation error, both byte orders, random bytes. */
#include <elf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "elf/obj/object.h"

/* --- a tiny ELF64 relocatable writer ----------------------------------------------- */

struct gsec {
	uint32_t name, type, link, info;
	uint64_t flags, entsize;
	uint8_t data[512];
	size_t size;
};

struct grel {
	uint32_t target;
	uint64_t offset;
	uint32_t sym, type;
};

struct gen {
	bool be;
	struct gsec sec[24];
	uint32_t nsec;
	uint8_t syms[40][24];
	uint32_t nsyms, first_global;
	char str[2048];
	size_t strlen;
	struct grel rel[32];
	uint32_t nrel;
	uint8_t out[16384];
	size_t len;
};

static void put(const struct gen *g, uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[g->be ? n - 1 - i : i] = (uint8_t)(v >> (8 * i));
}

static uint32_t gstr(struct gen *g, const char *s)
{
	uint32_t off = (uint32_t)g->strlen;
	size_t n = strlen(s) + 1;
	ck_assert_uint_lt(g->strlen + n, sizeof(g->str));
	memcpy(g->str + g->strlen, s, n);
	g->strlen += n;
	return off;
}

static void gen_init(struct gen *g, bool be)
{
	memset(g, 0, sizeof(*g));
	g->be = be;
	g->nsec = 1;
	g->nsyms = 1;
	g->strlen = 1;
}

static uint32_t gen_sec(struct gen *g, const char *name, uint32_t type, uint64_t flags,
			const void *data, size_t size)
{
	struct gsec *s = &g->sec[g->nsec];
	s->name = gstr(g, name);
	s->type = type;
	s->flags = flags;
	s->size = size;
	if (data)
		memcpy(s->data, data, size);
	return g->nsec++;
}

/* Instructions in the generator's byte order. */
static void gen_insn(struct gen *g, uint32_t sec, uint32_t idx, uint8_t code, uint8_t dst,
		     uint8_t src, int16_t off, int32_t imm)
{
	uint8_t *p = g->sec[sec].data + idx * 8;
	p[0] = code;
	p[1] = g->be ? (uint8_t)(dst << 4 | src) : (uint8_t)(src << 4 | dst);
	put(g, p + 2, (uint16_t)off, 2);
	put(g, p + 4, (uint32_t)imm, 4);
	if ((idx + 1) * 8 > g->sec[sec].size)
		g->sec[sec].size = (idx + 1) * 8;
}

static uint32_t gen_sym(struct gen *g, const char *name, uint32_t shndx, uint64_t value,
			uint64_t size, int type, int bind)
{
	uint8_t *p = g->syms[g->nsyms];
	put(g, p, name[0] ? gstr(g, name) : 0, 4);
	p[4] = (uint8_t)ELF64_ST_INFO(bind, type);
	put(g, p + 6, shndx, 2);
	put(g, p + 8, value, 8);
	put(g, p + 16, size, 8);
	if (bind == STB_LOCAL)
		ck_assert_msg(g->first_global == 0, "locals first");
	else if (!g->first_global)
		g->first_global = g->nsyms;
	return g->nsyms++;
}

static void gen_rel(struct gen *g, uint32_t target, uint64_t offset, uint32_t sym, uint32_t type)
{
	g->rel[g->nrel++] = (struct grel){ target, offset, sym, type };
}

static void add_rel_sections(struct gen *g, uint32_t symtab)
{
	uint32_t n = g->nsec;
	for (uint32_t t = 1; t < n; t++) {
		char name[64];
		uint32_t rs = 0;
		for (uint32_t i = 0; i < g->nrel; i++) {
			if (g->rel[i].target != t)
				continue;
			if (!rs) {
				snprintf(name, sizeof(name), ".rel%s", g->str + g->sec[t].name);
				rs = gen_sec(g, name, SHT_REL, 0, NULL, 0);
				g->sec[rs].link = symtab, g->sec[rs].info = t, g->sec[rs].entsize = 16;
			}
			uint8_t *p = g->sec[rs].data + g->sec[rs].size;
			put(g, p, g->rel[i].offset, 8);
			put(g, p + 8, ELF64_R_INFO(g->rel[i].sym, g->rel[i].type), 8);
			g->sec[rs].size += 16;
		}
	}
}

static void write_ehdr(struct gen *g, uint64_t shoff, uint32_t shstrndx)
{
	uint8_t *h = g->out;
	memcpy(h, ELFMAG, SELFMAG);
	h[EI_CLASS] = ELFCLASS64;
	h[EI_DATA] = g->be ? ELFDATA2MSB : ELFDATA2LSB;
	h[EI_VERSION] = EV_CURRENT;
	put(g, h + 16, ET_REL, 2);
	put(g, h + 18, 247, 2);
	put(g, h + 20, EV_CURRENT, 4);
	put(g, h + 40, shoff, 8);
	put(g, h + 52, 64, 2);
	put(g, h + 58, 64, 2);
	put(g, h + 60, g->nsec, 2);
	put(g, h + 62, shstrndx, 2);
}

static void write_shdr(struct gen *g, uint8_t *p, const struct gsec *s, uint64_t off)
{
	put(g, p, s->name, 4);
	put(g, p + 4, s->type, 4);
	put(g, p + 8, s->flags, 8);
	put(g, p + 24, off, 8);
	put(g, p + 32, s->size, 8);
	put(g, p + 40, s->link, 4);
	put(g, p + 44, s->info, 4);
	put(g, p + 48, 8, 8);
	put(g, p + 56, s->entsize, 8);
}

static void gen_build(struct gen *g)
{
	uint32_t symtab = g->nsec + 1; /* after .strtab, before rel sections? no: fixed below */
	uint32_t strtab = gen_sec(g, ".strtab", SHT_STRTAB, 0, NULL, 0);
	symtab = gen_sec(g, ".symtab", SHT_SYMTAB, 0, g->syms, (size_t)g->nsyms * 24);
	g->sec[symtab].link = strtab;
	g->sec[symtab].info = g->first_global ? g->first_global : g->nsyms;
	g->sec[symtab].entsize = 24;
	add_rel_sections(g, symtab);
	memcpy(g->sec[strtab].data, g->str, g->strlen);
	g->sec[strtab].size = g->strlen;
	uint64_t offs[24] = {0}, pos = 64;
	for (uint32_t i = 1; i < g->nsec; i++) {
		pos = (pos + 7) & ~7ull;
		offs[i] = pos;
		if (g->sec[i].type != SHT_NOBITS) {
			ck_assert_uint_le(pos + g->sec[i].size, sizeof(g->out));
			memcpy(g->out + pos, g->sec[i].data, g->sec[i].size);
			pos += g->sec[i].size;
		}
	}
	pos = (pos + 7) & ~7ull;
	ck_assert_uint_le(pos + 64 * g->nsec, sizeof(g->out));
	for (uint32_t i = 1; i < g->nsec; i++)
		write_shdr(g, g->out + pos + 64 * i, &g->sec[i], offs[i]);
	write_ehdr(g, pos, strtab);
	g->len = pos + 64 * g->nsec;
}

/* --- a base object ------------------------------------------------------------------- */

#define CALL (BPF_JMP | BPF_CALL)
#define EXIT (BPF_JMP | BPF_EXIT)
#define LDDW (BPF_LD | BPF_IMM | BPF_DW)
#define MOV (BPF_ALU64 | BPF_MOV | BPF_K)

struct base {
	uint32_t xdp, text, data, foo, tp, sock;
	uint32_t s_text, s_data, s_cnt, s_f2;
};

/* xdp:  0 call loc (pc-relative)      .text: f1: 0 call f2 (pc-relative)
 *       1 call f1 (.text + imm)              1 exit
 *       2 ld_imm64 .data + 4                 f2: 2 mov r0, 2
 *       4 ld_imm64 &loc (pc-relative)        3 exit
 *       6 exit
 *  loc: 7 mov r0, 1 / 8 exit
 * socket: prog2: 0 call f2 (global symbol) / 1 exit
 * tracepoint/sched/x: tp: 0 ld_imm64 (patched per test) / 2 exit */
static void base_object(struct gen *g, struct base *b, bool be)
{
	gen_init(g, be);
	uint8_t data[16] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 };
	b->xdp = gen_sec(g, "xdp", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, NULL, 0);
	b->text = gen_sec(g, ".text", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, NULL, 0);
	b->data = gen_sec(g, ".data", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, data, 16);
	b->foo = gen_sec(g, "foo", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, data, 8);
	b->tp = gen_sec(g, "tracepoint/sched/x", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, NULL, 0);
	b->sock = gen_sec(g, "socket", SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, NULL, 0);
	gen_insn(g, b->xdp, 0, CALL, 0, BPF_PSEUDO_CALL, 0, 6);
	gen_insn(g, b->xdp, 1, CALL, 0, BPF_PSEUDO_CALL, 0, -1);
	gen_insn(g, b->xdp, 2, LDDW, 1, 0, 0, 4);
	gen_insn(g, b->xdp, 3, 0, 0, 0, 0, 0);
	gen_insn(g, b->xdp, 4, LDDW, 2, BPF_PSEUDO_FUNC, 0, 2);
	gen_insn(g, b->xdp, 5, 0, 0, 0, 0, 0);
	gen_insn(g, b->xdp, 6, EXIT, 0, 0, 0, 0);
	gen_insn(g, b->xdp, 7, MOV, 0, 0, 0, 1);
	gen_insn(g, b->xdp, 8, EXIT, 0, 0, 0, 0);
	gen_insn(g, b->text, 0, CALL, 0, BPF_PSEUDO_CALL, 0, 1);
	gen_insn(g, b->text, 1, EXIT, 0, 0, 0, 0);
	gen_insn(g, b->text, 2, MOV, 0, 0, 0, 2);
	gen_insn(g, b->text, 3, EXIT, 0, 0, 0, 0);
	gen_insn(g, b->sock, 0, CALL, 0, BPF_PSEUDO_CALL, 0, -1);
	gen_insn(g, b->sock, 1, EXIT, 0, 0, 0, 0);
	gen_insn(g, b->tp, 0, LDDW, 1, 0, 0, 0);
	gen_insn(g, b->tp, 1, 0, 0, 0, 0, 0);
	gen_insn(g, b->tp, 2, EXIT, 0, 0, 0, 0);
	b->s_text = gen_sym(g, "", b->text, 0, 0, STT_SECTION, STB_LOCAL);
	b->s_data = gen_sym(g, "", b->data, 0, 0, STT_SECTION, STB_LOCAL);
	gen_sym(g, "loc", b->xdp, 56, 16, STT_FUNC, STB_LOCAL);
	gen_sym(g, "f1", b->text, 0, 16, STT_FUNC, STB_LOCAL);
	gen_sym(g, "prog", b->xdp, 0, 56, STT_FUNC, STB_GLOBAL);
	b->s_f2 = gen_sym(g, "f2", b->text, 16, 16, STT_FUNC, STB_GLOBAL);
	gen_sym(g, "prog2", b->sock, 0, 16, STT_FUNC, STB_GLOBAL);
	gen_sym(g, "tp", b->tp, 0, 24, STT_FUNC, STB_GLOBAL);
	b->s_cnt = gen_sym(g, "cnt", b->foo, 0, 4, STT_OBJECT, STB_GLOBAL);
	gen_sym(g, "LICENSE", b->data, 0, 4, STT_OBJECT, STB_GLOBAL);
	gen_rel(g, b->xdp, 8, b->s_text, 10);
	gen_rel(g, b->xdp, 16, b->s_data, 1);
	gen_rel(g, b->sock, 0, b->s_f2, 10);
}

static int open_gen(struct gen *g, struct rb_obj **obj, struct rb_err *err)
{
	gen_build(g);
	return rb_obj_open_mem(obj, g->out, g->len, "prog.o", err);
}

static void check_base_links(const struct rb_obj *obj)
{
	const struct rb_prog *p = rb_obj_find_prog(obj, "prog");
	ck_assert_ptr_nonnull(p);
	ck_assert_uint_eq(p->insn_cnt, 13);
	ck_assert_uint_eq(p->main_cnt, 7);
	ck_assert_int_eq(p->insns[0].imm, 6);   /* loc appended at 7 */
	ck_assert_int_eq(p->insns[1].imm, 7);   /* f1 at 9 */
	ck_assert_uint_eq(p->insns[2].src_reg, BPF_PSEUDO_MAP_VALUE);
	ck_assert_int_eq(p->insns[2].imm, 0);
	ck_assert_int_eq(p->insns[3].imm, 4);
	ck_assert_uint_eq(p->insns[4].src_reg, BPF_PSEUDO_FUNC);
	ck_assert_int_eq(p->insns[4].imm, 2);   /* loc, already there */
	ck_assert_uint_eq(p->insns[4].dst_reg, 2);
	ck_assert_int_eq(p->insns[7].imm, 1);   /* loc's mov */
	ck_assert_uint_eq(p->insns[9].code, CALL);
	ck_assert_int_eq(p->insns[9].imm, 1);   /* f1 -> f2 at 11 */
	ck_assert_int_eq(p->insns[11].imm, 2);  /* f2's mov */
	ck_assert_uint_eq(p->n_fixups, 1);
	ck_assert_uint_eq(p->fixups[0].insn, 2);
	ck_assert_int_eq(p->fixups[0].kind, RB_FIXUP_MAP_VALUE);
	ck_assert_str_eq(obj->maps[p->fixups[0].map].name, "prog.data");
	ck_assert_uint_eq(p->fixups[0].off, 4);
	const struct rb_prog *q = rb_obj_find_prog(obj, "prog2");
	ck_assert_uint_eq(q->insn_cnt, 4);
	ck_assert_int_eq(q->insns[0].imm, 1);
	ck_assert_int_eq(q->insns[2].imm, 2);
	ck_assert_ptr_null(rb_obj_find_prog(obj, "loc"));
	ck_assert_ptr_null(rb_obj_find_prog(obj, "f2"));
}

START_TEST(links_synthetic_streams)
{
	struct gen *g = malloc(sizeof(*g));
	struct base b;
	struct rb_obj *obj = NULL;
	struct rb_err err = {0};
	base_object(g, &b, false);
	ck_assert_msg(open_gen(g, &obj, &err) == 0, "%s", err.msg);
	ck_assert(!obj->foreign_endian && !obj->big_endian);
	check_base_links(obj);
	ck_assert_str_eq(obj->maps[0].name, "prog.data");
	ck_assert_int_eq(obj->maps[0].data[4], 5);
	rb_obj_free(obj);
	free(g);
}
END_TEST

START_TEST(big_endian_objects_parse_in_host_order)
{
	struct gen *g = malloc(sizeof(*g));
	struct base b;
	struct rb_obj *obj = NULL;
	struct rb_err err = {0};
	base_object(g, &b, true);
	ck_assert_msg(open_gen(g, &obj, &err) == 0, "%s", err.msg);
	ck_assert(obj->foreign_endian && obj->big_endian);
	check_base_links(obj);
	rb_obj_free(obj);
	free(g);
}
END_TEST

/* --- every relocation error ---------------------------------------------------------- */

enum corrupt {
	C_MISALIGNED, C_PAST_END, C_BAD_SYM, C_UNKNOWN_TYPE, C_LD_ON_CALL, C_CALL_ON_LD,
	C_NO_MAP_SECTION, C_MID_FUNCTION, C_DATA_PAST_END, C_LOCAL_CALL_OUT, C_TWICE,
	C_CALL_TO_DATA, C_ODD_SECTION, C_FUNC_OUTSIDE, C_ABS_IN_CODE, C_HUGE_BSS, C_NCASES
};

static const char *const corrupt_msg[C_NCASES] = {
	[C_MISALIGNED] = "prog.o: section 'tracepoint/sched/x': relocation 0 at offset 0x4 is not on "
			 "an instruction boundary (the section has 3 instructions)",
	[C_PAST_END] = "prog.o: section 'tracepoint/sched/x': relocation 0 at offset 0x18 is past the "
		       "section end (the section has 3 instructions)",
	[C_BAD_SYM] = "prog.o: ",
	[C_UNKNOWN_TYPE] = "prog.o: section 'tracepoint/sched/x': relocation 0 at offset 0x0 has "
			   "unknown type 7 (BPF code takes R_BPF_64_64 and R_BPF_64_32)",
	[C_LD_ON_CALL] = "prog.o: section 'tracepoint/sched/x': relocation 0 (R_BPF_64_64) at offset "
			 "0x10 is on opcode 0x95, not on a 64-bit load (ld_imm64)",
	[C_CALL_ON_LD] = "prog.o: section 'tracepoint/sched/x': relocation 0 (R_BPF_64_32) at offset "
			 "0x0 is on opcode 0x18, not on a call",
	[C_NO_MAP_SECTION] = "prog.o: section 'tracepoint/sched/x': relocation 0 points at symbol "
			     "'cnt' which is in no map section",
	[C_MID_FUNCTION] = "prog.o: section 'xdp': instruction 1 calls or takes the address of "
			   "instruction 1 of section '.text', which is not the start of a function",
	[C_DATA_PAST_END] = "prog.o: section 'tracepoint/sched/x': relocation 0 points at offset 20 "
			    "of '.data', outside its 16 bytes",
	[C_LOCAL_CALL_OUT] = "prog.o: section 'xdp': instruction 0 calls or takes the address of "
			     "instruction 101 of section 'xdp', which is not the start of a function",
	[C_TWICE] = "prog.o: section 'tracepoint/sched/x': relocations 0 and 1 patch the same "
		    "instruction 0",
	[C_CALL_TO_DATA] = "prog.o: section 'socket': relocation 0: a call points at symbol 'cnt', "
			   "which is not a function",
	[C_ODD_SECTION] = "prog.o: section 'tracepoint/sched/x' is 28 bytes, not a whole number of "
			  "8-byte BPF instructions",
	[C_FUNC_OUTSIDE] = "prog.o: section 'tracepoint/sched/x': function 'tp' (offset 0x0, size 64)"
			   " is not inside the section's 3 instructions on an instruction boundary",
	[C_ABS_IN_CODE] = "prog.o: section 'tracepoint/sched/x': relocation 0 at offset 0x0 has type "
			  "R_BPF_64_ABS64, which belongs in data, not in BPF code",
	[C_HUGE_BSS] = "prog.o: section '.bss' is 1073741824 bytes, more than rawbpf takes for "
		       "global data (64 MiB)",
};

static void corrupt(struct gen *g, const struct base *b, enum corrupt k)
{
	struct grel *sock_rel = &g->rel[2];
	switch (k) {
	case C_MISALIGNED: gen_rel(g, b->tp, 4, b->s_cnt, 1); break;
	case C_PAST_END: gen_rel(g, b->tp, 24, b->s_cnt, 1); break;
	case C_BAD_SYM: gen_rel(g, b->tp, 0, 999, 1); break;
	case C_UNKNOWN_TYPE: gen_rel(g, b->tp, 0, b->s_cnt, 7); break;
	case C_LD_ON_CALL: gen_rel(g, b->tp, 16, b->s_data, 1); break;
	case C_CALL_ON_LD: gen_rel(g, b->tp, 0, b->s_text, 10); break;
	case C_NO_MAP_SECTION: gen_rel(g, b->tp, 0, b->s_cnt, 1); break;
	case C_MID_FUNCTION: gen_insn(g, b->xdp, 1, CALL, 0, BPF_PSEUDO_CALL, 0, 0); break;
	case C_DATA_PAST_END:
		gen_insn(g, b->tp, 0, LDDW, 1, 0, 0, 20);
		gen_rel(g, b->tp, 0, b->s_data, 1);
		break;
	case C_LOCAL_CALL_OUT: gen_insn(g, b->xdp, 0, CALL, 0, BPF_PSEUDO_CALL, 0, 100); break;
	case C_TWICE:
		gen_rel(g, b->tp, 0, b->s_data, 1);
		gen_rel(g, b->tp, 0, b->s_data, 1);
		break;
	case C_CALL_TO_DATA: sock_rel->sym = b->s_cnt; break;
	case C_ODD_SECTION: g->sec[b->tp].size = 28; break;
	case C_FUNC_OUTSIDE: put(g, g->syms[8] + 16, 64, 8); break;
	case C_ABS_IN_CODE: gen_rel(g, b->tp, 0, b->s_data, 2); break;
	case C_HUGE_BSS: gen_sec(g, ".bss", SHT_NOBITS, SHF_ALLOC | SHF_WRITE, NULL, 1u << 30); break;
	case C_NCASES: break;
	}
}

START_TEST(corrupted_relocations)
{
	struct gen *g = malloc(sizeof(*g));
	struct base b;
	struct rb_obj *obj = NULL;
	struct rb_err err = {0};
	base_object(g, &b, _i % 2 == 1);
	corrupt(g, &b, (enum corrupt)(_i / 2));
	ck_assert_int_eq(open_gen(g, &obj, &err), -RB_EINPUT);
	ck_assert_ptr_null(obj);
	if (_i / 2 == C_BAD_SYM)
		ck_assert_msg(strncmp(err.msg, "prog.o: ", 8) == 0 && strstr(err.msg, "symbol 999") &&
			      !strstr(err.msg + 1, "prog.o: "), "%s", err.msg);
	else
		ck_assert_str_eq(err.msg, corrupt_msg[_i / 2]);
	free(g);
}
END_TEST

START_TEST(data_and_debug_relocations)
{
	struct gen *g = malloc(sizeof(*g));
	struct base b;
	struct rb_obj *obj = NULL;
	struct rb_err err = {0};
	base_object(g, &b, false);
	uint32_t dbg = gen_sec(g, ".debug_info", SHT_PROGBITS, 0, "xxxxxxxx", 8);
	uint32_t btf = gen_sec(g, ".BTF.ext", SHT_PROGBITS, 0, "xxxxxxxx", 8);
	gen_rel(g, dbg, 0, b.s_data, 3);
	gen_rel(g, btf, 0, b.s_data, 4);
	gen_rel(g, b.data, 8, b.s_data, 2);
	ck_assert_msg(open_gen(g, &obj, &err) == 0, "%s", err.msg);
	/* .BTF.ext here is not real BTF.ext: without .BTF it is not parsed. */
	ck_assert_uint_eq(obj->n_warnings, 2); /* plus the unused section 'foo' */
	ck_assert_str_eq(obj->warnings[0], "prog.o: 1 relocations in section '.data' ignored "
			 "(pointers in BPF data cannot be relocated)");
	rb_obj_free(obj);
	free(g);
}
END_TEST

START_TEST(unused_sections_warn)
{
	struct gen *g = malloc(sizeof(*g));
	struct base b;
	struct rb_obj *obj = NULL;
	struct rb_err err = {0};
	base_object(g, &b, false);
	gen_sec(g, ".rawbpf.types", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, "xxxxxxxx", 8);
	gen_sec(g, ".comment", SHT_PROGBITS, 0, "clang", 6);
	ck_assert_msg(open_gen(g, &obj, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(obj->n_warnings, 1);
	ck_assert_str_eq(obj->warnings[0], "prog.o: section 'foo' (8 bytes) is not a map, data or "
			 "program section rawbpf knows; skipped");
	rb_obj_free(obj);
	free(g);
}
END_TEST

/* struct_ops variables are described by BTF; bytes without it are refused,
 * not skipped (elf/obj/struct_ops.c; tests/elf/obj/struct_ops_test.c). */
START_TEST(struct_ops_without_btf_is_refused)
{
	struct gen *g = malloc(sizeof(*g));
	struct base b;
	struct rb_obj *obj = NULL;
	struct rb_err err = {0};
	base_object(g, &b, false);
	gen_sec(g, ".struct_ops", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, "xxxxxxxx", 8);
	ck_assert_int_eq(open_gen(g, &obj, &err), -RB_EINPUT);
	ck_assert_msg(strstr(err.msg, "section '.struct_ops' has no BTF DATASEC"), "%s", err.msg);
	free(g);
}
END_TEST

START_TEST(warnings_are_capped)
{
	struct gen *g = malloc(sizeof(*g));
	struct base b;
	struct rb_obj *obj = NULL;
	struct rb_err err = {0};
	base_object(g, &b, false);
	ck_assert_msg(open_gen(g, &obj, &err) == 0, "%s", err.msg);
	for (int i = 0; i < 200; i++)
		rb_obj_warn(obj, "warning %d", i);
	ck_assert_uint_eq(obj->n_warnings, 65);
	ck_assert_str_eq(obj->warnings[63], "warning 62");
	ck_assert_str_eq(obj->warnings[64], "prog.o: further warnings omitted");
	rb_obj_free(obj);
	free(g);
}
END_TEST

START_TEST(legacy_map_records)
{
	struct gen *g = malloc(sizeof(*g));
	struct base b;
	struct rb_obj *obj = NULL;
	struct rb_err err = {0};
	uint8_t defs[40] = {0};
	base_object(g, &b, false);
	for (int i = 0; i < 2; i++) {
		put(g, defs + 20 * i, BPF_MAP_TYPE_ARRAY, 4);
		put(g, defs + 20 * i + 4, 4, 4);
		put(g, defs + 20 * i + 8, 8 * (i + 1), 4);
		put(g, defs + 20 * i + 12, 10, 4);
	}
	uint32_t maps = gen_sec(g, "maps", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, defs, 40);
	uint32_t m0 = gen_sym(g, "m0", maps, 0, 20, STT_OBJECT, STB_GLOBAL);
	gen_sym(g, "m1", maps, 20, 20, STT_OBJECT, STB_GLOBAL);
	gen_insn(g, b.tp, 0, LDDW, 1, 0, 0, 20);
	gen_rel(g, b.tp, 0, m0, 1);
	ck_assert_msg(open_gen(g, &obj, &err) == 0, "%s", err.msg);
	const struct rb_prog *p = rb_obj_find_prog(obj, "tp");
	ck_assert_uint_eq(p->n_fixups, 1);
	ck_assert_str_eq(obj->maps[p->fixups[0].map].name, "m1");
	ck_assert_int_eq(p->fixups[0].kind, RB_FIXUP_MAP_FD);
	ck_assert_uint_eq(p->insns[0].src_reg, BPF_PSEUDO_MAP_FD);
	ck_assert_uint_eq(rb_obj_find_map(obj, "m1")->value_size, 16);
	rb_obj_free(obj);

	/* 40 bytes for 3 symbols: no record size */
	gen_init(g, false);
	base_object(g, &b, false);
	maps = gen_sec(g, "maps", SHT_PROGBITS, SHF_ALLOC | SHF_WRITE, defs, 40);
	gen_sym(g, "a", maps, 0, 4, STT_OBJECT, STB_GLOBAL);
	gen_sym(g, "b", maps, 12, 4, STT_OBJECT, STB_GLOBAL);
	gen_sym(g, "c", maps, 24, 4, STT_OBJECT, STB_GLOBAL);
	ck_assert_int_eq(open_gen(g, &obj, &err), -RB_EINPUT);
	ck_assert_str_eq(err.msg, "prog.o: section 'maps' is 40 bytes for 3 map symbols: no whole "
			 "record size (a multiple of 4) fits");
	free(g);
}
END_TEST

START_TEST(not_a_bpf_object)
{
	struct gen *g = malloc(sizeof(*g));
	struct base b;
	struct rb_obj *obj = NULL;
	struct rb_err err = {0};
	base_object(g, &b, false);
	gen_build(g);
	g->out[18] = 62; /* EM_X86_64 */
	ck_assert_int_eq(rb_obj_open_mem(&obj, g->out, g->len, "x.o", &err), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "x.o: not a BPF object: machine is x86-64"));
	free(g);
}
END_TEST

/* Random bytes, and random bytes behind a valid ELF header. */
START_TEST(random_bytes_never_crash)
{
	uint8_t *buf = malloc(4096);
	uint64_t seed = 12345;
	struct gen *g = malloc(sizeof(*g));
	struct base b;
	base_object(g, &b, false);
	gen_build(g);
	for (int iter = 0; iter < 4000; iter++) {
		size_t len = 0;
		seed = seed * 6364136223846793005ull + 1442695040888963407ull;
		len = (seed >> 40) % 4096;
		for (size_t i = 0; i < len; i++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			buf[i] = (uint8_t)(seed >> 56);
		}
		if (iter % 2 && len >= 64)
			memcpy(buf, g->out, 64);
		if (iter % 4 == 3 && len >= g->len) {
			memcpy(buf, g->out, g->len);
			buf[(seed >> 8) % g->len] ^= (uint8_t)(seed >> 16);
			buf[(seed >> 24) % g->len] ^= (uint8_t)(seed >> 32);
		}
		struct rb_obj *obj = NULL;
		struct rb_err err = {0};
		int r = rb_obj_open_mem(&obj, buf, len, "rnd.o", &err);
		ck_assert(r == 0 || (r < 0 && obj == NULL && err.msg[0]));
		rb_obj_free(obj);
	}
	free(g);
	free(buf);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("elf/obj synthetic objects");
	TCase *tc = tcase_create("synthetic");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, links_synthetic_streams);
	tcase_add_test(tc, big_endian_objects_parse_in_host_order);
	tcase_add_loop_test(tc, corrupted_relocations, 0, 2 * C_NCASES);
	tcase_add_test(tc, data_and_debug_relocations);
	tcase_add_test(tc, unused_sections_warn);
	tcase_add_test(tc, struct_ops_without_btf_is_refused);
	tcase_add_test(tc, warnings_are_capped);
	tcase_add_test(tc, legacy_map_records);
	tcase_add_test(tc, not_a_bpf_object);
	tcase_add_test(tc, random_bytes_never_crash);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
