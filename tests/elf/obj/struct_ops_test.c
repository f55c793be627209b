/* struct_ops variables in the object model (no kernel): the variable, its
 * struct, .struct_ops vs .struct_ops.link, which member points at which
 * program, and the initial bytes (name kept, pointers cleared). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "elf/btf.h"
#include "elf/obj/object.h"

static struct rb_obj *open_prog(const char *name)
{
	char path[512];
	const char *progs = getenv("PROGS");
	snprintf(path, sizeof(path), "%s/attach/%s", progs ? progs : "build/progs", name);
	struct rb_obj *obj;
	struct rb_err err = {0};
	ck_assert_msg(rb_obj_open_file(&obj, path, &err) == 0, "%s", err.msg);
	return obj;
}

static const char *member(const struct rb_obj *obj, const struct rb_st_ops *st, uint32_t i)
{
	return rb_btf_str(obj->btf, rb_btf_members(rb_btf_type(obj->btf, st->type_id))[i].name_off);
}

/* The program st's member `m` points at, or NULL. */
static const char *prog_at(const struct rb_obj *obj, const struct rb_st_ops *st, const char *m)
{
	for (size_t i = 0; i < st->n_funcs; i++)
		if (!strcmp(member(obj, st, st->funcs[i].member), m))
			return obj->progs[st->funcs[i].prog].name;
	return NULL;
}

static void check_cc(const char *file, bool link, const char *algo)
{
	struct rb_obj *obj = open_prog(file);
	ck_assert_uint_eq(obj->n_st_ops, 1);
	const struct rb_st_ops *st = &obj->st_ops[0];
	ck_assert_str_eq(st->name, "rawbpf_cc");
	ck_assert_str_eq(st->type_name, "tcp_congestion_ops");
	ck_assert_int_eq(st->link, link);
	ck_assert_uint_eq(st->n_funcs, 3);
	ck_assert_str_eq(prog_at(obj, st, "ssthresh"), "rawbpf_ssthresh");
	ck_assert_str_eq(prog_at(obj, st, "cong_avoid"), "rawbpf_cong_avoid");
	ck_assert_str_eq(prog_at(obj, st, "undo_cwnd"), "rawbpf_undo_cwnd");
	struct rb_btf_member_info m;
	struct rb_err err = {0};
	ck_assert_int_eq(rb_btf_find_member(obj->btf, st->type_id, "name", &m, &err), 1);
	ck_assert_str_eq((const char *)st->data + m.bit_offset / 8, algo);
	ck_assert_int_eq(rb_btf_find_member(obj->btf, st->type_id, "ssthresh", &m, &err), 1);
	static const uint8_t zero[8];
	ck_assert_mem_eq(st->data + m.bit_offset / 8, zero, 8);  /* the loader puts the fd there */
	for (size_t i = 0; i < obj->n_warnings; i++)
		ck_assert_msg(!strstr(obj->warnings[i], "struct_ops"), "%s", obj->warnings[i]);
	rb_obj_free(obj);
}

START_TEST(link_variable)
{
	check_cc("tcp_cc.bpf.o", true, "rawbpf_cc");
}
END_TEST

START_TEST(map_variable)
{
	check_cc("tcp_cc_map.bpf.o", false, "rawbpf_cc_map");
}
END_TEST

START_TEST(objects_without_struct_ops_have_none)
{
	struct rb_obj *obj = open_prog("netkit.bpf.o");
	ck_assert_uint_eq(obj->n_st_ops, 0);
	rb_obj_free(obj);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("struct_ops");
	TCase *tc = tcase_create("obj");
	tcase_add_test(tc, link_variable);
	tcase_add_test(tc, map_variable);
	tcase_add_test(tc, objects_without_struct_ops_have_none);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
