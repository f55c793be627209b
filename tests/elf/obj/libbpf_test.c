/* libbpf as an oracle (test-only, loaded with dlopen, never linked into
 * rawbpf): for objects both accept, maps, program types and, after libbpf
 * loaded them into the running kernel, the linked instruction streams must
 * agree: same length, opcodes, registers and subprogram call offsets. */
#include <dlfcn.h>
#include <string.h>
#include <bpf/libbpf.h>

#include "elf/obj/object.h"
#include "objsrc.h"

/* libbpf >= 1.0 rejects static functions in program sections and libbpf 1.1
 * reads map_extra only as __uint: variants of the shared sources. */
static const char libbpf_subprog_src[] =
	"static __noinline int leaf(int x) { return x * 3 + 1; }\n"
	"static __noinline int mid(int x) { return leaf(x) + leaf(x + 1); }\n"
	"__noinline int global_helper(int x) { return mid(x) ^ 5; }\n"
	"int counter; const volatile int knob = 7;\n"
	"SEC(\"xdp\") int prog_a(struct xdp_md *ctx) { counter++; return global_helper(ctx->ingress_ifindex) & 3; }\n"
	"SEC(\"xdp\") int prog_b(struct xdp_md *ctx) { return mid(ctx->rx_queue_index + knob) & 3; }\n"
	"SEC(\"socket\") int sock_prog(struct __sk_buff *s) { return leaf(s->len) + mid(2); }\n"
	"static int cb(__u32 i, void *ctx) { *(int *)ctx += leaf(i); return 0; }\n"
	"SEC(\"tc\") int loop_prog(struct __sk_buff *s) { int sum = 0; bpf_loop(10, cb, &sum, 0);\n"
	"  return sum + mid(1); }\n";

static const char libbpf_maps_src[] =
	"struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 10240);\n"
	"  __type(key, __u32); __type(value, __u64); __uint(map_flags, BPF_F_NO_PREALLOC); } hash SEC(\".maps\");\n"
	"struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 4);\n"
	"  __uint(key_size, 4); __uint(value_size, 24); } pcpu SEC(\".maps\");\n"
	"struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } rb SEC(\".maps\");\n"
	"struct { __uint(type, BPF_MAP_TYPE_BLOOM_FILTER); __uint(max_entries, 100);\n"
	"  __type(value, __u32); __uint(map_extra, 3); } bloom SEC(\".maps\");\n"
	"SEC(\"xdp\") int use(struct xdp_md *ctx) { __u32 k = 0;\n"
	"  __u64 *v = bpf_map_lookup_elem(&hash, &k); if (v) return *v & 3;\n"
	"  return bpf_map_lookup_elem(&pcpu, &k) ? 1 : 2; }\n";

struct lib {
	void *h;
	__typeof__(&libbpf_set_print) set_print;
	__typeof__(&bpf_object__open_file) open_file;
	__typeof__(&bpf_object__load) load;
	__typeof__(&bpf_object__close) close;
	__typeof__(&bpf_object__next_program) next_program;
	__typeof__(&bpf_object__next_map) next_map;
	__typeof__(&bpf_program__name) prog_name;
	__typeof__(&bpf_program__section_name) prog_sec;
	__typeof__(&bpf_program__type) prog_type;
	__typeof__(&bpf_program__expected_attach_type) prog_eat;
	__typeof__(&bpf_program__insn_cnt) insn_cnt;
	__typeof__(&bpf_program__insns) insns;
	__typeof__(&bpf_map__name) map_name;
	__typeof__(&bpf_map__type) map_type;
	__typeof__(&bpf_map__key_size) key_size;
	__typeof__(&bpf_map__value_size) value_size;
	__typeof__(&bpf_map__max_entries) max_entries;
	__typeof__(&bpf_map__map_flags) map_flags;
	__typeof__(&bpf_map__map_extra) map_extra;
};

#define SYM(l, field, name) ((l)->field = (__typeof__((l)->field))dlsym((l)->h, name)) != NULL

static bool lib_open(struct lib *l)
{
	l->h = dlopen("libbpf.so.1", RTLD_NOW | RTLD_LOCAL);
	if (!l->h)
		return false;
	return SYM(l, set_print, "libbpf_set_print") && SYM(l, open_file, "bpf_object__open_file") &&
	       SYM(l, load, "bpf_object__load") && SYM(l, close, "bpf_object__close") &&
	       SYM(l, next_program, "bpf_object__next_program") &&
	       SYM(l, next_map, "bpf_object__next_map") && SYM(l, prog_name, "bpf_program__name") &&
	       SYM(l, prog_sec, "bpf_program__section_name") &&
	       SYM(l, prog_type, "bpf_program__type") &&
	       SYM(l, prog_eat, "bpf_program__expected_attach_type") &&
	       SYM(l, insn_cnt, "bpf_program__insn_cnt") && SYM(l, insns, "bpf_program__insns") &&
	       SYM(l, map_name, "bpf_map__name") && SYM(l, map_type, "bpf_map__type") &&
	       SYM(l, key_size, "bpf_map__key_size") && SYM(l, value_size, "bpf_map__value_size") &&
	       SYM(l, max_entries, "bpf_map__max_entries") &&
	       SYM(l, map_flags, "bpf_map__map_flags") && SYM(l, map_extra, "bpf_map__map_extra");
}

static int quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	return 0;
}

static void compare_maps(const struct lib *l, struct bpf_object *lo, const struct rb_obj *obj)
{
	size_t n = 0;
	for (struct bpf_map *m = l->next_map(lo, NULL); m; m = l->next_map(lo, m), n++) {
		const struct rb_map *r = rb_obj_find_map(obj, l->map_name(m));
		ck_assert_msg(r != NULL, "map %s missing", l->map_name(m));
		ck_assert_uint_eq(r->type, l->map_type(m));
		ck_assert_uint_eq(r->key_size, l->key_size(m));
		ck_assert_uint_eq(r->value_size, l->value_size(m));
		ck_assert_uint_eq(r->max_entries, l->max_entries(m));
		ck_assert_uint_eq(r->map_extra, l->map_extra(m));
		/* libbpf adds BPF_F_MMAPABLE to data maps when the kernel has it */
		ck_assert_uint_eq(r->map_flags, l->map_flags(m) & ~(uint32_t)BPF_F_MMAPABLE);
	}
	ck_assert_uint_eq(n, obj->n_maps);
}

static void compare_prog_insns(const struct rb_prog *p, const struct bpf_insn *li, size_t n)
{
	ck_assert_msg(n == p->insn_cnt, "%s: libbpf %zu insns, rawbpf %zu", p->name, n, p->insn_cnt);
	for (size_t i = 0; i < n; i++) {
		const struct bpf_insn *a = &li[i], *b = &p->insns[i];
		ck_assert_msg(a->code == b->code && a->dst_reg == b->dst_reg, "%s: insn %zu differs",
			      p->name, i);
		if ((a->code == (BPF_JMP | BPF_CALL) && a->src_reg == BPF_PSEUDO_CALL) ||
		    a->src_reg == BPF_PSEUDO_FUNC) {
			ck_assert_uint_eq(a->src_reg, b->src_reg);
			ck_assert_msg(a->imm == b->imm, "%s: call at %zu: libbpf imm %d, rawbpf %d",
				      p->name, i, a->imm, b->imm);
		}
	}
}

static void compare_progs(const struct lib *l, struct bpf_object *lo, const struct rb_obj *obj,
			  bool loaded)
{
	size_t n = 0;
	for (struct bpf_program *p = l->next_program(lo, NULL); p; p = l->next_program(lo, p), n++) {
		const struct rb_prog *r = rb_obj_find_prog(obj, l->prog_name(p));
		ck_assert_msg(r != NULL, "program %s missing", l->prog_name(p));
		ck_assert_str_eq(r->sec_name, l->prog_sec(p));
		ck_assert_uint_eq(r->prog_type, l->prog_type(p));
		ck_assert_uint_eq(r->expected_attach_type, l->prog_eat(p));
		if (loaded)
			compare_prog_insns(r, l->insns(p), l->insn_cnt(p));
	}
	ck_assert_uint_eq(n, obj->n_progs);
}

static const char *const oracle_srcs[] = { libbpf_subprog_src, libbpf_maps_src, values_src,
					   data_src, knobs_src };

START_TEST(agrees_with_libbpf)
{
	struct lib l = {0};
	if (!lib_open(&l)) {
		printf("SKIP libbpf oracle: libbpf.so.1 not usable (%s)\n", dlerror());
		return;
	}
	l.set_print(quiet);
	char path[128];
	compile_to_file(oracle_srcs[_i], "-O2 -g", path);
	struct rb_err err = {0};
	struct rb_obj *obj = NULL;
	ck_assert_msg(rb_obj_open_file(&obj, path, &err) == 0, "%s", err.msg);
	struct bpf_object *lo = l.open_file(path, NULL);
	ck_assert_msg(lo != NULL, "libbpf cannot open test source %d", _i);
	compare_maps(&l, lo, obj);
	compare_progs(&l, lo, obj, false);
	/* Loading needs root and the program types above (xdp, socket, tc, tracepoint). */
	bool loaded = geteuid() == 0 && l.load(lo) == 0;
	if (geteuid() == 0)
		ck_assert_msg(loaded, "libbpf failed to load test source %d", _i);
	compare_progs(&l, lo, obj, loaded);
	l.close(lo);
	rb_obj_free(obj);
	rm_compiled(path);
	dlclose(l.h);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("elf/obj vs libbpf");
	TCase *tc = tcase_create("oracle");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, agrees_with_libbpf, 0, sizeof(oracle_srcs) / sizeof(oracle_srcs[0]));
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
