/* Keys and values from the command line, CPU lists, rendering helpers. */
#include <string.h>

#include "check_main.h"
#include "loader/inspect/inspect.h"

/* Parses the words of `line` (split on spaces) as one operand. */
static int parse(const char *line, size_t size, struct rb_buf *out, struct rb_err *err, int *used)
{
	static char copy[256];
	char *argv[32];
	int argc = 0;
	snprintf(copy, sizeof(copy), "%s", line);
	for (char *t = strtok(copy, " "); t && argc < 32; t = strtok(NULL, " "))
		argv[argc++] = t;
	int i = 0;
	int r = rb_parse_bytes(argc, argv, &i, size, "key", out, err);
	if (used)
		*used = i;
	return r;
}

static void expect_bytes(const char *line, size_t size, const uint8_t *want, size_t n)
{
	struct rb_buf b = {0};
	struct rb_err err = {0};
	int r = parse(line, size, &b, &err, NULL);
	ck_assert_msg(r == (int)n, "'%s': got %d (%s)", line, r, err.msg);
	ck_assert(n == 0 || memcmp(b.data, want, n) == 0);
	rb_buf_free(&b);
}

static void expect_error(const char *line, size_t size, const char *fragment)
{
	struct rb_buf b = {0};
	struct rb_err err = {0};
	ck_assert_int_eq(parse(line, size, &b, &err, NULL), -RB_EUSAGE);
	ck_assert_msg(strstr(err.msg, fragment), "'%s': message '%s' lacks '%s'", line, err.msg, fragment);
	rb_buf_free(&b);
}

START_TEST(byte_words_like_bpftool)
{
	expect_bytes("0x01 0 0 0", 4, (const uint8_t[]){1, 0, 0, 0}, 4);
	expect_bytes("255 0x7f 010", 3, (const uint8_t[]){255, 0x7f, 8}, 3);
}
END_TEST

START_TEST(hex_any_grouping)
{
	expect_bytes("hex 01020304", 4, (const uint8_t[]){1, 2, 3, 4}, 4);
	expect_bytes("hex 01 02 0304", 4, (const uint8_t[]){1, 2, 3, 4}, 4);
	expect_bytes("hex 0xAbCd", 2, (const uint8_t[]){0xab, 0xcd}, 2);
	expect_bytes("hex 0 1", 1, (const uint8_t[]){0x01}, 1);
}
END_TEST

START_TEST(json_arrays)
{
	expect_bytes("[1, \"0x02\", 3,4]", 4, (const uint8_t[]){1, 2, 3, 4}, 4);
	expect_bytes("[\"0xff\"]", 1, (const uint8_t[]){0xff}, 1);
	expect_bytes("[]", 0, (const uint8_t[]){0}, 0);
}
END_TEST

START_TEST(single_integer_for_sized_operands)
{
	uint32_t v32 = 10240;
	expect_bytes("10240", 4, (const uint8_t *)&v32, 4);
	uint64_t v64 = UINT64_MAX;
	expect_bytes("-1", 8, (const uint8_t *)&v64, 8);
	int16_t v16 = -32768;
	expect_bytes("-32768", 2, (const uint8_t *)&v16, 2);
	/* a 1-byte operand stays a byte; a 3-byte one needs three words */
	expect_bytes("7", 1, (const uint8_t[]){7}, 1);
}
END_TEST

START_TEST(bad_input_is_named)
{
	expect_error("256", 1, "'256' is not a byte");
	expect_error("0x01 zz", 2, "'zz' is not a byte");
	expect_error("hex 0g", 1, "'g' in '0g' is not a hex digit");
	expect_error("hex 012", 2, "odd number of hex digits");
	expect_error("hex", 2, "`hex` needs hex digits");
	expect_error("[1, 2", 2, "expected ',' or ']'");
	expect_error("[1, 300]", 2, "bad JSON array element");
	expect_error("[1] x", 2, "text after the JSON array");
	expect_error("{\"a\":1}", 4, "JSON objects are not accepted");
	expect_error("65536", 2, "not a 2-byte integer");
	expect_error("-129x", 4, "not a 4-byte integer");
	expect_error("-2147483649", 4, "not a 4-byte integer");
	expect_error("value 1", 4, "missing bytes");
}
END_TEST

START_TEST(stops_at_keywords)
{
	struct rb_buf b = {0};
	struct rb_err err = {0};
	int used;
	ck_assert_int_eq(parse("1 2 3 4 value 5", 4, &b, &err, &used), 4);
	ck_assert_int_eq(used, 4);
	rb_buf_free(&b);
}
END_TEST

START_TEST(data_args)
{
	struct rb_buf b = {0};
	struct rb_err err = {0};
	ck_assert_int_eq(rb_parse_data_arg("0a0B 0c", &b, &err), 0);
	ck_assert_uint_eq(b.len, 3);
	ck_assert_int_eq((uint8_t)b.data[1], 0x0b);
	rb_buf_free(&b);
	ck_assert_int_eq(rb_parse_data_arg("abc", &b, &err), -RB_EUSAGE);
	rb_buf_free(&b);
	rb_err_clear(&err);
	ck_assert_int_eq(rb_parse_data_arg("@/nonexistent/file", &b, &err), -RB_ESYS);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/file"));
	rb_buf_free(&b);
}
END_TEST

START_TEST(cpu_lists)
{
	struct rb_err err = {0};
	ck_assert_int_eq(rb_parse_cpu_list("0\n", &err), 1);
	ck_assert_int_eq(rb_parse_cpu_list("0-1\n", &err), 2);
	ck_assert_int_eq(rb_parse_cpu_list("0-3,8-11", &err), 12);
	ck_assert_int_eq(rb_parse_cpu_list("0,2,5", &err), 6);
	ck_assert_int_eq(rb_parse_cpu_list("", &err), -RB_ESYS);
	rb_err_clear(&err);
	ck_assert_int_eq(rb_parse_cpu_list("3-1", &err), -RB_ESYS);
	rb_err_clear(&err);
	ck_assert_int_eq(rb_parse_cpu_list("0-999999", &err), -RB_ESYS);
	rb_err_clear(&err);
	ck_assert_int_eq(rb_parse_cpu_list("x", &err), -RB_ESYS);
}
END_TEST

START_TEST(object_refs)
{
	char *argv[] = {"id", "12", "pinned", "/sys/fs/bpf/x", "name", "counts", "tag",
			"0dabf6a7843815f5", "7", "id", "x", "name", "a_name_too_long_x", "tag", "12"};
	int argc = (int)(sizeof(argv) / sizeof(argv[0]));
	struct rb_obj_ref ref;
	struct rb_err err = {0};
	int i = 0;
	ck_assert_int_eq(rb_obj_ref_parse(&ref, RB_OBJ_PROG, argc, argv, &i, &err), 0);
	ck_assert_int_eq(ref.by, RB_REF_ID);
	ck_assert_uint_eq(ref.id, 12);
	ck_assert_int_eq(rb_obj_ref_parse(&ref, RB_OBJ_MAP, argc, argv, &i, &err), 0);
	ck_assert_int_eq(ref.by, RB_REF_PINNED);
	ck_assert_int_eq(rb_obj_ref_parse(&ref, RB_OBJ_MAP, argc, argv, &i, &err), 0);
	ck_assert_str_eq(ref.arg, "counts");
	ck_assert_int_eq(rb_obj_ref_parse(&ref, RB_OBJ_PROG, argc, argv, &i, &err), 0);
	ck_assert_uint_eq(ref.tag[0], 0x0d);
	ck_assert_uint_eq(ref.tag[7], 0xf5);
	ck_assert_int_eq(rb_obj_ref_parse(&ref, RB_OBJ_MAP, argc, argv, &i, &err), 0); /* bare 7 */
	ck_assert_uint_eq(ref.id, 7);
	ck_assert_int_eq(rb_obj_ref_parse(&ref, RB_OBJ_MAP, argc, argv, &i, &err), -RB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "'x' is not a map id"));
	rb_err_clear(&err);
	ck_assert_int_eq(rb_obj_ref_parse(&ref, RB_OBJ_MAP, argc, argv, &i, &err), 0);
	ck_assert_str_eq(ref.arg, "a_name_too_long_x"); /* matched by its 15-character truncation */
	ck_assert_int_eq(rb_obj_ref_parse(&ref, RB_OBJ_PROG, argc, argv, &i, &err), -RB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "not a program tag"));
	rb_err_clear(&err);
	ck_assert_int_eq(rb_obj_ref_parse(&ref, RB_OBJ_MAP, argc, argv, &i, &err), -RB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "missing map"));
}
END_TEST

START_TEST(tag_is_programs_only)
{
	char *argv[] = {"tag", "0dabf6a7843815f5"};
	struct rb_obj_ref ref;
	struct rb_err err = {0};
	int i = 0;
	ck_assert_int_eq(rb_obj_ref_parse(&ref, RB_OBJ_MAP, 2, argv, &i, &err), -RB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "names no map"));
}
END_TEST

START_TEST(hex_rendering)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	rb_print_hex_bytes(f, (const uint8_t[]){1, 0xab, 0}, 3);
	fputc('|', f);
	struct rb_json j;
	rb_json_init(&j, f, false);
	rb_json_hex_bytes(&j, (const uint8_t[]){1, 0xab}, 2);
	fclose(f);
	ck_assert_str_eq(text, "01 ab 00|[\"0x01\",\"0xab\"]");
	free(text);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("inspect-bytes");
	TCase *tc = tcase_create("bytes");
	tcase_add_test(tc, byte_words_like_bpftool);
	tcase_add_test(tc, hex_any_grouping);
	tcase_add_test(tc, json_arrays);
	tcase_add_test(tc, single_integer_for_sized_operands);
	tcase_add_test(tc, bad_input_is_named);
	tcase_add_test(tc, stops_at_keywords);
	tcase_add_test(tc, data_args);
	tcase_add_test(tc, cpu_lists);
	tcase_add_test(tc, object_refs);
	tcase_add_test(tc, tag_is_programs_only);
	tcase_add_test(tc, hex_rendering);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
