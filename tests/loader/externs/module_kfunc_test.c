/* Kfuncs in module BTF against a fake kernel: the resolver reads a folder
 * laid out like /sys/kernel/btf (a hand-made vmlinux and a split BTF for
 * "nf_conntrack"), finds the module's BTF object through the syscall
 * chokepoint (BTF ids, info), and the BPF_PROG_LOAD the fake kernel sees
 * carries an fd_array whose entry insn.off names is a dup of that object;
 * index 0 is never used; one entry per module however many calls; modules
 * are read only when vmlinux lacks a name; every fd is closed again.
 * Object: progs/loader/kfunc_module (bpf_xdp_ct_lookup, bpf_ct_release). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/syscall.h>

#include "check_main.h"
#include "elf/builders.h"
#include "loader/externs/externs.h"

#define OBJ_PATH "build/progs/loader/kfunc_module.bpf.o"
#define MOD_BTF_ID 7
#define MOD_BTF_FD 500

struct fake {
	int next_fd, open_fds, next_id_calls;
	/* what BPF_PROG_LOAD of ct_lookup carried */
	bool loaded, had_fd_array;
	int n_kfunc_calls;
	int16_t call_off[4];
	int32_t call_imm[4];
	int fd_at_off[4];
	int fd_array0;
	int dup_of_mod, dup_fd;
};

static long fake_info(struct fake *f, union bpf_attr *a)
{
	if (a->info.bpf_fd != MOD_BTF_FD)
		return 0;  /* maps, programs: zeroed info */
	struct bpf_btf_info *info = (struct bpf_btf_info *)(uintptr_t)a->info.info;
	info->kernel_btf = 1;
	snprintf((char *)(uintptr_t)info->name, info->name_len, "nf_conntrack");
	(void)f;
	return 0;
}

static void record_load(struct fake *f, const union bpf_attr *a)
{
	const struct bpf_insn *insns = (const struct bpf_insn *)(uintptr_t)a->insns;
	const int *fds = (const int *)(uintptr_t)a->fd_array;
	f->loaded = true;
	f->had_fd_array = fds != NULL;
	f->fd_array0 = fds ? fds[0] : 0;
	for (uint32_t i = 0; i < a->insn_cnt && f->n_kfunc_calls < 4; i++) {
		if (insns[i].code != (BPF_JMP | BPF_CALL) || insns[i].src_reg != BPF_PSEUDO_KFUNC_CALL)
			continue;
		int n = f->n_kfunc_calls++;
		f->call_off[n] = insns[i].off;
		f->call_imm[n] = insns[i].imm;
		f->fd_at_off[n] = fds && insns[i].off > 0 ? fds[insns[i].off] : -1;
	}
}

static long fake_bpf(struct fake *f, long cmd, union bpf_attr *a)
{
	switch (cmd) {
	case BPF_BTF_GET_NEXT_ID:
		f->next_id_calls++;
		if (a->start_id >= MOD_BTF_ID)
			return -ENOENT;
		a->next_id = MOD_BTF_ID;
		return 0;
	case BPF_BTF_GET_FD_BY_ID:
		return a->btf_id == MOD_BTF_ID ? (f->open_fds++, MOD_BTF_FD) : -ENOENT;
	case BPF_OBJ_GET_INFO_BY_FD: return fake_info(f, a);
	case BPF_PROG_LOAD:
		record_load(f, a);
		return f->open_fds++, f->next_fd++;
	case BPF_BTF_LOAD: case BPF_MAP_CREATE: return f->open_fds++, f->next_fd++;
	default: return 0;  /* map updates, freeze */
	}
}

static long fake_call(const struct rb_sys *sys, long nr, const long args[6])
{
	struct fake *f = sys->ctx;
	if (nr == SYS_close)
		return f->open_fds--, 0;
	if (nr == SYS_fcntl && args[1] == F_DUPFD_CLOEXEC) {
		f->dup_of_mod += args[0] == MOD_BTF_FD;
		f->dup_fd = f->next_fd;
		return f->open_fds++, f->next_fd++;
	}
	if (nr != SYS_bpf)
		return -ENOSYS;
	return fake_bpf(f, args[0], (union bpf_attr *)args[1]);
}

/* ---- the fake /sys/kernel/btf ---------------------------------------------------- */

static void write_btf(const char *dir, const char *name, struct btf_builder *bb)
{
	char path[300];
	struct tb out;
	bb_finish(bb, &out);
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(out.d, 1, out.len, f), out.len);
	fclose(f);
}

static uint32_t add_struct_ptr(struct btf_builder *bb, uint32_t soff, const char *name, uint32_t size)
{
	uint32_t s = bb_type(bb, bb_str(bb, name, soff), BTF_KIND_STRUCT, false, 0, size);
	return bb_type(bb, 0, BTF_KIND_PTR, false, 0, s);
}

/* The kernel's prototypes of the two kfuncs; u32 is type u32_id. */
static void add_kfuncs(struct btf_builder *bb, uint32_t soff, uint32_t u32_id)
{
	uint32_t xdp = add_struct_ptr(bb, soff, "xdp_md", 24);
	uint32_t tuple = add_struct_ptr(bb, soff, "bpf_sock_tuple", 36);
	uint32_t opts = add_struct_ptr(bb, soff, "bpf_ct_opts", 12);
	uint32_t ct = add_struct_ptr(bb, soff, "nf_conn", 256);
	uint32_t proto = bb_type(bb, 0, BTF_KIND_FUNC_PROTO, false, 5, ct);
	const uint32_t params[] = {xdp, tuple, u32_id, opts, u32_id};
	for (size_t i = 0; i < 5; i++)
		bb_u32(bb, bb_str(bb, "arg", soff)), bb_u32(bb, params[i]);
	bb_type(bb, bb_str(bb, "bpf_xdp_ct_lookup", soff), BTF_KIND_FUNC, false, BTF_FUNC_GLOBAL, proto);
	uint32_t rel = bb_type(bb, 0, BTF_KIND_FUNC_PROTO, false, 1, 0);
	bb_u32(bb, bb_str(bb, "ct", soff)), bb_u32(bb, ct);
	bb_type(bb, bb_str(bb, "bpf_ct_release", soff), BTF_KIND_FUNC, false, BTF_FUNC_GLOBAL, rel);
}

/* vmlinux with "unsigned int" (and the kfuncs when built in); with
 * as_module, a split BTF "nf_conntrack" holding the kfuncs. */
static void make_btf_dir(char *dir, bool as_module)
{
	strcpy(dir, "/tmp/rb-kbtf-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	struct btf_builder bb;
	bb_init(&bb, false, 1, false);
	uint32_t u32 = bb_type(&bb, bb_str(&bb, "unsigned int", 0), BTF_KIND_INT, false, 0, 4);
	bb_u32(&bb, 32);
	if (!as_module)
		add_kfuncs(&bb, 0, u32);
	uint32_t base_strs = (uint32_t)bb.strs.len, next = bb.next_id;
	write_btf(dir, "vmlinux", &bb);
	if (!as_module)
		return;
	bb_init(&bb, false, next, true);
	add_kfuncs(&bb, base_strs, u32);
	write_btf(dir, "nf_conntrack", &bb);
}

static void remove_btf_dir(const char *dir)
{
	char path[300];
	snprintf(path, sizeof(path), "%s/vmlinux", dir);
	unlink(path);
	snprintf(path, sizeof(path), "%s/nf_conntrack", dir);
	unlink(path);
	rmdir(dir);
}

/* Loads the object against dir with the fake kernel; returns the result. */
static int load(struct fake *f, const char *dir, struct rb_loaded **ld, struct rb_err *err)
{
	static struct rb_sys sys;
	static struct rb_load_opts opts;
	sys = (struct rb_sys){.call = fake_call, .ctx = f};
	struct rb_resolver_opts ro = {.btf_dir = dir};
	struct rb_resolver *rs;
	f->next_fd = 1000;
	ck_assert_int_eq(rb_resolver_new(&rs, &sys, &ro, err), 0);
	opts = (struct rb_load_opts){.resolve = rb_resolve, .resolve_ctx = rs};
	int r = rb_load_file(ld, &sys, OBJ_PATH, &opts, err);
	rb_resolver_free(rs);  /* closes its own module fd: the load keeps a dup */
	return r;
}

START_TEST(module_kfuncs_go_through_fd_array)
{
	char dir[64];
	make_btf_dir(dir, true);
	struct fake f = {0};
	struct rb_loaded *ld = NULL;
	struct rb_err err = {0};
	int r = load(&f, dir, &ld, &err);
	ck_assert_msg(r == 0, "load failed: %s", err.msg);
	ck_assert(f.loaded && f.had_fd_array);
	ck_assert_int_eq(f.n_kfunc_calls, 2);
	ck_assert_int_eq(f.dup_of_mod, 1);           /* one entry for both calls */
	for (int i = 0; i < 2; i++) {
		ck_assert_int_eq(f.call_off[i], 1);      /* 0 would mean vmlinux */
		ck_assert_int_eq(f.fd_at_off[i], f.dup_fd);
		ck_assert_int_ne(f.fd_at_off[i], MOD_BTF_FD); /* the resolver's fd closes early */
	}
	/* the ids are the module's (split: after vmlinux's two types) */
	ck_assert_int_gt(f.call_imm[0], 1);
	ck_assert_int_gt(f.call_imm[1], 1);
	ck_assert_int_ne(f.call_imm[0], f.call_imm[1]);
	ck_assert_int_eq(f.fd_array0, -1);
	ck_assert_uint_eq(ld->n_fd_array, 2);
	rb_loaded_free(ld);
	ck_assert_int_eq(f.open_fds, 0);
	remove_btf_dir(dir);
}
END_TEST

START_TEST(vmlinux_kfuncs_need_no_modules)
{
	char dir[64];
	make_btf_dir(dir, false);
	struct fake f = {0};
	struct rb_loaded *ld = NULL;
	struct rb_err err = {0};
	int r = load(&f, dir, &ld, &err);
	ck_assert_msg(r == 0, "load failed: %s", err.msg);
	ck_assert_int_eq(f.n_kfunc_calls, 2);
	ck_assert_int_eq(f.call_off[0], 0);
	ck_assert_int_eq(f.call_off[1], 0);
	ck_assert(!f.had_fd_array);
	ck_assert_int_eq(f.next_id_calls, 0);       /* module BTF objects never listed */
	ck_assert_int_eq(f.dup_of_mod, 0);
	rb_loaded_free(ld);
	ck_assert_int_eq(f.open_fds, 0);
	remove_btf_dir(dir);
}
END_TEST

/* A module whose BTF object the kernel does not list (Linux < 5.11 names
 * none): an error naming the module, not a call into vmlinux. */
START_TEST(unlisted_module_btf_is_an_error)
{
	char dir[64];
	make_btf_dir(dir, true);
	struct fake f = {0};
	struct rb_loaded *ld = NULL;
	struct rb_err err = {0};
	static struct rb_sys sys;
	static struct rb_load_opts opts;
	sys = (struct rb_sys){.call = fake_call, .ctx = &f};
	struct rb_resolver_opts ro = {.btf_dir = dir};
	struct rb_resolver *rs;
	ck_assert_int_eq(rb_resolver_new(&rs, &sys, &ro, &err), 0);
	/* no module of that name among the kernel's BTF objects */
	f.next_id_calls = 0;
	opts = (struct rb_load_opts){.resolve = rb_resolve, .resolve_ctx = rs};
	char from[300], to[300];
	snprintf(from, sizeof(from), "%s/nf_conntrack", dir);
	snprintf(to, sizeof(to), "%s/nf_other", dir);
	ck_assert_int_eq(rename(from, to), 0);
	int r = rb_load_file(&ld, &sys, OBJ_PATH, &opts, &err);
	rb_resolver_free(rs);
	ck_assert_int_eq(r, -RB_ENOTSUP);
	ck_assert_msg(strstr(err.msg, "module nf_other") && strstr(err.msg, "5.11"), "%s", err.msg);
	ck_assert_int_eq(f.open_fds, 0);
	unlink(to);
	remove_btf_dir(dir);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("module_kfunc");
	TCase *tc = tcase_create("fd_array");
	tcase_add_test(tc, module_kfuncs_go_through_fd_array);
	tcase_add_test(tc, vmlinux_kfuncs_need_no_modules);
	tcase_add_test(tc, unlisted_module_btf_is_an_error);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
