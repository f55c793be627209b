/* .BTF.ext reader: hand-made func_info/line_info/core_relo in both byte
 * orders, larger record sizes (forward compatibility), hostile inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "elf/btf_ext.h"
#include "elf/builders.h"

struct strs {
	uint32_t text, file, line, access;
};

static struct rb_btf *make_btf(bool be, struct strs *s)
{
	struct btf_builder bb;
	struct tb out;
	bb_init(&bb, be, 1, false);
	bb_type(&bb, bb_str(&bb, "int", 0), BTF_KIND_INT, false, 0, 4);
	bb_u32(&bb, (BTF_INT_SIGNED << 24) | 32);
	s->text = bb_str(&bb, ".text", 0);
	s->file = bb_str(&bb, "prog.bpf.c", 0);
	s->line = bb_str(&bb, "return 0;", 0);
	s->access = bb_str(&bb, "0:1", 0);
	bb_finish(&bb, &out);
	struct rb_btf *btf;
	struct rb_err err = {0};
	ck_assert_msg(rb_btf_parse(&btf, out.d, out.len, NULL, "t", &err) == 0, "%s", err.msg);
	return btf;
}

/* extra: bytes each record carries beyond the known struct (newer clang). */
static void build_ext(struct tb *b, bool be, const struct strs *s, uint32_t extra)
{
	memset(b, 0, sizeof(*b));
	b->be = be;
	tb_add(b, 0xeB9F, 2);
	tb_add(b, 1, 1);
	tb_add(b, 0, 1);
	tb_add(b, 32, 4);
	size_t hdr = b->len;
	for (int i = 0; i < 6; i++)
		tb_add(b, 0, 4);
	/* func_info: 2 records */
	size_t fi = b->len;
	tb_add(b, 8 + extra, 4);
	tb_add(b, s->text, 4);
	tb_add(b, 2, 4);
	for (uint32_t i = 0; i < 2; i++) {
		tb_add(b, i * 64, 4);
		tb_add(b, 1, 4);
		for (uint32_t k = 0; k < extra; k += 4)
			tb_add(b, 0xdead, 4);
	}
	size_t li = b->len;
	tb_add(b, 16 + extra, 4);
	tb_add(b, s->text, 4);
	tb_add(b, 1, 4);
	tb_add(b, 8, 4);
	tb_add(b, s->file, 4);
	tb_add(b, s->line, 4);
	tb_add(b, (7u << 10) | 3, 4);
	for (uint32_t k = 0; k < extra; k += 4)
		tb_add(b, 0xbeef, 4);
	size_t cr = b->len;
	tb_add(b, 16 + extra, 4);
	tb_add(b, s->text, 4);
	tb_add(b, 1, 4);
	tb_add(b, 16, 4);
	tb_add(b, 1, 4);
	tb_add(b, s->access, 4);
	tb_add(b, 0, 4);
	for (uint32_t k = 0; k < extra; k += 4)
		tb_add(b, 0, 4);
	size_t end = b->len;
	tb_put(b, hdr, fi - 32, 4);
	tb_put(b, hdr + 4, li - fi, 4);
	tb_put(b, hdr + 8, li - 32, 4);
	tb_put(b, hdr + 12, cr - li, 4);
	tb_put(b, hdr + 16, cr - 32, 4);
	tb_put(b, hdr + 20, end - cr, 4);
}

static void check_ext(bool be, uint32_t extra)
{
	struct strs s;
	struct rb_btf *btf = make_btf(be, &s);
	struct tb b;
	build_ext(&b, be, &s, extra);
	struct rb_btf_ext *ext;
	struct rb_err err = {0};
	ck_assert_msg(rb_btf_ext_parse(&ext, b.d, b.len, btf, "t.o", &err) == 0, "%s", err.msg);
	ck_assert(ext->swapped == be);
	const struct rb_btf_ext_sec *f = rb_btf_ext_find(&ext->func_info, ".text");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(f->count, 2);
	ck_assert_uint_eq(f->rec_size, 8 + extra);
	ck_assert_uint_eq(rb_btf_ext_func_info(f, 1)->insn_off, 64);
	ck_assert_uint_eq(rb_btf_ext_func_info(f, 1)->type_id, 1);
	const struct rb_btf_ext_sec *l = rb_btf_ext_find(&ext->line_info, ".text");
	ck_assert_ptr_nonnull(l);
	const struct bpf_line_info *li = rb_btf_ext_line_info(l, 0);
	ck_assert_str_eq(rb_btf_str(btf, li->file_name_off), "prog.bpf.c");
	ck_assert_str_eq(rb_btf_str(btf, li->line_off), "return 0;");
	ck_assert_uint_eq(BPF_LINE_INFO_LINE_NUM(li->line_col), 7);
	ck_assert_uint_eq(BPF_LINE_INFO_LINE_COL(li->line_col), 3);
	const struct rb_btf_ext_sec *c = rb_btf_ext_find(&ext->core_relo, ".text");
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(rb_btf_str(btf, rb_btf_ext_core_relo(c, 0)->access_str_off), "0:1");
	ck_assert_ptr_null(rb_btf_ext_find(&ext->func_info, "xdp"));
	rb_btf_ext_free(ext);
	rb_btf_free(btf);
}

START_TEST(little_endian) { check_ext(false, 0); }
END_TEST

START_TEST(big_endian) { check_ext(true, 0); }
END_TEST

START_TEST(larger_records_are_forward_compatible) { check_ext(false, 8); }
END_TEST

static int parse(const struct tb *b, const struct rb_btf *btf, struct rb_err *err)
{
	struct rb_btf_ext *ext;
	memset(err, 0, sizeof(*err));
	int r = rb_btf_ext_parse(&ext, b->d, b->len, btf, "t.o", err);
	rb_btf_ext_free(ext);
	return r;
}

START_TEST(hostile_inputs)
{
	struct strs s;
	struct rb_btf *btf = make_btf(false, &s);
	struct tb b;
	struct rb_err err;
	build_ext(&b, false, &s, 0);
	tb_put(&b, 32, 4, 4); /* func_info rec_size smaller than known */
	ck_assert_int_eq(parse(&b, btf, &err), -RB_EINPUT);
	ck_assert_msg(strstr(err.msg, "rec_size"), "%s", err.msg);
	build_ext(&b, false, &s, 0);
	tb_put(&b, 40, 0x10000000, 4); /* huge record count */
	ck_assert_int_eq(parse(&b, btf, &err), -RB_EINPUT);
	ck_assert_msg(strstr(err.msg, "past the subsection end"), "%s", err.msg);
	build_ext(&b, false, &s, 0);
	tb_put(&b, 36, 99999, 4); /* section name offset outside the strings */
	ck_assert_int_eq(parse(&b, btf, &err), -RB_EINPUT);
	ck_assert_msg(strstr(err.msg, "section name offset 99999"), "%s", err.msg);
	build_ext(&b, true, &s, 0); /* .BTF.ext big-endian, .BTF little-endian */
	ck_assert_int_eq(parse(&b, btf, &err), -RB_EINPUT);
	ck_assert_msg(strstr(err.msg, "byte orders"), "%s", err.msg);
	ck_assert_int_eq(parse(&b, NULL, &err), -RB_EINPUT);
	rb_btf_free(btf);
}
END_TEST

START_TEST(truncated_at_every_length)
{
	struct strs s;
	struct rb_btf *btf = make_btf(false, &s);
	struct tb b;
	build_ext(&b, false, &s, 0);
	for (size_t len = 0; len < b.len; len++) {
		struct tb t = b;
		struct rb_err err;
		t.len = len;
		ck_assert_msg(parse(&t, btf, &err) == -RB_EINPUT, "length %zu accepted", len);
	}
	rb_btf_free(btf);
}
END_TEST

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

START_TEST(bit_flips)
{
	struct strs s;
	struct rb_btf *btf = make_btf(false, &s);
	uint32_t seed = 4242;
	int ok = 0;
	for (int iter = 0; iter < 5000; iter++) {
		struct tb b;
		build_ext(&b, false, &s, (iter & 1) * 4);
		for (int f = 0; f < 1 + (int)(lcg(&seed) % 3); f++)
			b.d[lcg(&seed) % b.len] ^= (uint8_t)(1u << (lcg(&seed) % 8));
		struct rb_btf_ext *ext;
		struct rb_err err = {0};
		if (rb_btf_ext_parse(&ext, b.d, b.len, btf, "flip", &err) == 0) {
			const struct rb_btf_ext_info *infos[] = {&ext->func_info, &ext->line_info, &ext->core_relo};
			for (int i = 0; i < 3; i++)
				for (uint32_t k = 0; k < infos[i]->nsecs; k++) {
					const struct rb_btf_ext_sec *g = &infos[i]->secs[k];
					ck_assert(g->recs >= ext->data &&
						  g->recs + (size_t)g->count * g->rec_size <= ext->data + ext->size);
				}
			rb_btf_ext_free(ext);
			ok++;
		}
	}
	ck_assert_int_gt(ok, 0);
	rb_btf_free(btf);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("btf_ext");
	TCase *tc = tcase_create("btf_ext");
	tcase_add_test(tc, little_endian);
	tcase_add_test(tc, big_endian);
	tcase_add_test(tc, larger_records_are_forward_compatible);
	tcase_add_test(tc, hostile_inputs);
	tcase_add_test(tc, truncated_at_every_length);
	tcase_add_test(tc, bit_flips);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
