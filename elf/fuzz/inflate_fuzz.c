/* libFuzzer target: gzip and raw DEFLATE decoding (1 MiB output cap), and
 * the kernel-config and kallsyms text parsers on the same bytes. */
#include <stddef.h>
#include <stdint.h>

#include "common/inflate.h"
#include "elf/kallsyms.h"
#include "elf/kconfig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rb_buf out = {0};
	struct rb_err err = {0};
	rb_gunzip(data, size, 1u << 20, &out, &err);
	rb_buf_free(&out);
	rb_err_clear(&err);
	rb_inflate_raw(data, size, 1u << 20, &out, NULL, &err);
	rb_buf_free(&out);
	struct rb_kconfig *kc;
	if (rb_kconfig_parse(&kc, data, size, "fuzz", NULL) == 0) {
		struct rb_kconfig_value v;
		rb_kconfig_get(kc, "CONFIG_BPF", &v);
		rb_kconfig_free(kc);
	}
	struct rb_kallsyms *ks;
	if (rb_kallsyms_parse(&ks, (const char *)data, size, "fuzz", NULL) == 0) {
		struct rb_ksym s;
		rb_kallsyms_find(ks, "_stext", NULL, &s, NULL);
		rb_kallsyms_free(ks);
	}
	struct rb_ksym s2;
	size_t mlen;
	rb_kallsyms_search((const char *)data, size, "f", NULL, &s2, &mlen, NULL);
	rb_kallsyms_search((const char *)data, size, "_stext", "mod", &s2, &mlen, NULL);
	return 0;
}
