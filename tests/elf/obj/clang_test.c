/* The object model on real clang-built objects: every map kind, global data,
 * subprogram linking, callbacks, externs, `--set`, and mutated objects. */
#include <string.h>

#include "elf/obj/object.h"
#include "objsrc.h"

/* Compiles and opens; name labels the object ("execsnoop.bpf.o"). */
static int open_src(const char *name, const char *src, const char *cflags, struct rb_obj **obj,
		    struct rb_err *err)
{
	struct rb_buf b = {0};
	compile(src, cflags, &b);
	int r = rb_obj_open_mem(obj, b.data, b.len, name, err);
	rb_buf_free(&b);
	return r;
}

static struct rb_obj *must_open(const char *name, const char *src)
{
	struct rb_err err = {0};
	struct rb_obj *obj = NULL;
	int r = open_src(name, src, "-O2 -g", &obj, &err);
	ck_assert_msg(r == 0, "open failed: %s", err.msg);
	return obj;
}

static const struct rb_map *map(const struct rb_obj *obj, const char *name)
{
	const struct rb_map *m = rb_obj_find_map(obj, name);
	ck_assert_msg(m != NULL, "no map '%s'", name);
	return m;
}

static const struct rb_prog *prog(const struct rb_obj *obj, const char *name)
{
	const struct rb_prog *p = rb_obj_find_prog(obj, name);
	ck_assert_msg(p != NULL, "no program '%s'", name);
	return p;
}

static bool has_fixup(const struct rb_obj *obj, const struct rb_prog *p, enum rb_fixup_kind kind,
		      const char *map_name, uint32_t off)
{
	for (size_t i = 0; i < p->n_fixups; i++) {
		const struct rb_fixup *f = &p->fixups[i];
		const struct bpf_insn *in = &p->insns[f->insn];
		if (f->kind != kind || strcmp(obj->maps[f->map].name, map_name) || f->off != off)
			continue;
		ck_assert_uint_eq(in->code, BPF_LD | BPF_IMM | BPF_DW);
		ck_assert_uint_eq(in->src_reg, kind == RB_FIXUP_MAP_FD ? BPF_PSEUDO_MAP_FD
								     : BPF_PSEUDO_MAP_VALUE);
		ck_assert_int_eq(in[1].imm, (int32_t)off);
		return true;
	}
	return false;
}

/* --- BTF-defined maps ------------------------------------------------------------- */


START_TEST(btf_maps_of_several_types)
{
	struct rb_obj *obj = must_open("maps.bpf.o", btf_maps_src);
	ck_assert_str_eq(obj->name, "maps");
	ck_assert_str_eq(obj->license, "GPL");
	ck_assert_uint_eq(obj->n_maps, 6);
	const struct rb_map *h = map(obj, "hash");
	ck_assert_int_eq(h->kind, RB_MAP_BTF);
	ck_assert_uint_eq(h->type, BPF_MAP_TYPE_HASH);
	ck_assert_uint_eq(h->key_size, 4);
	ck_assert_uint_eq(h->value_size, 8);
	ck_assert_uint_eq(h->max_entries, 10240);
	ck_assert_uint_eq(h->map_flags, BPF_F_NO_PREALLOC);
	ck_assert_str_eq(rb_btf_type_name(obj->btf, h->btf_key_type_id), "__u32");
	ck_assert_str_eq(rb_btf_type_name(obj->btf, h->btf_value_type_id), "__u64");
	const struct rb_map *p = map(obj, "pcpu");
	ck_assert_uint_eq(p->value_size, 24);
	ck_assert_uint_eq(p->btf_key_type_id + p->btf_value_type_id, 0);
	ck_assert_uint_eq(map(obj, "rb")->type, BPF_MAP_TYPE_RINGBUF);
	ck_assert_uint_eq(map(obj, "rb")->max_entries, 4096);
	ck_assert_uint_eq(map(obj, "events")->max_entries, 0);
	const struct rb_map *l = map(obj, "pinned_lru_long_name");
	ck_assert_uint_eq(l->pinning, RB_PIN_BY_NAME);
	ck_assert_uint_eq(l->key_size, 8);
	ck_assert_uint_eq(l->value_size, 32);
	ck_assert_uint_eq(map(obj, "bloom")->map_extra, 3);
	ck_assert_uint_eq(map(obj, "bloom")->key_size, 0);
	const struct rb_prog *u = prog(obj, "use");
	ck_assert(has_fixup(obj, u, RB_FIXUP_MAP_FD, "hash", 0));
	ck_assert(has_fixup(obj, u, RB_FIXUP_MAP_FD, "pcpu", 0));
	ck_assert_uint_eq(u->n_fixups, 2);
	rb_obj_free(obj);
}
END_TEST

START_TEST(btf_map_errors)
{
	static const char *bad[][2] = {
		{ "struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 1); __uint(key_size, 8);\n"
		  "  __type(key, int); __type(value, int); } m SEC(\".maps\");\n",
		  "map 'm': key_size 8 disagrees with the key type's size 4" },
		{ "struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(colour, 1); } m SEC(\".maps\");\n",
		  "map 'm': unknown member 'colour'" },
		{ "struct { __uint(max_entries, 1); } m SEC(\".maps\");\n", "map 'm': no map type" },
		{ "struct { __uint(type, 1); __uint(pinning, 7); } m SEC(\".maps\");\n",
		  "map 'm': pinning 7 is not" },
		{ "struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); __uint(max_entries, 1); } m SEC(\".maps\");\n",
		  "map 'm': a map-in-map needs __array(values" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rb_err err = {0};
		struct rb_obj *obj = NULL;
		ck_assert_int_eq(open_src("bad.bpf.o", bad[i][0], "-O2 -g", &obj, &err), -RB_EINPUT);
		ck_assert_ptr_null(obj);
		ck_assert_msg(strstr(err.msg, bad[i][1]) && strncmp(err.msg, "bad.bpf.o: ", 11) == 0,
			      "case %zu: got '%s'", i, err.msg);
	}
}
END_TEST

START_TEST(maps_section_needs_btf)
{
	struct rb_err err = {0};
	struct rb_obj *obj = NULL;
	ck_assert_int_eq(open_src("nobtf.bpf.o", btf_maps_src, "-O2", &obj, &err), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "section '.maps' needs BTF"));
}
END_TEST

/* --- map-in-map and prog array .values ---------------------------------------------- */


START_TEST(map_in_map_and_prog_array_values)
{
	struct rb_obj *obj = must_open("values.bpf.o", values_src);
	const struct rb_map *o = map(obj, "outer");
	ck_assert_uint_eq(o->value_size, 4);
	ck_assert_ptr_nonnull(o->inner);
	ck_assert_str_eq(o->inner->name, "outer.inner");
	ck_assert_uint_eq(o->inner->type, BPF_MAP_TYPE_ARRAY);
	ck_assert_uint_eq(o->inner->max_entries, 1);
	ck_assert_uint_eq(o->inner->value_size, 4);
	ck_assert_uint_eq(o->n_slots, 2);
	ck_assert_uint_eq(o->slots[0].slot, 0);
	ck_assert_int_eq(o->slots[0].kind, RB_SLOT_MAP);
	ck_assert_str_eq(obj->maps[o->slots[0].target].name, "in_a");
	ck_assert_uint_eq(o->slots[1].slot, 2);
	ck_assert_str_eq(obj->maps[o->slots[1].target].name, "in_b");
	const struct rb_map *h = map(obj, "hom");
	ck_assert_uint_eq(h->inner->type, BPF_MAP_TYPE_HASH);
	ck_assert_uint_eq(h->inner->value_size, 8);
	ck_assert_uint_eq(h->n_slots, 0);
	const struct rb_map *j = map(obj, "jmp");
	ck_assert_uint_eq(j->key_size, 4);
	ck_assert_uint_eq(j->value_size, 4);
	ck_assert_ptr_null(j->inner);
	ck_assert_uint_eq(j->n_slots, 2);
	ck_assert_uint_eq(j->slots[0].slot, 1);
	ck_assert_int_eq(j->slots[0].kind, RB_SLOT_PROG);
	ck_assert_str_eq(obj->progs[j->slots[0].target].name, "tail_a");
	ck_assert_uint_eq(j->slots[1].slot, 5);
	ck_assert_str_eq(obj->progs[j->slots[1].target].name, "tail_b");
	ck_assert(has_fixup(obj, prog(obj, "entry"), RB_FIXUP_MAP_FD, "jmp", 0));
	ck_assert(has_fixup(obj, prog(obj, "entry"), RB_FIXUP_MAP_FD, "outer", 0));
	rb_obj_free(obj);
}
END_TEST

START_TEST(values_past_max_entries)
{
	static const char src[] =
		"SEC(\"socket\") int t(void *ctx) { return 1; }\n"
		"struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 2); __uint(key_size, 4);\n"
		"  __array(values, int (void *)); } jmp SEC(\".maps\") = { .values = { [3] = (void *)&t } };\n";
	struct rb_err err = {0};
	struct rb_obj *obj = NULL;
	ck_assert_int_eq(open_src("v.bpf.o", src, "-O2 -g", &obj, &err), -RB_EINPUT);
	ck_assert_str_eq(err.msg, "v.bpf.o: map 'jmp': .values slot 3 is past max_entries 2");
}
END_TEST

/* --- legacy maps ----------------------------------------------------------------------- */

START_TEST(legacy_maps)
{
	static const char src[] =
		"struct def5 { unsigned int type, key_size, value_size, max_entries, map_flags; };\n"
		"struct def5 SEC(\"maps\") counts = { BPF_MAP_TYPE_ARRAY, 4, 8, 16, 0 };\n"
		"struct def5 SEC(\"maps\") hashes = { BPF_MAP_TYPE_HASH, 8, 16, 32, 1 };\n"
		"SEC(\"socket\") int sock(void *ctx) { __u32 k = 0; long *v = bpf_map_lookup_elem(&counts, &k);\n"
		"  if (v) return *v; return bpf_map_lookup_elem(&hashes, &k) != 0; }\n";
	struct rb_obj *obj = must_open("legacy.bpf.o", src);
	const struct rb_map *c = map(obj, "counts"), *h = map(obj, "hashes");
	ck_assert_int_eq(c->kind, RB_MAP_LEGACY);
	ck_assert_uint_eq(c->type, BPF_MAP_TYPE_ARRAY);
	ck_assert_uint_eq(c->key_size, 4);
	ck_assert_uint_eq(c->value_size, 8);
	ck_assert_uint_eq(c->max_entries, 16);
	ck_assert_uint_eq(h->type, BPF_MAP_TYPE_HASH);
	ck_assert_uint_eq(h->key_size, 8);
	ck_assert_uint_eq(h->map_flags, 1);
	ck_assert(has_fixup(obj, prog(obj, "sock"), RB_FIXUP_MAP_FD, "counts", 0));
	ck_assert(has_fixup(obj, prog(obj, "sock"), RB_FIXUP_MAP_FD, "hashes", 0));
	rb_obj_free(obj);
}
END_TEST

START_TEST(legacy_long_records_with_inner_and_pinning)
{
	static const char src[] =
		"struct def8 { unsigned int type, key_size, value_size, max_entries, map_flags,\n"
		"  inner_map_idx, numa_node, pinning; };\n"
		"struct def8 SEC(\"maps\") outer = { BPF_MAP_TYPE_ARRAY_OF_MAPS, 4, 4, 8, 0, 1, 0, 1 };\n"
		"struct def8 SEC(\"maps\") inner = { BPF_MAP_TYPE_ARRAY, 4, 12, 1, 0, 0, 0, 0 };\n"
		"SEC(\"socket\") int sock(void *ctx) { __u32 k = 0; return bpf_map_lookup_elem(&outer, &k) != 0; }\n";
	struct rb_obj *obj = must_open("legacy8.bpf.o", src);
	const struct rb_map *o = map(obj, "outer");
	ck_assert_uint_eq(o->pinning, RB_PIN_BY_NAME);
	ck_assert_ptr_nonnull(o->inner);
	ck_assert_uint_eq(o->inner->type, BPF_MAP_TYPE_ARRAY);
	ck_assert_uint_eq(o->inner->value_size, 12);
	ck_assert_ptr_null(map(obj, "inner")->inner);
	rb_obj_free(obj);
}
END_TEST

START_TEST(legacy_unknown_nonzero_field)
{
	static const char src[] =
		"struct def9 { unsigned int f[9]; };\n"
		"struct def9 SEC(\"maps\") m = { { BPF_MAP_TYPE_ARRAY, 4, 4, 1, 0, 0, 0, 0, 5 } };\n"
		"SEC(\"socket\") int sock(void *ctx) { __u32 k = 0; return bpf_map_lookup_elem(&m, &k) != 0; }\n";
	struct rb_err err = {0};
	struct rb_obj *obj = NULL;
	ck_assert_int_eq(open_src("l9.bpf.o", src, "-O2 -g", &obj, &err), -RB_EINPUT);
	ck_assert_msg(strstr(err.msg, "map 'm' has non-zero bytes at offset 32 of its 36-byte "
			     "definition"), "%s", err.msg);
}
END_TEST

/* --- global data ------------------------------------------------------------------- */


static uint64_t sym_off(const struct rb_obj *obj, const char *sec, const char *sym)
{
	uint64_t off = UINT64_MAX;
	ck_assert_msg(rb_obj_sym_offset(obj, sec, sym, &off) == 1, "no symbol %s in %s", sym, sec);
	return off;
}

START_TEST(global_data_maps)
{
	struct rb_obj *obj = must_open("execsnoop.bpf.o", data_src);
	ck_assert_str_eq(obj->name, "execsnoop");
	const struct rb_map *ro = map(obj, "execsnoo.rodata"), *d = map(obj, "execsnoo.data");
	const struct rb_map *b = map(obj, "execsnoo.bss"), *dc = map(obj, ".data.custom");
	const struct rb_map *rc = map(obj, ".rodata.cfg"), *str = map(obj, ".rodata.str1.1");
	ck_assert_ptr_eq(rb_obj_find_map(obj, ".rodata"), ro);
	for (const struct rb_map *m = ro; m; m = m == ro ? d : m == d ? b : m == b ? dc
						  : m == dc ? rc : m == rc ? str : NULL) {
		ck_assert_int_eq(m->kind, RB_MAP_DATA);
		ck_assert_uint_eq(m->type, BPF_MAP_TYPE_ARRAY);
		ck_assert_uint_eq(m->key_size, 4);
		ck_assert_uint_eq(m->max_entries, 1);
		ck_assert_ptr_nonnull(m->data);
		ck_assert_int_eq(m->readonly, m->sec_name[1] == 'r');
		ck_assert_uint_eq(m->map_flags, m->readonly ? BPF_F_RDONLY_PROG : 0);
	}
	ck_assert_uint_eq(ro->value_size, 20);
	ck_assert_str_eq(rb_btf_type_name(obj->btf, ro->btf_value_type_id), ".rodata");
	ck_assert_uint_eq(ro->btf_key_type_id, 0);
	int32_t v;
	memcpy(&v, ro->data + sym_off(obj, ".rodata", "min_us"), 4);
	ck_assert_int_eq(v, 10);
	ck_assert_str_eq((const char *)ro->data + sym_off(obj, ".rodata", "comm"), "bash");
	int64_t t;
	memcpy(&t, d->data + sym_off(obj, ".data", "total"), 8);
	ck_assert_int_eq(t, 5);
	ck_assert_uint_eq(b->value_size, 4);
	ck_assert_uint_eq(b->data[0] | b->data[1] | b->data[2] | b->data[3], 0);
	ck_assert_ptr_nonnull(memmem(str->data, str->value_size, "a string literal", 17));
	const struct rb_prog *p = prog(obj, "tp");
	ck_assert_str_eq(p->attach_target, "sched/sched_process_exec");
	ck_assert_uint_eq(p->prog_type, BPF_PROG_TYPE_TRACEPOINT);
	ck_assert(has_fixup(obj, p, RB_FIXUP_MAP_VALUE, "execsnoo.bss",
			    (uint32_t)sym_off(obj, ".bss", "hits")));
	ck_assert(has_fixup(obj, p, RB_FIXUP_MAP_VALUE, "execsnoo.rodata",
			    (uint32_t)sym_off(obj, ".rodata", "min_us")));
	ck_assert(has_fixup(obj, p, RB_FIXUP_MAP_VALUE, ".data.custom", 0));
	ck_assert(has_fixup(obj, p, RB_FIXUP_MAP_VALUE, ".rodata.cfg", 0));
	ck_assert(has_fixup(obj, p, RB_FIXUP_MAP_VALUE, ".rodata.str1.1",
			    (uint32_t)((const uint8_t *)memmem(str->data, str->value_size,
							       "a string literal", 17) - str->data)));
	rb_obj_free(obj);
}
END_TEST

START_TEST(long_object_names_are_cut)
{
	struct rb_obj *obj = must_open("/some/dir/averyveryverylongname.bpf.o", data_src);
	ck_assert_str_eq(obj->name, "averyveryverylo");
	ck_assert_ptr_nonnull(rb_obj_find_map(obj, "averyver.rodata"));
	ck_assert_ptr_nonnull(rb_obj_find_map(obj, "averyver.bss"));
	ck_assert_ptr_nonnull(rb_obj_find_map(obj, "averyver.data"));
	rb_obj_free(obj);
}
END_TEST

/* --- subprograms and callbacks --------------------------------------------------------- */


static bool is_func_start(const struct rb_prog *p, int64_t insn)
{
	for (size_t i = 0; i < p->n_func_info; i++)
		if (p->func_info[i].insn_off == insn)
			return true;
	return false;
}

/* Every call and callback address points at a function start (a func_info
 * record), every function but the first is reached, and the BTF.ext
 * records are in order and in bounds. */
static void check_linked(const struct rb_prog *p, size_t nfuncs)
{
	ck_assert_uint_eq(p->n_func_info, nfuncs);
	ck_assert_uint_eq(p->func_info[0].insn_off, 0);
	ck_assert_uint_eq(p->func_info[1 % nfuncs].insn_off, nfuncs > 1 ? p->main_cnt : 0);
	size_t reached = 0;
	for (size_t i = 0; i < p->insn_cnt; i++) {
		const struct bpf_insn *in = &p->insns[i];
		bool call = in->code == (BPF_JMP | BPF_CALL) && in->src_reg == BPF_PSEUDO_CALL;
		bool func = in->code == (BPF_LD | BPF_IMM | BPF_DW) && in->src_reg == BPF_PSEUDO_FUNC;
		if (call || func) {
			int64_t t = (int64_t)i + in->imm + 1;
			ck_assert_msg(t > 0 && t < (int64_t)p->insn_cnt && is_func_start(p, t),
				      "%s: insn %zu targets %lld", p->name, i, (long long)t);
			reached++;
		}
		i += in->code == (BPF_LD | BPF_IMM | BPF_DW);
	}
	ck_assert_uint_ge(reached, nfuncs - 1);
	for (size_t i = 1; i < p->n_func_info; i++)
		ck_assert_uint_gt(p->func_info[i].insn_off, p->func_info[i - 1].insn_off);
	ck_assert_uint_gt(p->n_line_info, 0);
	for (size_t i = 0; i < p->n_line_info; i++) {
		ck_assert_uint_lt(p->line_info[i].insn_off, p->insn_cnt);
		if (i)
			ck_assert_uint_ge(p->line_info[i].insn_off, p->line_info[i - 1].insn_off);
	}
}

/* The instructions of the function whose func_info has BTF type `type`. */
static size_t func_code(const struct rb_prog *p, uint32_t type, const struct bpf_insn **code)
{
	for (size_t i = 0; i < p->n_func_info; i++) {
		if (p->func_info[i].type_id != type)
			continue;
		size_t end = i + 1 < p->n_func_info ? p->func_info[i + 1].insn_off : p->insn_cnt;
		*code = &p->insns[p->func_info[i].insn_off];
		return end - p->func_info[i].insn_off;
	}
	return 0;
}

START_TEST(nested_and_shared_subprograms)
{
	struct rb_obj *obj = must_open("subprogs.bpf.o", subprog_src);
	ck_assert_uint_eq(obj->n_progs, 5);
	ck_assert_ptr_null(rb_obj_find_prog(obj, "local_sub"));
	ck_assert_ptr_null(rb_obj_find_prog(obj, "leaf"));
	const struct rb_prog *a = prog(obj, "prog_a"), *b = prog(obj, "prog_b");
	const struct rb_prog *s = prog(obj, "sock_prog");
	check_linked(a, 4); /* prog_a, global_helper, mid, leaf */
	check_linked(b, 3); /* prog_b, mid, leaf */
	check_linked(s, 3); /* sock_prog, local_sub, leaf */
	uint32_t leaf = rb_btf_find(obj->btf, "leaf", BTF_KIND_FUNC);
	ck_assert_uint_ne(leaf, 0);
	const struct bpf_insn *la, *lb, *ls;
	size_t na = func_code(a, leaf, &la), nb = func_code(b, leaf, &lb), ns = func_code(s, leaf, &ls);
	ck_assert_uint_gt(na, 0);
	ck_assert_uint_eq(na, nb);
	ck_assert_uint_eq(na, ns);
	ck_assert_int_eq(memcmp(la, lb, na * sizeof(*la)), 0);
	ck_assert_int_eq(memcmp(la, ls, na * sizeof(*la)), 0);
	ck_assert(prog(obj, "sock_prog")->autoload);
	ck_assert(!prog(obj, "lazy")->autoload);
	ck_assert_str_eq(prog(obj, "lazy")->sec_name, "tc");
	rb_obj_free(obj);
}
END_TEST

START_TEST(bpf_loop_callback)
{
	struct rb_obj *obj = must_open("loop.bpf.o", subprog_src);
	const struct rb_prog *p = prog(obj, "loop_prog");
	check_linked(p, 2);
	size_t found = 0;
	for (size_t i = 0; i + 1 < p->insn_cnt; i++) {
		const struct bpf_insn *in = &p->insns[i];
		if (in->code != (BPF_LD | BPF_IMM | BPF_DW))
			continue;
		if (in->src_reg == BPF_PSEUDO_FUNC) {
			ck_assert_uint_eq(i + in->imm + 1, p->func_info[1].insn_off);
			ck_assert_int_eq(in[1].imm, 0);
			found++;
		}
		i++;
	}
	ck_assert_uint_eq(found, 1);
	rb_obj_free(obj);
}
END_TEST

/* --- externs ----------------------------------------------------------------------- */

START_TEST(kconfig_and_ksym_externs)
{
	static const char src[] =
		"extern int LINUX_KERNEL_VERSION __kconfig;\n"
		"extern _Bool CONFIG_BPF_SYSCALL __kconfig __attribute__((weak));\n"
		"extern void bpf_rcu_read_lock(void) __ksym;\n"
		"SEC(\"tc\") int p(void *ctx) { bpf_rcu_read_lock();\n"
		"  return LINUX_KERNEL_VERSION + CONFIG_BPF_SYSCALL; }\n";
	struct rb_obj *obj = must_open("ext.bpf.o", src);
	ck_assert_uint_eq(obj->n_externs, 3);
	for (size_t i = 0; i < obj->n_externs; i++) {
		const struct rb_extern *x = &obj->externs[i];
		const struct rb_prog *p = &obj->progs[x->refs[0].prog];
		const struct bpf_insn *in = &p->insns[x->refs[0].insn];
		ck_assert_uint_eq(x->n_refs, 1);
		ck_assert_str_eq(rb_btf_type_name(obj->btf, x->btf_id), x->name);
		if (strcmp(x->name, "bpf_rcu_read_lock") == 0) {
			ck_assert_int_eq(x->kind, RB_EXTERN_KSYM);
			ck_assert(x->is_func && !x->is_weak && x->refs[0].is_call);
			ck_assert_uint_eq(in->code, BPF_JMP | BPF_CALL);
		} else {
			ck_assert_int_eq(x->kind, RB_EXTERN_KCONFIG);
			ck_assert(!x->is_func && !x->refs[0].is_call);
			ck_assert_int_eq(x->is_weak, strcmp(x->name, "CONFIG_BPF_SYSCALL") == 0);
			ck_assert_uint_eq(in->code, BPF_LD | BPF_IMM | BPF_DW);
		}
	}
	rb_obj_free(obj);
}
END_TEST

/* --- --set -------------------------------------------------------------------------- */


static void read_var(const struct rb_obj *obj, const char *name, void *out, size_t n)
{
	for (size_t i = 0; i < obj->n_maps; i++) {
		uint64_t off;
		const struct rb_map *m = &obj->maps[i];
		if (m->kind == RB_MAP_DATA && rb_obj_sym_offset(obj, m->sec_name, name, &off)) {
			memcpy(out, m->data + off, n);
			return;
		}
	}
	ck_abort_msg("no variable %s", name);
}

START_TEST(set_global_values)
{
	struct rb_obj *obj = must_open("knobs.bpf.o", knobs_src);
	struct rb_err err = {0};
	static const char *ok[][2] = {
		{ "u8v", "255" }, { "s8v", "-128" }, { "u16v", "0xbeef" }, { "s32v", "-2147483648" },
		{ "u64v", "18446744073709551615" }, { "s64v", "-9223372036854775808" },
		{ "flag", "true" }, { "col", "BLUE" }, { "name", "abcdefg" }, { "bss_counter", "7" },
	};
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		ck_assert_msg(rb_obj_set_global(obj, ok[i][0], ok[i][1], &err) == 0, "%s=%s: %s",
			      ok[i][0], ok[i][1], err.msg);
	uint8_t u8; int8_t s8; uint16_t u16; int32_t s32; uint64_t u64; int64_t s64; char nm[8];
	read_var(obj, "u8v", &u8, 1);
	read_var(obj, "s8v", &s8, 1);
	read_var(obj, "u16v", &u16, 2);
	read_var(obj, "s32v", &s32, 4);
	read_var(obj, "u64v", &u64, 8);
	read_var(obj, "s64v", &s64, 8);
	ck_assert_uint_eq(u8, 255);
	ck_assert_int_eq(s8, -128);
	ck_assert_uint_eq(u16, 0xbeef);
	ck_assert_int_eq(s32, INT32_MIN);
	ck_assert_uint_eq(u64, UINT64_MAX);
	ck_assert(s64 == INT64_MIN);
	read_var(obj, "flag", &u8, 1);
	ck_assert_uint_eq(u8, 1);
	read_var(obj, "col", &s32, 4);
	ck_assert_int_eq(s32, -3);
	read_var(obj, "name", nm, 8);
	ck_assert_int_eq(memcmp(nm, "abcdefg", 8), 0);
	read_var(obj, "bss_counter", &s32, 4);
	ck_assert_int_eq(s32, 7);
	ck_assert_int_eq(rb_obj_set_global(obj, "col", "2", &err), 0);
	ck_assert_int_eq(rb_obj_set_global(obj, "flag", "0", &err), 0);
	ck_assert_int_eq(rb_obj_set_global(obj, "name", "", &err), 0);
	read_var(obj, "col", &s32, 4);
	ck_assert_int_eq(s32, 2);
	read_var(obj, "name", nm, 8);
	ck_assert_int_eq(memcmp(nm, "\0\0\0\0\0\0\0\0", 8), 0);
	rb_obj_free(obj);
}
END_TEST

START_TEST(set_global_errors)
{
	struct rb_obj *obj = must_open("knobs.bpf.o", knobs_src);
	static const char *bad[][3] = {
		{ "u8v", "256", "--set u8v: 256 does not fit unsigned char (1 bytes, unsigned)" },
		{ "u8v", "-1", "--set u8v: unsigned char is unsigned and cannot hold -1" },
		{ "s8v", "-129", "--set s8v: -129 does not fit signed char (1 bytes, signed)" },
		{ "s8v", "128", "--set s8v: 128 does not fit signed char (1 bytes, signed)" },
		{ "u64v", "18446744073709551616", "--set u64v: '18446744073709551616' is not a number" },
		{ "s64v", "9223372036854775808", "--set s64v: 9223372036854775808 does not fit long long" },
		{ "s32v", "12abc", "--set s32v: '12abc' is not a number for type int" },
		{ "s32v", "", "--set s32v: '' is not a number for type int" },
		{ "s32v", "0x", "--set s32v: '0x' is not a number" },
		{ "flag", "yes", "--set flag: 'yes' is not a bool (true, false, 1 or 0)" },
		{ "col", "PURPLE", "--set col: 'PURPLE' is neither an enumerator of enum color (RED, "
				   "GREEN, BLUE) nor a number that fits it" },
		{ "name", "abcdefgh", "--set name: \"abcdefgh\" is 8 characters; char[8] holds at most 7 "
				      "plus the NUL" },
		{ "pr", "1", "--set pr: variable of type struct pair cannot be set from the command line" },
		{ "nope", "1", "--set nope: no global variable 'nope' in the object's .data, .rodata "
			       "or .bss sections" },
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rb_err err = {0};
		ck_assert_int_eq(rb_obj_set_global(obj, bad[i][0], bad[i][1], &err), -RB_EUSAGE);
		ck_assert_msg(strncmp(err.msg, bad[i][2], strlen(bad[i][2])) == 0,
			      "%s=%s: got '%s'", bad[i][0], bad[i][1], err.msg);
	}
	rb_obj_free(obj);
}
END_TEST

START_TEST(set_global_without_btf)
{
	static const char src[] = "const volatile int x = 1;\n"
				  "SEC(\"socket\") int p(void *ctx) { return x; }\n";
	struct rb_err err = {0};
	struct rb_obj *obj = NULL;
	ck_assert_int_eq(open_src("plain.bpf.o", src, "-O2", &obj, &err), 0);
	ck_assert_ptr_null(obj->btf);
	ck_assert_uint_eq(prog(obj, "p")->n_func_info, 0);
	ck_assert_int_eq(rb_obj_set_global(obj, "x", "2", &err), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "--set x: the object has no BTF"));
	rb_obj_free(obj);
}
END_TEST

/* --- unknown sections, mutated objects ------------------------------------------------ */

START_TEST(unknown_section_warns)
{
	static const char src[] = "SEC(\"foo/bar\") int a(void *c) { return 0; }\n"
				  "SEC(\"foo/bar\") int b(void *c) { return 1; }\n"
				  "SEC(\"socket\") int ok(void *c) { return 0; }\n";
	struct rb_obj *obj = must_open("prog.o", src);
	ck_assert_uint_eq(obj->n_progs, 1);
	ck_assert_uint_eq(obj->n_warnings, 1);
	ck_assert_str_eq(obj->warnings[0],
			 "prog.o: section 'foo/bar' is not a known program type; skipped (2 functions)");
	rb_obj_free(obj);
}
END_TEST

/* Bit flips and truncations of real objects: any result but a crash, a
 * leak or a sanitizer report is fine. */
START_TEST(mutated_objects_never_crash)
{
	static const char *srcs[] = { subprog_src, values_src, data_src, knobs_src };
	struct rb_buf b = {0};
	compile(srcs[_i], "-O2 -g", &b);
	uint8_t *m = malloc(b.len);
	uint64_t seed = 0x9e3779b97f4a7c15ull * (uint64_t)(_i + 1);
	int ok = 0;
	for (int iter = 0; iter < 1500; iter++) {
		memcpy(m, b.data, b.len);
		for (int k = 0; k < 1 + iter % 4; k++) {
			seed = seed * 6364136223846793005ull + 1442695040888963407ull;
			m[(seed >> 33) % b.len] ^= (uint8_t)(1u << ((seed >> 20) & 7));
		}
		size_t len = iter % 10 == 9 ? (seed >> 7) % b.len : b.len;
		struct rb_err err = {0};
		struct rb_obj *obj = NULL;
		int r = rb_obj_open_mem(&obj, m, len, "fuzz.o", &err);
		ck_assert(r == 0 ? obj != NULL : (obj == NULL && err.msg[0]));
		ok += r == 0;
		rb_obj_free(obj);
	}
	ck_assert_int_gt(ok, 0);
	free(m);
	rb_buf_free(&b);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("elf/obj clang objects");
	TCase *tc = tcase_create("objects");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, btf_maps_of_several_types);
	tcase_add_test(tc, btf_map_errors);
	tcase_add_test(tc, maps_section_needs_btf);
	tcase_add_test(tc, map_in_map_and_prog_array_values);
	tcase_add_test(tc, values_past_max_entries);
	tcase_add_test(tc, legacy_maps);
	tcase_add_test(tc, legacy_long_records_with_inner_and_pinning);
	tcase_add_test(tc, legacy_unknown_nonzero_field);
	tcase_add_test(tc, global_data_maps);
	tcase_add_test(tc, long_object_names_are_cut);
	tcase_add_test(tc, nested_and_shared_subprograms);
	tcase_add_test(tc, bpf_loop_callback);
	tcase_add_test(tc, kconfig_and_ksym_externs);
	tcase_add_test(tc, set_global_values);
	tcase_add_test(tc, set_global_errors);
	tcase_add_test(tc, set_global_without_btf);
	tcase_add_test(tc, unknown_section_warns);
	tcase_add_loop_test(tc, mutated_objects_never_crash, 0, 4);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
