/* libFuzzer target: .BTF.ext parsing against a small fixed .BTF whose
 * strings name a section, a file and a line (so valid groups exist). */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "elf/btf_ext.h"

/* Little-endian BTF: [1] INT 'int'; strings "", "int", ".text", "f.c", "x". */
static const uint8_t fixed_btf[] = {
	0x9f, 0xeb, 1, 0, 24, 0, 0, 0,  0, 0, 0, 0, 16, 0, 0, 0,  16, 0, 0, 0, 17, 0, 0, 0,
	1, 0, 0, 0, 0, 0, 0, 1, 4, 0, 0, 0, 32, 0, 0, 1,
	0, 'i', 'n', 't', 0, '.', 't', 'e', 'x', 't', 0, 'f', '.', 'c', 0, 'x', 0,
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rb_btf *btf;
	struct rb_btf_ext *ext;
	struct rb_err err = {0};
	if (rb_btf_parse(&btf, fixed_btf, sizeof(fixed_btf), NULL, "fixed", &err) < 0)
		__builtin_trap(); /* the harness itself is broken */
	if (rb_btf_ext_parse(&ext, data, size, btf, "fuzz", &err) == 0) {
		const struct rb_btf_ext_info *infos[] = {&ext->func_info, &ext->line_info, &ext->core_relo};
		volatile uint32_t sink = 0;
		for (int i = 0; i < 3; i++)
			for (uint32_t k = 0; k < infos[i]->nsecs; k++) {
				const struct rb_btf_ext_sec *g = &infos[i]->secs[k];
				for (uint32_t r = 0; r < g->count; r++)
					sink += rb_btf_ext_func_info(g, r)->insn_off;
				rb_btf_ext_find(infos[i], g->name);
			}
		(void)sink;
		rb_btf_ext_free(ext);
	}
	rb_btf_free(btf);
	return 0;
}
