/* struct_ops against the running kernel's BTF (root): the value type
 * bpf_struct_ops_tcp_congestion_ops, each program's attach_btf_id (the
 * struct) and expected_attach_type (its member's index in the KERNEL's
 * struct, not the object's shorter one), and the value layout. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "loader/externs/externs.h"

static const struct rb_sys *test_sys(void)
{
	static const struct rb_sys sys = {.call = rb_sys_raw};
	return &sys;
}

START_TEST(tcp_congestion_ops_resolved)
{
	if (getuid() != 0 || access("/sys/kernel/btf/vmlinux", R_OK) != 0) {
		printf("SKIP struct_ops resolver: needs root and /sys/kernel/btf/vmlinux\n");
		return;
	}
	char path[512];
	const char *progs = getenv("PROGS");
	snprintf(path, sizeof(path), "%s/attach/tcp_cc.bpf.o", progs ? progs : "build/progs");
	struct rb_loaded *ld = NULL;
	struct rb_load_opts o = {0};
	struct rb_err err = {0};
	ck_assert_msg(rb_load_file(&ld, test_sys(), path, &o, &err) == 0, "%s", err.msg);
	const struct rb_st_ops *st = &ld->obj->st_ops[0];
	struct rb_btf *k;
	ck_assert_int_eq(rb_btf_load_vmlinux(&k, &err), 0);
	uint32_t kt = rb_btf_find(k, "tcp_congestion_ops", BTF_KIND_STRUCT);
	ck_assert_uint_eq(st->kern_value_type_id, rb_btf_find(k, "bpf_struct_ops_tcp_congestion_ops", BTF_KIND_STRUCT));
	ck_assert_uint_eq(st->kern_value_size, rb_btf_type(k, st->kern_value_type_id)->size);
	ck_assert_uint_eq(st->n_fields, 4);  /* three programs and the name */
	for (size_t i = 0; i < ld->n_progs; i++) {
		const struct rb_loaded_prog *lp = &ld->progs[i];
		ck_assert_int_ge(lp->fd, 0);
		ck_assert_uint_eq(lp->attach_btf_id, kt);
		const struct btf_member *m = &rb_btf_members(rb_btf_type(k, kt))[lp->prog->expected_attach_type];
		ck_assert_str_eq(rb_btf_str(k, m->name_off), lp->prog->name + strlen("rawbpf_"));
	}
	rb_btf_free(k);
	rb_loaded_free(ld);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("struct_ops_resolve");
	TCase *tc = tcase_create("kernel");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, tcp_congestion_ops_resolved);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
