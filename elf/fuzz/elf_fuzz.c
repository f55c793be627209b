/* libFuzzer target: the ELF reader and what reads through it (.BTF and
 * .BTF.ext of the object).  Every accessor is driven over the whole file. */
#include <stddef.h>
#include <stdint.h>

#include "elf/btf.h"
#include "elf/btf_ext.h"
#include "elf/elf.h"

static void walk_section(const struct rb_elf *e, const struct rb_elf_sec *s)
{
	struct rb_err err = {0};
	struct rb_elf_sym sym;
	struct rb_elf_rel rel;
	struct rb_elf_note note;
	struct rb_elf_note_iter it;
	for (size_t k = 0; k < rb_elf_sym_count(e, s); k++)
		rb_elf_sym(e, s, k, &sym, &err);
	for (size_t k = 0; k < rb_elf_rel_count(e, s); k++)
		rb_elf_rel(e, s, k, &rel, &err);
	rb_elf_note_iter_init(&it, e, s);
	for (int k = 0; k < 1000 && rb_elf_note_next(&it, &note, &err) > 0; k++)
		;
	rb_elf_str(e, s->index, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rb_elf e;
	struct rb_err err = {0};
	if (rb_elf_open_mem(&e, data, size, "fuzz.o", &err) < 0)
		return 0;
	for (uint32_t i = 0; i < e.shnum; i++)
		walk_section(&e, &e.secs[i]);
	struct rb_elf_sym sym;
	rb_elf_find_sym(&e, "malloc@@GLIBC_2.2.5", &sym, &err);
	rb_elf_find_sym(&e, "prog", &sym, &err);
	uint64_t off;
	rb_elf_vaddr_to_offset(&e, 0x401000, &off, &err);
	struct rb_btf *btf = NULL;
	struct rb_btf_ext *ext = NULL;
	if (rb_btf_from_elf(&btf, &e, NULL, &err) == 0 && btf)
		rb_btf_ext_from_elf(&ext, &e, btf, &err);
	rb_btf_ext_free(ext);
	rb_btf_free(btf);
	rb_elf_close(&e);
	return 0;
}
