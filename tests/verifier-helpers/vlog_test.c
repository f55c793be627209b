/* Verifier-log capture (growing buffer, log_true_size) and annotation. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "check_main.h"
#include "verifier-helpers/vlog.h"

/* A fake BPF_PROG_LOAD whose log needs `need` bytes. */
struct fake {
	uint32_t need;
	bool report_true_size;  /* Linux >= 6.4 behaviour */
	int calls;
	uint32_t last_size;
};

static long fake_call(const struct rb_sys *sys, long nr, const long args[6])
{
	struct fake *f = sys->ctx;
	union bpf_attr *a = (union bpf_attr *)args[1];
	if (nr != SYS_bpf || args[0] != BPF_PROG_LOAD)
		return -ENOSYS;
	f->calls++;
	f->last_size = a->log_size;
	char *buf = (char *)(uintptr_t)a->log_buf;
	uint32_t n = a->log_size - 1 < f->need - 1 ? a->log_size - 1 : f->need - 1;
	memset(buf, 'x', n);
	buf[n] = 0;
	if (n >= 6)
		memcpy(buf + n - 5, "\nEND\n", 5);
	if (f->report_true_size) /* log_true_size at its ABI offset */
		memcpy((char *)a + offsetof(union bpf_attr, core_relo_rec_size) + 4, &f->need, 4);
	return a->log_size < f->need ? -ENOSPC : -EACCES;
}

static int capture(struct fake *f, struct rb_buf *log)
{
	struct rb_sys sys = {.call = fake_call, .ctx = f};
	struct rb_prog_load_opts o = {.name = "p"};
	return rb_vlog_capture(&sys, &o, log);
}

START_TEST(grows_by_doubling)
{
	struct fake f = {.need = 300000};
	struct rb_buf log = {0};
	ck_assert_int_eq(capture(&f, &log), -EACCES);
	ck_assert_int_eq(f.calls, 4); /* 64K, 128K, 256K, 512K */
	ck_assert_uint_eq(log.len, 300000 - 1);
	ck_assert(strstr(log.data + log.len - 5, "END"));
	rb_buf_free(&log);
}
END_TEST

START_TEST(uses_true_size)
{
	struct fake f = {.need = 300000, .report_true_size = true};
	struct rb_buf log = {0};
	ck_assert_int_eq(capture(&f, &log), -EACCES);
	ck_assert_int_eq(f.calls, 2);
	ck_assert_uint_ge(f.last_size, 300000);
	rb_buf_free(&log);
}
END_TEST

START_TEST(stops_at_cap)
{
	struct fake f = {.need = RB_VLOG_MAX * 2u};
	struct rb_buf log = {0};
	ck_assert_int_eq(capture(&f, &log), -ENOSPC);
	ck_assert_uint_eq(f.last_size, RB_VLOG_MAX);
	rb_buf_free(&log);
}
END_TEST

START_TEST(insn_lines)
{
	uint32_t insn = 0;
	const char *ok = "12: (85) call bpf_map_lookup_elem#1";
	ck_assert_int_eq(rb_vlog_insn_of(ok, strlen(ok), &insn), 1);
	ck_assert_uint_eq(insn, 12);
	const char *state = "12: R0_w=scalar()";
	ck_assert_int_eq(rb_vlog_insn_of(state, strlen(state), &insn), 0);
	const char *from = "from 4 to 6: R0=0";
	ck_assert_int_eq(rb_vlog_insn_of(from, strlen(from), &insn), 0);
	const char *huge = "99999999999: (85) call";
	ck_assert_int_eq(rb_vlog_insn_of(huge, strlen(huge), &insn), 0);
	ck_assert_int_eq(rb_vlog_insn_of("7:", 2, &insn), 0);
}
END_TEST

static const struct rb_vlog_line lines[] = {
	{.insn = 0, .file = "/src/p.bpf.c", .text = "int f(void *ctx)", .line = 10},
	{.insn = 4, .file = "/src/p.bpf.c", .text = "\tv = lookup(&m, &k);", .line = 12},
	{.insn = 7, .file = "/src/p.bpf.c", .text = "return *v;", .line = 13},
};

START_TEST(line_lookup)
{
	ck_assert_uint_eq(rb_vlog_line_for(lines, 3, 0)->line, 10);
	ck_assert_uint_eq(rb_vlog_line_for(lines, 3, 5)->line, 12);
	ck_assert_uint_eq(rb_vlog_line_for(lines, 3, 100)->line, 13);
	ck_assert_ptr_null(rb_vlog_line_for(lines, 0, 1));
}
END_TEST

START_TEST(annotate_last)
{
	const char *log = "0: (b7) r1 = 0\n4: (18) r1 = map\n6: (85) call\n"
			  "7: (79) r0 = *(u64 *)(r0 +0)\nR0 invalid mem access 'map_value_or_null'\n";
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	ck_assert_uint_eq(rb_vlog_print_annotated(f, log, lines, 3, 2), 2);
	fclose(f);
	ck_assert_msg(strstr(out, "p.bpf.c:12: v = lookup(&m, &k);\n    6: (85) call\n"), "%s", out);
	ck_assert_msg(strstr(out, "p.bpf.c:13: return *v;\n    7: (79)"), "%s", out);
	ck_assert_msg(!strstr(out, "0: (b7)"), "%s", out);
	free(out);
	ck_assert_str_eq(rb_vlog_hint(log), "check the pointer bpf_map_lookup_elem returned against NULL before using it");
	ck_assert_ptr_null(rb_vlog_hint("all good\n"));
	/* the first needle that matches wins; a needle inside a longer message counts */
	ck_assert_str_eq(rb_vlog_hint("R1 invalid mem access 'ptr_or_null_'\n"),
			 "a helper's result may be NULL: test it before dereferencing");
	ck_assert_str_eq(rb_vlog_hint("BPF program is too large. Processed 1000001 insn\n"),
			 "split the program (tail calls, global functions) or reduce unrolling");
	ck_assert_str_eq(rb_vlog_hint("x\njump out of range from insn 3 to 9\n"),
			 "the instruction stream is damaged: a jump leaves the program");
	ck_assert_uint_eq(rb_vlog_count_insns(log), 4);
}
END_TEST

START_TEST(unknown_helper_named_with_its_release)
{
	const char *log = "0: R1=ctx() R10=fp0\n; bpf_loop(10, add_index, &c, 0);\n"
			  "4: (85) call unknown#181\ninvalid func unknown#181\nprocessed 5 insns\n";
	ck_assert_int_eq(rb_vlog_unknown_helper(log), 181);
	ck_assert_str_eq(rb_helper_since(181), "5.17");  /* bpf_loop */
	ck_assert_str_eq(rb_helper_since(130), "5.8");   /* bpf_ringbuf_output */
	ck_assert_str_eq(rb_helper_since(1), "3.18");
	ck_assert_str_eq(rb_helper_since(174), "5.15");  /* bpf_get_attach_cookie */
	ck_assert_str_eq(rb_helper_since(211), "6.2");
	ck_assert_ptr_null(rb_helper_since(212));
	ck_assert_ptr_null(rb_helper_since(0));
	ck_assert_ptr_null(rb_helper_since(-1));
	ck_assert_str_eq(rb_helper_since(3), "3.18");
	ck_assert_str_eq(rb_helper_since(4), "4.1");
	ck_assert_str_eq(rb_helper_since(210), "6.2");
	/* a known helper the program type may not call is another problem */
	ck_assert_int_eq(rb_vlog_unknown_helper("unknown func bpf_ringbuf_output#130\n"), -1);
	ck_assert_int_eq(rb_vlog_unknown_helper("invalid func unknown#\n"), -1);
	ck_assert_int_eq(rb_vlog_unknown_helper(""), -1);
	ck_assert_int_eq(rb_vlog_unknown_helper(NULL), -1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vlog");
	TCase *tc = tcase_create("vlog");
	tcase_add_test(tc, grows_by_doubling);
	tcase_add_test(tc, uses_true_size);
	tcase_add_test(tc, stops_at_cap);
	tcase_add_test(tc, insn_lines);
	tcase_add_test(tc, line_lookup);
	tcase_add_test(tc, annotate_last);
	tcase_add_test(tc, unknown_helper_named_with_its_release);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
