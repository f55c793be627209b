/* The load pipeline against a fake kernel (sys->call replaced): BTF kinds
 * the "kernel" refuses are rewritten, BTF that never loads is dropped, a
 * refused program gives -RB_EKERNEL with its log explained (-RB_ENOTSUP when
 * the log shows an older kernel), ring buffers become perf event arrays for
 * rawbpf/output.h objects on a kernel without them, and every fd the
 * pipeline opened is closed again. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "check_main.h"
#include "common/buf.h"
#include "elf/btf.h"
#include "elf/elf.h"
#include "loader/bpf.h"
#include "loader/load/load.h"

#define OBJ_PATH "build/progs/loader/btf_kinds.bpf.o"
#define REJECT_PATH "build/progs/loader/reject_null.bpf.o"

struct fake {
	unsigned refuse_kinds;      /* bit per BTF kind: BTF containing it is refused */
	bool refuse_global_func;    /* FUNC with global linkage refused */
	bool refuse_all_btf;
	bool reject_progs;          /* BPF_PROG_LOAD fails, with a verifier log */
	const char *reject_log;     /* that log; NULL: a NULL-check failure */
	bool no_ringbuf;            /* BPF_MAP_CREATE of a ring buffer: EINVAL */
	int ringbuf_creates;
	void *btf;                  /* the last BTF blob accepted */
	size_t btf_size;
	int next_fd, open_fds, btf_loads, prog_btf_fd_seen;
};

static bool blob_refused(const struct fake *f, const void *data, size_t size)
{
	struct rb_btf *btf;
	struct rb_err err = {0};
	if (f->refuse_all_btf || rb_btf_parse(&btf, data, size, NULL, "fake", &err) < 0)
		return true;
	bool refused = false;
	for (uint32_t id = 1; id < rb_btf_type_cnt(btf); id++) {
		const struct btf_type *t = rb_btf_type(btf, id);
		refused |= (f->refuse_kinds >> rb_btf_kind(t)) & 1;
		refused |= f->refuse_global_func && rb_btf_kind(t) == BTF_KIND_FUNC &&
			   rb_btf_vlen(t) == BTF_FUNC_GLOBAL;
	}
	rb_btf_free(btf);
	return refused;
}

static long fake_btf_load(struct fake *f, union bpf_attr *a)
{
	f->btf_loads++;
	if (blob_refused(f, (void *)(uintptr_t)a->btf, a->btf_size))
		return -EINVAL;
	free(f->btf);
	f->btf = malloc(a->btf_size);
	memcpy(f->btf, (void *)(uintptr_t)a->btf, a->btf_size);
	f->btf_size = a->btf_size;
	return f->open_fds++, f->next_fd++;
}

static long fake_prog_load(struct fake *f, union bpf_attr *a)
{
	f->prog_btf_fd_seen |= a->prog_btf_fd != 0;
	if (!f->reject_progs)
		return f->open_fds++, f->next_fd++;
	if (a->log_level && a->log_size > 64)
		snprintf((char *)(uintptr_t)a->log_buf, a->log_size, "%s", f->reject_log ? f->reject_log :
			 "0: (b7) r1 = 0\n7: (79) r0 = *(u64 *)(r0 +0)\n"
			 "R0 invalid mem access 'map_value_or_null'\nprocessed 7 insns\n");
	return -EACCES;
}

static long fake_call(const struct rb_sys *sys, long nr, const long args[6])
{
	struct fake *f = sys->ctx;
	if (nr == SYS_close)
		return f->open_fds--, 0;
	if (nr != SYS_bpf)
		return -ENOSYS;
	union bpf_attr *a = (union bpf_attr *)args[1];
	switch (args[0]) {
	case BPF_BTF_LOAD: return fake_btf_load(f, a);
	case BPF_PROG_LOAD: return fake_prog_load(f, a);
	case BPF_MAP_CREATE:
		if (a->map_type == BPF_MAP_TYPE_RINGBUF && (f->ringbuf_creates++, f->no_ringbuf))
			return -EINVAL;
		return f->open_fds++, f->next_fd++;
	default: return 0;  /* updates, freeze, info (zeroed) */
	}
}

static int run(struct fake *f, const char *path, struct rb_loaded **ld, struct rb_err *err,
	       FILE *vlog)
{
	static const struct rb_load_opts opts_template = {0};
	static struct rb_load_opts opts;
	struct rb_sys sys = {.call = fake_call, .ctx = f};
	static struct rb_sys keep;
	keep = sys;
	opts = opts_template;
	opts.vlog = vlog;
	f->next_fd = 1000;
	return rb_load_file(ld, &keep, path, &opts, err);
}

/* Counts the kinds of the BTF the fake kernel accepted last. */
static int count_kind(const struct fake *f, uint32_t kind)
{
	struct rb_btf *btf;
	struct rb_err err = {0};
	ck_assert_int_eq(rb_btf_parse(&btf, f->btf, f->btf_size, NULL, "accepted", &err), 0);
	int n = 0;
	for (uint32_t id = 1; id < rb_btf_type_cnt(btf); id++)
		n += rb_btf_kind(rb_btf_type(btf, id)) == kind;
	rb_btf_free(btf);
	return n;
}

/* The rewritten BTF must be valid for the real kernel too (it checks more
 * than the fake does); needs root. */
static void real_kernel_accepts(const struct fake *f)
{
	struct rb_sys real;
	rb_sys_init(&real);
	struct rb_btf_load_opts o = {.data = f->btf, .size = (uint32_t)f->btf_size};
	int fd = rb_bpf_btf_load(&real, &o);
	if (fd == -EPERM)
		return;
	ck_assert_msg(fd >= 0, "the real kernel refuses the rewritten BTF: %d", fd);
	rb_sys_close(&real, fd);
}

static void load_ok(struct fake *f)
{
	struct rb_loaded *ld = NULL;
	struct rb_err err = {0};
	int r = run(f, OBJ_PATH, &ld, &err, NULL);
	ck_assert_msg(r == 0, "load failed: %s", err.msg);
	ck_assert_int_ge(ld->btf_fd, 0);
	rb_loaded_free(ld);
	ck_assert_int_eq(f->open_fds, 0);
	real_kernel_accepts(f);
}

START_TEST(all_kinds_supported)
{
	struct fake f = {0};
	load_ok(&f);
	ck_assert_int_gt(count_kind(&f, BTF_KIND_FLOAT), 0);
	ck_assert_int_gt(count_kind(&f, BTF_KIND_DECL_TAG), 0);
	ck_assert_int_gt(count_kind(&f, BTF_KIND_DATASEC), 0);
	ck_assert(f.prog_btf_fd_seen);
	ck_assert_int_eq(f.btf_loads, 1); /* no probes when the BTF loads as is */
	free(f.btf);
}
END_TEST

START_TEST(unknown_kinds_rewritten)
{
	struct fake f = {.refuse_kinds = 1u << BTF_KIND_FLOAT | 1u << BTF_KIND_DECL_TAG |
					 1u << BTF_KIND_TYPE_TAG};
	load_ok(&f);
	ck_assert_int_eq(count_kind(&f, BTF_KIND_FLOAT), 0);
	ck_assert_int_eq(count_kind(&f, BTF_KIND_DECL_TAG), 0);
	ck_assert_int_eq(count_kind(&f, BTF_KIND_TYPE_TAG), 0);
	ck_assert_int_gt(count_kind(&f, BTF_KIND_DATASEC), 0);
	free(f.btf);
}
END_TEST

START_TEST(datasec_and_global_func_rewritten)
{
	struct fake f = {.refuse_kinds = 1u << BTF_KIND_DATASEC | 1u << BTF_KIND_VAR,
			 .refuse_global_func = true};
	load_ok(&f);
	ck_assert_int_eq(count_kind(&f, BTF_KIND_DATASEC), 0);
	ck_assert_int_eq(count_kind(&f, BTF_KIND_VAR), 0);
	ck_assert_int_gt(count_kind(&f, BTF_KIND_FUNC), 0);
	free(f.btf);
}
END_TEST

START_TEST(btf_refused_loads_without)
{
	struct fake f = {.refuse_all_btf = true};
	struct rb_loaded *ld = NULL;
	struct rb_err err = {0};
	ck_assert_int_eq(run(&f, OBJ_PATH, &ld, &err, NULL), 0);
	ck_assert_int_eq(ld->btf_fd, -1);
	ck_assert(!f.prog_btf_fd_seen);
	rb_loaded_free(ld);
	ck_assert_int_eq(f.open_fds, 0);
}
END_TEST

START_TEST(verifier_reject_explained)
{
	struct fake f = {.reject_progs = true};
	struct rb_loaded *ld = NULL;
	struct rb_err err = {0};
	char *text = NULL;
	size_t len = 0;
	FILE *vlog = open_memstream(&text, &len);
	int r = run(&f, REJECT_PATH, &ld, &err, vlog);
	fclose(vlog);
	ck_assert_int_eq(r, -RB_EKERNEL);
	ck_assert_ptr_null(ld);
	ck_assert_msg(strstr(err.msg, "no_null_check"), "%s", err.msg);
	ck_assert_msg(strstr(text, "map_value_or_null"), "%s", text);
	ck_assert_msg(strstr(text, "reject_null.bpf.c:18"), "%s", text);
	ck_assert_int_eq(f.open_fds, 0);
	free(text);
	free(f.btf);
}
END_TEST

/* btf_kinds.bpf.o with its FLOAT "double" turned into an ENUM64 of the
 * same record size (clang 14 emits no ENUM64). */
static struct rb_obj *object_with_enum64(void)
{
	struct rb_buf file = {0};
	struct rb_elf elf;
	struct rb_btf *btf;
	struct rb_err err = {0};
	struct rb_obj *obj = NULL;
	ck_assert_int_eq(rb_read_file(OBJ_PATH, 1 << 20, &file), 0);
	ck_assert_int_eq(rb_elf_open_mem(&elf, file.data, file.len, "k", &err), 0);
	const struct rb_elf_sec *sec = rb_elf_sec_by_name(&elf, ".BTF");
	ck_assert_ptr_nonnull(sec);
	ck_assert_int_eq(rb_btf_parse(&btf, sec->data, sec->size, NULL, "k", &err), 0);
	uint32_t id = rb_btf_find(btf, "double", BTF_KIND_FLOAT);
	ck_assert_uint_gt(id, 0);
	struct btf_type *t = (struct btf_type *)(file.data + sec->offset + rb_btf_type_raw_offset(btf, id));
	t->info = (uint32_t)BTF_KIND_ENUM64 << 24;
	rb_btf_free(btf);
	rb_elf_close(&elf);
	ck_assert_msg(rb_obj_open_mem(&obj, file.data, file.len, "enum64.bpf.o", &err) == 0, "%s", err.msg);
	rb_buf_free(&file);
	return obj;
}

START_TEST(enum64_rewritten)
{
	struct fake f = {.refuse_kinds = 1u << BTF_KIND_ENUM64};
	struct rb_sys sys = {.call = fake_call, .ctx = &f};
	struct rb_load_opts opts = {0};
	struct rb_loaded *ld = NULL;
	struct rb_err err = {0};
	f.next_fd = 1000;
	ck_assert_msg(rb_load_obj(&ld, &sys, object_with_enum64(), &opts, &err) == 0, "%s", err.msg);
	ck_assert_int_ge(ld->btf_fd, 0);
	rb_loaded_free(ld);
	ck_assert_int_eq(f.open_fds, 0);
	ck_assert_int_eq(count_kind(&f, BTF_KIND_ENUM64), 0);
	real_kernel_accepts(&f);
	free(f.btf);
}
END_TEST

/* The first word of execsnoop's .rodata: rawbpf_ringbuf_ok. */
static uint32_t ringbuf_switch(struct rb_loaded *ld)
{
	struct rb_loaded_map *lm = rb_loaded_map(ld, "execsnoo.rodata");
	ck_assert_ptr_nonnull(lm);
	uint32_t v;
	memcpy(&v, lm->map->data, sizeof(v));
	return v;
}

START_TEST(ringbuf_kept_where_the_kernel_has_it)
{
	struct fake f = {0};
	struct rb_loaded *ld = NULL;
	struct rb_err err = {0};
	ck_assert_msg(run(&f, "build/progs/examples/execsnoop.bpf.o", &ld, &err, NULL) == 0, "%s", err.msg);
	ck_assert_uint_eq(rb_loaded_map(ld, "events")->map->type, BPF_MAP_TYPE_RINGBUF);
	ck_assert_uint_eq(ringbuf_switch(ld), 1);
	ck_assert_int_eq(f.ringbuf_creates, 2);  /* the probe, then the map */
	rb_loaded_free(ld);
	ck_assert_int_eq(f.open_fds, 0);
	free(f.btf);
}
END_TEST

START_TEST(no_ringbuf_becomes_perf_buffer)
{
	struct fake f = {.no_ringbuf = true};
	struct rb_loaded *ld = NULL;
	struct rb_err err = {0};
	ck_assert_msg(run(&f, "build/progs/examples/execsnoop.bpf.o", &ld, &err, NULL) == 0, "%s", err.msg);
	struct rb_loaded_map *ev = rb_loaded_map(ld, "events");
	ck_assert_uint_eq(ev->map->type, BPF_MAP_TYPE_PERF_EVENT_ARRAY);
	ck_assert_uint_gt(ev->max_entries, 0);  /* one slot per possible CPU */
	ck_assert_uint_eq(ringbuf_switch(ld), 0);
	ck_assert_int_eq(f.ringbuf_creates, 1);  /* asked once */
	rb_loaded_free(ld);
	ck_assert_int_eq(f.open_fds, 0);
	free(f.btf);
}
END_TEST

START_TEST(no_ringbuf_without_the_switch_says_why)
{
	struct fake f = {.no_ringbuf = true};
	struct rb_loaded *ld = NULL;
	struct rb_err err = {0};
	ck_assert_int_eq(run(&f, "build/progs/loader/ringbuf.bpf.o", &ld, &err, NULL), -RB_ENOTSUP);
	ck_assert_msg(strstr(err.msg, "map 'lengths' needs kernel support for BPF ring buffers "
				      "(BPF_MAP_TYPE_RINGBUF, Linux >= 5.8)"), "%s", err.msg);
	ck_assert_int_eq(f.open_fds, 0);
	free(f.btf);
}
END_TEST

START_TEST(unknown_helper_is_a_kernel_too_old)
{
	struct fake f = {.reject_progs = true,
			 .reject_log = "4: (85) call unknown#181\ninvalid func unknown#181\n"};
	struct rb_loaded *ld = NULL;
	struct rb_err err = {0};
	char *text = NULL;
	size_t len = 0;
	FILE *vlog = open_memstream(&text, &len);
	int r = run(&f, "build/progs/loader/subprogs.bpf.o", &ld, &err, vlog);
	fclose(vlog);
	ck_assert_int_eq(r, -RB_ENOTSUP);
	ck_assert_msg(strstr(err.msg, "program 'first_user'") &&
		      strstr(err.msg, "needs kernel support for the helper bpf_loop (Linux >= 5.17)"),
		      "%s", err.msg);
	ck_assert_int_eq(f.open_fds, 0);
	free(text);
	free(f.btf);
}
END_TEST

START_TEST(callback_refused_by_an_old_verifier)
{
	struct fake f = {.reject_progs = true,
			 .reject_log = "number of funcs in func_info doesn't match number of subprogs\n"};
	struct rb_loaded *ld = NULL;
	struct rb_err err = {0};
	ck_assert_int_eq(run(&f, "build/progs/loader/subprogs.bpf.o", &ld, &err, NULL), -RB_ENOTSUP);
	ck_assert_msg(strstr(err.msg, "needs kernel support for BPF callbacks") &&
		      strstr(err.msg, "(Linux >= 5.13)"), "%s", err.msg);
	/* the same words without a callback in the program are its own fault */
	struct fake g = {.reject_progs = true, .reject_log = f.reject_log};
	rb_err_clear(&err);
	ck_assert_int_eq(run(&g, REJECT_PATH, &ld, &err, NULL), -RB_EKERNEL);
	free(f.btf);
	free(g.btf);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("load_fake");
	TCase *tc = tcase_create("btf");
	tcase_add_test(tc, all_kinds_supported);
	tcase_add_test(tc, unknown_kinds_rewritten);
	tcase_add_test(tc, datasec_and_global_func_rewritten);
	tcase_add_test(tc, btf_refused_loads_without);
	tcase_add_test(tc, verifier_reject_explained);
	tcase_add_test(tc, enum64_rewritten);
	tcase_add_test(tc, ringbuf_kept_where_the_kernel_has_it);
	tcase_add_test(tc, no_ringbuf_becomes_perf_buffer);
	tcase_add_test(tc, no_ringbuf_without_the_switch_says_why);
	tcase_add_test(tc, unknown_helper_is_a_kernel_too_old);
	tcase_add_test(tc, callback_refused_by_an_old_verifier);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
