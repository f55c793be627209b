/* Small in-test builders for hand-made ELF, BTF and .BTF.ext inputs, in
 * either byte order.  Header-only: each test binary includes it once. */
#ifndef RAWBPF_TESTS_ELF_BUILDERS_H
#define RAWBPF_TESTS_ELF_BUILDERS_H

#include <elf.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <linux/btf.h>

#define TB_CAP 8192

struct tb {
	uint8_t d[TB_CAP];
	size_t len;
	bool be; /* write big-endian */
};

static inline void tb_put(struct tb *b, size_t off, uint64_t v, int n)
{
	for (int i = 0; i < n; i++) {
		int shift = b->be ? 8 * (n - 1 - i) : 8 * i;
		b->d[off + (size_t)i] = (uint8_t)(v >> shift);
	}
	if (off + (size_t)n > b->len)
		b->len = off + (size_t)n;
}

static inline size_t tb_add(struct tb *b, uint64_t v, int n)
{
	size_t off = b->len;
	tb_put(b, off, v, n);
	return off;
}

static inline size_t tb_bytes(struct tb *b, const void *p, size_t n)
{
	size_t off = b->len;
	memcpy(b->d + off, p, n);
	b->len += n;
	return off;
}

static inline void tb_align(struct tb *b, size_t a)
{
	while (b->len % a)
		b->d[b->len++] = 0;
}

/* --- ELF: a BPF relocatable object with .text, .symtab, .strtab, .rel.text,
 * .note.stapsdt and .shstrtab ------------------------------------------------------ */

enum { ES_NULL, ES_TEXT, ES_SYMTAB, ES_STRTAB, ES_REL, ES_NOTE, ES_SHSTRTAB, ES_COUNT };

struct elf_layout {
	size_t shoff;
	size_t sec_hdr[ES_COUNT];  /* offset of each section header */
};

static const char tb_shstr[] = "\0.text\0.symtab\0.strtab\0.rel.text\0.note.stapsdt\0.shstrtab";
static const char tb_str[] = "\0prog\0cnt";

static inline void tb_shdr(struct tb *b, uint32_t name, uint32_t type, uint64_t flags, uint64_t off,
			   uint64_t size, uint32_t link, uint32_t info, uint64_t align, uint64_t entsize)
{
	tb_add(b, name, 4);
	tb_add(b, type, 4);
	tb_add(b, flags, 8);
	tb_add(b, 0, 8);
	tb_add(b, off, 8);
	tb_add(b, size, 8);
	tb_add(b, link, 4);
	tb_add(b, info, 4);
	tb_add(b, align, 8);
	tb_add(b, entsize, 8);
}

static inline void tb_sym(struct tb *b, uint32_t name, uint8_t info, uint16_t shndx, uint64_t value,
			  uint64_t size)
{
	tb_add(b, name, 4);
	tb_add(b, info, 1);
	tb_add(b, 0, 1);
	tb_add(b, shndx, 2);
	tb_add(b, value, 8);
	tb_add(b, size, 8);
}

static inline void build_elf(struct tb *b, bool be, uint16_t machine, struct elf_layout *lo)
{
	memset(b, 0, sizeof(*b));
	b->be = be;
	static const uint8_t ident[16] = {0x7f, 'E', 'L', 'F', ELFCLASS64, ELFDATA2LSB, EV_CURRENT};
	tb_bytes(b, ident, 16);
	b->d[EI_DATA] = be ? ELFDATA2MSB : ELFDATA2LSB;
	b->len = 64;
	/* .text: two instructions (ld_imm64 halves) */
	size_t text = b->len;
	for (int i = 0; i < 16; i++)
		tb_add(b, i == 0 ? 0x18 : 0, 1);
	size_t strtab = tb_bytes(b, tb_str, sizeof(tb_str));
	tb_align(b, 8);
	size_t symtab = b->len;
	tb_sym(b, 0, 0, 0, 0, 0);
	tb_sym(b, 1, (STB_GLOBAL << 4) | STT_FUNC, ES_TEXT, 0, 16);
	tb_sym(b, 6, (STB_GLOBAL << 4) | STT_OBJECT, ES_TEXT, 8, 4);
	size_t rel = b->len;
	tb_add(b, 0, 8);
	tb_add(b, ((uint64_t)2 << 32) | 1, 8);
	size_t note = b->len;
	tb_add(b, 8, 4);  /* namesz "stapsdt\0" */
	tb_add(b, 8, 4);  /* descsz */
	tb_add(b, 3, 4);  /* type */
	tb_bytes(b, "stapsdt", 8);
	tb_add(b, 0x1122334455667788ull, 8);
	size_t shstr = tb_bytes(b, tb_shstr, sizeof(tb_shstr));
	tb_align(b, 8);
	lo->shoff = b->len;
	for (int i = 0; i < ES_COUNT; i++)
		lo->sec_hdr[i] = lo->shoff + 64 * (size_t)i;
	tb_shdr(b, 0, SHT_NULL, 0, 0, 0, 0, 0, 0, 0);
	tb_shdr(b, 1, SHT_PROGBITS, SHF_ALLOC | SHF_EXECINSTR, text, 16, 0, 0, 8, 0);
	tb_shdr(b, 7, SHT_SYMTAB, 0, symtab, 3 * 24, ES_STRTAB, 1, 8, 24);
	tb_shdr(b, 15, SHT_STRTAB, 0, strtab, sizeof(tb_str), 0, 0, 1, 0);
	tb_shdr(b, 23, SHT_REL, 0, rel, 16, ES_SYMTAB, ES_TEXT, 8, 16);
	tb_shdr(b, 33, SHT_NOTE, 0, note, 28, 0, 0, 4, 0);
	tb_shdr(b, 47, SHT_STRTAB, 0, shstr, sizeof(tb_shstr), 0, 0, 1, 0);
	tb_put(b, 16, ET_REL, 2);
	tb_put(b, 18, machine, 2);
	tb_put(b, 20, EV_CURRENT, 4);
	tb_put(b, 40, lo->shoff, 8);
	tb_put(b, 52, 64, 2);       /* e_ehsize */
	tb_put(b, 58, 64, 2);       /* e_shentsize */
	tb_put(b, 60, ES_COUNT, 2); /* e_shnum */
	tb_put(b, 62, ES_SHSTRTAB, 2);
}

/* --- BTF ---------------------------------------------------------------------------- */

struct btf_builder {
	struct tb types;
	struct tb strs;
	uint32_t next_id;
};

static inline void bb_init(struct btf_builder *bb, bool be, uint32_t first_id, bool split)
{
	memset(bb, 0, sizeof(*bb));
	bb->types.be = bb->strs.be = be;
	bb->next_id = first_id;
	if (!split)
		bb->strs.len = 1; /* "" at offset 0 */
}

/* Returns the string's offset (plus base_off for split BTF). */
static inline uint32_t bb_str(struct btf_builder *bb, const char *s, uint32_t base_off)
{
	return base_off + (uint32_t)tb_bytes(&bb->strs, s, strlen(s) + 1);
}

static inline uint32_t bb_type(struct btf_builder *bb, uint32_t name, uint32_t kind, bool kflag,
			       uint32_t vlen, uint32_t size_or_type)
{
	tb_add(&bb->types, name, 4);
	tb_add(&bb->types, (kflag ? 1u << 31 : 0) | (kind << 24) | vlen, 4);
	tb_add(&bb->types, size_or_type, 4);
	return bb->next_id++;
}

static inline void bb_u32(struct btf_builder *bb, uint32_t v)
{
	tb_add(&bb->types, v, 4);
}

/* Header + types + strings into out. */
static inline void bb_finish(struct btf_builder *bb, struct tb *out)
{
	memset(out, 0, sizeof(*out));
	out->be = bb->types.be;
	tb_add(out, 0xeB9F, 2);
	tb_add(out, 1, 1);
	tb_add(out, 0, 1);
	tb_add(out, 24, 4);
	tb_add(out, 0, 4);
	tb_add(out, (uint32_t)bb->types.len, 4);
	tb_add(out, (uint32_t)bb->types.len, 4);
	tb_add(out, (uint32_t)bb->strs.len, 4);
	tb_bytes(out, bb->types.d, bb->types.len);
	tb_bytes(out, bb->strs.d, bb->strs.len);
}

#endif
