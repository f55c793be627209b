/* CO-RE relocations on hand-built local/target BTF pairs: moved, renamed,
 * missing and resized fields, flavours, bitfields, enums and enum64, arrays
 * of structs, anonymous members, type relocations, ambiguity, patching. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "btf_builder.h"
#include "check_main.h"
#include "elf/core/core.h"

struct env {
	struct bb lb, tb;
	struct rb_btf *local, *targ;
	struct rb_core_targets *tg;
	struct rb_err err;
};

static struct env *env_new(void)
{
	struct env *e = calloc(1, sizeof(*e));
	bb_init(&e->lb);
	bb_init(&e->tb);
	return e;
}

static void env_finish(struct env *e)
{
	e->local = bb_parse(&e->lb, "local");
	e->targ = bb_parse(&e->tb, "target");
	ck_assert_ptr_nonnull(e->local);
	ck_assert_ptr_nonnull(e->targ);
	ck_assert_int_eq(rb_core_targets_new(&e->tg, &e->err), 0);
	ck_assert_int_eq(rb_core_targets_add(e->tg, e->targ, 0, &e->err), 0);
}

static void env_free(struct env *e)
{
	rb_core_targets_free(e->tg);
	rb_btf_free(e->local);
	rb_btf_free(e->targ);
	free(e);
}

static int calc(struct env *e, uint32_t type_id, uint32_t acc_off, uint32_t kind,
		struct rb_core_res *res)
{
	struct bpf_core_relo r = {.insn_off = 0, .type_id = type_id, .access_str_off = acc_off,
				  .kind = kind};
	rb_err_clear(&e->err);
	return rb_core_calc(e->tg, e->local, &r, res, &e->err);
}

static uint64_t value_of(struct env *e, uint32_t type_id, uint32_t acc_off, uint32_t kind)
{
	struct rb_core_res res;
	ck_assert_msg(calc(e, type_id, acc_off, kind, &res) == 0, "%s", e->err.msg);
	ck_assert_msg(!res.poison, "poisoned: %s", res.why);
	return res.new_val;
}

/* local: struct task { int pid; int tgid; unsigned int flags; char comm[16]; int __state; }
 * target: struct task { long pad; unsigned long flags; int tgid; int pid; char comm[16]; int state; } */
struct task_ids {
	uint32_t l_task, a_pid, a_tgid, a_flags, a_comm3, a_state;
};

static struct task_ids build_tasks(struct env *e, const char *local_name)
{
	struct task_ids ids;
	struct bb *l = &e->lb, *t = &e->tb;
	uint32_t l_int = bb_int(l, "int", 4, true), l_uint = bb_int(l, "unsigned int", 4, false);
	uint32_t l_char = bb_int(l, "char", 1, true);
	uint32_t l_comm = bb_array(l, l_char, l_int, 16);
	ids.l_task = bb_struct(l, local_name, false, 5, 32);
	bb_member(l, "pid", l_int, 0, 0);
	bb_member(l, "tgid", l_int, 32, 0);
	bb_member(l, "flags", l_uint, 64, 0);
	bb_member(l, "comm", l_comm, 96, 0);
	bb_member(l, "__state", l_int, 224, 0);
	ids.a_pid = bb_str(l, "0:0");
	ids.a_tgid = bb_str(l, "0:1");
	ids.a_flags = bb_str(l, "0:2");
	ids.a_comm3 = bb_str(l, "0:3:3");
	ids.a_state = bb_str(l, "0:4");

	uint32_t t_int = bb_int(t, "int", 4, true), t_long = bb_int(t, "long", 8, true);
	uint32_t t_ulong = bb_int(t, "unsigned long", 8, false), t_char = bb_int(t, "char", 1, true);
	uint32_t t_comm = bb_array(t, t_char, t_int, 16);
	bb_struct(t, "task", false, 6, 48);
	bb_member(t, "pad", t_long, 0, 0);
	bb_member(t, "flags", t_ulong, 64, 0);
	bb_member(t, "tgid", t_int, 128, 0);
	bb_member(t, "pid", t_int, 160, 0);
	bb_member(t, "comm", t_comm, 192, 0);
	bb_member(t, "state", t_int, 320, 0);
	return ids;
}

START_TEST(moved_fields)
{
	struct env *e = env_new();
	struct task_ids ids = build_tasks(e, "task");
	env_finish(e);
	ck_assert_uint_eq(value_of(e, ids.l_task, ids.a_pid, BPF_CORE_FIELD_BYTE_OFFSET), 20);
	ck_assert_uint_eq(value_of(e, ids.l_task, ids.a_tgid, BPF_CORE_FIELD_BYTE_OFFSET), 16);
	ck_assert_uint_eq(value_of(e, ids.l_task, ids.a_comm3, BPF_CORE_FIELD_BYTE_OFFSET), 27);
	ck_assert_uint_eq(value_of(e, ids.l_task, ids.a_pid, BPF_CORE_FIELD_BYTE_SIZE), 4);
	ck_assert_uint_eq(value_of(e, ids.l_task, ids.a_pid, BPF_CORE_FIELD_EXISTS), 1);
	ck_assert_uint_eq(value_of(e, ids.l_task, ids.a_pid, BPF_CORE_FIELD_SIGNED), 1);
	ck_assert_uint_eq(value_of(e, ids.l_task, ids.a_flags, BPF_CORE_FIELD_SIGNED), 0);
	env_free(e);
}
END_TEST

START_TEST(missing_field_poisons_with_reason)
{
	struct env *e = env_new();
	struct task_ids ids = build_tasks(e, "task");
	env_finish(e);
	struct rb_core_res res;
	ck_assert_int_eq(calc(e, ids.l_task, ids.a_state, BPF_CORE_FIELD_BYTE_OFFSET, &res), 0);
	ck_assert(res.poison);
	ck_assert_str_eq(res.why, "struct task has no field '__state'");
	ck_assert_uint_eq(value_of(e, ids.l_task, ids.a_state, BPF_CORE_FIELD_EXISTS), 0);
	struct bpf_insn insns[2] = {
		{.code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = 1, .src_reg = 2, .off = 28}};
	ck_assert_int_eq(rb_core_patch(insns, 2, 0, &res, &e->err), 0);
	ck_assert(rb_core_insn_poisoned(&insns[0]));
	ck_assert_int_eq(insns[0].imm, 0xbad2310);
	env_free(e);
}
END_TEST

START_TEST(flavoured_local_type)
{
	struct env *e = env_new();
	struct task_ids ids = build_tasks(e, "task___older_kernel");
	env_finish(e);
	ck_assert_uint_eq(value_of(e, ids.l_task, ids.a_pid, BPF_CORE_FIELD_BYTE_OFFSET), 20);
	env_free(e);
}
END_TEST

START_TEST(missing_type_poisons_fields_and_zeroes_types)
{
	struct env *e = env_new();
	struct task_ids ids = build_tasks(e, "task_x");
	env_finish(e);
	struct rb_core_res res;
	ck_assert_int_eq(calc(e, ids.l_task, ids.a_pid, BPF_CORE_FIELD_BYTE_OFFSET, &res), 0);
	ck_assert(res.poison);
	ck_assert_str_eq(res.why, "struct task_x does not exist");
	env_free(e);
}
END_TEST

/* unsigned int flags (4 bytes) -> unsigned long (8): the load widens. */
START_TEST(resized_unsigned_field_changes_load_size)
{
	struct env *e = env_new();
	struct task_ids ids = build_tasks(e, "task");
	env_finish(e);
	struct rb_core_res res;
	ck_assert_int_eq(calc(e, ids.l_task, ids.a_flags, BPF_CORE_FIELD_BYTE_OFFSET, &res), 0);
	ck_assert(!res.poison && !res.fail_memsz_adjust);
	ck_assert_uint_eq(res.new_val, 8);
	ck_assert_uint_eq(res.orig_sz, 4);
	ck_assert_uint_eq(res.new_sz, 8);
	struct bpf_insn insn = {.code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = 1, .src_reg = 2, .off = 8};
	ck_assert_int_eq(rb_core_patch(&insn, 1, 0, &res, &e->err), 0);
	ck_assert_int_eq(insn.off, 8);
	ck_assert_int_eq(insn.code, BPF_LDX | BPF_MEM | BPF_DW);
	/* an instruction that does not hold the local offset is refused */
	insn = (struct bpf_insn){.code = BPF_LDX | BPF_MEM | BPF_W, .off = 12};
	ck_assert_int_eq(rb_core_patch(&insn, 1, 0, &res, &e->err), -RB_EINPUT);
	env_free(e);
}
END_TEST

/* signed int -> signed long: widening would lose the sign extension. */
START_TEST(resized_signed_field_poisons_load)
{
	struct env *e = env_new();
	struct bb *l = &e->lb, *t = &e->tb;
	uint32_t li = bb_int(l, "int", 4, true);
	uint32_t ls = bb_struct(l, "s", false, 1, 4);
	bb_member(l, "v", li, 0, 0);
	uint32_t acc = bb_str(l, "0:0");
	uint32_t tl = bb_int(t, "long", 8, true);
	bb_struct(t, "s", false, 1, 8);
	bb_member(t, "v", tl, 0, 0);
	env_finish(e);
	struct rb_core_res res;
	ck_assert_int_eq(calc(e, ls, acc, BPF_CORE_FIELD_BYTE_OFFSET, &res), 0);
	ck_assert(res.fail_memsz_adjust);
	struct bpf_insn insn = {.code = BPF_LDX | BPF_MEM | BPF_W, .dst_reg = 1, .src_reg = 2};
	ck_assert_int_eq(rb_core_patch(&insn, 1, 0, &res, &e->err), 0);
	ck_assert(rb_core_insn_poisoned(&insn));
	env_free(e);
}
END_TEST

struct bf_case {
	const char *member;
	uint64_t byte_off, byte_sz, lshift, rshift, is_signed;
};

/* target bitfields: a:3 (u32, bit 0), c:12 (int, bit 10), d:40 (u64, bit 22),
 * b:4 (u8, bit 30: needs growing the load window to 8 bytes) */
START_TEST(bitfields_of_several_widths_and_positions)
{
	static const struct bf_case cases[] = {
		{"a", 0, 4, 61, 61, 0},
		{"c", 0, 4, 42, 52, 1},
		{"d", 0, 8, 2, 24, 0},
		{"b", 0, 8, 30, 60, 0},
	};
	struct env *e = env_new();
	struct bb *l = &e->lb, *t = &e->tb;
	uint32_t lu = bb_int(l, "unsigned int", 4, false);
	uint32_t lid = bb_struct(l, "bf", false, 4, 16);
	for (int i = 0; i < 4; i++)
		bb_member(l, cases[i].member, lu, (uint32_t)i * 32, 0);
	uint32_t acc[4];
	for (int i = 0; i < 4; i++) {
		char s[16];
		snprintf(s, sizeof(s), "0:%d", i);
		acc[i] = bb_str(l, s);
	}
	uint32_t tu = bb_int(t, "unsigned int", 4, false), ti = bb_int(t, "int", 4, true);
	uint32_t tu64 = bb_int(t, "unsigned long long", 8, false), tu8 = bb_int(t, "u8", 1, false);
	bb_struct(t, "bf", false, 4, 8);
	bb_member(t, "a", tu, 0, 3);
	bb_member(t, "c", ti, 10, 12);
	bb_member(t, "d", tu64, 22, 40);
	bb_member(t, "b", tu8, 30, 4);
	env_finish(e);
	for (int i = 0; i < 4; i++) {
		const struct bf_case *c = &cases[i];
		ck_assert_uint_eq(value_of(e, lid, acc[i], BPF_CORE_FIELD_BYTE_OFFSET), c->byte_off);
		ck_assert_uint_eq(value_of(e, lid, acc[i], BPF_CORE_FIELD_BYTE_SIZE), c->byte_sz);
		ck_assert_uint_eq(value_of(e, lid, acc[i], BPF_CORE_FIELD_LSHIFT_U64), c->lshift);
		ck_assert_uint_eq(value_of(e, lid, acc[i], BPF_CORE_FIELD_RSHIFT_U64), c->rshift);
		ck_assert_uint_eq(value_of(e, lid, acc[i], BPF_CORE_FIELD_SIGNED), c->is_signed);
	}
	/* shifts go into ALU immediates; the local field (a plain u32 at byte 8)
	 * gives the value clang wrote: 64 - 32 */
	struct rb_core_res res;
	ck_assert_int_eq(calc(e, lid, acc[2], BPF_CORE_FIELD_LSHIFT_U64, &res), 0);
	struct bpf_insn insn = {.code = BPF_ALU64 | BPF_LSH | BPF_K, .dst_reg = 1, .imm = 7};
	ck_assert_int_eq(rb_core_patch(&insn, 1, 0, &res, &e->err), -RB_EINPUT);
	insn.imm = 32;
	ck_assert_int_eq(rb_core_patch(&insn, 1, 0, &res, &e->err), 0);
	ck_assert_int_eq(insn.imm, 2);
	env_free(e);
}
END_TEST

START_TEST(enums_and_enum64)
{
	struct env *e = env_new();
	struct bb *l = &e->lb, *t = &e->tb;
	uint32_t le = bb_enum(l, "state", 3, 4, false);
	bb_enumval(l, "RUNNING", 0);
	bb_enumval(l, "SLEEPING___v2", 1);
	bb_enumval(l, "GONE", 2);
	uint32_t le64 = bb_enum(l, "big", 1, 4, false);
	bb_enumval(l, "HUGE", 0);
	uint32_t a0 = bb_str(l, "0"), a1 = bb_str(l, "1"), a2 = bb_str(l, "2");
	bb_enum(t, "state", 2, 4, false);
	bb_enumval(t, "SLEEPING", 7);
	bb_enumval(t, "RUNNING", 5);
	bb_enum64(t, "big", 1, false);
	bb_enum64val(t, "HUGE", 0x123456789ull);
	env_finish(e);
	ck_assert_uint_eq(value_of(e, le, a0, BPF_CORE_ENUMVAL_VALUE), 5);
	ck_assert_uint_eq(value_of(e, le, a1, BPF_CORE_ENUMVAL_VALUE), 7); /* flavour stripped */
	ck_assert_uint_eq(value_of(e, le, a1, BPF_CORE_ENUMVAL_EXISTS), 1);
	ck_assert_uint_eq(value_of(e, le, a2, BPF_CORE_ENUMVAL_EXISTS), 0);
	struct rb_core_res res;
	ck_assert_int_eq(calc(e, le, a2, BPF_CORE_ENUMVAL_VALUE, &res), 0);
	ck_assert(res.poison);
	ck_assert_str_eq(res.why, "enum state has no value 'GONE'");
	/* enum (local) matches enum64 (target); a 64-bit value needs ld_imm64 */
	ck_assert_int_eq(calc(e, le64, a0, BPF_CORE_ENUMVAL_VALUE, &res), 0);
	ck_assert_uint_eq(res.new_val, 0x123456789ull);
	struct bpf_insn insns[2] = {{.code = BPF_LD | BPF_IMM | BPF_DW, .dst_reg = 1, .imm = 0}, {0}};
	ck_assert_int_eq(rb_core_patch(insns, 2, 0, &res, &e->err), 0);
	ck_assert_uint_eq((uint32_t)insns[0].imm, 0x23456789u);
	ck_assert_uint_eq((uint32_t)insns[1].imm, 1);
	struct bpf_insn alu = {.code = BPF_ALU64 | BPF_MOV | BPF_K, .imm = 0};
	ck_assert_int_eq(rb_core_patch(&alu, 1, 0, &res, &e->err), -RB_EINPUT);
	env_free(e);
}
END_TEST

/* local: struct outer { int n; struct inner arr[4]; }, inner { int x; int y; }
 * target: struct outer { long pad; int n; struct inner arr[8]; }, inner { long w; int x; int y; } */
START_TEST(arrays_of_structs)
{
	struct env *e = env_new();
	struct bb *l = &e->lb, *t = &e->tb;
	uint32_t li = bb_int(l, "int", 4, true);
	uint32_t lin = bb_struct(l, "inner", false, 2, 8);
	bb_member(l, "x", li, 0, 0);
	bb_member(l, "y", li, 32, 0);
	uint32_t larr = bb_array(l, lin, li, 4);
	uint32_t lout = bb_struct(l, "outer", false, 2, 36);
	bb_member(l, "n", li, 0, 0);
	bb_member(l, "arr", larr, 32, 0);
	uint32_t a_y2 = bb_str(l, "0:1:2:1"), a_arr2 = bb_str(l, "0:1:2"), a_past = bb_str(l, "0:1:9");
	uint32_t a_ptr1 = bb_str(l, "1:0");
	uint32_t ti = bb_int(t, "int", 4, true), tl = bb_int(t, "long", 8, true);
	uint32_t tin = bb_struct(t, "inner", false, 3, 16);
	bb_member(t, "w", tl, 0, 0);
	bb_member(t, "x", ti, 64, 0);
	bb_member(t, "y", ti, 96, 0);
	uint32_t tarr = bb_array(t, tin, ti, 8);
	bb_struct(t, "outer", false, 3, 144);
	bb_member(t, "pad", tl, 0, 0);
	bb_member(t, "n", ti, 64, 0);
	bb_member(t, "arr", tarr, 128, 0);
	env_finish(e);
	/* arr at 16, element 2 at 16 + 2*16, y at +12 */
	ck_assert_uint_eq(value_of(e, lout, a_y2, BPF_CORE_FIELD_BYTE_OFFSET), 16 + 32 + 12);
	ck_assert_uint_eq(value_of(e, lout, a_arr2, BPF_CORE_FIELD_BYTE_OFFSET), 48);
	ck_assert_uint_eq(value_of(e, lout, a_arr2, BPF_CORE_FIELD_BYTE_SIZE), 16);
	/* outer[1].n: the first index steps over whole target structs */
	ck_assert_uint_eq(value_of(e, lout, a_ptr1, BPF_CORE_FIELD_BYTE_OFFSET), 144 + 8);
	/* index 9 is past the local array of 4: the access string itself is bad */
	struct rb_core_res res;
	ck_assert_int_eq(calc(e, lout, a_past, BPF_CORE_FIELD_BYTE_OFFSET, &res), -RB_EINPUT);
	env_free(e);
}
END_TEST

/* local: struct sk { int family; int port; }
 * target: struct sk { struct { union { int family; short fam16; }; int port; }; } (anonymous) */
START_TEST(anonymous_members)
{
	struct env *e = env_new();
	struct bb *l = &e->lb, *t = &e->tb;
	uint32_t li = bb_int(l, "int", 4, true);
	uint32_t ls = bb_struct(l, "sk", false, 2, 8);
	bb_member(l, "family", li, 0, 0);
	bb_member(l, "port", li, 32, 0);
	uint32_t a_fam = bb_str(l, "0:0"), a_port = bb_str(l, "0:1");
	uint32_t ti = bb_int(t, "int", 4, true), tsh = bb_int(t, "short", 2, true);
	uint32_t tl = bb_int(t, "long", 8, true);
	uint32_t tu = bb_struct(t, NULL, true, 2, 4);
	bb_member(t, "family", ti, 0, 0);
	bb_member(t, "fam16", tsh, 0, 0);
	uint32_t tinner = bb_struct(t, NULL, false, 2, 8);
	bb_member(t, NULL, tu, 0, 0);
	bb_member(t, "port", ti, 32, 0);
	bb_struct(t, "sk", false, 2, 16);
	bb_member(t, "cookie", tl, 0, 0);
	bb_member(t, NULL, tinner, 64, 0);
	env_finish(e);
	ck_assert_uint_eq(value_of(e, ls, a_fam, BPF_CORE_FIELD_BYTE_OFFSET), 8);
	ck_assert_uint_eq(value_of(e, ls, a_port, BPF_CORE_FIELD_BYTE_OFFSET), 12);
	env_free(e);
}
END_TEST

START_TEST(ambiguous_candidates_are_errors)
{
	struct env *e = env_new();
	struct bb *l = &e->lb, *t = &e->tb;
	uint32_t li = bb_int(l, "int", 4, true);
	uint32_t ls = bb_struct(l, "dup", false, 1, 4);
	bb_member(l, "x", li, 0, 0);
	uint32_t acc = bb_str(l, "0:0"), zero = bb_str(l, "0");
	uint32_t ti = bb_int(t, "int", 4, true);
	bb_struct(t, "dup", false, 1, 4);
	bb_member(t, "x", ti, 0, 0);
	bb_struct(t, "dup___2", false, 2, 8);
	bb_member(t, "y", ti, 0, 0);
	bb_member(t, "x", ti, 32, 0);
	env_finish(e);
	struct rb_core_res res;
	ck_assert_int_eq(calc(e, ls, acc, BPF_CORE_FIELD_BYTE_OFFSET, &res), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(e->err.msg, "ambiguous"));
	ck_assert_ptr_nonnull(strstr(e->err.msg, "[2] and [3]"));
	/* same size, different offsets: still ambiguous (libbpf compares offsets) */
	ck_assert_int_eq(calc(e, ls, acc, BPF_CORE_FIELD_BYTE_SIZE, &res), -RB_EINPUT);
	/* both exist: the same answer from each, no ambiguity */
	ck_assert_uint_eq(value_of(e, ls, zero, BPF_CORE_TYPE_EXISTS), 1);
	env_free(e);
}
END_TEST

START_TEST(type_relocations)
{
	struct env *e = env_new();
	struct bb *l = &e->lb, *t = &e->tb;
	uint32_t li = bb_int(l, "int", 4, true), ll = bb_int(l, "long", 8, true);
	uint32_t ls = bb_struct(l, "thing___mine", false, 1, 4);
	bb_member(l, "a", li, 0, 0);
	uint32_t lbad = bb_struct(l, "thing___bad", false, 1, 8);
	bb_member(l, "a", ll, 0, 0);
	uint32_t lmissing = bb_struct(l, "nothing", false, 0, 0);
	uint32_t ltd = bb_typedef(l, "u32_t", li);
	uint32_t zero = bb_str(l, "0");
	uint32_t ti = bb_int(t, "int", 4, true);
	bb_typedef(t, "u32_t", ti);
	uint32_t tthing = bb_struct(t, "thing", false, 2, 12);
	bb_member(t, "a", ti, 0, 0);
	bb_member(t, "b", ti, 32, 0);
	env_finish(e);
	ck_assert_uint_eq(value_of(e, ls, zero, BPF_CORE_TYPE_EXISTS), 1);
	ck_assert_uint_eq(value_of(e, ls, zero, BPF_CORE_TYPE_SIZE), 12);
	ck_assert_uint_eq(value_of(e, ls, zero, BPF_CORE_TYPE_ID_TARGET), tthing);
	ck_assert_uint_eq(value_of(e, ls, zero, BPF_CORE_TYPE_ID_LOCAL), ls);
	ck_assert_uint_eq(value_of(e, ls, zero, BPF_CORE_TYPE_MATCHES), 1);
	ck_assert_uint_eq(value_of(e, lbad, zero, BPF_CORE_TYPE_MATCHES), 0);
	ck_assert_uint_eq(value_of(e, lbad, zero, BPF_CORE_TYPE_EXISTS), 1);
	ck_assert_uint_eq(value_of(e, lmissing, zero, BPF_CORE_TYPE_EXISTS), 0);
	ck_assert_uint_eq(value_of(e, lmissing, zero, BPF_CORE_TYPE_SIZE), 0);
	ck_assert_uint_eq(value_of(e, ltd, zero, BPF_CORE_TYPE_EXISTS), 1);
	ck_assert_uint_eq(value_of(e, ltd, zero, BPF_CORE_TYPE_SIZE), 4);
	/* exact-name lookups through the same index */
	ck_assert_uint_eq(rb_core_targets_find(e->tg, 0, "thing", BTF_KIND_STRUCT, &e->err), tthing);
	ck_assert_uint_eq(rb_core_targets_find(e->tg, 0, "u32_t", BTF_KIND_TYPEDEF, &e->err), 2);
	ck_assert_uint_eq(rb_core_targets_find(e->tg, 0, "thing", BTF_KIND_UNION, &e->err), 0);
	ck_assert_uint_eq(rb_core_targets_find(e->tg, 0, "thing___x", BTF_KIND_STRUCT, &e->err), 0);
	ck_assert_uint_eq(rb_core_targets_find(e->tg, 1, "thing", BTF_KIND_STRUCT, &e->err), 0);
	env_free(e);
}
END_TEST

/* TYPE_MATCHES on enums: the same size, and every local enumerator name
 * (flavours cut) among the target's, in any order. */
START_TEST(enum_type_matches)
{
	struct env *e = env_new();
	struct bb *l = &e->lb, *t = &e->tb;
	uint32_t la = bb_enum(l, "color___a", 2, 4, false);
	bb_enumval(l, "RED", 0);
	bb_enumval(l, "GREEN___old", 1);
	uint32_t lb = bb_enum(l, "color___b", 2, 4, false);
	bb_enumval(l, "RED", 0);
	bb_enumval(l, "PURPLE", 1);
	uint32_t lc = bb_enum(l, "color___c", 1, 2, false);
	bb_enumval(l, "RED", 0);
	uint32_t zero = bb_str(l, "0");
	bb_enum(t, "color", 3, 4, false);
	bb_enumval(t, "BLUE", 0);
	bb_enumval(t, "GREEN", 1);
	bb_enumval(t, "RED", 2);
	env_finish(e);
	ck_assert_uint_eq(value_of(e, la, zero, BPF_CORE_TYPE_MATCHES), 1);
	ck_assert_uint_eq(value_of(e, lb, zero, BPF_CORE_TYPE_MATCHES), 0);
	ck_assert_uint_eq(value_of(e, lc, zero, BPF_CORE_TYPE_MATCHES), 0);
	ck_assert_uint_eq(value_of(e, lc, zero, BPF_CORE_TYPE_EXISTS), 1);
	env_free(e);
}
END_TEST

START_TEST(malformed_access_strings)
{
	struct env *e = env_new();
	struct task_ids ids = build_tasks(e, "task");
	uint32_t bad[] = {bb_str(&e->lb, "0:"), bb_str(&e->lb, ":0"), bb_str(&e->lb, "0::1"),
			  bb_str(&e->lb, "0:x"), bb_str(&e->lb, "0:99"),
			  bb_str(&e->lb, "99999999999"), bb_str(&e->lb, "0:3:16")};
	env_finish(e);
	struct rb_core_res res;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_int_eq(calc(e, ids.l_task, bad[i], BPF_CORE_FIELD_BYTE_OFFSET, &res),
				 -RB_EINPUT);
	ck_assert_int_eq(calc(e, ids.l_task, ids.a_pid, 99, &res), -RB_EINPUT);
	ck_assert_int_eq(calc(e, 999, ids.a_pid, BPF_CORE_FIELD_BYTE_OFFSET, &res), -RB_EINPUT);
	/* type relocations take "0" only */
	ck_assert_int_eq(calc(e, ids.l_task, ids.a_tgid, BPF_CORE_TYPE_EXISTS, &res), -RB_EINPUT);
	env_free(e);
}
END_TEST

START_TEST(essential_names)
{
	ck_assert_uint_eq(rb_core_essential_len("task_struct___old"), 11);
	ck_assert_uint_eq(rb_core_essential_len("task_struct"), 11);
	ck_assert_uint_eq(rb_core_essential_len("a___b___c"), 5);
	ck_assert_uint_eq(rb_core_essential_len("a____b"), 6);
	ck_assert_uint_eq(rb_core_essential_len("___x"), 4);
	ck_assert_uint_eq(rb_core_essential_len(""), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("core");
	TCase *tc = tcase_create("relo");
	tcase_add_test(tc, moved_fields);
	tcase_add_test(tc, missing_field_poisons_with_reason);
	tcase_add_test(tc, flavoured_local_type);
	tcase_add_test(tc, missing_type_poisons_fields_and_zeroes_types);
	tcase_add_test(tc, resized_unsigned_field_changes_load_size);
	tcase_add_test(tc, resized_signed_field_poisons_load);
	tcase_add_test(tc, bitfields_of_several_widths_and_positions);
	tcase_add_test(tc, enums_and_enum64);
	tcase_add_test(tc, arrays_of_structs);
	tcase_add_test(tc, anonymous_members);
	tcase_add_test(tc, ambiguous_candidates_are_errors);
	tcase_add_test(tc, type_relocations);
	tcase_add_test(tc, enum_type_matches);
	tcase_add_test(tc, malformed_access_strings);
	tcase_add_test(tc, essential_names);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
