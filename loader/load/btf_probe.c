/* What BTF the running kernel accepts, learnt by loading tiny BTF blobs.
 * Only the kinds an object actually uses are probed, each once per load
 * context (struct rb_btf_feats in rb_loaded, no global cache). */
#include "loader/load/phases.h"

#include <stddef.h>
#include <string.h>
#include <linux/btf.h>

#include "loader/bpf.h"

#define INT_T(name) (name), RB_BTF_INFO(BTF_KIND_INT, 0, 0), 4, RB_BTF_INT_ENC(BTF_INT_SIGNED, 0, 32)
/* Strings shared by the probes: offsets 1 "int", 5 "x", 7 "s", 9 "tag", 13 ".data"
 * (NUL-separated, starting with the empty string). */
static const char probe_strs[] = "\0int\0x\0s\0tag\0.data";

/* Each probe's types as u32 words, one probe after the other in RB_FEAT_ID_*
 * order; probe_words gives their counts (a table of fixed-size rows would be
 * mostly padding). */
static const uint32_t probe_types[] = {
	/* RB_FEAT_ID_BTF */
	INT_T(1),
	/* RB_FEAT_ID_FUNC: int f(void) { } with static linkage */
	INT_T(1), 0, RB_BTF_INFO(BTF_KIND_FUNC_PROTO, 0, 0), 1,
	5, RB_BTF_INFO(BTF_KIND_FUNC, 0, BTF_FUNC_STATIC), 2,
	/* RB_FEAT_ID_FUNC_GLOBAL */
	INT_T(1), 0, RB_BTF_INFO(BTF_KIND_FUNC_PROTO, 0, 0), 1,
	5, RB_BTF_INFO(BTF_KIND_FUNC, 0, BTF_FUNC_GLOBAL), 2,
	/* RB_FEAT_ID_DATASEC: int x in DATASEC .data */
	INT_T(1), 5, RB_BTF_INFO(BTF_KIND_VAR, 0, 0), 1, BTF_VAR_GLOBAL_ALLOCATED,
	13, RB_BTF_INFO(BTF_KIND_DATASEC, 0, 1), 4, 2, 0, 4,
	/* RB_FEAT_ID_FLOAT */
	7, RB_BTF_INFO(BTF_KIND_FLOAT, 0, 0), 4,
	/* RB_FEAT_ID_DECL_TAG: struct s { int x; } tagged "tag" */
	INT_T(1), 7, RB_BTF_INFO(BTF_KIND_STRUCT, 0, 1), 4, 5, 1, 0,
	9, RB_BTF_INFO(BTF_KIND_DECL_TAG, 0, 0), 2, (uint32_t)-1,
	/* RB_FEAT_ID_TYPE_TAG: int __tag * */
	INT_T(1), 9, RB_BTF_INFO(BTF_KIND_TYPE_TAG, 0, 0), 1,
	0, RB_BTF_INFO(BTF_KIND_PTR, 0, 0), 2,
	/* RB_FEAT_ID_ENUM64: enum s : u64 { x = 1 } */
	7, RB_BTF_INFO(BTF_KIND_ENUM64, 0, 1), 8, 5, 1, 0,
};
static const uint8_t probe_words[] = {4, 10, 10, 14, 3, 14, 10, 6};
_Static_assert(sizeof(probe_types) / 4 == 4 + 10 + 10 + 14 + 3 + 14 + 10 + 6, "probe_words");

#define MAX_PROBE_WORDS 14

static bool try_probe(struct rb_loaded *ld, enum rb_btf_feat_id id)
{
	uint8_t blob[sizeof(struct btf_header) + MAX_PROBE_WORDS * 4 + sizeof(probe_strs)];
	const uint32_t *types = probe_types;
	for (int i = 0; i < (int)id; i++)
		types += probe_words[i];
	uint32_t len = probe_words[id] * 4u;
	struct btf_header h = {
		.magic = BTF_MAGIC, .version = BTF_VERSION, .hdr_len = sizeof(h),
		.type_off = 0, .type_len = len, .str_off = len, .str_len = sizeof(probe_strs),
	};
	memcpy(blob, &h, sizeof(h));
	memcpy(blob + sizeof(h), types, len);
	memcpy(blob + sizeof(h) + len, probe_strs, sizeof(probe_strs));
	struct rb_btf_load_opts o = {.data = blob, .size = (uint32_t)(sizeof(h) + len + h.str_len)};
	int fd = rb_bpf_btf_load(ld->sys, &o);
	rb_load_close(ld, fd);
	return fd >= 0;
}

/* struct rb_btf_feats lists its fields in RB_FEAT_ID_* order. */
#define FEAT_AT(field, id) \
	_Static_assert(offsetof(struct rb_btf_feats, field) == (id) * sizeof(enum rb_feat_state), #field)
FEAT_AT(func, RB_FEAT_ID_FUNC);
FEAT_AT(func_global, RB_FEAT_ID_FUNC_GLOBAL);
FEAT_AT(datasec, RB_FEAT_ID_DATASEC);
FEAT_AT(float_, RB_FEAT_ID_FLOAT);
FEAT_AT(decl_tag, RB_FEAT_ID_DECL_TAG);
FEAT_AT(type_tag, RB_FEAT_ID_TYPE_TAG);
FEAT_AT(enum64, RB_FEAT_ID_ENUM64);

static enum rb_feat_state *slot(struct rb_btf_feats *f, enum rb_btf_feat_id id)
{
	return (enum rb_feat_state *)((char *)f + (size_t)id * sizeof(enum rb_feat_state));
}

bool rb_btf_feat_has(struct rb_loaded *ld, enum rb_btf_feat_id id)
{
	enum rb_feat_state *s = slot(&ld->feats, id);
	if (*s == RB_FEAT_UNKNOWN)
		*s = try_probe(ld, id) ? RB_FEAT_YES : RB_FEAT_NO;
	return *s == RB_FEAT_YES;
}
