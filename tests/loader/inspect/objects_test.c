/* Finding objects and reporting failures, with the kernel replaced through
 * the syscall chokepoint (struct rb_sys.call): no BPF needed. */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include "check_main.h"
#include "loader/inspect/inspect.h"

/* A fake kernel: ids 3 and 9 exist as maps named "alpha" and "beta"; every
 * other command fails with the configured errno. */
struct fake {
	int fail_errno;     /* for FD_BY_ID / GET_NEXT_ID when set */
	int calls;
};

static long fake_call(const struct rb_sys *sys, long nr, const long args[6])
{
	struct fake *f = sys->ctx;
	f->calls++;
	if (nr == SYS_close)
		return 0;
	if (nr != SYS_bpf)
		return -ENOSYS;
	union bpf_attr *a = (union bpf_attr *)args[1];
	static const uint32_t ids[] = {3, 9};
	switch (args[0]) {
	case BPF_MAP_GET_NEXT_ID:
		if (f->fail_errno)
			return -f->fail_errno;
		for (size_t i = 0; i < 2; i++)
			if (ids[i] > a->start_id) {
				a->next_id = ids[i];
				return 0;
			}
		return -ENOENT;
	case BPF_MAP_GET_FD_BY_ID:
		if (f->fail_errno)
			return -f->fail_errno;
		return a->map_id == 3 || a->map_id == 9 ? 100 + (long)a->map_id : -ENOENT;
	case BPF_OBJ_GET_INFO_BY_FD: {
		struct bpf_map_info *mi = (struct bpf_map_info *)(uintptr_t)a->info.info;
		memset(mi, 0, a->info.info_len);
		mi->id = (uint32_t)a->info.bpf_fd - 100;
		strcpy(mi->name, mi->id == 3 ? "alpha" : "beta");
		return 0;
	}
	case BPF_OBJ_GET:
		return -ENOENT;
	default:
		return -EINVAL;
	}
}

static struct rb_sys fake_sys(struct fake *f)
{
	return (struct rb_sys){.call = fake_call, .ctx = f};
}

static struct rb_obj_ref ref_of(enum rb_ref_by by, const char *arg, uint32_t id)
{
	return (struct rb_obj_ref){.by = by, .arg = arg, .id = id};
}

START_TEST(finds_by_name_through_the_ids)
{
	struct fake f = {0};
	struct rb_sys sys = fake_sys(&f);
	struct rb_err err = {0};
	struct rb_obj_ref ref = ref_of(RB_REF_NAME, "beta", 0);
	ck_assert_int_eq(rb_obj_open_one(&sys, RB_OBJ_MAP, &ref, &err), 109);
	ref = ref_of(RB_REF_NAME, "gamma", 0);
	ck_assert_int_eq(rb_obj_open_one(&sys, RB_OBJ_MAP, &ref, &err), -RB_EKERNEL);
	ck_assert_str_eq(err.msg, "no map with name 'gamma'; `rawbpf map list` shows them");
}
END_TEST

START_TEST(missing_id_and_permission_are_named)
{
	struct fake f = {0};
	struct rb_sys sys = fake_sys(&f);
	struct rb_err err = {0};
	struct rb_obj_ref ref = ref_of(RB_REF_ID, "5", 5);
	ck_assert_int_eq(rb_obj_open_one(&sys, RB_OBJ_MAP, &ref, &err), -RB_EKERNEL);
	ck_assert_str_eq(err.msg, "no map with id 5; `rawbpf map list` shows the ids");
	rb_err_clear(&err);
	f.fail_errno = EPERM;
	ref = ref_of(RB_REF_ID, "3", 3);
	ck_assert_int_eq(rb_obj_open_one(&sys, RB_OBJ_MAP, &ref, &err), -RB_EKERNEL);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot open map 3; run as root"));
	ck_assert_int_eq(err.sys_errno, EPERM);
}
END_TEST

START_TEST(list_walks_every_id_and_reports_failure)
{
	struct fake f = {0};
	struct rb_sys sys = fake_sys(&f);
	struct rb_err err = {0};
	char *text = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&text, &len);
	struct rb_show_out o = {.out = out, .json = true};
	ck_assert_int_eq(rb_inspect_show(&sys, RB_OBJ_MAP, NULL, &o, &err), 0);
	fclose(out);
	ck_assert_ptr_nonnull(strstr(text, "\"id\":3,\"type\":\"unspec\",\"name\":\"alpha\""));
	ck_assert_ptr_nonnull(strstr(text, "\"id\":9,\"type\":\"unspec\",\"name\":\"beta\""));
	ck_assert(text[0] == '[');
	free(text);
	f.fail_errno = EACCES;
	out = open_memstream(&text, &len);
	o.out = out;
	ck_assert_int_eq(rb_inspect_show(&sys, RB_OBJ_MAP, NULL, &o, &err), -RB_EKERNEL);
	fclose(out);
	free(text);
	ck_assert_ptr_nonnull(strstr(err.msg, "cannot list maps; run as root"));
}
END_TEST

START_TEST(missing_pin_is_a_system_error)
{
	struct fake f = {0};
	struct rb_sys sys = fake_sys(&f);
	struct rb_err err = {0};
	struct rb_obj_ref ref = ref_of(RB_REF_PINNED, "/nonexistent/pin", 0);
	ck_assert_int_eq(rb_obj_open_one(&sys, RB_OBJ_PROG, &ref, &err), -RB_ESYS);
	ck_assert_ptr_nonnull(strstr(err.msg, "/nonexistent/pin: no such pinned object"));
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("inspect-objects");
	TCase *tc = tcase_create("objects");
	tcase_add_test(tc, finds_by_name_through_the_ids);
	tcase_add_test(tc, missing_id_and_permission_are_named);
	tcase_add_test(tc, list_walks_every_id_and_reports_failure);
	tcase_add_test(tc, missing_pin_is_a_system_error);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
