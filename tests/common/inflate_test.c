/* Inflate on hand-made streams (bit by bit), on streams python3's zlib made
 * (test-time oracle: stored, fixed and dynamic blocks), and on corrupt input. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "common/inflate.h"

/* LSB-first bit writer for hand-made DEFLATE streams. */
struct bw {
	uint8_t b[256];
	size_t nbits;
};

static void put(struct bw *w, uint32_t v, unsigned n)
{
	for (unsigned i = 0; i < n; i++, w->nbits++)
		if (v >> i & 1)
			w->b[w->nbits / 8] |= (uint8_t)(1u << (w->nbits % 8));
}

/* Huffman codes are sent most significant bit first. */
static void put_code(struct bw *w, uint32_t code, unsigned n)
{
	for (unsigned i = n; i-- > 0;)
		put(w, code >> i & 1, 1);
}

/* Fixed-code literal (RFC 1951 3.2.6). */
static void put_fixed_lit(struct bw *w, unsigned sym)
{
	if (sym < 144)
		put_code(w, 0x30 + sym, 8);
	else if (sym < 256)
		put_code(w, 0x190 + sym - 144, 9);
	else if (sym < 280)
		put_code(w, sym - 256, 7);
	else
		put_code(w, 0xc0 + sym - 280, 8);
}

static size_t bytes(const struct bw *w)
{
	return (w->nbits + 7) / 8;
}

static int inflate(const void *p, size_t n, struct rb_buf *out, struct rb_err *e)
{
	return rb_inflate_raw(p, n, 1 << 20, out, NULL, e);
}

START_TEST(crc32_known_value)
{
	ck_assert_uint_eq(rb_crc32(0, "123456789", 9), 0xcbf43926u);
	ck_assert_uint_eq(rb_crc32(rb_crc32(0, "1234", 4), "56789", 5), 0xcbf43926u);
}
END_TEST

START_TEST(stored_block_by_hand)
{
	static const uint8_t s[] = {0x01, 5, 0, 0xfa, 0xff, 'h', 'e', 'l', 'l', 'o'};
	struct rb_buf out = {0};
	struct rb_err e = {0};
	size_t used = 0;
	ck_assert_int_eq(rb_inflate_raw(s, sizeof(s), 100, &out, &used, &e), 0);
	ck_assert_uint_eq(out.len, 5);
	ck_assert(memcmp(out.data, "hello", 5) == 0);
	ck_assert_uint_eq(used, sizeof(s));
	rb_buf_free(&out);
}
END_TEST

START_TEST(stored_block_bad_complement)
{
	static const uint8_t s[] = {0x01, 5, 0, 0xfa, 0xfe, 'h', 'e', 'l', 'l', 'o'};
	struct rb_buf out = {0};
	struct rb_err e = {0};
	ck_assert_int_eq(inflate(s, sizeof(s), &out, &e), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "complement"));
	rb_buf_free(&out);
}
END_TEST

/* "abc" then a length-6 copy at distance 3: "abcabcabc", with fixed codes. */
START_TEST(fixed_block_by_hand_with_overlapping_copy)
{
	struct bw w = {0};
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_fixed_lit(&w, 'a');
	put_fixed_lit(&w, 'b');
	put_fixed_lit(&w, 'c');
	put_fixed_lit(&w, 260); /* length 6 */
	put_code(&w, 2, 5);     /* distance 3 */
	put_fixed_lit(&w, 256);
	struct rb_buf out = {0};
	struct rb_err e = {0};
	ck_assert_int_eq(inflate(w.b, bytes(&w), &out, &e), 0);
	ck_assert_str_eq(rb_buf_str(&out), "abcabcabc");
	rb_buf_free(&out);
}
END_TEST

START_TEST(fixed_block_distance_too_far)
{
	struct bw w = {0};
	put(&w, 1, 1);
	put(&w, 1, 2);
	put_fixed_lit(&w, 'a');
	put_fixed_lit(&w, 257);
	put_code(&w, 1, 5); /* distance 2, but only 1 byte exists */
	put_fixed_lit(&w, 256);
	struct rb_buf out = {0};
	struct rb_err e = {0};
	ck_assert_int_eq(inflate(w.b, bytes(&w), &out, &e), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "too far back"));
	rb_buf_free(&out);
}
END_TEST

/* Dynamic block by hand: literals 'a' 'b' 'c' and end-of-block each 2 bits,
 * one distance code; code-length code: lengths 0 and 2 (1 bit each) + 18. */
static void put_small_dynamic(struct bw *w, unsigned eob_len)
{
	put(w, 1, 1);
	put(w, 2, 2);
	put(w, 0, 5); /* HLIT: 257 codes */
	put(w, 0, 5); /* HDIST: 1 code */
	put(w, 15, 4); /* HCLEN: 19 code-length codes */
	/* order 16 17 18 0 8 7 9 6 10 5 11 4 12 3 13 2 14 1 15 */
	static const uint8_t cl[19] = {0, 0, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 2, 0};
	for (int i = 0; i < 19; i++)
		put(w, cl[i], 3);
	/* clen codes (canonical, length 2): 0 -> 00, 1 -> 01, 2 -> 10, 18 -> 11 */
	put_code(w, 3, 2), put(w, 97 - 11, 7);  /* zeros for 0..96 */
	put_code(w, 2, 2), put_code(w, 2, 2);   /* 'a' 'b' length 2 */
	put_code(w, 2, 2);                      /* 'c' length 2 */
	put_code(w, 3, 2), put(w, 138 - 11, 7); /* zeros 100..237 */
	put_code(w, 3, 2), put(w, 18 - 11, 7);  /* zeros 238..255 */
	put_code(w, eob_len, 2);                /* EOB length */
	put_code(w, 1, 2);                      /* the distance code: length 1 */
}

START_TEST(dynamic_block_by_hand)
{
	struct bw w = {0};
	put_small_dynamic(&w, 2);
	/* litlen codes: 'a' 00, 'b' 01, 'c' 10, EOB 11 */
	put_code(&w, 1, 2), put_code(&w, 0, 2), put_code(&w, 2, 2), put_code(&w, 3, 2);
	struct rb_buf out = {0};
	struct rb_err e = {0};
	ck_assert_int_eq(inflate(w.b, bytes(&w), &out, &e), 0);
	ck_assert_str_eq(rb_buf_str(&out), "bac");
	rb_buf_free(&out);
}
END_TEST

START_TEST(dynamic_block_without_end_of_block)
{
	struct bw w = {0};
	put_small_dynamic(&w, 0);
	struct rb_buf out = {0};
	struct rb_err e = {0};
	ck_assert_int_eq(inflate(w.b, bytes(&w), &out, &e), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "end-of-block"));
	rb_buf_free(&out);
}
END_TEST

START_TEST(reserved_block_type)
{
	static const uint8_t s[] = {0x07};
	struct rb_buf out = {0};
	struct rb_err e = {0};
	ck_assert_int_eq(inflate(s, 1, &out, &e), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "reserved block type"));
	rb_buf_free(&out);
}
END_TEST

/* Runs python3 to compress `data` and returns the compressed bytes. */
static size_t python_compress(const char *expr, const uint8_t *data, size_t n, uint8_t **res)
{
	char path[] = "/tmp/rb-inflate-XXXXXX", cmd[512];
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "wb");
	ck_assert_uint_eq(fwrite(data, 1, n, f), n);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "python3 -c 'import sys,zlib,gzip; d=open(\"%s\",\"rb\").read(); "
		 "sys.stdout.buffer.write(%s)'", path, expr);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	struct rb_buf out = {0};
	char chunk[4096];
	size_t got;
	while ((got = fread(chunk, 1, sizeof(chunk), p)) > 0)
		rb_buf_append(&out, chunk, got);
	ck_assert_int_eq(pclose(p), 0);
	unlink(path);
	*res = (uint8_t *)out.data;
	return out.len;
}

/* Text-like data with repeats, so every block type and long matches occur. */
static uint8_t *sample(size_t n)
{
	uint8_t *d = malloc(n);
	uint32_t x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245 + 12345;
		d[i] = (x >> 16) % 7 == 0 ? (uint8_t)(x >> 8) : (uint8_t)("CONFIG_BPF=y\n"[i % 13]);
	}
	return d;
}

static void roundtrip_raw(const char *expr)
{
	size_t n = 200000;
	uint8_t *d = sample(n), *z;
	size_t zn = python_compress(expr, d, n, &z);
	struct rb_buf out = {0};
	struct rb_err e = {0};
	size_t used = 0;
	ck_assert_msg(rb_inflate_raw(z, zn, n, &out, &used, &e) == 0, "%s: %s", expr, e.msg);
	ck_assert_uint_eq(out.len, n);
	ck_assert(memcmp(out.data, d, n) == 0);
	ck_assert_uint_eq(used, zn);
	rb_buf_free(&out);
	free(z);
	free(d);
}

START_TEST(python_stored_blocks)
{
	roundtrip_raw("zlib.compressobj(0, zlib.DEFLATED, -15).compress(d) + "
		      "zlib.compressobj(0, zlib.DEFLATED, -15).flush()");
}
END_TEST

START_TEST(python_fixed_blocks)
{
	roundtrip_raw("(lambda c: c.compress(d) + c.flush())"
		      "(zlib.compressobj(6, zlib.DEFLATED, -15, 8, zlib.Z_FIXED))");
}
END_TEST

START_TEST(python_dynamic_blocks)
{
	roundtrip_raw("(lambda c: c.compress(d) + c.flush())(zlib.compressobj(9, zlib.DEFLATED, -15))");
}
END_TEST

START_TEST(python_gzip_with_name_and_two_members)
{
	size_t n = 50000;
	uint8_t *d = sample(n), *z;
	size_t zn = python_compress("gzip.compress(d) + gzip.compress(d[:100])", d, n, &z);
	struct rb_buf out = {0};
	struct rb_err e = {0};
	ck_assert_msg(rb_gunzip(z, zn, 1 << 20, &out, &e) == 0, "%s", e.msg);
	ck_assert_uint_eq(out.len, n + 100);
	ck_assert(memcmp(out.data, d, n) == 0 && memcmp(out.data + n, d, 100) == 0);
	rb_buf_free(&out);
	free(z);
	free(d);
}
END_TEST

/* gzip header with every optional field, including a correct header CRC. */
START_TEST(gzip_all_header_fields)
{
	uint8_t g[64] = {0x1f, 0x8b, 8, 2 | 4 | 8 | 16, 0, 0, 0, 0, 0, 3};
	size_t n = 10;
	g[n++] = 3, g[n++] = 0, g[n++] = 'x', g[n++] = 'y', g[n++] = 'z'; /* FEXTRA */
	memcpy(g + n, "name", 5), n += 5;                                     /* FNAME */
	memcpy(g + n, "comment", 8), n += 8;                                  /* FCOMMENT */
	uint32_t hcrc = rb_crc32(0, g, n);
	g[n++] = (uint8_t)hcrc, g[n++] = (uint8_t)(hcrc >> 8);
	static const uint8_t blk[] = {0x01, 2, 0, 0xfd, 0xff, 'h', 'i'};
	memcpy(g + n, blk, sizeof(blk)), n += sizeof(blk);
	uint32_t crc = rb_crc32(0, "hi", 2);
	for (int i = 0; i < 4; i++)
		g[n++] = (uint8_t)(crc >> (8 * i));
	g[n++] = 2, g[n++] = 0, g[n++] = 0, g[n++] = 0;
	struct rb_buf out = {0};
	struct rb_err e = {0};
	ck_assert_msg(rb_gunzip(g, n, 100, &out, &e) == 0, "%s", e.msg);
	ck_assert_str_eq(rb_buf_str(&out), "hi");
	g[n - 8] ^= 1; /* CRC */
	ck_assert_int_eq(rb_gunzip(g, n, 100, &out, &e), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "CRC-32 mismatch"));
	g[n - 8] ^= 1;
	g[12] ^= 1; /* inside FEXTRA: the header CRC catches it */
	rb_err_clear(&e);
	ck_assert_int_eq(rb_gunzip(g, n, 100, &out, &e), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "header CRC"));
	rb_buf_free(&out);
}
END_TEST

START_TEST(gzip_truncated_and_flipped_never_crash)
{
	size_t n = 5000;
	uint8_t *d = sample(n), *z;
	size_t zn = python_compress("gzip.compress(d)", d, n, &z);
	for (size_t cut = 0; cut < zn; cut++) {
		struct rb_buf out = {0};
		struct rb_err e = {0};
		ck_assert_int_lt(rb_gunzip(z, cut, 1 << 20, &out, &e), 0);
		rb_buf_free(&out);
	}
	for (size_t bit = 0; bit < zn * 8; bit += 3) {
		struct rb_buf out = {0};
		struct rb_err e = {0};
		z[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		int r = rb_gunzip(z, zn, 1 << 20, &out, &e);
		/* a flip in FTEXT, MTIME, XFL or OS is invisible; others are caught */
		if (bit != 24 && (bit / 8 < 4 || bit / 8 >= 10))
			ck_assert_msg(r < 0, "flip of bit %zu accepted", bit);
		z[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		rb_buf_free(&out);
	}
	free(z);
	free(d);
}
END_TEST

START_TEST(output_cap_enforced)
{
	size_t n = 100000;
	uint8_t *d = sample(n), *z;
	size_t zn = python_compress("gzip.compress(d)", d, n, &z);
	struct rb_buf out = {0};
	struct rb_err e = {0};
	ck_assert_int_eq(rb_gunzip(z, zn, n - 1, &out, &e), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "limit"));
	ck_assert_uint_le(out.len, n - 1);
	rb_buf_free(&out);
	free(z);
	free(d);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("inflate");
	TCase *tc = tcase_create("inflate");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, crc32_known_value);
	tcase_add_test(tc, stored_block_by_hand);
	tcase_add_test(tc, stored_block_bad_complement);
	tcase_add_test(tc, fixed_block_by_hand_with_overlapping_copy);
	tcase_add_test(tc, fixed_block_distance_too_far);
	tcase_add_test(tc, dynamic_block_by_hand);
	tcase_add_test(tc, dynamic_block_without_end_of_block);
	tcase_add_test(tc, reserved_block_type);
	tcase_add_test(tc, python_stored_blocks);
	tcase_add_test(tc, python_fixed_blocks);
	tcase_add_test(tc, python_dynamic_blocks);
	tcase_add_test(tc, python_gzip_with_name_and_two_members);
	tcase_add_test(tc, gzip_all_header_fields);
	tcase_add_test(tc, gzip_truncated_and_flipped_never_crash);
	tcase_add_test(tc, output_cap_enforced);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
