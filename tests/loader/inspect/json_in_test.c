/* JSON keys/values encoded against BTF (rb_btf_encode_json) on a hand-made BTF. */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "elf/btf.h"
#include "loader/inspect/inspect.h"

static const char strs[] = "\0u32\0char\0st\0A\0B\0int\0task\0pid\0comm\0state\0neg\0bits\0a\0b\0double\0float";

static uint32_t str_off(const char *s)
{
	for (uint32_t i = 0; i < sizeof(strs); i += (uint32_t)strlen(strs + i) + 1)
		if (!strcmp(strs + i, s))
			return i;
	ck_abort_msg("no string %s", s);
	return 0;
}

#define INFO(kind, vlen, kflag) ((uint32_t)(kind) << 24 | (uint32_t)(vlen) | (uint32_t)(kflag) << 31)

/* Types: 1 u32, 2 char, 3 char[8], 4 enum st {A=0,B=5}, 5 int,
 * 6 struct task {u32 pid; char comm[8]; enum st state; int neg;},
 * 7 struct bits {u32 a:3; u32 b:5;}, 8 double, 9 float, 10 u32 * */
static struct rb_btf *make_btf(void)
{
	uint32_t t[] = {
		str_off("u32"), INFO(BTF_KIND_INT, 0, 0), 4, 32,
		str_off("char"), INFO(BTF_KIND_INT, 0, 0), 1, 8,
		0, INFO(BTF_KIND_ARRAY, 0, 0), 0, 2, 1, 8,
		str_off("st"), INFO(BTF_KIND_ENUM, 2, 0), 4, str_off("A"), 0, str_off("B"), 5,
		str_off("int"), INFO(BTF_KIND_INT, 0, 0), 4, BTF_INT_SIGNED << 24 | 32,
		str_off("task"), INFO(BTF_KIND_STRUCT, 4, 0), 20, str_off("pid"), 1, 0, str_off("comm"), 3, 32,
		str_off("state"), 4, 96, str_off("neg"), 5, 128,
		str_off("bits"), INFO(BTF_KIND_STRUCT, 2, 1), 4, str_off("a"), 1, 3u << 24 | 0,
		str_off("b"), 1, 5u << 24 | 3,
		str_off("double"), INFO(BTF_KIND_FLOAT, 0, 0), 8,
		str_off("float"), INFO(BTF_KIND_FLOAT, 0, 0), 4,
		0, INFO(BTF_KIND_PTR, 0, 0), 1,
	};
	struct btf_header h = {.magic = 0xeB9F, .version = 1, .hdr_len = sizeof(h),
			       .type_off = 0, .type_len = sizeof(t), .str_off = sizeof(t), .str_len = sizeof(strs)};
	size_t n = sizeof(h) + sizeof(t) + sizeof(strs);
	unsigned char *raw = malloc(n);
	memcpy(raw, &h, sizeof(h));
	memcpy(raw + sizeof(h), t, sizeof(t));
	memcpy(raw + sizeof(h) + sizeof(t), strs, sizeof(strs));
	struct rb_btf *btf = NULL;
	struct rb_err err = {0};
	ck_assert_msg(rb_btf_parse(&btf, raw, n, NULL, "test", &err) == 0, "%s", err.msg);
	free(raw);
	return btf;
}

START_TEST(struct_by_member_names)
{
	struct rb_btf *btf = make_btf();
	struct rb_err err = {0};
	uint8_t out[20];
	ck_assert_msg(rb_btf_encode_json(btf, 6, " {\"pid\": 42, \"comm\": \"bash\", \"state\": \"B\", \"neg\": -2} ",
					 out, sizeof(out), "value", &err) == 0, "%s", err.msg);
	uint32_t pid, state;
	int32_t neg;
	memcpy(&pid, out, 4);
	memcpy(&state, out + 12, 4);
	memcpy(&neg, out + 16, 4);
	ck_assert_uint_eq(pid, 42);
	ck_assert(memcmp(out + 4, "bash\0\0\0\0", 8) == 0);
	ck_assert_uint_eq(state, 5);
	ck_assert_int_eq(neg, -2);
	/* missing members are zero; enums by number */
	ck_assert(rb_btf_encode_json(btf, 6, "{\"state\": 0}", out, sizeof(out), "value", &err) == 0);
	for (int i = 0; i < 20; i++)
		ck_assert_uint_eq(out[i], 0);
	rb_btf_free(btf);
}
END_TEST

START_TEST(floats_and_pointers)
{
	struct rb_btf *btf = make_btf();
	struct rb_err err = {0};
	uint8_t out[8];
	double d;
	float f;
	uint64_t p;
	ck_assert_msg(rb_btf_encode_json(btf, 8, "-1.5", out, 8, "value", &err) == 0, "%s", err.msg);
	memcpy(&d, out, 8);
	ck_assert(d == -1.5);
	ck_assert_msg(rb_btf_encode_json(btf, 9, "0.25", out, 4, "value", &err) == 0, "%s", err.msg);
	memcpy(&f, out, 4);
	ck_assert(f == 0.25f);
	ck_assert_msg(rb_btf_encode_json(btf, 10, "0x1000", out, 8, "value", &err) == 0, "%s", err.msg);
	memcpy(&p, out, 8);
	ck_assert_uint_eq(p, 0x1000);
	ck_assert_int_eq(rb_btf_encode_json(btf, 10, "x", out, 8, "value", &err), -RB_EUSAGE);
	ck_assert_msg(strstr(err.msg, "value: expected a number at 'x'"), "%s", err.msg);
	rb_btf_free(btf);
}
END_TEST

START_TEST(bitfields_and_arrays)
{
	struct rb_btf *btf = make_btf();
	struct rb_err err = {0};
	uint8_t out[8];
	ck_assert_msg(rb_btf_encode_json(btf, 7, "{\"a\": 5, \"b\": 31}", out, 4, "key", &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(out[0], 5 | 31 << 3);
	ck_assert(rb_btf_encode_json(btf, 3, "[104, 105]", out, 8, "key", &err) == 0);
	ck_assert(memcmp(out, "hi\0\0\0\0\0\0", 8) == 0);
	ck_assert(rb_btf_encode_json(btf, 3, "\"12345678\"", out, 8, "key", &err) == 0);
	ck_assert(memcmp(out, "12345678", 8) == 0);
	rb_btf_free(btf);
}
END_TEST

static void expect_fail(const char *text, uint32_t type, size_t size, const char *fragment)
{
	struct rb_btf *btf = make_btf();
	struct rb_err err = {0};
	uint8_t out[32];
	ck_assert_int_lt(rb_btf_encode_json(btf, type, text, out, size, "value", &err), 0);
	ck_assert_msg(strstr(err.msg, fragment), "'%s': '%s' lacks '%s'", text, err.msg, fragment);
	rb_btf_free(btf);
}

START_TEST(bad_input_is_named)
{
	expect_fail("{\"nope\": 1}", 6, 20, "no member 'nope' in struct task");
	expect_fail("{\"comm\": \"123456789\"}", 6, 20, "longer than char[8]");
	expect_fail("{\"state\": \"C\"}", 6, 20, "'C' is not an enumerator of enum st");
	expect_fail("{\"pid\": -1}", 6, 20, "does not fit a 32-bit unsigned");
	expect_fail("{\"neg\": 2147483648}", 6, 20, "does not fit a 32-bit signed");
	expect_fail("{\"a\": 8}", 7, 4, "does not fit a 3-bit");
	expect_fail("{\"pid\": 1", 6, 20, "expected ',' or '}'");
	expect_fail("{\"pid\" 1}", 6, 20, "\"member\": value");
	expect_fail("{} x", 6, 20, "text after the JSON value");
	expect_fail("[1,2,3,4,5,6,7,8,9]", 3, 8, "more than 8 array elements");
	expect_fail("\"abc", 3, 8, "expected a string");
	expect_fail("{}", 6, 16, "the map says 16");
	expect_fail("x", 1, 4, "expected a number");
	expect_fail("", 1, 4, "expected a number at '(end)'");
}
END_TEST

/* Random and mutated text never crashes the parsers (the sanitizer run
 * checks the "never"); every call either succeeds or names a problem. */
START_TEST(random_text_is_refused_cleanly)
{
	static const char alphabet[] = "{}[]\":, 0123456789-xabcdefABCDEFpidcommstatenegtruefalse\\\"";
	struct rb_btf *btf = make_btf();
	unsigned seed = 12345;
	for (int round = 0; round < 3000; round++) {
		char text[48];
		size_t n = (size_t)(rand_r(&seed) % (sizeof(text) - 1));
		for (size_t i = 0; i < n; i++)
			text[i] = alphabet[rand_r(&seed) % (sizeof(alphabet) - 1)];
		text[n] = 0;
		uint8_t out[32];
		struct rb_err err = {0};
		uint32_t type = 1 + (uint32_t)(rand_r(&seed) % 7);
		uint64_t size = 0;
		struct rb_err ignored = {0};
		rb_btf_type_size(btf, type, &size, &ignored);
		int r = rb_btf_encode_json(btf, type, text, out, (size_t)size, "value", &err);
		ck_assert(r == 0 || (r < 0 && err.msg[0]));
		struct rb_buf b = {0};
		char *argv[1] = {text};
		int i = 0;
		rb_err_clear(&err);
		r = rb_parse_bytes(1, argv, &i, 4, "key", &b, &err);
		ck_assert(r >= 0 || err.msg[0]);
		rb_buf_free(&b);
	}
	rb_btf_free(btf);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("inspect-json-in");
	TCase *tc = tcase_create("json_in");
	tcase_add_test(tc, struct_by_member_names);
	tcase_add_test(tc, bitfields_and_arrays);
	tcase_add_test(tc, floats_and_pointers);
	tcase_add_test(tc, bad_input_is_named);
	tcase_add_test(tc, random_text_is_refused_cleanly);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
