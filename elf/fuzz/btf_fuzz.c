/* libFuzzer target: raw BTF parsing, then every consumer of a parsed BTF:
 * resolution, sizes, member and name lookups, the raw/JSON/C dumps and
 * value printing (the input's own bytes serve as the value). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "common/buf.h"
#include "common/json.h"
#include "elf/btf.h"
#include "elf/btf_dump.h"
#include "elf/btf_print.h"

static void per_type(const struct rb_btf *btf, uint32_t id, const uint8_t *data, size_t size, FILE *null)
{
	uint64_t sz;
	uint32_t rid;
	struct rb_btf_member_info mi;
	struct rb_buf out = {0};
	struct rb_json j;
	rb_btf_type_size(btf, id, &sz, NULL);
	rb_btf_resolve(btf, id, &rid);
	rb_btf_skip_qual(btf, id, &rid);
	rb_btf_find_member(btf, id, "a", &mi, NULL);
	rb_btf_find(btf, rb_btf_type_name(btf, id), RB_BTF_ANY_KIND);
	rb_btf_format_value(btf, id, data, size, &out, 2, NULL);
	rb_buf_free(&out);
	rb_json_init(&j, null, false);
	rb_btf_print_json(btf, id, data, size, &j, NULL);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rb_btf *btf;
	struct rb_err err = {0};
	if (rb_btf_parse(&btf, data, size, NULL, "fuzz", &err) < 0)
		return 0;
	FILE *null = fopen("/dev/null", "w");
	if (null) {
		rb_btf_dump_raw(btf, null, NULL);
		rb_btf_dump_c(btf, null, NULL);
		struct rb_json j;
		rb_json_init(&j, null, false);
		rb_btf_dump_json(btf, &j, NULL);
		for (uint32_t id = 0; id < rb_btf_type_cnt(btf) && id < 64; id++)
			per_type(btf, id, data, size, null);
		fclose(null);
	}
	size_t n;
	void *copy = rb_btf_clone_raw(btf, &n);
	struct rb_btf *again;
	if (copy && rb_btf_parse(&again, copy, n, NULL, "again", &err) == 0)
		rb_btf_free(again);
	free(copy);
	rb_btf_free(btf);
	return 0;
}
