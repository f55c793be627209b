/* /proc/kallsyms parsing on hand-written text and on the running kernel's. */
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "common/buf.h"
#include "elf/kallsyms.h"

static const char text[] = "ffffffff81000000 T _text\n"
			   "ffffffff82a1b2c0 D init_task\n"
			   "ffffffff81234560 t dup_name\n"
			   "ffffffff81234570 t dup_name\n"
			   "ffffffffc0a01000 t nf_hook\t[nf_tables]\n"
			   "ffffffff81300000 T nf_hook\n"
			   "0000000000001234 A fixed_percpu_data\n";

static struct rb_kallsyms *parse(const char *t, size_t n)
{
	struct rb_kallsyms *ks;
	struct rb_err e = {0};
	ck_assert_msg(rb_kallsyms_parse(&ks, t, n, "kallsyms", &e) == 0, "%s", e.msg);
	return ks;
}

START_TEST(finds_symbols_and_modules)
{
	struct rb_kallsyms *ks = parse(text, sizeof(text) - 1);
	struct rb_ksym s;
	struct rb_err e = {0};
	ck_assert_uint_eq(rb_kallsyms_count(ks), 7);
	ck_assert_int_eq(rb_kallsyms_find(ks, "init_task", NULL, &s, &e), 1);
	ck_assert_uint_eq(s.addr, 0xffffffff82a1b2c0ull);
	ck_assert_int_eq(s.type, 'D');
	ck_assert_str_eq(s.module, "");
	ck_assert_int_eq(rb_kallsyms_find(ks, "nf_hook", "nf_tables", &s, &e), 1);
	ck_assert_uint_eq(s.addr, 0xffffffffc0a01000ull);
	ck_assert_int_eq(rb_kallsyms_find(ks, "nf_hook", "", &s, &e), 1);
	ck_assert_uint_eq(s.addr, 0xffffffff81300000ull);
	ck_assert_int_eq(rb_kallsyms_find(ks, "init_tas", NULL, &s, &e), 0);
	ck_assert(!rb_kallsyms_hidden(ks));
	rb_kallsyms_free(ks);
}
END_TEST

START_TEST(ambiguous_names_are_errors)
{
	struct rb_kallsyms *ks = parse(text, sizeof(text) - 1);
	struct rb_ksym s;
	struct rb_err e = {0};
	ck_assert_int_eq(rb_kallsyms_find(ks, "dup_name", NULL, &s, &e), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "0xffffffff81234560"));
	ck_assert_ptr_nonnull(strstr(e.msg, "0xffffffff81234570"));
	rb_err_clear(&e);
	ck_assert_int_eq(rb_kallsyms_find(ks, "nf_hook", NULL, &s, &e), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(e.msg, "in nf_tables"));
	rb_kallsyms_free(ks);
}
END_TEST

START_TEST(hidden_addresses)
{
	static const char z[] = "0000000000000000 T _text\n0000000000000000 D init_task\n";
	struct rb_kallsyms *ks = parse(z, sizeof(z) - 1);
	ck_assert(rb_kallsyms_hidden(ks));
	rb_kallsyms_free(ks);
}
END_TEST

START_TEST(malformed_lines)
{
	static const char *bad[] = {"ffff T\n", "xyz T foo\n", "ffff  T foo\n", "ffff TT foo\n",
				    "ffff T foo [mod\n", "11112222333344445 T foo\n",
				    "ffff T foo\nffff T bar junk\n"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rb_kallsyms *ks;
		struct rb_err e = {0};
		ck_assert_msg(rb_kallsyms_parse(&ks, bad[i], strlen(bad[i]), "ks", &e) == -RB_EINPUT,
			      "accepted '%s'", bad[i]);
		ck_assert_ptr_null(ks);
		ck_assert(strncmp(e.msg, "ks:", 3) == 0);
	}
}
END_TEST

START_TEST(running_kernel)
{
	struct rb_buf t = {0};
	ck_assert_int_eq(rb_read_file("/proc/kallsyms", 256u << 20, &t), 0);
	struct rb_kallsyms *ks = parse(t.data, t.len);
	struct rb_ksym s;
	struct rb_err e = {0};
	ck_assert_uint_gt(rb_kallsyms_count(ks), 10000);
	/* _stext: present without CONFIG_KALLSYMS_ALL, which data symbols need */
	ck_assert_int_eq(rb_kallsyms_find(ks, "_stext", NULL, &s, &e), 1);
	if (!rb_kallsyms_hidden(ks))
		ck_assert_uint_ne(s.addr, 0);
	rb_kallsyms_free(ks);
	rb_buf_free(&t);
}
END_TEST

/* rb_kallsyms_search must agree with parse + find, hits and errors alike. */
static void same_answer(const struct rb_kallsyms *ks, const char *src, size_t len,
			const char *name, const char *module)
{
	struct rb_ksym a, b;
	struct rb_err ea = {0}, eb = {0};
	size_t mlen;
	int ra = rb_kallsyms_find(ks, name, module, &a, &ea);
	int rb = rb_kallsyms_search(src, len, name, module, &b, &mlen, &eb);
	ck_assert_msg(ra == rb, "%s: find %d, search %d", name, ra, rb);
	if (ra == 1) {
		ck_assert_uint_eq(a.addr, b.addr);
		ck_assert_int_eq(a.type, b.type);
		ck_assert_uint_eq(strlen(a.module), mlen);
		ck_assert(memcmp(a.module, b.module, mlen) == 0);
	}
	if (ra < 0)
		ck_assert_str_eq(ea.msg, eb.msg);
}

START_TEST(search_agrees_with_find)
{
	struct rb_kallsyms *ks = parse(text, sizeof(text) - 1);
	static const char *names[] = {"_text", "init_task", "dup_name", "nf_hook", "init_tas",
				      "nit_task", "T", "fixed_percpu_data", "text"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		same_answer(ks, text, sizeof(text) - 1, names[i], NULL);
		same_answer(ks, text, sizeof(text) - 1, names[i], "");
		same_answer(ks, text, sizeof(text) - 1, names[i], "nf_tables");
	}
	rb_kallsyms_free(ks);
	/* every 997th symbol of the running kernel */
	struct rb_buf t = {0};
	ck_assert_int_eq(rb_read_file("/proc/kallsyms", 256u << 20, &t), 0);
	struct rb_kallsyms *real = parse(t.data, t.len);
	for (size_t i = 0; i < rb_kallsyms_count(real); i += 997) {
		char line[600];
		struct rb_ksym s;
		/* the i-th line's name, from the text itself */
		const char *p = t.data;
		for (size_t l = 0; l < i; l++)
			p = strchr(p, '\n') + 1;
		if (sscanf(p, "%*s %*s %511s", line) != 1)
			continue;
		same_answer(real, t.data, t.len, line, NULL);
		(void)s;
	}
	rb_kallsyms_free(real);
	rb_buf_free(&t);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kallsyms");
	TCase *tc = tcase_create("kallsyms");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, finds_symbols_and_modules);
	tcase_add_test(tc, ambiguous_names_are_errors);
	tcase_add_test(tc, hidden_addresses);
	tcase_add_test(tc, malformed_lines);
	tcase_add_test(tc, running_kernel);
	tcase_add_test(tc, search_agrees_with_find);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
