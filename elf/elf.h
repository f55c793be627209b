/* ELF64 reader: relocatable BPF objects (ET_REL, EM_BPF) and executables /
 * shared libraries (ET_EXEC, ET_DYN) for uprobe and USDT symbol resolution.
 *
 * Every file is hostile.  rb_elf_open_* validates the ELF header, every
 * section header (offset+size inside the file unless SHT_NOBITS, sh_link /
 * sh_info indexes, entsize of symbol and relocation tables, string tables
 * NUL-terminated) and every program header before returning, so the
 * accessors below only re-check what depends on an entry's contents (a
 * symbol's name offset, a relocation's symbol index).
 *
 * Both byte orders parse; all multi-byte fields are converted to host order
 * in the structs below.  Section *data* stays in file order: read it with
 * rb_elf_u16/u32/u64 (or check needs_swap and refuse, as the loader does).
 *
 * ELF32 is refused with a message saying so.  The reader never touches the
 * kernel. */
#ifndef RAWBPF_ELF_ELF_H
#define RAWBPF_ELF_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

#ifndef EM_BPF
#define EM_BPF 247
#endif

/* The parsers' malformed-input error: rb_errf(e, RB_EINPUT, "WHERE: " fmt, ...)
 * with the file (or section) label said once, here, instead of in every
 * message's format. */
int rb_input_errf(struct rb_err *e, const char *where, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "WHERE: out of memory" (RB_ESYS). */
int rb_oom_errf(struct rb_err *e, const char *where);

/* Reads a whole input file of at most max bytes into buf (freed on failure):
 * a bigger one is "PATH: larger than N MiB, <too_big>" (RB_EINPUT), a
 * failing read "PATH: cannot read: <strerror>" (RB_ESYS). */
struct rb_buf;
int rb_read_input(const char *path, size_t max, const char *too_big, struct rb_buf *buf, struct rb_err *err);

/* rb_elf_open_file refuses bigger files (a BPF object or a binary to probe
 * is far smaller; the cap keeps a hostile path from exhausting memory). */
#define RB_ELF_MAX_FILE_SIZE (1ull << 30)

/* One section header, converted to host order, with its name resolved. */
struct rb_elf_sec {
	uint32_t index;      /* section index */
	const char *name;    /* from .shstrtab; "" when unnamed */
	uint32_t name_off;   /* sh_name */
	uint32_t type;       /* SHT_* */
	uint64_t flags;      /* SHF_* */
	uint64_t addr;
	uint64_t offset;
	uint64_t size;
	uint32_t link;
	uint32_t info;
	uint64_t addralign;
	uint64_t entsize;
	/* The section's bytes inside the file (file byte order), checked to lie
	 * inside it; NULL for SHT_NOBITS and for empty sections. */
	const uint8_t *data;
};

/* One program header (PT_LOAD etc.), host order. */
struct rb_elf_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* One symbol.  name and version point into the file's string tables. */
struct rb_elf_sym {
	uint32_t index;      /* index in its symbol table */
	const char *name;    /* "" when unnamed */
	uint64_t value;
	uint64_t size;
	uint32_t shndx;      /* SHN_UNDEF, a section index (SHN_XINDEX resolved), SHN_ABS, ... */
	uint8_t bind;        /* STB_* */
	uint8_t type;        /* STT_* */
	uint8_t visibility;  /* STV_* */
	/* Dynamic symbols with .gnu.version: the version name ("GLIBC_2.2.5")
	 * from .gnu.version_d (defined) or .gnu.version_r (needed); NULL when
	 * unversioned.  version_hidden: the non-default "@" form (vs "@@"). */
	const char *version;
	bool version_hidden;
};

/* One relocation of a SHT_REL or SHT_RELA section, host order. */
struct rb_elf_rel {
	uint64_t offset;     /* r_offset: into the target section (ET_REL) or a vaddr */
	uint32_t sym;        /* ELF64_R_SYM */
	uint32_t type;       /* ELF64_R_TYPE */
	int64_t addend;      /* r_addend for RELA, 0 for REL */
	bool has_addend;
};

/* One note of a SHT_NOTE section. */
struct rb_elf_note {
	const char *name;    /* NUL-terminated inside the note ("" if namesz is 0) */
	uint32_t name_size;  /* n_namesz, including the NUL */
	uint32_t type;       /* n_type */
	const uint8_t *desc; /* n_descsz bytes in file byte order */
	uint32_t desc_size;
	uint64_t offset;     /* of the note header, from the section start */
};

/* An opened ELF file.  Fields are read-only for users. */
struct rb_elf {
	const char *name;          /* for messages: the path or the caller's label */
	const uint8_t *data;       /* the whole file */
	size_t size;
	void *owned;               /* buffer freed by rb_elf_close (file opens) */
	char *name_owned;

	bool big_endian;           /* EI_DATA == ELFDATA2MSB */
	bool needs_swap;           /* file byte order != host byte order */
	uint8_t osabi;
	uint16_t type;             /* e_type: ET_REL, ET_EXEC, ET_DYN, ... */
	uint16_t machine;          /* e_machine: EM_BPF, EM_X86_64, ... */
	uint32_t flags;            /* e_flags */
	uint64_t entry;

	uint32_t shnum;            /* real count (e_shnum==0 resolved through section 0) */
	uint32_t shstrndx;         /* real index (SHN_XINDEX resolved) */
	struct rb_elf_sec *secs;   /* shnum entries, one allocation */
	uint32_t phnum;
	struct rb_elf_phdr *phdrs; /* phnum entries */

	/* Convenience: the first section of each kind, or NULL. */
	const struct rb_elf_sec *symtab;   /* SHT_SYMTAB */
	const struct rb_elf_sec *dynsym;   /* SHT_DYNSYM */
	const struct rb_elf_sec *versym;   /* SHT_GNU_versym (.gnu.version) */
	const struct rb_elf_sec *verdef;   /* SHT_GNU_verdef (.gnu.version_d) */
	const struct rb_elf_sec *verneed;  /* SHT_GNU_verneed (.gnu.version_r) */
	const struct rb_elf_sec *symtab_shndx; /* SHT_SYMTAB_SHNDX for .symtab */
};

/* Parses data[0..size) which the caller keeps alive and unchanged until
 * rb_elf_close.  name labels messages ("prog.o").  Returns 0 or -RB_EINPUT /
 * -RB_ESYS with err filled; on failure nothing needs closing. */
int rb_elf_open_mem(struct rb_elf *elf, const void *data, size_t size, const char *name,
		    struct rb_err *err);
/* Reads the whole file (at most RB_ELF_MAX_FILE_SIZE) and parses it. */
int rb_elf_open_file(struct rb_elf *elf, const char *path, struct rb_err *err);
/* Frees what open allocated; safe on a zeroed or already-closed struct. */
void rb_elf_close(struct rb_elf *elf);

/* Human names for messages: "REL", "EXEC", "DYN"; "BPF", "x86-64", else "machine N". */
const char *rb_elf_type_name(uint16_t type);
const char *rb_elf_machine_name(uint16_t machine);

/* Endian-aware reads of file data (p must be inside the file; the caller
 * checked the range). */
uint16_t rb_elf_u16(const struct rb_elf *elf, const void *p);
uint32_t rb_elf_u32(const struct rb_elf *elf, const void *p);
uint64_t rb_elf_u64(const struct rb_elf *elf, const void *p);

/* Sections. */
const struct rb_elf_sec *rb_elf_sec(const struct rb_elf *elf, uint32_t index); /* NULL if out of range */
const struct rb_elf_sec *rb_elf_sec_by_name(const struct rb_elf *elf, const char *name);
/* Checked read of a string at off inside string-table section strtab_index:
 * NULL when the section is not a string table, off is past its end, or the
 * string is not NUL-terminated inside it. */
const char *rb_elf_str(const struct rb_elf *elf, uint32_t strtab_index, uint64_t off);

/* Symbol tables (symtab = elf->symtab or elf->dynsym or any SHT_SYMTAB /
 * SHT_DYNSYM section).  Index 0 is the null symbol. */
size_t rb_elf_sym_count(const struct rb_elf *elf, const struct rb_elf_sec *symtab);
int rb_elf_sym(const struct rb_elf *elf, const struct rb_elf_sec *symtab, size_t index,
	       struct rb_elf_sym *out, struct rb_err *err);
/* Finds a defined symbol (shndx != SHN_UNDEF) by name in .symtab, then
 * .dynsym.  name may carry a version: "malloc@@GLIBC_2.2.5" (default
 * version), "malloc@GLIBC_2.2.5" (either form) or plain "malloc" (any
 * version, preferring the default one).  Returns 1 found, 0 not found, or a
 * negative RB_E* on a malformed table. */
int rb_elf_find_sym(const struct rb_elf *elf, const char *name, struct rb_elf_sym *out,
		    struct rb_err *err);

/* Relocations of a SHT_REL or SHT_RELA section (open checked entsize and
 * that sh_link names a symbol table).  rb_elf_rel checks the symbol index
 * against that table. */
size_t rb_elf_rel_count(const struct rb_elf *elf, const struct rb_elf_sec *relsec);
int rb_elf_rel(const struct rb_elf *elf, const struct rb_elf_sec *relsec, size_t index,
	       struct rb_elf_rel *out, struct rb_err *err);

/* Notes: iterate a SHT_NOTE section (".note.stapsdt" for USDT).
 *     struct rb_elf_note_iter it; rb_elf_note_iter_init(&it, elf, sec);
 *     while ((r = rb_elf_note_next(&it, &note, err)) > 0) ...
 * next returns 1 with a note, 0 at the end, negative RB_E* on a malformed
 * note (sizes past the section end). */
struct rb_elf_note_iter {
	const struct rb_elf *elf;
	const struct rb_elf_sec *sec;
	uint64_t pos;
};
void rb_elf_note_iter_init(struct rb_elf_note_iter *it, const struct rb_elf *elf,
			   const struct rb_elf_sec *sec);
int rb_elf_note_next(struct rb_elf_note_iter *it, struct rb_elf_note *out, struct rb_err *err);

/* Virtual address -> file offset through the PT_LOAD segment containing it
 * (for uprobe offsets).  Files without program headers fall back to the
 * section containing vaddr.  Returns 0, or -RB_EINPUT when no segment or
 * section maps vaddr (err names the address). */
int rb_elf_vaddr_to_offset(const struct rb_elf *elf, uint64_t vaddr, uint64_t *offset,
			   struct rb_err *err);

#endif
