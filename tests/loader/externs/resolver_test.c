/* The resolve phase on the running kernel with controlled inputs: kconfig
 * externs typed by BTF from a config file the test writes, missing and
 * mistyped options, --btf FILE (raw BTF and an ELF with .BTF) and --strict.
 * Loads the progs/core objects for real (root), pins nothing. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "loader/externs/externs.h"

static const char *obj(const char *name, char *buf, size_t size)
{
	const char *progs = getenv("PROGS");
	snprintf(buf, size, "%s/core/%s", progs ? progs : "build/progs", name);
	return buf;
}

static bool can_run(void)
{
	if (getuid() == 0 && access("/sys/kernel/btf/vmlinux", R_OK) == 0)
		return true;
	printf("SKIP resolver: needs root and /sys/kernel/btf/vmlinux\n");
	return false;
}

static const char *write_config(const char *text, char *path)
{
	strcpy(path, "/tmp/rb-kconfig-XXXXXX");
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

/* The loaded object keeps pointing at the syscall table: one per process. */
static const struct rb_sys *test_sys(void)
{
	static const struct rb_sys sys = {.call = rb_sys_raw};
	return &sys;
}

/* Loads name with a resolver made of opts; returns the load's result.
 * o: the caller's, alive as long as *ld (the loaded object points at it). */
static int load_with(const char *name, struct rb_resolver_opts *opts, struct rb_load_opts *o,
		     struct rb_loaded **ld, struct rb_err *e)
{
	char path[512];
	struct rb_resolver *rs;
	ck_assert_int_eq(rb_resolver_new(&rs, test_sys(), opts, e), 0);
	*o = (struct rb_load_opts){.resolve = rb_resolve, .resolve_ctx = rs};
	*ld = NULL;
	int r = rb_load_file(ld, test_sys(), obj(name, path, sizeof(path)), o, e);
	o->resolve_ctx = NULL;
	rb_resolver_free(rs);
	return r;
}

/* The value bytes of kconfig extern `var` in the loaded object's .kconfig map. */
static const uint8_t *kconfig_var(const struct rb_loaded *ld, const char *var)
{
	const struct rb_btf *btf = ld->obj->btf;
	uint32_t sec = rb_btf_find(btf, ".kconfig", BTF_KIND_DATASEC);
	const struct rb_map *map = NULL;
	for (size_t i = 0; i < ld->obj->n_maps; i++)
		if (ld->obj->maps[i].sec_name && !strcmp(ld->obj->maps[i].sec_name, ".kconfig"))
			map = &ld->obj->maps[i];
	ck_assert_ptr_nonnull(map);
	const struct btf_type *t = rb_btf_type(btf, sec);
	for (uint32_t i = 0; i < rb_btf_vlen(t); i++) {
		const struct btf_var_secinfo *vs = rb_btf_secinfos(t) + i;
		if (!strcmp(rb_btf_type_name(btf, vs->type), var)) {
			ck_assert_uint_le(vs->offset + vs->size, map->value_size);
			return map->data + vs->offset;
		}
	}
	ck_abort_msg("no kconfig var %s", var);
	return NULL;
}

static int32_t i32_at(const uint8_t *p)
{
	int32_t v;
	memcpy(&v, p, 4);
	return v;
}

START_TEST(kconfig_values_typed_by_btf)
{
	char cfg[64];
	if (!can_run())
		return;
	struct rb_resolver_opts opts = {.kconfig_path = write_config(
		"CONFIG_BPF_SYSCALL=y\nCONFIG_BPF_JIT=m\nCONFIG_HZ=1000\n"
		"CONFIG_LOCALVERSION=\"-rawbpf \\\"test\\\"\"\n", cfg)};
	struct rb_loaded *ld;
	struct rb_load_opts lo;
	struct rb_err e = {0};
	ck_assert_msg(load_with("task.bpf.o", &opts, &lo, &ld, &e) == 0, "%s", e.msg);
	ck_assert_int_eq(*kconfig_var(ld, "CONFIG_BPF_SYSCALL"), 1);
	ck_assert_int_eq(i32_at(kconfig_var(ld, "CONFIG_BPF_JIT")), 2);
	ck_assert_int_eq(i32_at(kconfig_var(ld, "CONFIG_HZ")), 1000);
	ck_assert_str_eq((const char *)kconfig_var(ld, "CONFIG_LOCALVERSION"), "-rawbpf \"test\"");
	ck_assert_int_eq(*kconfig_var(ld, "CONFIG_RAWBPF_NO_SUCH_OPTION"), 0);
	ck_assert_int_gt(i32_at(kconfig_var(ld, "LINUX_KERNEL_VERSION")), 0x030000);
	rb_loaded_free(ld);
	unlink(cfg);
}
END_TEST

START_TEST(missing_and_mistyped_kconfig)
{
	char cfg[64];
	if (!can_run())
		return;
	struct rb_resolver_opts opts = {.kconfig_path = write_config("CONFIG_HZ=100\n", cfg)};
	struct rb_loaded *ld;
	struct rb_load_opts lo;
	struct rb_err e = {0};
	ck_assert_int_eq(load_with("task.bpf.o", &opts, &lo, &ld, &e), -RB_ENOTSUP);
	ck_assert_msg(strstr(e.msg, "'CONFIG_BPF_SYSCALL' is not in the kernel config"), "%s", e.msg);
	unlink(cfg);
	/* a bool cannot hold m */
	opts.kconfig_path = write_config("CONFIG_BPF_SYSCALL=m\n", cfg);
	rb_err_clear(&e);
	ck_assert_int_eq(load_with("task.bpf.o", &opts, &lo, &ld, &e), -RB_EINPUT);
	ck_assert_msg(strstr(e.msg, "CONFIG_BPF_SYSCALL': the kernel's value does not fit"), "%s", e.msg);
	unlink(cfg);
}
END_TEST

START_TEST(btf_from_a_file)
{
	if (!can_run())
		return;
	struct rb_resolver_opts opts = {.btf_path = "/sys/kernel/btf/vmlinux"};
	struct rb_loaded *ld;
	struct rb_load_opts lo;
	struct rb_err e = {0};
	ck_assert_msg(load_with("alternatives.bpf.o", &opts, &lo, &ld, &e) == 0, "%s", e.msg);
	rb_loaded_free(ld);
	/* an ELF whose .BTF is the kernel's */
	char path[512], elf[] = "/tmp/rb-btf-elf-XXXXXX", cmd[1200];
	int fd = mkstemp(elf);
	close(fd);
	snprintf(cmd, sizeof(cmd), "llvm-objcopy --update-section .BTF=/sys/kernel/btf/vmlinux %s %s",
		 obj("poison.bpf.o", path, sizeof(path)), elf);
	ck_assert_int_eq(system(cmd), 0); /* llvm is a build dependency */
	opts.btf_path = elf;
	ck_assert_msg(load_with("alternatives.bpf.o", &opts, &lo, &ld, &e) == 0, "%s", e.msg);
	rb_loaded_free(ld);
	unlink(elf);
	opts.btf_path = "/nonexistent/vmlinux.btf";
	rb_err_clear(&e);
	ck_assert_int_eq(load_with("alternatives.bpf.o", &opts, &lo, &ld, &e), -RB_ESYS);
	ck_assert_msg(strstr(e.msg, "/nonexistent/vmlinux.btf"), "%s", e.msg);
}
END_TEST

START_TEST(skipped_alternatives_and_strict)
{
	if (!can_run())
		return;
	struct rb_resolver_opts opts = {0};
	struct rb_loaded *ld;
	struct rb_load_opts lo;
	struct rb_err e = {0};
	ck_assert_msg(load_with("alternatives.bpf.o", &opts, &lo, &ld, &e) == 0, "%s", e.msg);
	struct rb_loaded_prog *miss = rb_loaded_prog(ld, "missing_target");
	struct rb_loaded_prog *ok = rb_loaded_prog(ld, "always_loads");
	ck_assert_ptr_nonnull(miss->skip_reason);
	ck_assert_msg(strstr(miss->skip_reason, "btf_trace_rawbpf_no_such_tracepoint"), "%s",
		      miss->skip_reason);
	ck_assert_int_lt(miss->fd, 0);
	ck_assert_int_ge(ok->fd, 0);
	rb_loaded_free(ld);
	opts.strict = true;
	ck_assert_int_eq(load_with("alternatives.bpf.o", &opts, &lo, &ld, &e), -RB_ENOTSUP);
	ck_assert_msg(strstr(e.msg, "missing_target") && strstr(e.msg, "--strict"), "%s", e.msg);
}
END_TEST

/* Resolves, checks the extern instructions, then stops the load. */
static int resolve_then_check_ksyms(struct rb_loaded *ld, void *ctx, struct rb_err *err)
{
	int *checked = ctx;
	struct rb_resolver *rs;
	struct rb_resolver_opts opts = {0};
	int r = rb_resolver_new(&rs, ld->sys, &opts, err);
	if (!r)
		r = rb_resolve(ld, rs, err);
	rb_resolver_free(rs);
	if (r)
		return r;
	struct rb_btf *vm;
	ck_assert_int_eq(rb_btf_load_vmlinux(&vm, err), 0);
	for (size_t i = 0; i < ld->obj->n_externs; i++) {
		const struct rb_extern *x = &ld->obj->externs[i];
		for (size_t j = 0; j < x->n_refs; j++) {
			const struct bpf_insn *insn = &ld->obj->progs[x->refs[j].prog].insns[x->refs[j].insn];
			if (!strcmp(x->name, "runqueues")) {
				ck_assert_int_eq(insn->src_reg, BPF_PSEUDO_BTF_ID);
				ck_assert_uint_eq((uint32_t)insn->imm, rb_btf_find(vm, "runqueues", BTF_KIND_VAR));
				ck_assert_int_eq(insn[1].imm, 0); /* vmlinux, not a module */
			} else {
				ck_assert_str_eq(x->name, "rawbpf_no_such_var");
				ck_assert_int_eq(insn->src_reg, 0);
				ck_assert_int_eq(insn->imm, 0);
				ck_assert_int_eq(insn[1].imm, 0);
			}
			(*checked)++;
		}
	}
	rb_btf_free(vm);
	return rb_errf(err, RB_EUSAGE, "stop here");
}

START_TEST(typed_and_weak_ksyms)
{
	char path[512];
	int checked = 0;
	if (!can_run())
		return;
	struct rb_load_opts o = {.resolve = resolve_then_check_ksyms, .resolve_ctx = &checked};
	struct rb_loaded *ld;
	struct rb_err e = {0};
	ck_assert_int_eq(rb_load_file(&ld, test_sys(), obj("ksym_typed.bpf.o", path, sizeof(path)), &o,
				      &e), -RB_EUSAGE);
	ck_assert_int_ge(checked, 2);
}
END_TEST

/* freplace: what the resolve phase found, then the load is stopped (this
 * host refuses EXT programs at BPF_PROG_LOAD; the guests load them). */
struct freplace_seen {
	bool strict;
	uint32_t btf_id;
	bool has_prog_fd;
};

static int resolve_then_note_freplace(struct rb_loaded *ld, void *ctx, struct rb_err *err)
{
	struct freplace_seen *seen = ctx;
	struct rb_resolver *rs;
	struct rb_resolver_opts opts = {.strict = seen->strict};
	int r = rb_resolver_new(&rs, ld->sys, &opts, err);
	if (!r)
		r = rb_resolve(ld, rs, err);
	rb_resolver_free(rs);
	if (r)
		return r;
	seen->btf_id = ld->progs[0].attach_btf_id;
	seen->has_prog_fd = ld->progs[0].attach_prog_fd > 0;
	return rb_errf(err, RB_EUSAGE, "stop here");
}

static const char *attach_obj(const char *name, char *buf, size_t size)
{
	const char *progs = getenv("PROGS");
	snprintf(buf, size, "%s/attach/%s", progs ? progs : "build/progs", name);
	return buf;
}

START_TEST(freplace_function_found_in_the_target_btf)
{
	char path[512];
	if (!can_run())
		return;
	struct rb_load_opts to = {0};
	struct rb_loaded *target;
	struct rb_err e = {0};
	ck_assert_msg(rb_load_file(&target, test_sys(), attach_obj("freplace_target.bpf.o", path,
			sizeof(path)), &to, &e) == 0, "%s", e.msg);
	uint32_t want = rb_btf_find(target->obj->btf, "xdp_verdict", BTF_KIND_FUNC);
	ck_assert_uint_gt(want, 0);
	struct freplace_seen seen = {0};
	struct rb_load_opts o = {.resolve = resolve_then_note_freplace, .resolve_ctx = &seen,
				 .target_prog_fd = target->progs[0].fd};
	struct rb_loaded *ld;
	ck_assert_int_eq(rb_load_file(&ld, test_sys(), attach_obj("freplace.bpf.o", path, sizeof(path)),
				      &o, &e), -RB_EUSAGE);
	ck_assert_msg(strstr(e.msg, "stop here"), "%s", e.msg);
	ck_assert_uint_eq(seen.btf_id, want);
	ck_assert(seen.has_prog_fd);
	/* no target: skipped, or with --strict an error naming the option */
	o.target_prog_fd = 0;
	seen = (struct freplace_seen){.strict = true};
	rb_err_clear(&e);
	ck_assert_int_eq(rb_load_file(&ld, test_sys(), path, &o, &e), -RB_ENOTSUP);
	ck_assert_msg(strstr(e.msg, "--target-prog") && strstr(e.msg, "xdp_verdict"), "%s", e.msg);
	rb_loaded_free(target);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("resolver");
	TCase *tc = tcase_create("resolver");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, kconfig_values_typed_by_btf);
	tcase_add_test(tc, missing_and_mistyped_kconfig);
	tcase_add_test(tc, btf_from_a_file);
	tcase_add_test(tc, skipped_alternatives_and_strict);
	tcase_add_test(tc, typed_and_weak_ksyms);
	tcase_add_test(tc, freplace_function_found_in_the_target_btf);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
