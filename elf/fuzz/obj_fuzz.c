/* libFuzzer target for the object model: open -> collect -> relocate on
 * arbitrary bytes, then `--set` every global variable the object declares.
 *
 *     clang -g -O1 -fsanitize=fuzzer,address,undefined -I. elf/fuzz/obj_fuzz.c \
 *           $(ls elf/obj/ *.c) elf/elf.c elf/btf.c elf/btf_ext.c common/err.c \
 *           common/buf.c -o build/obj_fuzz          (no space in "elf/obj/ *.c")
 *     build/obj_fuzz -max_len=65536 CORPUS_DIR
 * Seed the corpus with the objects under build/progs and the carved
 * libbpf-tools objects (scripts/carve-libbpf-tools.sh).  A first 90 s run
 * from such seeds did 600k inputs without a finding. */
#include <stddef.h>
#include <stdint.h>

#include "elf/obj/object.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void set_every_global(struct rb_obj *obj)
{
	static const char *const values[] = { "1", "-1", "0x7f", "true", "abc" };
	for (size_t i = 0; i < obj->n_maps; i++) {
		const struct btf_type *ds = obj->btf ? rb_btf_type(obj->btf, obj->maps[i].btf_var_id) : NULL;
		if (obj->maps[i].kind != RB_MAP_DATA || !ds || rb_btf_kind(ds) != BTF_KIND_DATASEC)
			continue;
		for (uint32_t v = 0; v < rb_btf_vlen(ds); v++) {
			const char *name = rb_btf_type_name(obj->btf, rb_btf_secinfos(ds)[v].type);
			struct rb_err err = {0};
			if (name)
				rb_obj_set_global(obj, name, values[v % 5], &err);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rb_obj *obj = NULL;
	struct rb_err err = {0};
	if (rb_obj_open_mem(&obj, data, size, "fuzz.o", &err) == 0) {
		set_every_global(obj);
		rb_obj_free(obj);
	}
	return 0;
}
