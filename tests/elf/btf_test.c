/* BTF reader, dump and value printing: a hand-made BTF with every kind in
 * both byte orders, hostile variants, split BTF, and the running kernel's
 * vmlinux BTF. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/mman.h>

#include "check_main.h"
#include "common/buf.h"
#include "elf/btf.h"
#include "elf/btf_dump.h"
#include "elf/btf_print.h"
#include "elf/builders.h"

enum {
	T_INT = 1, T_UINT, T_CHAR, T_PTR_S, T_CHARS, T_U32, T_COLOR, T_S, T_U, T_BIG, T_FWD, T_VOLATILE,
	T_CONST, T_RESTRICT, T_PROTO, T_FUNC, T_VAR, T_DATASEC, T_FLOAT, T_DECL_TAG, T_TYPE_TAG,
	T_PTR_TAG, T_LOOP1, T_LOOP2, T_COUNT
};

static void add_types(struct btf_builder *bb)
{
	uint32_t s = 0;
	bb_type(bb, bb_str(bb, "int", s), BTF_KIND_INT, false, 0, 4);
	bb_u32(bb, (BTF_INT_SIGNED << 24) | 32);
	bb_type(bb, bb_str(bb, "unsigned int", s), BTF_KIND_INT, false, 0, 4);
	bb_u32(bb, 32);
	bb_type(bb, bb_str(bb, "char", s), BTF_KIND_INT, false, 0, 1);
	bb_u32(bb, (BTF_INT_SIGNED << 24) | 8);
	bb_type(bb, 0, BTF_KIND_PTR, false, 0, T_S);
	bb_type(bb, 0, BTF_KIND_ARRAY, false, 0, 0);
	bb_u32(bb, T_CHAR), bb_u32(bb, T_UINT), bb_u32(bb, 8);
	bb_type(bb, bb_str(bb, "u32", s), BTF_KIND_TYPEDEF, false, 0, T_UINT);
	bb_type(bb, bb_str(bb, "color", s), BTF_KIND_ENUM, false, 2, 4);
	bb_u32(bb, bb_str(bb, "RED", s)), bb_u32(bb, 1);
	bb_u32(bb, bb_str(bb, "BLUE", s)), bb_u32(bb, 2);
	bb_type(bb, bb_str(bb, "s", s), BTF_KIND_STRUCT, true, 6, 32);
	bb_u32(bb, bb_str(bb, "a", s)), bb_u32(bb, T_INT), bb_u32(bb, 0);
	bb_u32(bb, bb_str(bb, "name", s)), bb_u32(bb, T_CHARS), bb_u32(bb, 32);
	bb_u32(bb, bb_str(bb, "f3", s)), bb_u32(bb, T_U32), bb_u32(bb, (3u << 24) | 96);
	bb_u32(bb, bb_str(bb, "f5", s)), bb_u32(bb, T_U32), bb_u32(bb, (5u << 24) | 99);
	bb_u32(bb, bb_str(bb, "c", s)), bb_u32(bb, T_COLOR), bb_u32(bb, 128);
	bb_u32(bb, bb_str(bb, "next", s)), bb_u32(bb, T_PTR_S), bb_u32(bb, 192);
	bb_type(bb, bb_str(bb, "u", s), BTF_KIND_UNION, false, 1, 4);
	bb_u32(bb, bb_str(bb, "x", s)), bb_u32(bb, T_INT), bb_u32(bb, 0);
	bb_type(bb, bb_str(bb, "big", s), BTF_KIND_ENUM64, false, 1, 8);
	bb_u32(bb, bb_str(bb, "HUGE", s)), bb_u32(bb, 0), bb_u32(bb, 1);
	bb_type(bb, bb_str(bb, "fwd_s", s), BTF_KIND_FWD, false, 0, 0);
	bb_type(bb, 0, BTF_KIND_VOLATILE, false, 0, T_CONST);
	bb_type(bb, 0, BTF_KIND_CONST, false, 0, T_U32);
	bb_type(bb, 0, BTF_KIND_RESTRICT, false, 0, T_PTR_S);
	bb_type(bb, 0, BTF_KIND_FUNC_PROTO, false, 2, T_INT);
	bb_u32(bb, bb_str(bb, "x", s)), bb_u32(bb, T_INT);
	bb_u32(bb, 0), bb_u32(bb, 0);
	bb_type(bb, bb_str(bb, "f", s), BTF_KIND_FUNC, false, 1, T_PROTO);
	bb_type(bb, bb_str(bb, "v", s), BTF_KIND_VAR, false, 0, T_S);
	bb_u32(bb, 1);
	bb_type(bb, bb_str(bb, ".data", s), BTF_KIND_DATASEC, false, 1, 32);
	bb_u32(bb, T_VAR), bb_u32(bb, 0), bb_u32(bb, 32);
	bb_type(bb, bb_str(bb, "float", s), BTF_KIND_FLOAT, false, 0, 4);
	bb_type(bb, bb_str(bb, "tag", s), BTF_KIND_DECL_TAG, false, 0, T_S);
	bb_u32(bb, (uint32_t)-1);
	bb_type(bb, bb_str(bb, "user", s), BTF_KIND_TYPE_TAG, false, 0, T_INT);
	bb_type(bb, 0, BTF_KIND_PTR, false, 0, T_TYPE_TAG);
	bb_type(bb, bb_str(bb, "loop1", s), BTF_KIND_TYPEDEF, false, 0, T_LOOP2);
	bb_type(bb, bb_str(bb, "loop2", s), BTF_KIND_TYPEDEF, false, 0, T_LOOP1);
}

static void build_btf(struct tb *out, bool be)
{
	struct btf_builder bb;
	bb_init(&bb, be, 1, false);
	add_types(&bb);
	bb_finish(&bb, out);
}

static struct rb_btf *parse_ok(const struct tb *b, const struct rb_btf *base)
{
	struct rb_btf *btf;
	struct rb_err err = {0};
	ck_assert_msg(rb_btf_parse(&btf, b->d, b->len, base, "test", &err) == 0, "%s", err.msg);
	return btf;
}

static int parse_err(const struct tb *b, struct rb_err *err)
{
	struct rb_btf *btf;
	memset(err, 0, sizeof(*err));
	int r = rb_btf_parse(&btf, b->d, b->len, NULL, "bad", err);
	rb_btf_free(btf);
	return r;
}

/* A value of struct s: a=-5 name="hi" f3=5 f5=17 c=BLUE next=0x1234 */
static void make_value(uint8_t v[32])
{
	memset(v, 0, 32);
	int32_t a = -5;
	memcpy(v, &a, 4);
	memcpy(v + 4, "hi", 2);
	uint32_t bits = 5u | (17u << 3);
	memcpy(v + 12, &bits, 4);
	uint32_t c = 2;
	memcpy(v + 16, &c, 4);
	uint64_t p = 0x1234;
	memcpy(v + 24, &p, 8);
}

static void check_model(bool be)
{
	struct tb b;
	build_btf(&b, be);
	struct rb_btf *btf = parse_ok(&b, NULL);
	struct rb_err err = {0};
	uint64_t size;
	uint32_t id;
	ck_assert(rb_btf_swapped(btf) == be);
	ck_assert(rb_btf_big_endian(btf) == be);
	ck_assert_uint_eq(rb_btf_type_cnt(btf), T_COUNT);
	ck_assert_uint_eq(rb_btf_kind(rb_btf_type(btf, T_BIG)), BTF_KIND_ENUM64);
	ck_assert_uint_eq(rb_btf_kind(rb_btf_type(btf, T_PTR_TAG)), BTF_KIND_PTR);
	ck_assert_ptr_null(rb_btf_type(btf, T_COUNT));
	ck_assert_str_eq(rb_btf_type_name(btf, T_S), "s");
	ck_assert_str_eq(rb_btf_type_name(btf, T_PTR_S), "");
	/* sizes through every chain */
	ck_assert_int_eq(rb_btf_type_size(btf, T_S, &size, &err), 0);
	ck_assert_uint_eq(size, 32);
	ck_assert_int_eq(rb_btf_type_size(btf, T_CHARS, &size, &err), 0);
	ck_assert_uint_eq(size, 8);
	ck_assert_int_eq(rb_btf_type_size(btf, T_VOLATILE, &size, &err), 0);
	ck_assert_uint_eq(size, 4);
	ck_assert_int_eq(rb_btf_type_size(btf, T_RESTRICT, &size, &err), 0);
	ck_assert_uint_eq(size, 8);
	ck_assert_int_eq(rb_btf_type_size(btf, T_VAR, &size, &err), 0);
	ck_assert_uint_eq(size, 32);
	ck_assert_int_eq(rb_btf_type_size(btf, T_LOOP1, &size, &err), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "loop"));
	ck_assert_int_eq(rb_btf_type_size(btf, T_FUNC, &size, NULL), -RB_EINPUT);
	/* resolution */
	ck_assert_ptr_nonnull(rb_btf_skip_qual(btf, T_VOLATILE, &id));
	ck_assert_uint_eq(id, T_U32);
	ck_assert_ptr_nonnull(rb_btf_resolve(btf, T_VOLATILE, &id));
	ck_assert_uint_eq(id, T_UINT);
	ck_assert_ptr_nonnull(rb_btf_resolve(btf, T_TYPE_TAG, &id));
	ck_assert_uint_eq(id, T_INT);
	ck_assert_ptr_null(rb_btf_resolve(btf, T_LOOP2, &id));
	/* members, bitfields, enums */
	struct rb_btf_member_info mi;
	ck_assert_int_eq(rb_btf_find_member(btf, T_S, "f5", &mi, &err), 1);
	ck_assert_uint_eq(mi.bit_offset, 99);
	ck_assert_uint_eq(mi.bitfield_size, 5);
	ck_assert_uint_eq(mi.type_id, T_U32);
	ck_assert_int_eq(rb_btf_find_member(btf, T_S, "nope", &mi, &err), 0);
	ck_assert_int_eq(rb_btf_find_member(btf, T_INT, "a", &mi, &err), -RB_EINPUT);
	ck_assert_int_eq(rb_btf_enum_value(rb_btf_type(btf, T_COLOR), 1), 2);
	ck_assert_str_eq(rb_btf_enum_name(btf, rb_btf_type(btf, T_COLOR), 1), "BLUE");
	ck_assert_int_eq(rb_btf_enum_value(rb_btf_type(btf, T_BIG), 0), 0x100000000ll);
	ck_assert_int_eq(rb_btf_decl_tag(rb_btf_type(btf, T_DECL_TAG))->component_idx, -1);
	/* lookups */
	ck_assert_uint_eq(rb_btf_find(btf, "s", BTF_KIND_STRUCT), T_S);
	ck_assert_uint_eq(rb_btf_find(btf, "s", BTF_KIND_UNION), 0);
	ck_assert_uint_eq(rb_btf_find(btf, "u32", RB_BTF_ANY_KIND), T_U32);
	ck_assert_uint_eq(rb_btf_find(btf, "big", BTF_KIND_ENUM64), T_BIG);
	ck_assert_uint_eq(rb_btf_find(btf, "missing", RB_BTF_ANY_KIND), 0);
	rb_btf_free(btf);
}

START_TEST(model_little_endian) { check_model(false); }
END_TEST

START_TEST(model_big_endian) { check_model(true); }
END_TEST

START_TEST(raw_bytes_are_host_order)
{
	struct tb le, be;
	build_btf(&le, false);
	build_btf(&be, true);
	struct rb_btf *a = parse_ok(&le, NULL), *b = parse_ok(&be, NULL);
	size_t na, nb;
	const void *ra = rb_btf_raw(a, &na), *rbe = rb_btf_raw(b, &nb);
	ck_assert_uint_eq(na, nb);
	ck_assert_int_eq(memcmp(ra, rbe, na), 0);
	size_t nc;
	uint8_t *copy = rb_btf_clone_raw(a, &nc);
	ck_assert_uint_eq(nc, na);
	struct btf_type *t = (struct btf_type *)(copy + rb_btf_type_raw_offset(a, T_DATASEC));
	ck_assert_uint_eq(BTF_INFO_KIND(t->info), BTF_KIND_DATASEC);
	t->size = 64; /* the loader's fix-up, on a copy */
	ck_assert_uint_eq(rb_btf_type(a, T_DATASEC)->size, 32);
	rb_btf_type_mut(a, T_DATASEC)->size = 48;
	ck_assert_uint_eq(rb_btf_type(a, T_DATASEC)->size, 48);
	free(copy);
	rb_btf_free(a);
	rb_btf_free(b);
}
END_TEST

START_TEST(rejects_unknown_kind_and_bad_refs)
{
	struct btf_builder bb;
	struct tb b;
	struct rb_err err;
	bb_init(&bb, false, 1, false);
	add_types(&bb);
	bb_type(&bb, 0, 20, false, 0, 0);
	bb_finish(&bb, &b);
	ck_assert_int_eq(parse_err(&b, &err), -RB_EINPUT);
	ck_assert_msg(strstr(err.msg, "[25] has unknown kind 20"), "%s", err.msg);

	bb_init(&bb, false, 1, false);
	add_types(&bb);
	bb_type(&bb, 0, BTF_KIND_PTR, false, 0, 999);
	bb_finish(&bb, &b);
	ck_assert_int_eq(parse_err(&b, &err), -RB_EINPUT);
	ck_assert_msg(strstr(err.msg, "type id 999"), "%s", err.msg);

	bb_init(&bb, false, 1, false);
	add_types(&bb);
	bb_type(&bb, 100000, BTF_KIND_TYPEDEF, false, 0, 1);
	bb_finish(&bb, &b);
	ck_assert_int_eq(parse_err(&b, &err), -RB_EINPUT);
	ck_assert_msg(strstr(err.msg, "name offset 100000"), "%s", err.msg);

	bb_init(&bb, false, 1, false);
	bb_type(&bb, 0, BTF_KIND_STRUCT, false, 0xffff, 4); /* vlen past the end */
	bb_finish(&bb, &b);
	ck_assert_int_eq(parse_err(&b, &err), -RB_EINPUT);
	ck_assert_msg(strstr(err.msg, "runs past"), "%s", err.msg);
}
END_TEST

/* Runs every reader entry point on a parsed BTF (the sanitizer build checks
 * that none reads out of bounds). */
static void exercise(const struct rb_btf *btf)
{
	FILE *null = fopen("/dev/null", "w");
	struct rb_err err = {0};
	uint8_t zero[64] = {0};
	rb_btf_dump_raw(btf, null, &err);
	rb_err_clear(&err);
	rb_btf_dump_c(btf, null, &err);
	rb_err_clear(&err);
	for (uint32_t id = 0; id < rb_btf_type_cnt(btf); id++) {
		uint64_t size;
		struct rb_btf_member_info mi;
		rb_btf_type_size(btf, id, &size, NULL);
		rb_btf_resolve(btf, id, NULL);
		rb_btf_find_member(btf, id, "a", &mi, NULL);
		rb_btf_print_value(btf, id, zero, sizeof(zero), null, 0, NULL);
		rb_btf_find(btf, rb_btf_type_name(btf, id), RB_BTF_ANY_KIND);
	}
	fclose(null);
}

START_TEST(truncated_at_every_length)
{
	struct tb b;
	build_btf(&b, false);
	for (size_t len = 0; len < b.len; len++) {
		struct rb_btf *btf;
		struct rb_err err = {0};
		ck_assert_msg(rb_btf_parse(&btf, b.d, len, NULL, "t", &err) == -RB_EINPUT, "length %zu accepted", len);
		ck_assert(err.msg[0] != 0);
	}
}
END_TEST

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

START_TEST(bit_flips)
{
	uint32_t seed = 777;
	int opened = 0;
	for (int iter = 0; iter < 4000; iter++) {
		struct tb b;
		build_btf(&b, iter & 1);
		int flips = 1 + (int)(lcg(&seed) % 3);
		for (int f = 0; f < flips; f++)
			b.d[lcg(&seed) % b.len] ^= (uint8_t)(1u << (lcg(&seed) % 8));
		struct rb_btf *btf;
		struct rb_err err = {0};
		if (rb_btf_parse(&btf, b.d, b.len, NULL, "flip", &err) == 0) {
			exercise(btf);
			rb_btf_free(btf);
			opened++;
		} else {
			ck_assert(err.msg[0] != 0);
		}
	}
	ck_assert_int_gt(opened, 0);
}
END_TEST

START_TEST(split_btf_continues_ids_and_strings)
{
	struct tb base_b, split_b;
	build_btf(&base_b, false);
	struct rb_btf *base = parse_ok(&base_b, NULL);
	struct btf_builder bb;
	/* The base's string section length is in its header (offset 20). */
	uint32_t base_str_len;
	memcpy(&base_str_len, base_b.d + 20, 4);
	bb_init(&bb, false, T_COUNT, true);
	uint32_t m = bb_type(&bb, bb_str(&bb, "m", base_str_len), BTF_KIND_STRUCT, false, 2, 16);
	bb_u32(&bb, bb_str(&bb, "p", base_str_len)), bb_u32(&bb, T_COUNT + 1), bb_u32(&bb, 0);
	bb_u32(&bb, 0 + 1 /* "int" in the base's strings */), bb_u32(&bb, T_INT), bb_u32(&bb, 64);
	bb_type(&bb, 0, BTF_KIND_PTR, false, 0, T_S);
	bb_finish(&bb, &split_b);
	struct rb_btf *split = parse_ok(&split_b, base);
	ck_assert_uint_eq(m, T_COUNT);
	ck_assert_uint_eq(rb_btf_start_id(split), T_COUNT);
	ck_assert_uint_eq(rb_btf_type_cnt(split), T_COUNT + 2);
	ck_assert_str_eq(rb_btf_type_name(split, T_COUNT), "m");
	ck_assert_str_eq(rb_btf_type_name(split, T_S), "s");
	ck_assert_uint_eq(rb_btf_find(split, "m", BTF_KIND_STRUCT), T_COUNT);
	ck_assert_uint_eq(rb_btf_find(split, "s", BTF_KIND_STRUCT), T_S);
	struct rb_btf_member_info mi;
	struct rb_err err = {0};
	ck_assert_int_eq(rb_btf_find_member(split, T_COUNT, "int", &mi, &err), 1);
	ck_assert_uint_eq(mi.bit_offset, 64);
	uint64_t size;
	ck_assert_int_eq(rb_btf_type_size(split, T_COUNT + 1, &size, &err), 0);
	ck_assert_uint_eq(size, 8);
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_int_eq(rb_btf_dump_raw(split, f, &err), 0);
	fclose(f);
	ck_assert_msg(strncmp(text, "[25] STRUCT 'm' size=16 vlen=2", 30) == 0, "%s", text);
	free(text);
	exercise(split);
	/* a split type pointing past its own ids is rejected */
	bb_init(&bb, false, T_COUNT, true);
	bb_type(&bb, 0, BTF_KIND_PTR, false, 0, T_COUNT + 5);
	bb_finish(&bb, &split_b);
	struct rb_btf *bad;
	ck_assert_int_eq(rb_btf_parse(&bad, split_b.d, split_b.len, base, "bad", &err), -RB_EINPUT);
	rb_btf_free(split);
	rb_btf_free(base);
}
END_TEST

/* --- dump and print ---------------------------------------------------------------- */

static char *capture_raw(const struct rb_btf *btf)
{
	char *text = NULL;
	size_t len = 0;
	struct rb_err err = {0};
	FILE *f = open_memstream(&text, &len);
	ck_assert_int_eq(rb_btf_dump_raw(btf, f, &err), 0);
	fclose(f);
	return text;
}

START_TEST(raw_dump_lines)
{
	struct tb b;
	build_btf(&b, true);
	struct rb_btf *btf = parse_ok(&b, NULL);
	char *text = capture_raw(btf);
	static const char *const want[] = {
		"[1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED\n",
		"[5] ARRAY '(anon)' type_id=3 index_type_id=2 nr_elems=8\n",
		"[8] STRUCT 's' size=32 vlen=6\n",
		"\t'f5' type_id=6 bits_offset=99 bitfield_size=5\n",
		"[10] ENUM64 'big' encoding=UNSIGNED size=8 vlen=1\n\t'HUGE' val=4294967296ULL\n",
		"[11] FWD 'fwd_s' fwd_kind=struct\n",
		"[15] FUNC_PROTO '(anon)' ret_type_id=1 vlen=2\n\t'x' type_id=1\n\t'(anon)' type_id=0\n",
		"[16] FUNC 'f' type_id=15 linkage=global\n",
		"[17] VAR 'v' type_id=8, linkage=global\n",
		"[18] DATASEC '.data' size=32 vlen=1\n\ttype_id=17 offset=0 size=32 (VAR 'v')\n",
		"[20] DECL_TAG 'tag' type_id=8 component_idx=-1\n",
		"[21] TYPE_TAG 'user' type_id=1\n",
	};
	for (size_t i = 0; i < RB_ARRAY_SIZE(want); i++)
		ck_assert_msg(strstr(text, want[i]), "missing %s", want[i]);
	free(text);
	rb_btf_free(btf);
}
END_TEST

START_TEST(print_struct_text_and_json)
{
	struct tb b;
	build_btf(&b, false);
	struct rb_btf *btf = parse_ok(&b, NULL);
	uint8_t v[32];
	make_value(v);
	struct rb_buf out = {0};
	struct rb_err err = {0};
	ck_assert_int_eq(rb_btf_format_value(btf, T_S, v, sizeof(v), &out, 0, &err), 0);
	ck_assert_str_eq(rb_buf_str(&out), "{.a = -5, .name = \"hi\", .f3 = 5, .f5 = 17, .c = BLUE, .next = 0x1234}");
	rb_buf_free(&out);

	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct rb_json j;
	rb_json_init(&j, f, false);
	ck_assert_int_eq(rb_btf_print_json(btf, T_DATASEC, v, sizeof(v), &j, &err), 0);
	rb_json_finish(&j);
	fclose(f);
	ck_assert_str_eq(text, "{\"v\":{\"a\":-5,\"name\":\"hi\",\"f3\":5,\"f5\":17,\"c\":\"BLUE\",\"next\":\"0x1234\"}}\n");
	free(text);

	/* shorter than the type: what fits, then an error */
	memset(&out, 0, sizeof(out));
	ck_assert_int_eq(rb_btf_format_value(btf, T_S, v, 10, &out, 0, &err), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "10 bytes"));
	ck_assert_ptr_nonnull(strstr(rb_buf_str(&out), ".a = -5"));
	rb_buf_free(&out);

	/* an unknown enum value prints as a number; unions by member */
	uint32_t c = 7;
	memset(&out, 0, sizeof(out));
	rb_err_clear(&err);
	ck_assert_int_eq(rb_btf_format_value(btf, T_COLOR, &c, 4, &out, 0, &err), 0);
	ck_assert_str_eq(rb_buf_str(&out), "7");
	rb_buf_free(&out);
	memset(&out, 0, sizeof(out));
	ck_assert_int_eq(rb_btf_format_value(btf, T_FUNC, &c, 4, &out, 0, &err), -RB_EINPUT);
	rb_buf_free(&out);
	rb_btf_free(btf);
}
END_TEST

/* Found by elf/fuzz/btf_fuzz: an array of 2^32-1 zero-sized elements
 * printed forever; anonymous members nesting into themselves made member
 * lookups and the C dump exponential. */
START_TEST(hostile_shapes_finish)
{
	struct btf_builder bb;
	struct tb b;
	bb_init(&bb, false, 1, false);
	uint32_t empty = bb_type(&bb, 0, BTF_KIND_STRUCT, false, 0, 0);
	uint32_t uint = bb_type(&bb, bb_str(&bb, "unsigned int", 0), BTF_KIND_INT, false, 0, 4);
	bb_u32(&bb, 32);
	uint32_t arr = bb_type(&bb, 0, BTF_KIND_ARRAY, false, 0, 0);
	bb_u32(&bb, empty), bb_u32(&bb, uint), bb_u32(&bb, 0xffffffffu);
	/* [4] anonymous struct whose members are itself, twice */
	uint32_t self = bb_type(&bb, 0, BTF_KIND_STRUCT, false, 3, 8);
	bb_u32(&bb, 0), bb_u32(&bb, 4), bb_u32(&bb, 0);
	bb_u32(&bb, 0), bb_u32(&bb, 4), bb_u32(&bb, 0);
	bb_u32(&bb, 0), bb_u32(&bb, arr), bb_u32(&bb, 0);
	bb_type(&bb, bb_str(&bb, "selfy", 0), BTF_KIND_TYPEDEF, false, 0, self);
	bb_finish(&bb, &b);
	struct rb_btf *btf = parse_ok(&b, NULL);
	uint8_t v[8] = {0};
	struct rb_buf out = {0};
	struct rb_err err = {0};
	rb_btf_format_value(btf, arr, v, sizeof(v), &out, 0, &err);
	ck_assert_str_eq(rb_buf_str(&out), "<zero-sized elements>");
	rb_buf_free(&out);
	struct rb_btf_member_info mi;
	ck_assert_int_eq(rb_btf_find_member(btf, self, "nope", &mi, &err), 0);
	memset(&out, 0, sizeof(out));
	ck_assert_int_eq(rb_btf_format_value(btf, self, v, sizeof(v), &out, 0, &err), -RB_EINPUT);
	rb_buf_free(&out);
	FILE *null = fopen("/dev/null", "w");
	rb_err_clear(&err);
	ck_assert_int_eq(rb_btf_dump_c(btf, null, &err), -RB_EINPUT);
	fclose(null);
	rb_btf_free(btf);
}
END_TEST

/* Element types behind const/volatile are still chars (a `const volatile
 * char comm[16]` knob in .rodata); a typedef such as __u8 keeps bytes numbers. */
START_TEST(qualified_char_array_is_a_string)
{
	struct btf_builder bb;
	struct tb b;
	bb_init(&bb, false, 1, false);
	uint32_t ch = bb_type(&bb, bb_str(&bb, "char", 0), BTF_KIND_INT, false, 0, 1);
	bb_u32(&bb, (BTF_INT_SIGNED << 24) | 8);
	uint32_t uint = bb_type(&bb, bb_str(&bb, "unsigned int", 0), BTF_KIND_INT, false, 0, 4);
	bb_u32(&bb, 32);
	uint32_t vol = bb_type(&bb, 0, BTF_KIND_VOLATILE, false, 0, ch);
	uint32_t cv = bb_type(&bb, 0, BTF_KIND_CONST, false, 0, vol);
	uint32_t arr = bb_type(&bb, 0, BTF_KIND_ARRAY, false, 0, 0);
	bb_u32(&bb, cv), bb_u32(&bb, uint), bb_u32(&bb, 8);
	uint32_t uch = bb_type(&bb, bb_str(&bb, "unsigned char", 0), BTF_KIND_INT, false, 0, 1);
	bb_u32(&bb, 8);
	uint32_t u8 = bb_type(&bb, bb_str(&bb, "__u8", 0), BTF_KIND_TYPEDEF, false, 0, uch);
	uint32_t c8 = bb_type(&bb, 0, BTF_KIND_CONST, false, 0, u8);
	uint32_t bytes = bb_type(&bb, 0, BTF_KIND_ARRAY, false, 0, 0);
	bb_u32(&bb, c8), bb_u32(&bb, uint), bb_u32(&bb, 4);
	bb_finish(&bb, &b);
	struct rb_btf *btf = parse_ok(&b, NULL);
	const char v[8] = "bash";
	struct rb_buf out = {0};
	struct rb_err err = {0};
	ck_assert_int_eq(rb_btf_format_value(btf, arr, v, sizeof(v), &out, 0, &err), 0);
	ck_assert_str_eq(rb_buf_str(&out), "\"bash\"");
	rb_buf_free(&out);
	memset(&out, 0, sizeof(out));
	ck_assert_int_eq(rb_btf_format_value(btf, bytes, v, 4, &out, 0, &err), 0);
	ck_assert_str_eq(rb_buf_str(&out), "[98, 97, 115, 104]");
	rb_buf_free(&out);
	rb_btf_free(btf);
}
END_TEST

START_TEST(json_nesting_is_bounded)
{
	struct btf_builder bb;
	struct tb b;
	bb_init(&bb, false, 1, false);
	uint32_t name = bb_str(&bb, "m", 0);
	for (uint32_t i = 1; i <= 40; i++) { /* [i] struct { [i+1] m; } ... [41] int */
		bb_type(&bb, 0, BTF_KIND_STRUCT, false, 1, 4);
		bb_u32(&bb, name), bb_u32(&bb, i + 1), bb_u32(&bb, 0);
	}
	bb_type(&bb, bb_str(&bb, "int", 0), BTF_KIND_INT, false, 0, 4);
	bb_u32(&bb, (BTF_INT_SIGNED << 24) | 32);
	bb_finish(&bb, &b);
	struct rb_btf *btf = parse_ok(&b, NULL);
	int32_t v = 7;
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct rb_json j;
	struct rb_err err = {0};
	rb_json_init(&j, f, false);
	ck_assert_int_eq(rb_btf_print_json(btf, 1, &v, sizeof(v), &j, &err), -RB_EINPUT);
	ck_assert_msg(strstr(err.msg, "nests deeper"), "%s", err.msg);
	rb_json_finish(&j);
	fclose(f);
	int open = 0, close = 0;
	for (char *c = text; *c; c++)
		open += *c == '{', close += *c == '}';
	ck_assert_int_eq(open, close);
	free(text);
	rb_btf_free(btf);
}
END_TEST

/* --- the running kernel ------------------------------------------------------------- */

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

START_TEST(vmlinux)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		printf("SKIP vmlinux BTF: /sys/kernel/btf/vmlinux missing\n");
		return;
	}
	struct rb_btf *btf;
	struct rb_err err = {0};
	double t0 = now_ms();
	ck_assert_msg(rb_btf_load_vmlinux(&btf, &err) == 0, "%s", err.msg);
	double t1 = now_ms();
	uint32_t task = rb_btf_find(btf, "task_struct", BTF_KIND_STRUCT);
	double t2 = now_ms();
	printf("vmlinux BTF: %u types, read+parse %.2f ms, name index + first lookup %.2f ms\n",
	       rb_btf_type_cnt(btf) - 1, t1 - t0, t2 - t1);
	ck_assert_uint_gt(rb_btf_type_cnt(btf), 1000);
	ck_assert_uint_gt(task, 0);
	uint64_t size;
	ck_assert_int_eq(rb_btf_type_size(btf, task, &size, &err), 0);
	ck_assert_uint_gt(size, 0);
	struct rb_btf_member_info mi;
	ck_assert_int_eq(rb_btf_find_member(btf, task, "pid", &mi, &err), 1);
	ck_assert_uint_gt(mi.bit_offset, 0);
	ck_assert_str_eq(rb_btf_type_name(btf, mi.type_id), "pid_t");

	uint32_t lh = rb_btf_find(btf, "list_head", BTF_KIND_STRUCT);
	uint64_t ptrs[2] = {0xffff888000001000ull, 0};
	struct rb_buf out = {0};
	ck_assert_int_eq(rb_btf_format_value(btf, lh, ptrs, sizeof(ptrs), &out, 0, &err), 0);
	ck_assert_str_eq(rb_buf_str(&out), "{.next = 0xffff888000001000, .prev = 0x0}");
	rb_buf_free(&out);
	rb_btf_free(btf);
}
END_TEST

/* The kernel's BTF mapped (Linux >= 6.16) and read with read() must be the
 * same BTF; the mapped one is read-only, so type_mut refuses it. */
START_TEST(vmlinux_mapped_equals_read)
{
	if (access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		printf("SKIP vmlinux BTF mapped: /sys/kernel/btf/vmlinux missing\n");
		return;
	}
	struct rb_btf *mapped, *read;
	struct rb_err err = {0};
	ck_assert_msg(rb_btf_load_vmlinux(&mapped, &err) == 0, "%s", err.msg);
	ck_assert_msg(rb_btf_load_file(&read, "/sys/kernel/btf/vmlinux", NULL, &err) == 0, "%s", err.msg);
	size_t nm, nr;
	const void *bm = rb_btf_raw(mapped, &nm), *br = rb_btf_raw(read, &nr);
	ck_assert_uint_eq(nm, nr);
	ck_assert_int_eq(memcmp(bm, br, nm), 0);
	ck_assert_uint_eq(rb_btf_type_cnt(mapped), rb_btf_type_cnt(read));
	/* per-kind counts kept by the parse walk add up and match a recount */
	uint32_t by_kind[BTF_KIND_ENUM64 + 2] = {0}, total = 0;
	for (uint32_t i = 1; i < rb_btf_type_cnt(mapped); i++)
		by_kind[rb_btf_kind(rb_btf_type(mapped, i))]++;
	for (uint32_t k = 0; k < RB_ARRAY_SIZE(by_kind); k++) {
		ck_assert_uint_eq(rb_btf_kind_count(mapped, k), by_kind[k]);
		total += rb_btf_kind_count(mapped, k);
	}
	ck_assert_uint_eq(total, rb_btf_type_cnt(mapped) - 1);
	ck_assert_uint_gt(rb_btf_kind_count(mapped, BTF_KIND_STRUCT), 1000);
	uint32_t id = rb_btf_find(read, "task_struct", BTF_KIND_STRUCT);
	ck_assert_uint_eq(rb_btf_find(mapped, "task_struct", BTF_KIND_STRUCT), id);
	ck_assert_ptr_nonnull(rb_btf_type_mut(read, id));
	int fd = open("/sys/kernel/btf/vmlinux", O_RDONLY);
	void *p = mmap(NULL, nm, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		printf("SKIP vmlinux BTF mapped: this kernel cannot map it (%s), read() was used\n",
		       strerror(errno));
	} else {
		munmap(p, nm);
		ck_assert_ptr_null(rb_btf_type_mut(mapped, id));
	}
	rb_btf_free(read);
	rb_btf_free(mapped);
}
END_TEST

START_TEST(module_split_btf)
{
	DIR *d = opendir("/sys/kernel/btf");
	struct dirent *de;
	char path[512] = "";
	while (d && (de = readdir(d)))
		if (de->d_name[0] != '.' && strcmp(de->d_name, "vmlinux") != 0) {
			snprintf(path, sizeof(path), "/sys/kernel/btf/%s", de->d_name);
			break;
		}
	if (d)
		closedir(d);
	if (!path[0]) {
		printf("SKIP module split BTF: no module BTF in /sys/kernel/btf\n");
		return;
	}
	struct rb_btf *base, *mod;
	struct rb_err err = {0};
	ck_assert_msg(rb_btf_load_vmlinux(&base, &err) == 0, "%s", err.msg);
	ck_assert_msg(rb_btf_load_file(&mod, path, base, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(rb_btf_start_id(mod), rb_btf_type_cnt(base));
	ck_assert_uint_eq(rb_btf_find(mod, "task_struct", BTF_KIND_STRUCT),
			  rb_btf_find(base, "task_struct", BTF_KIND_STRUCT));
	rb_btf_free(mod);
	rb_btf_free(base);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("btf");
	TCase *tc = tcase_create("btf");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, model_little_endian);
	tcase_add_test(tc, model_big_endian);
	tcase_add_test(tc, raw_bytes_are_host_order);
	tcase_add_test(tc, rejects_unknown_kind_and_bad_refs);
	tcase_add_test(tc, truncated_at_every_length);
	tcase_add_test(tc, bit_flips);
	tcase_add_test(tc, split_btf_continues_ids_and_strings);
	tcase_add_test(tc, raw_dump_lines);
	tcase_add_test(tc, print_struct_text_and_json);
	tcase_add_test(tc, qualified_char_array_is_a_string);
	tcase_add_test(tc, hostile_shapes_finish);
	tcase_add_test(tc, json_nesting_is_bounded);
	tcase_add_test(tc, vmlinux);
	tcase_add_test(tc, vmlinux_mapped_equals_read);
	tcase_add_test(tc, module_split_btf);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
