/* libFuzzer target: CO-RE relocations between two hostile BTFs.  Input: a
 * 2-byte length, the local BTF, then the target BTF.  Every local type is
 * relocated with every kind and the access strings found in the local
 * string section, and the answer patched into a few instruction shapes. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "elf/core/core.h"

static void patch_shapes(const struct rb_core_res *res)
{
	struct bpf_insn insns[2];
	static const uint8_t codes[] = {BPF_LDX | BPF_MEM | BPF_W, BPF_ALU64 | BPF_MOV | BPF_K,
					BPF_LD | BPF_IMM | BPF_DW, BPF_STX | BPF_MEM | BPF_DW,
					BPF_JMP | BPF_EXIT};
	for (size_t i = 0; i < sizeof(codes); i++) {
		memset(insns, 0, sizeof(insns));
		insns[0].code = codes[i];
		insns[0].off = (int16_t)res->orig_val;
		insns[0].imm = (int32_t)res->orig_val;
		rb_core_patch(insns, 2, 0, res, NULL);
		rb_core_patch(insns, 1, 0, res, NULL);
	}
}

static void relocate_all(struct rb_core_targets *tg, const struct rb_btf *local)
{
	uint32_t n = rb_btf_type_cnt(local);
	for (uint32_t id = 0; id < n && id < 64; id++)
		for (uint32_t str = 0; str < 256; str++) {
			const char *s = rb_btf_str(local, str);
			if (!s || (str && rb_btf_str(local, str - 1) && rb_btf_str(local, str - 1)[0]))
				continue; /* only string starts */
			for (uint32_t kind = 0; kind <= BPF_CORE_TYPE_MATCHES + 1; kind++) {
				struct bpf_core_relo r = {.type_id = id, .access_str_off = str, .kind = kind};
				struct rb_core_res res;
				if (rb_core_calc(tg, local, &r, &res, NULL) == 0)
					patch_shapes(&res);
			}
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	size_t split = (size_t)(data[0] | data[1] << 8);
	if (split > size - 2)
		return 0;
	struct rb_btf *local = NULL, *targ = NULL;
	struct rb_core_targets *tg = NULL;
	if (rb_btf_parse(&local, data + 2, split, NULL, "local", NULL) == 0 &&
	    rb_btf_parse(&targ, data + 2 + split, size - 2 - split, NULL, "target", NULL) == 0 &&
	    rb_core_targets_new(&tg, NULL) == 0 && rb_core_targets_add(tg, targ, 0, NULL) == 0)
		relocate_all(tg, local);
	rb_core_targets_free(tg);
	rb_btf_free(targ);
	rb_btf_free(local);
	return 0;
}
