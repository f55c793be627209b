/* ELF64 reader.  Everything in the file is hostile: each header field is
 * range-checked once at open, each entry-dependent value (a symbol's name
 * offset, a relocation's symbol index, a note's sizes) when it is read. */
#include "elf/elf.h"

#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/strtab.h"

#define EHDR_SIZE 64u
#define SHDR_SIZE 64u
#define PHDR_SIZE 56u
#define SYM_SIZE 24u
#define REL_SIZE 16u
#define RELA_SIZE 24u
#define NOTE_HDR_SIZE 12u
#define VERDEF_SIZE 20u
#define VERDAUX_SIZE 8u
#define VERNEED_SIZE 16u
#define VERNAUX_SIZE 16u

/* --- byte order ----------------------------------------------------------------- */

static bool host_is_big_endian(void)
{
	const uint16_t one = 1;
	uint8_t b;
	memcpy(&b, &one, 1);
	return b == 0;
}

static uint16_t rd16(const uint8_t *p, bool swap)
{
	uint16_t v;
	memcpy(&v, p, sizeof(v));
	return swap ? __builtin_bswap16(v) : v;
}

static uint32_t rd32(const uint8_t *p, bool swap)
{
	uint32_t v;
	memcpy(&v, p, sizeof(v));
	return swap ? __builtin_bswap32(v) : v;
}

static uint64_t rd64(const uint8_t *p, bool swap)
{
	uint64_t v;
	memcpy(&v, p, sizeof(v));
	return swap ? __builtin_bswap64(v) : v;
}

/* Copies a header whose host struct mirrors the file's layout, then puts
 * each field (sizes: one digit per field, "48" = u32 then u64) in host order. */
static void load_fields(void *dst, const uint8_t *src, size_t len, const char *sizes, bool swap)
{
	uint8_t *d = dst;
	memcpy(d, src, len);
	for (; swap && *sizes; d += *sizes++ - '0') {
		if (*sizes == '2')
			memcpy(d, &(uint16_t){rd16(d, true)}, 2);
		else if (*sizes == '4')
			memcpy(d, &(uint32_t){rd32(d, true)}, 4);
		else
			memcpy(d, &(uint64_t){rd64(d, true)}, 8);
	}
}

uint16_t rb_elf_u16(const struct rb_elf *elf, const void *p) { return rd16(p, elf->needs_swap); }
uint32_t rb_elf_u32(const struct rb_elf *elf, const void *p) { return rd32(p, elf->needs_swap); }
uint64_t rb_elf_u64(const struct rb_elf *elf, const void *p) { return rd64(p, elf->needs_swap); }

int rb_input_errf(struct rb_err *e, const char *where, const char *fmt, ...)
{
	if (!e || e->code)
		return -RB_EINPUT; /* the first error wins, as with rb_errf */
	e->code = RB_EINPUT;
	size_t n = (size_t)snprintf(e->msg, sizeof(e->msg), "%s: ", where);
	if (n < sizeof(e->msg)) {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(e->msg + n, sizeof(e->msg) - n, fmt, ap);
		va_end(ap);
	}
	return -RB_EINPUT;
}

int rb_oom_errf(struct rb_err *e, const char *where)
{
	return rb_errf(e, RB_ESYS, "%s: out of memory", where);
}

/* --- names for messages ----------------------------------------------------------- */

const char *rb_elf_type_name(uint16_t type)
{
	const char *n = rb_strtab_at("NONE\0REL\0EXEC\0DYN\0CORE\0", type);
	return n ? n : "unknown type";
}

const char *rb_elf_machine_name(uint16_t machine)
{
	static const uint8_t machines[] = {EM_BPF, EM_X86_64, EM_386, EM_AARCH64, EM_ARM, EM_RISCV, EM_PPC64, EM_S390};
	for (size_t i = 0; i < sizeof(machines); i++)
		if (machine == machines[i])
			return rb_strtab_at("BPF\0x86-64\0i386\0AArch64\0ARM\0RISC-V\0PowerPC64\0s390\0", i);
	return "another machine";
}

/* --- header ------------------------------------------------------------------------- */

/* Elf64_Ehdr from e_type on (offset 16), field for field. */
struct ehdr_raw {
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};
_Static_assert(sizeof(struct ehdr_raw) == EHDR_SIZE - EI_NIDENT, "ehdr_raw mirrors Elf64_Ehdr");

static int check_ident(struct rb_elf *elf, struct rb_err *err)
{
	const uint8_t *d = elf->data;
	if (elf->size < EI_NIDENT || memcmp(d, ELFMAG, SELFMAG) != 0)
		return rb_input_errf(err, elf->name, "not an ELF file (no \\x7fELF magic)");
	if (d[EI_CLASS] == ELFCLASS32)
		return rb_input_errf(err, elf->name, "32-bit ELF (ELFCLASS32); rawbpf reads ELF64 only");
	if (d[EI_CLASS] != ELFCLASS64)
		return rb_input_errf(err, elf->name, "unknown ELF class %u (want ELFCLASS64)", d[EI_CLASS]);
	if (d[EI_DATA] != ELFDATA2LSB && d[EI_DATA] != ELFDATA2MSB)
		return rb_input_errf(err, elf->name, "unknown ELF byte order %u (EI_DATA)", d[EI_DATA]);
	if (elf->size < EHDR_SIZE)
		return rb_input_errf(err, elf->name, "truncated ELF header (%zu of %u bytes)", elf->size,
				     EHDR_SIZE);
	elf->big_endian = d[EI_DATA] == ELFDATA2MSB;
	elf->needs_swap = elf->big_endian != host_is_big_endian();
	elf->osabi = d[EI_OSABI];
	return 0;
}

static void read_ehdr(struct rb_elf *elf, struct ehdr_raw *h)
{
	load_fields(h, elf->data + EI_NIDENT, sizeof(*h), "2248884222222", elf->needs_swap);
	elf->type = h->type;
	elf->machine = h->machine;
	elf->entry = h->entry;
	elf->flags = h->flags;
}

/* --- section headers ------------------------------------------------------------------- */

/* struct rb_elf_sec from name_off to entsize mirrors Elf64_Shdr. */
_Static_assert(offsetof(struct rb_elf_sec, entsize) - offsetof(struct rb_elf_sec, name_off) ==
	       SHDR_SIZE - 8, "rb_elf_sec mirrors Elf64_Shdr");

static void read_shdr(const struct rb_elf *elf, const uint8_t *p, struct rb_elf_sec *sec)
{
	load_fields(&sec->name_off, p, SHDR_SIZE, "4488884488", elf->needs_swap);
}

/* e_shnum == 0 and e_shstrndx == SHN_XINDEX keep the real values in
 * section 0 (for files with >= 0xff00 sections). */
static int section_count(struct rb_elf *elf, const struct ehdr_raw *h, struct rb_err *err)
{
	elf->shnum = h->shnum;
	elf->shstrndx = h->shstrndx;
	if (h->shoff == 0) {
		elf->shnum = 0;
		elf->shstrndx = 0;
		return 0;
	}
	if (h->shentsize < SHDR_SIZE)
		return rb_input_errf(err, elf->name,
				     "e_shentsize %u is smaller than an ELF64 section header (%u)",
				     h->shentsize, SHDR_SIZE);
	if (!rb_range_ok(h->shoff, SHDR_SIZE, elf->size))
		return rb_input_errf(err, elf->name, "e_shoff 0x%llx past the end of the file (%zu bytes)",
				     (unsigned long long)h->shoff, elf->size);
	if (h->shnum == 0 || h->shstrndx == SHN_XINDEX) {
		struct rb_elf_sec s0 = {0};
		read_shdr(elf, elf->data + h->shoff, &s0);
		if (h->shnum == 0)
			elf->shnum = s0.size > UINT32_MAX ? UINT32_MAX : (uint32_t)s0.size;
		if (h->shstrndx == SHN_XINDEX)
			elf->shstrndx = s0.link;
	}
	uint64_t bytes = (uint64_t)elf->shnum * h->shentsize;
	if (!rb_range_ok(h->shoff, bytes, elf->size))
		return rb_input_errf(err, elf->name,
				     "%u section headers at e_shoff 0x%llx (%llu bytes) run past the end of the file (%zu bytes)",
				     elf->shnum, (unsigned long long)h->shoff, (unsigned long long)bytes,
				     elf->size);
	return 0;
}

static int read_sections(struct rb_elf *elf, const struct ehdr_raw *h, struct rb_err *err)
{
	int r = section_count(elf, h, err);
	if (r < 0 || elf->shnum == 0)
		return r;
	elf->secs = calloc(elf->shnum, sizeof(*elf->secs));
	if (!elf->secs)
		return rb_errf(err, RB_ESYS, "%s: out of memory for %u section headers", elf->name, elf->shnum);
	for (uint32_t i = 0; i < elf->shnum; i++) {
		const uint8_t *p = elf->data + h->shoff + (uint64_t)i * h->shentsize;
		elf->secs[i].index = i;
		elf->secs[i].name = "";
		read_shdr(elf, p, &elf->secs[i]);
	}
	return 0;
}

static int check_sec_bounds(const struct rb_elf *elf, struct rb_elf_sec *sec, struct rb_err *err)
{
	if (sec->type == SHT_NOBITS || sec->type == SHT_NULL || sec->size == 0)
		return 0;
	if (!rb_range_ok(sec->offset, sec->size, elf->size))
		return rb_input_errf(err, elf->name,
				     "section %u (%s): sh_offset 0x%llx+0x%llx past the end of the file (%zu bytes)",
				     sec->index, sec->name, (unsigned long long)sec->offset,
				     (unsigned long long)sec->size, elf->size);
	sec->data = elf->data + sec->offset;
	return 0;
}

const struct rb_elf_sec *rb_elf_sec(const struct rb_elf *elf, uint32_t index)
{
	return index < elf->shnum ? &elf->secs[index] : NULL;
}

/* String lookups: the table's bytes must be checked (data set) and the
 * string must end inside them. */
static const char *table_str(const struct rb_elf_sec *tab, uint64_t off)
{
	if (!tab || tab->type != SHT_STRTAB || !tab->data || off >= tab->size)
		return NULL;
	const char *s = (const char *)tab->data + off;
	return memchr(s, 0, tab->size - off) ? s : NULL;
}

const char *rb_elf_str(const struct rb_elf *elf, uint32_t strtab_index, uint64_t off)
{
	return table_str(rb_elf_sec(elf, strtab_index), off);
}

static int resolve_names(struct rb_elf *elf, struct rb_err *err)
{
	if (elf->shstrndx == SHN_UNDEF || elf->shnum == 0)
		return 0;
	if (elf->shstrndx >= elf->shnum)
		return rb_input_errf(err, elf->name, "e_shstrndx %u is not a section (the file has %u)",
				     elf->shstrndx, elf->shnum);
	struct rb_elf_sec *str = &elf->secs[elf->shstrndx];
	if (str->type != SHT_STRTAB)
		return rb_input_errf(err, elf->name,
				     "e_shstrndx %u names a section of type %u, not a string table",
				     elf->shstrndx, str->type);
	int r = check_sec_bounds(elf, str, err);
	if (r < 0)
		return r;
	for (uint32_t i = 0; i < elf->shnum; i++) {
		const char *n = table_str(str, elf->secs[i].name_off);
		if (!n)
			return rb_input_errf(err, elf->name,
					     "section %u: name offset 0x%x is outside the section name table (%llu bytes) or unterminated",
					     i, elf->secs[i].name_off, (unsigned long long)str->size);
		elf->secs[i].name = n;
	}
	return 0;
}

/* --- per-type section checks ------------------------------------------------------------- */

static int sec_fail(const struct rb_elf *elf, const struct rb_elf_sec *sec, struct rb_err *err,
		    const char *what, unsigned long long v)
{
	return rb_input_errf(err, elf->name, "section %u (%s): %s (0x%llx)", sec->index, sec->name, what, v);
}

static bool is_symtab_type(uint32_t type)
{
	return type == SHT_SYMTAB || type == SHT_DYNSYM;
}

static int check_table(const struct rb_elf *elf, const struct rb_elf_sec *sec, uint64_t entsize,
		       struct rb_err *err)
{
	/* Some linkers leave sh_entsize 0 on version tables; the size is fixed. */
	if (sec->entsize != entsize && !(sec->entsize == 0 && sec->type == SHT_GNU_versym))
		return sec_fail(elf, sec, err, "unexpected sh_entsize", sec->entsize);
	if (sec->size % entsize)
		return sec_fail(elf, sec, err, "sh_size is not a multiple of the entry size", sec->size);
	return 0;
}

static int check_link(const struct rb_elf *elf, const struct rb_elf_sec *sec, bool want_symtab,
		      bool allow_zero, struct rb_err *err)
{
	if (sec->link == 0 && allow_zero)
		return 0;
	const struct rb_elf_sec *l = rb_elf_sec(elf, sec->link);
	if (!l)
		return sec_fail(elf, sec, err, "sh_link is not a section", sec->link);
	bool ok = want_symtab ? is_symtab_type(l->type) : l->type == SHT_STRTAB;
	if (!ok)
		return sec_fail(elf, sec, err,
				want_symtab ? "sh_link does not name a symbol table"
					    : "sh_link does not name a string table",
				sec->link);
	return 0;
}

/* The sections whose entries have a fixed size (0: not a table) and whose
 * sh_link must name a symbol table (else a string table). */
static const struct {
	uint32_t type;
	uint8_t entsize;
	bool link_symtab;
} sec_rules[] = {
	{SHT_SYMTAB, SYM_SIZE, false}, {SHT_DYNSYM, SYM_SIZE, false},
	{SHT_REL, REL_SIZE, true}, {SHT_RELA, RELA_SIZE, true},
	{SHT_GNU_versym, 2, true}, {SHT_SYMTAB_SHNDX, 4, true},
	{SHT_GNU_verdef, 0, false}, {SHT_GNU_verneed, 0, false},
};

static int check_sec_contents(const struct rb_elf *elf, const struct rb_elf_sec *sec,
			      struct rb_err *err)
{
	bool rel = sec->type == SHT_REL || sec->type == SHT_RELA;
	for (size_t i = 0; i < RB_ARRAY_SIZE(sec_rules); i++) {
		if (sec_rules[i].type != sec->type)
			continue;
		int r = sec_rules[i].entsize ? check_table(elf, sec, sec_rules[i].entsize, err) : 0;
		if (r == 0) /* relocations of an executable may name no symbol table */
			r = check_link(elf, sec, sec_rules[i].link_symtab, rel && elf->type != ET_REL, err);
		if (r == 0 && rel && elf->type == ET_REL && sec->info >= elf->shnum)
			r = sec_fail(elf, sec, err, "sh_info (the section relocated) is not a section", sec->info);
		return r;
	}
	return 0;
}

static void remember_first(const struct rb_elf_sec **slot, const struct rb_elf_sec *sec)
{
	if (!*slot)
		*slot = sec;
}

static void note_special(struct rb_elf *elf, const struct rb_elf_sec *sec)
{
	switch (sec->type) {
	case SHT_SYMTAB: remember_first(&elf->symtab, sec); break;
	case SHT_DYNSYM: remember_first(&elf->dynsym, sec); break;
	case SHT_GNU_versym: remember_first(&elf->versym, sec); break;
	case SHT_GNU_verdef: remember_first(&elf->verdef, sec); break;
	case SHT_GNU_verneed: remember_first(&elf->verneed, sec); break;
	default: break;
	}
}

static int check_sections(struct rb_elf *elf, struct rb_err *err)
{
	for (uint32_t i = 0; i < elf->shnum; i++) {
		int r = check_sec_bounds(elf, &elf->secs[i], err);
		if (r < 0)
			return r;
	}
	for (uint32_t i = 0; i < elf->shnum; i++) {
		int r = check_sec_contents(elf, &elf->secs[i], err);
		if (r < 0)
			return r;
		note_special(elf, &elf->secs[i]);
	}
	for (uint32_t i = 0; i < elf->shnum; i++)
		if (elf->secs[i].type == SHT_SYMTAB_SHNDX && elf->symtab &&
		    elf->secs[i].link == elf->symtab->index)
			elf->symtab_shndx = &elf->secs[i];
	return 0;
}

/* --- program headers ----------------------------------------------------------------------- */

static int read_phdrs(struct rb_elf *elf, const struct ehdr_raw *h, struct rb_err *err)
{
	elf->phnum = h->phnum;
	if (h->phnum == PN_XNUM && elf->shnum > 0)
		elf->phnum = elf->secs[0].info;
	if (h->phoff == 0 || elf->phnum == 0) {
		elf->phnum = 0;
		return 0;
	}
	if (h->phentsize < PHDR_SIZE)
		return rb_input_errf(err, elf->name,
				     "e_phentsize %u is smaller than an ELF64 program header (%u)",
				     h->phentsize, PHDR_SIZE);
	uint64_t bytes = (uint64_t)elf->phnum * h->phentsize;
	if (!rb_range_ok(h->phoff, bytes, elf->size))
		return rb_input_errf(err, elf->name,
				     "%u program headers at e_phoff 0x%llx run past the end of the file (%zu bytes)",
				     elf->phnum, (unsigned long long)h->phoff, elf->size);
	elf->phdrs = calloc(elf->phnum, sizeof(*elf->phdrs));
	if (!elf->phdrs)
		return rb_errf(err, RB_ESYS, "%s: out of memory for %u program headers", elf->name, elf->phnum);
	_Static_assert(sizeof(struct rb_elf_phdr) == PHDR_SIZE, "rb_elf_phdr mirrors Elf64_Phdr");
	for (uint32_t i = 0; i < elf->phnum; i++)
		load_fields(&elf->phdrs[i], elf->data + h->phoff + (uint64_t)i * h->phentsize, PHDR_SIZE,
			    "44888888", elf->needs_swap);
	return 0;
}

/* --- open / close ---------------------------------------------------------------------------- */

static int parse(struct rb_elf *elf, struct rb_err *err)
{
	struct ehdr_raw h;
	int r = check_ident(elf, err);
	if (r < 0)
		return r;
	read_ehdr(elf, &h);
	r = read_sections(elf, &h, err);
	if (r == 0)
		r = resolve_names(elf, err);
	if (r == 0)
		r = check_sections(elf, err);
	if (r == 0)
		r = read_phdrs(elf, &h, err);
	return r;
}

int rb_elf_open_mem(struct rb_elf *elf, const void *data, size_t size, const char *name,
		    struct rb_err *err)
{
	memset(elf, 0, sizeof(*elf));
	elf->data = data;
	elf->size = size;
	elf->name = name ? name : "ELF";
	int r = parse(elf, err);
	if (r < 0)
		rb_elf_close(elf);
	return r;
}

int rb_read_input(const char *path, size_t max, const char *too_big, struct rb_buf *buf, struct rb_err *err)
{
	*buf = (struct rb_buf){0};
	int r = rb_read_file(path, max, buf);
	if (r < 0)
		rb_buf_free(buf);
	if (r == -EFBIG)
		return rb_input_errf(err, path, "larger than %zu MiB, %s", max >> 20, too_big);
	if (r < 0)
		return rb_errnof(err, RB_ESYS, -r, "%s: cannot read", path);
	return 0;
}

int rb_elf_open_file(struct rb_elf *elf, const char *path, struct rb_err *err)
{
	struct rb_buf buf;
	memset(elf, 0, sizeof(*elf));
	int r = rb_read_input(path, RB_ELF_MAX_FILE_SIZE, "the most rawbpf reads as an ELF file", &buf, err);
	if (r < 0)
		return r;
	char *name = strdup(path);
	if (!name) {
		rb_buf_free(&buf);
		return rb_oom_errf(err, path);
	}
	r = rb_elf_open_mem(elf, buf.data ? buf.data : "", buf.len, name, err);
	if (r < 0) {
		free(name);
		rb_buf_free(&buf);
		return r;
	}
	elf->owned = buf.data;
	elf->name_owned = name;
	return 0;
}

void rb_elf_close(struct rb_elf *elf)
{
	free(elf->secs);
	free(elf->phdrs);
	free(elf->owned);
	free(elf->name_owned);
	memset(elf, 0, sizeof(*elf));
}

const struct rb_elf_sec *rb_elf_sec_by_name(const struct rb_elf *elf, const char *name)
{
	for (uint32_t i = 0; i < elf->shnum; i++)
		if (strcmp(elf->secs[i].name, name) == 0)
			return &elf->secs[i];
	return NULL;
}

/* --- symbols ------------------------------------------------------------------------------------ */

size_t rb_elf_sym_count(const struct rb_elf *elf, const struct rb_elf_sec *symtab)
{
	(void)elf;
	if (!symtab || !is_symtab_type(symtab->type) || !symtab->data)
		return 0;
	return symtab->size / SYM_SIZE;
}

static int sym_xindex(const struct rb_elf *elf, const struct rb_elf_sec *symtab, size_t index,
		      uint32_t *shndx, struct rb_err *err)
{
	const struct rb_elf_sec *x = elf->symtab_shndx;
	if (!x || x->link != symtab->index || !x->data || index >= x->size / 4)
		return rb_input_errf(err, elf->name,
				     "symbol %zu of %s uses SHN_XINDEX but no SHT_SYMTAB_SHNDX entry holds its section",
				     index, symtab->name);
	*shndx = rd32(x->data + index * 4, elf->needs_swap);
	return 0;
}

/* The version sections chain their records: each holds the byte offset of
 * the next at next_at (0 ends the chain).  Returns the record at *pos when
 * it fits in sec and moves *pos to the next one; NULL at the end. */
static const uint8_t *chain_rec(const struct rb_elf *elf, const struct rb_elf_sec *sec, uint64_t *pos,
				uint32_t size, uint32_t next_at)
{
	if (*pos == UINT64_MAX || !rb_range_ok(*pos, size, sec->size))
		return NULL;
	const uint8_t *p = sec->data + *pos;
	uint32_t next = rd32(p + next_at, elf->needs_swap);
	*pos = next ? *pos + next : UINT64_MAX;
	return p;
}

/* .gnu.version_d: a chain of Verdef records, each with Verdaux names. */
static const char *verdef_name(const struct rb_elf *elf, uint16_t ver)
{
	const struct rb_elf_sec *vd = elf->verdef;
	if (!vd || !vd->data)
		return NULL;
	uint64_t pos = 0;
	for (uint64_t n = 0; n < vd->size / VERDEF_SIZE + 1; n++) {
		uint64_t at = pos;
		const uint8_t *p = chain_rec(elf, vd, &pos, VERDEF_SIZE, 16);
		if (!p)
			return NULL;
		if ((rd16(p + 4, elf->needs_swap) & 0x7fff) == ver) {
			uint64_t aux = at + rd32(p + 12, elf->needs_swap);
			if (!rb_range_ok(aux, VERDAUX_SIZE, vd->size))
				return NULL;
			return rb_elf_str(elf, vd->link, rd32(vd->data + aux, elf->needs_swap));
		}
	}
	return NULL;
}

/* .gnu.version_r: Verneed records (one per library), each with a chain of
 * cnt Vernaux entries whose vna_other is the version index. */
static const char *verneed_name(const struct rb_elf *elf, uint16_t ver)
{
	const struct rb_elf_sec *vn = elf->verneed;
	if (!vn || !vn->data)
		return NULL;
	uint64_t pos = 0;
	for (uint64_t n = 0; n < vn->size / VERNEED_SIZE + 1; n++) {
		uint64_t aux = pos;
		const uint8_t *p = chain_rec(elf, vn, &pos, VERNEED_SIZE, 12), *a;
		if (!p)
			return NULL;
		uint16_t cnt = rd16(p + 2, elf->needs_swap);
		aux += rd32(p + 8, elf->needs_swap);
		for (uint16_t i = 0; i < cnt && (a = chain_rec(elf, vn, &aux, VERNAUX_SIZE, 12)); i++)
			if ((rd16(a + 6, elf->needs_swap) & 0x7fff) == ver)
				return rb_elf_str(elf, vn->link, rd32(a + 8, elf->needs_swap));
	}
	return NULL;
}

static void sym_version(const struct rb_elf *elf, const struct rb_elf_sec *symtab, size_t index,
			struct rb_elf_sym *out)
{
	const struct rb_elf_sec *vs = elf->versym;
	if (!vs || !vs->data || vs->link != symtab->index || index >= vs->size / 2)
		return;
	uint16_t v = rd16(vs->data + index * 2, elf->needs_swap);
	uint16_t ver = v & 0x7fff;
	if (ver < 2) /* VER_NDX_LOCAL, VER_NDX_GLOBAL */
		return;
	out->version_hidden = (v & 0x8000) != 0;
	out->version = out->shndx == SHN_UNDEF ? verneed_name(elf, ver) : verdef_name(elf, ver);
	if (!out->version)
		out->version = out->shndx == SHN_UNDEF ? verdef_name(elf, ver) : verneed_name(elf, ver);
}

int rb_elf_sym(const struct rb_elf *elf, const struct rb_elf_sec *symtab, size_t index,
	       struct rb_elf_sym *out, struct rb_err *err)
{
	size_t n = rb_elf_sym_count(elf, symtab);
	if (index >= n)
		return rb_input_errf(err, elf->name, "symbol %zu is past the end of %s (%zu symbols)", index,
				     symtab ? symtab->name : "the symbol table", n);
	const uint8_t *p = symtab->data + index * SYM_SIZE;
	bool s = elf->needs_swap;
	memset(out, 0, sizeof(*out));
	out->index = (uint32_t)index;
	uint32_t name_off = rd32(p, s);
	out->name = rb_elf_str(elf, symtab->link, name_off);
	if (!out->name)
		return rb_input_errf(err, elf->name,
				     "symbol %zu of %s: name offset 0x%x is outside its string table or unterminated",
				     index, symtab->name, name_off);
	out->bind = ELF64_ST_BIND(p[4]);
	out->type = ELF64_ST_TYPE(p[4]);
	out->visibility = ELF64_ST_VISIBILITY(p[5]);
	out->shndx = rd16(p + 6, s);
	out->value = rd64(p + 8, s);
	out->size = rd64(p + 16, s);
	if (out->shndx == SHN_XINDEX) {
		int r = sym_xindex(elf, symtab, index, &out->shndx, err);
		if (r < 0)
			return r;
	}
	sym_version(elf, symtab, index, out);
	return 0;
}

/* "malloc@@GLIBC_2.2.5" -> base "malloc", version "GLIBC_2.2.5", want_default. */
struct sym_query {
	const char *full;
	const char *base;
	size_t base_len;
	const char *version;
	bool want_default;
};

static void split_query(const char *name, struct sym_query *q)
{
	const char *at = strchr(name, '@');
	q->full = name;
	q->base = name;
	q->base_len = at ? (size_t)(at - name) : strlen(name);
	q->version = NULL;
	q->want_default = false;
	if (at) {
		q->want_default = at[1] == '@';
		q->version = at + (q->want_default ? 2 : 1);
	}
}

/* 2 = exact match, 1 = acceptable (plain name, non-default version), 0 = no. */
static int sym_matches(const struct rb_elf_sym *sym, const struct sym_query *q)
{
	if (sym->shndx == SHN_UNDEF)
		return 0;
	if (strcmp(sym->name, q->full) == 0)
		return 2;
	if (strncmp(sym->name, q->base, q->base_len) != 0 || sym->name[q->base_len] != 0)
		return 0;
	if (!q->version)
		return sym->version && sym->version_hidden ? 1 : 2;
	if (!sym->version || strcmp(sym->version, q->version) != 0)
		return 0;
	return q->want_default && sym->version_hidden ? 0 : 2;
}

static int find_in(const struct rb_elf *elf, const struct rb_elf_sec *tab, const struct sym_query *q,
		   struct rb_elf_sym *out, bool *have, struct rb_err *err)
{
	size_t n = rb_elf_sym_count(elf, tab);
	struct rb_elf_sym sym;
	for (size_t i = 1; i < n; i++) {
		int r = rb_elf_sym(elf, tab, i, &sym, err);
		if (r < 0)
			return r;
		int m = sym_matches(&sym, q);
		if (m == 2) {
			*out = sym;
			return 1;
		}
		if (m == 1 && !*have) {
			*out = sym;
			*have = true;
		}
	}
	return 0;
}

int rb_elf_find_sym(const struct rb_elf *elf, const char *name, struct rb_elf_sym *out,
		    struct rb_err *err)
{
	struct sym_query q;
	bool have = false;
	split_query(name, &q);
	int r = find_in(elf, elf->symtab, &q, out, &have, err);
	if (r == 0)
		r = find_in(elf, elf->dynsym, &q, out, &have, err);
	if (r == 0 && have)
		r = 1;
	return r;
}

/* --- relocations -------------------------------------------------------------------------------- */

size_t rb_elf_rel_count(const struct rb_elf *elf, const struct rb_elf_sec *relsec)
{
	(void)elf;
	if (!relsec || !relsec->data)
		return 0;
	if (relsec->type == SHT_REL)
		return relsec->size / REL_SIZE;
	if (relsec->type == SHT_RELA)
		return relsec->size / RELA_SIZE;
	return 0;
}

int rb_elf_rel(const struct rb_elf *elf, const struct rb_elf_sec *relsec, size_t index,
	       struct rb_elf_rel *out, struct rb_err *err)
{
	size_t n = rb_elf_rel_count(elf, relsec);
	if (index >= n)
		return rb_input_errf(err, elf->name, "relocation %zu is past the end of %s (%zu entries)",
				     index, relsec ? relsec->name : "the section", n);
	bool rela = relsec->type == SHT_RELA;
	const uint8_t *p = relsec->data + index * (rela ? RELA_SIZE : REL_SIZE);
	uint64_t info = rd64(p + 8, elf->needs_swap);
	out->offset = rd64(p, elf->needs_swap);
	out->sym = (uint32_t)ELF64_R_SYM(info);
	out->type = (uint32_t)ELF64_R_TYPE(info);
	out->has_addend = rela;
	out->addend = rela ? (int64_t)rd64(p + 16, elf->needs_swap) : 0;
	const struct rb_elf_sec *symtab = rb_elf_sec(elf, relsec->link);
	size_t nsyms = relsec->link ? rb_elf_sym_count(elf, symtab) : 0;
	if (out->sym != 0 && out->sym >= nsyms)
		return rb_input_errf(err, elf->name,
				     "section %u (%s): relocation %zu at offset 0x%llx names symbol %u, but the symbol table has %zu",
				     relsec->index, relsec->name, index, (unsigned long long)out->offset,
				     out->sym, nsyms);
	return 0;
}

/* --- notes ----------------------------------------------------------------------------------------- */

void rb_elf_note_iter_init(struct rb_elf_note_iter *it, const struct rb_elf *elf,
			   const struct rb_elf_sec *sec)
{
	it->elf = elf;
	it->sec = sec;
	it->pos = 0;
}

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static int note_fail(const struct rb_elf_note_iter *it, const char *what, struct rb_err *err)
{
	return rb_input_errf(err, it->elf->name, "section %u (%s): note at offset 0x%llx: %s", it->sec->index,
			     it->sec->name, (unsigned long long)it->pos, what);
}

int rb_elf_note_next(struct rb_elf_note_iter *it, struct rb_elf_note *out, struct rb_err *err)
{
	const struct rb_elf_sec *sec = it->sec;
	if (!sec || !sec->data || it->pos >= sec->size)
		return 0;
	uint64_t align = sec->addralign == 8 ? 8 : 4;
	if (!rb_range_ok(it->pos, NOTE_HDR_SIZE, sec->size))
		return note_fail(it, "header runs past the section end", err);
	const uint8_t *p = sec->data + it->pos;
	bool s = it->elf->needs_swap;
	uint32_t namesz = rd32(p, s), descsz = rd32(p + 4, s);
	uint64_t name_off = it->pos + NOTE_HDR_SIZE;
	uint64_t desc_off = align_up(name_off + namesz, align);
	if (!rb_range_ok(name_off, namesz, sec->size) || !rb_range_ok(desc_off, descsz, sec->size))
		return note_fail(it, "name or descriptor size runs past the section end", err);
	if (namesz && sec->data[name_off + namesz - 1] != 0)
		return note_fail(it, "name is not NUL-terminated", err);
	out->name = namesz ? (const char *)sec->data + name_off : "";
	out->name_size = namesz;
	out->type = rd32(p + 8, s);
	out->desc = sec->data + desc_off;
	out->desc_size = descsz;
	out->offset = it->pos;
	it->pos = align_up(desc_off + descsz, align);
	return 1;
}

/* --- addresses ------------------------------------------------------------------------------------- */

static bool in_range(uint64_t v, uint64_t start, uint64_t len)
{
	return v >= start && v - start < len;
}

int rb_elf_vaddr_to_offset(const struct rb_elf *elf, uint64_t vaddr, uint64_t *offset,
			   struct rb_err *err)
{
	for (uint32_t i = 0; i < elf->phnum; i++) {
		const struct rb_elf_phdr *ph = &elf->phdrs[i];
		if (ph->type == PT_LOAD && in_range(vaddr, ph->vaddr, ph->filesz)) {
			*offset = ph->offset + (vaddr - ph->vaddr);
			return 0;
		}
	}
	for (uint32_t i = 0; elf->phnum == 0 && i < elf->shnum; i++) {
		const struct rb_elf_sec *sec = &elf->secs[i];
		if ((sec->flags & SHF_ALLOC) && sec->type != SHT_NOBITS &&
		    in_range(vaddr, sec->addr, sec->size)) {
			*offset = sec->offset + (vaddr - sec->addr);
			return 0;
		}
	}
	return rb_input_errf(err, elf->name, "address 0x%llx is in no loadable segment of the file",
			     (unsigned long long)vaddr);
}
