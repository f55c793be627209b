/* The bpf(2) wrappers fill the attr the kernel expects (checked through a
 * fake sys->call that records it). */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include "check_main.h"
#include "loader/bpf.h"

struct rec {
	long cmd;
	union bpf_attr attr;
	unsigned size;
	long ret;
	uint32_t true_size;   /* written back as log_true_size */
};

static long record(const struct rb_sys *sys, long nr, const long args[6])
{
	struct rec *r = sys->ctx;
	ck_assert_int_eq(nr, SYS_bpf);
	r->cmd = args[0];
	r->size = (unsigned)args[2];
	union bpf_attr *a = (union bpf_attr *)args[1];
	if (r->true_size)
		memcpy((char *)a + offsetof(union bpf_attr, core_relo_rec_size) + 4, &r->true_size, 4);
	r->attr = *a;
	return r->ret;
}

START_TEST(name_sanitized)
{
	char out[BPF_OBJ_NAME_LEN];
	rb_bpf_name_sanitize(out, "a-very-long-map-name.with.dots");
	ck_assert_str_eq(out, "a_very_long_map");
	rb_bpf_name_sanitize(out, "execsnoo.rodata");
	ck_assert_str_eq(out, "execsnoo.rodata");
	rb_bpf_name_sanitize(out, NULL);
	ck_assert_str_eq(out, "");
}
END_TEST

START_TEST(map_create_attr)
{
	struct rec r = {.ret = 5};
	struct rb_sys sys = {.call = record, .ctx = &r};
	struct rb_map_create_opts o = {.type = BPF_MAP_TYPE_HASH, .name = "counts", .key_size = 4,
				       .value_size = 8, .max_entries = 16, .btf_fd = 3,
				       .btf_key_type_id = 1, .btf_value_type_id = 2};
	ck_assert_int_eq(rb_bpf_map_create(&sys, &o), 5);
	ck_assert_int_eq(r.cmd, BPF_MAP_CREATE);
	ck_assert_uint_eq(r.size, sizeof(union bpf_attr));
	ck_assert_uint_eq(r.attr.map_type, BPF_MAP_TYPE_HASH);
	ck_assert_uint_eq(r.attr.max_entries, 16);
	ck_assert_uint_eq(r.attr.btf_value_type_id, 2);
	ck_assert_str_eq(r.attr.map_name, "counts");
}
END_TEST

START_TEST(prog_load_attr)
{
	struct rec r = {.ret = -EACCES, .true_size = 12345};
	struct rb_sys sys = {.call = record, .ctx = &r};
	struct bpf_insn insns[2] = {{.code = BPF_ALU64 | BPF_MOV | BPF_K}, {.code = BPF_JMP | BPF_EXIT}};
	char log[100];
	struct rb_prog_load_opts o = {.prog_type = BPF_PROG_TYPE_XDP, .insns = insns, .insn_cnt = 2,
				      .license = "GPL", .name = "xdp_prog", .log_buf = log,
				      .log_size = sizeof(log), .log_level = 1, .prog_flags = BPF_F_SLEEPABLE};
	ck_assert_int_eq(rb_bpf_prog_load(&sys, &o), -EACCES);
	ck_assert_uint_eq(o.log_true_size, 12345);
	ck_assert_uint_eq(r.attr.insn_cnt, 2);
	ck_assert_uint_eq(r.attr.log_level, 1);
	ck_assert_uint_eq(r.attr.prog_flags, BPF_F_SLEEPABLE);
	ck_assert_str_eq(r.attr.prog_name, "xdp_prog");
	ck_assert_str_eq((const char *)(uintptr_t)r.attr.license, "GPL");
}
END_TEST

START_TEST(no_log_without_level)
{
	struct rec r = {.ret = 3};
	struct rb_sys sys = {.call = record, .ctx = &r};
	char log[10];
	struct rb_prog_load_opts o = {.log_buf = log, .log_size = sizeof(log)};
	rb_bpf_prog_load(&sys, &o);
	ck_assert_uint_eq(r.attr.log_buf, 0);
	ck_assert_uint_eq(r.attr.log_size, 0);
}
END_TEST

START_TEST(link_tail)
{
	struct rec r = {.ret = 9};
	struct rb_sys sys = {.call = record, .ctx = &r};
	uint32_t tail[2] = {77, 88};
	struct rb_link_create_opts o = {.prog_fd = 4, .attach_type = BPF_TRACE_FENTRY,
					.tail = tail, .tail_size = sizeof(tail)};
	ck_assert_int_eq(rb_bpf_link_create(&sys, &o), 9);
	ck_assert_uint_eq(r.attr.link_create.target_btf_id, 77);
	char big[200] = {0};
	o.tail = big, o.tail_size = sizeof(big);
	ck_assert_int_eq(rb_bpf_link_create(&sys, &o), -E2BIG);
}
END_TEST

START_TEST(cmd_names)
{
	ck_assert_str_eq(rb_bpf_cmd_known_name(BPF_PROG_LOAD), "PROG_LOAD");
	ck_assert_str_eq(rb_bpf_cmd_known_name(BPF_MAP_CREATE), "MAP_CREATE");
	ck_assert_str_eq(rb_bpf_cmd_known_name(BPF_PROG_BIND_MAP), "PROG_BIND_MAP");
	/* the last one known, and the first past the table */
	ck_assert_str_eq(rb_bpf_cmd_known_name(37), "PROG_STREAM_READ_BY_FD");
	ck_assert_ptr_null(rb_bpf_cmd_known_name(38));
	ck_assert_ptr_null(rb_bpf_cmd_known_name(999));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("bpf");
	TCase *tc = tcase_create("wrappers");
	tcase_add_test(tc, name_sanitized);
	tcase_add_test(tc, map_create_attr);
	tcase_add_test(tc, prog_load_attr);
	tcase_add_test(tc, no_log_without_level);
	tcase_add_test(tc, link_tail);
	tcase_add_test(tc, cmd_names);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
