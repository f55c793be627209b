/* A tiny raw-BTF writer for tests: types get ids in the order they are
 * added (1, 2, ...), members/enumerators follow their type. */
#ifndef RAWBPF_TESTS_BTF_BUILDER_H
#define RAWBPF_TESTS_BTF_BUILDER_H

#include <linux/btf.h>
#include <stdint.h>
#include <string.h>

#include "elf/btf.h"

struct bb {
	uint8_t types[16384];
	size_t tlen;
	char strs[8192];
	size_t slen;
	uint32_t next_id;
	uint8_t raw[16384 + 8192 + 64];
};

static inline void bb_init(struct bb *b)
{
	memset(b, 0, sizeof(*b));
	b->slen = 1;
	b->next_id = 1;
}

static inline uint32_t bb_str(struct bb *b, const char *s)
{
	if (!s || !*s)
		return 0;
	uint32_t off = (uint32_t)b->slen;
	memcpy(b->strs + b->slen, s, strlen(s) + 1);
	b->slen += strlen(s) + 1;
	return off;
}

static inline void bb_u32(struct bb *b, uint32_t v)
{
	memcpy(b->types + b->tlen, &v, 4);
	b->tlen += 4;
}

static inline uint32_t bb_type(struct bb *b, const char *name, uint32_t kind, uint32_t vlen,
			       bool kflag, uint32_t size_or_type)
{
	bb_u32(b, bb_str(b, name));
	bb_u32(b, ((uint32_t)kflag << 31 | kind << 24 | vlen));
	bb_u32(b, size_or_type);
	return b->next_id++;
}

static inline uint32_t bb_int(struct bb *b, const char *name, uint32_t size, bool is_signed)
{
	uint32_t id = bb_type(b, name, BTF_KIND_INT, 0, false, size);
	bb_u32(b, ((uint32_t)(is_signed ? BTF_INT_SIGNED : 0) << 24 | size * 8));
	return id;
}

/* A struct/union header; add exactly vlen bb_member calls next. */
static inline uint32_t bb_struct(struct bb *b, const char *name, bool is_union, uint32_t vlen,
				 uint32_t size)
{
	/* kind_flag set: member offsets carry bitfield sizes */
	return bb_type(b, name, is_union ? BTF_KIND_UNION : BTF_KIND_STRUCT, vlen, true, size);
}

static inline void bb_member(struct bb *b, const char *name, uint32_t type, uint32_t bit_off,
			     uint32_t bitfield_size)
{
	bb_u32(b, bb_str(b, name));
	bb_u32(b, type);
	bb_u32(b, (bitfield_size << 24 | bit_off));
}

static inline uint32_t bb_array(struct bb *b, uint32_t elem, uint32_t index_type, uint32_t n)
{
	uint32_t id = bb_type(b, NULL, BTF_KIND_ARRAY, 0, false, 0);
	bb_u32(b, elem);
	bb_u32(b, index_type);
	bb_u32(b, n);
	return id;
}

static inline uint32_t bb_ptr(struct bb *b, uint32_t type)
{
	return bb_type(b, NULL, BTF_KIND_PTR, 0, false, type);
}

static inline uint32_t bb_typedef(struct bb *b, const char *name, uint32_t type)
{
	return bb_type(b, name, BTF_KIND_TYPEDEF, 0, false, type);
}

static inline uint32_t bb_const(struct bb *b, uint32_t type)
{
	return bb_type(b, NULL, BTF_KIND_CONST, 0, false, type);
}

static inline uint32_t bb_fwd(struct bb *b, const char *name, bool is_union)
{
	return bb_type(b, name, BTF_KIND_FWD, 0, is_union, 0);
}

/* An enum header; add exactly vlen bb_enumval calls next. */
static inline uint32_t bb_enum(struct bb *b, const char *name, uint32_t vlen, uint32_t size,
			       bool is_signed)
{
	return bb_type(b, name, BTF_KIND_ENUM, vlen, is_signed, size);
}

static inline void bb_enumval(struct bb *b, const char *name, int32_t val)
{
	bb_u32(b, bb_str(b, name));
	bb_u32(b, (uint32_t)val);
}

static inline uint32_t bb_enum64(struct bb *b, const char *name, uint32_t vlen, bool is_signed)
{
	return bb_type(b, name, BTF_KIND_ENUM64, vlen, is_signed, 8);
}

static inline void bb_enum64val(struct bb *b, const char *name, uint64_t val)
{
	bb_u32(b, bb_str(b, name));
	bb_u32(b, (uint32_t)val);
	bb_u32(b, (uint32_t)(val >> 32));
}

static inline uint32_t bb_func_proto(struct bb *b, uint32_t ret, uint32_t vlen)
{
	return bb_type(b, NULL, BTF_KIND_FUNC_PROTO, vlen, false, ret);
}

static inline void bb_param(struct bb *b, const char *name, uint32_t type)
{
	bb_u32(b, bb_str(b, name));
	bb_u32(b, type);
}

static inline uint32_t bb_func(struct bb *b, const char *name, uint32_t proto)
{
	return bb_type(b, name, BTF_KIND_FUNC, 0, false, proto); /* vlen = linkage static */
}

static inline uint32_t bb_var(struct bb *b, const char *name, uint32_t type)
{
	uint32_t id = bb_type(b, name, BTF_KIND_VAR, 0, false, type);
	bb_u32(b, BTF_VAR_GLOBAL_ALLOCATED);
	return id;
}

/* Raw BTF bytes (header + types + strings) in b->raw; returns the size. */
static inline size_t bb_raw(struct bb *b)
{
	struct btf_header h = {.magic = BTF_MAGIC, .version = BTF_VERSION,
			       .hdr_len = sizeof(h), .type_off = 0, .type_len = (uint32_t)b->tlen,
			       .str_off = (uint32_t)b->tlen, .str_len = (uint32_t)b->slen};
	memcpy(b->raw, &h, sizeof(h));
	memcpy(b->raw + sizeof(h), b->types, b->tlen);
	memcpy(b->raw + sizeof(h) + b->tlen, b->strs, b->slen);
	return sizeof(h) + b->tlen + b->slen;
}

static inline struct rb_btf *bb_parse(struct bb *b, const char *label)
{
	struct rb_btf *btf = NULL;
	struct rb_err e = {0};
	size_t n = bb_raw(b);
	if (rb_btf_parse(&btf, b->raw, n, NULL, label, &e) != 0)
		return NULL;
	return btf;
}

#endif
