/* The words rawbpf prints for a poisoned CO-RE instruction the verifier
 * reached: the real pipeline runs up to the resolve phase on
 * progs/core/poison.bpf.o, then the explanation is asked for with the log
 * line the verifier writes for it.  Needs root and kernel BTF. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "loader/externs/externs.h"

struct probe {
	const char *log;  /* what the verifier "said" */
	char text[1024];
	int lines;
};

static const char reached[] = "0: (85) call bpf_get_current_task#35\n"
			      "1: (85) call unknown#195896080\n"
			      "invalid func unknown#195896080\n";
/* another instruction failed: the poisoned one was never reached */
static const char elsewhere[] = "0: (85) call bpf_get_current_task#35\n"
				"R1 invalid mem access 'scalar'\n";

/* Resolves, explains, then stops the load before anything is created. */
static int resolve_then_explain(struct rb_loaded *ld, void *ctx, struct rb_err *err)
{
	struct probe *p = ctx;
	struct rb_resolver *rs;
	struct rb_resolver_opts opts = {0};
	int r = rb_resolver_new(&rs, ld->sys, &opts, err);
	if (!r)
		r = rb_resolve(ld, rs, err);
	rb_resolver_free(rs);
	if (r)
		return r;
	FILE *out = fmemopen(p->text, sizeof(p->text) - 1, "w");
	for (size_t i = 0; i < ld->n_progs; i++)
		p->lines += rb_core_explain_failure(ld, &ld->progs[i], p->log, out);
	fclose(out);
	return rb_errf(err, RB_EUSAGE, "stop here");
}

static const char *obj_path(char *buf, size_t size)
{
	const char *progs = getenv("PROGS");
	snprintf(buf, size, "%s/core/poison.bpf.o", progs ? progs : "build/progs");
	return buf;
}

START_TEST(poisoned_field_read_is_explained)
{
	char path[512];
	if (getuid() != 0 || access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		printf("SKIP explain: needs root and /sys/kernel/btf/vmlinux\n");
		return;
	}
	struct probe p = {.log = reached};
	struct rb_sys sys;
	rb_sys_init(&sys);
	struct rb_load_opts o = {.resolve = resolve_then_explain, .resolve_ctx = &p};
	struct rb_loaded *ld = NULL;
	struct rb_err e = {0};
	ck_assert_int_eq(rb_load_file(&ld, &sys, obj_path(path, sizeof(path)), &o, &e), -RB_EUSAGE);
	ck_assert_int_eq(p.lines, 1);
	ck_assert_msg(strstr(p.text, "CO-RE: struct task_struct has no field 'rawbpf_no_such_field' "
				     "in the running kernel (program 'unguarded_read', insn 1, "
				     "poison.bpf.c:"), "got: %s", p.text);
	/* the line is clang's line_info at or before the instruction */
	ck_assert_msg(strstr(p.text, ".c:19)") || strstr(p.text, ".c:20)"), "got: %s", p.text);
}
END_TEST

START_TEST(unreached_poison_is_not_blamed)
{
	char path[512];
	if (getuid() != 0 || access("/sys/kernel/btf/vmlinux", R_OK) != 0)
		return;
	struct probe p = {.log = elsewhere};
	struct rb_sys sys;
	rb_sys_init(&sys);
	struct rb_load_opts o = {.resolve = resolve_then_explain, .resolve_ctx = &p};
	struct rb_loaded *ld = NULL;
	struct rb_err e = {0};
	ck_assert_int_eq(rb_load_file(&ld, &sys, obj_path(path, sizeof(path)), &o, &e), -RB_EUSAGE);
	ck_assert_int_eq(p.lines, 0);
	ck_assert_str_eq(p.text, "");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("core_explain");
	TCase *tc = tcase_create("explain");
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, poisoned_field_read_is_explained);
	tcase_add_test(tc, unreached_poison_is_not_blamed);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
