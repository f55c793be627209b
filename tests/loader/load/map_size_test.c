/* The map sizing policy (loader/load/map_size.c): --map-size parsing, the
 * defaults for sizes an object leaves 0, kinds whose 0 is the kernel's rule,
 * ring buffer rounding, and what the running kernel is asked (only when a
 * default needs it). */
#include <stdio.h>
#include <string.h>

#include "check_main.h"
#include "common/uapi_compat.h"
#include "loader/load/load.h"

struct fake_env {
	int cpus;                /* < 0: fail */
	uint32_t max_stack;
	int cpu_calls, stack_calls;
};

static int fake_cpus(void *ctx, struct rb_err *err)
{
	struct fake_env *f = ctx;
	f->cpu_calls++;
	return f->cpus < 0 ? rb_errf(err, RB_ESYS, "cannot read possible CPUs") : f->cpus;
}

static uint32_t fake_stack(void *ctx)
{
	struct fake_env *f = ctx;
	f->stack_calls++;
	return f->max_stack;
}

static struct rb_map_size_env env_of(struct fake_env *f)
{
	return (struct rb_map_size_env){.possible_cpus = fake_cpus, .perf_max_stack = fake_stack,
					.page_size = 4096, .ctx = f};
}

static struct rb_map map_of(const char *name, uint32_t type, uint32_t entries, uint32_t value)
{
	return (struct rb_map){.name = (char *)name, .kind = RB_MAP_BTF, .type = type, .key_size = 4,
			       .value_size = value, .max_entries = entries};
}

/* Decides with the fake kernel; returns the result code. */
static int decide(const struct rb_map *m, const char *arg_text, struct fake_env *f,
		  struct rb_map_sizing *out, struct rb_err *err)
{
	struct rb_map_size_arg arg;
	if (arg_text)
		ck_assert_int_eq(rb_map_size_parse(arg_text, &arg, err), 0);
	struct rb_map_size_env env = env_of(f);
	rb_err_clear(err);
	return rb_map_size_decide(m, arg_text ? &arg : NULL, &env, out, err);
}

START_TEST(parse_forms)
{
	struct rb_map_size_arg a;
	struct rb_err err = {0};
	ck_assert_int_eq(rb_map_size_parse("stackmap=1024,1016", &a, &err), 0);
	ck_assert_str_eq(a.name, "stackmap");
	ck_assert_uint_eq(a.max_entries, 1024);
	ck_assert_uint_eq(a.value_size, 1016);
	ck_assert_int_eq(rb_map_size_parse("m.x=,0x10", &a, &err), 0);
	ck_assert_str_eq(a.name, "m.x");
	ck_assert_uint_eq(a.max_entries, 0);
	ck_assert_uint_eq(a.value_size, 16);
	ck_assert_int_eq(rb_map_size_parse("h=4294967295", &a, &err), 0);
	ck_assert_uint_eq(a.max_entries, 4294967295u);
	ck_assert_uint_eq(a.value_size, 0);
	/* decimal, as documented: a leading zero is not octal */
	ck_assert_int_eq(rb_map_size_parse("m=0100", &a, &err), 0);
	ck_assert_uint_eq(a.max_entries, 100);
}
END_TEST

START_TEST(parse_refuses_junk)
{
	static const char *const bad[] = {
		"stackmap", "=5", "m=", "m=,", "m=0", "m=,0", "m=-1", "m=+1", "m=4294967296",
		"m=1x", "m=1,2,3", "m= 1", "m=99999999999999999999999999",
	};
	struct rb_map_size_arg a;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rb_err err = {0};
		ck_assert_msg(rb_map_size_parse(bad[i], &a, &err) == -RB_EUSAGE, "accepted '%s'", bad[i]);
		ck_assert_msg(strstr(err.msg, "--map-size"), "%s: %s", bad[i], err.msg);
	}
	char longname[300];
	memset(longname, 'n', sizeof(longname));
	strcpy(longname + 200, "=5");
	struct rb_err err = {0};
	ck_assert_int_eq(rb_map_size_parse(longname, &a, &err), -RB_EUSAGE);
}
END_TEST

START_TEST(perf_event_array_gets_possible_cpus)
{
	struct fake_env f = {.cpus = 6, .max_stack = 127};
	struct rb_map m = map_of("events", BPF_MAP_TYPE_PERF_EVENT_ARRAY, 0, 4);
	struct rb_map_sizing s;
	struct rb_err err = {0};
	ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), 0);
	ck_assert_uint_eq(s.max_entries, 6);
	ck_assert_uint_eq(s.value_size, 4);
	ck_assert_ptr_nonnull(strstr(s.note, "map 'events' (perf_event_array): max_entries 0 -> 6"));
	ck_assert_int_eq(f.cpu_calls, 1);
	/* sized by the object or by --map-size: the kernel is not asked */
	m.max_entries = 3;
	ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), 0);
	ck_assert_uint_eq(s.max_entries, 3);
	ck_assert_str_eq(s.note, "");
	m.max_entries = 0;
	ck_assert_int_eq(decide(&m, "events=16", &f, &s, &err), 0);
	ck_assert_uint_eq(s.max_entries, 16);
	ck_assert_int_eq(f.cpu_calls, 1);
	ck_assert_int_eq(f.stack_calls, 0);
	/* the CPU count cannot be read: the error goes up */
	f.cpus = -1;
	ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), -RB_ESYS);
}
END_TEST

START_TEST(stack_trace_value_from_max_stack)
{
	struct fake_env f = {.cpus = 2, .max_stack = 64};
	struct rb_map m = map_of("stackmap", BPF_MAP_TYPE_STACK_TRACE, 0, 0);
	struct rb_map_sizing s;
	struct rb_err err = {0};
	ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), 0);
	ck_assert_uint_eq(s.value_size, 64 * 8);
	ck_assert_uint_eq(s.max_entries, RB_MAP_DEFAULT_ENTRIES);
	ck_assert_ptr_nonnull(strstr(s.note, "value_size 0 -> 512 (perf_event_max_stack 64 x 8-byte"));
	ck_assert_ptr_nonnull(strstr(s.note, "max_entries 0 -> 10240"));
	/* build-id stacks hold struct bpf_stack_build_id frames */
	m.map_flags = BPF_F_STACK_BUILD_ID;
	ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), 0);
	ck_assert_uint_eq(s.value_size, 64 * 32);
	/* a sysctl value that makes no sense: the kernel's default depth */
	m.map_flags = 0;
	f.max_stack = 0;
	ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), 0);
	ck_assert_uint_eq(s.value_size, RB_PERF_MAX_STACK_DEFAULT * 8);
	f.max_stack = 1u << 30;
	ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), 0);
	ck_assert_uint_eq(s.value_size, RB_PERF_MAX_STACK_DEFAULT * 8);
	/* only the value size given: entries still defaulted */
	f.stack_calls = 0;
	ck_assert_int_eq(decide(&m, "stackmap=,800", &f, &s, &err), 0);
	ck_assert_uint_eq(s.value_size, 800);
	ck_assert_uint_eq(s.max_entries, RB_MAP_DEFAULT_ENTRIES);
	ck_assert_int_eq(f.stack_calls, 0);
	ck_assert_ptr_null(strstr(s.note, "value_size"));
}
END_TEST

START_TEST(other_zero_entries_get_the_default)
{
	static const uint32_t types[] = {
		BPF_MAP_TYPE_HASH, BPF_MAP_TYPE_ARRAY, BPF_MAP_TYPE_PERCPU_HASH, BPF_MAP_TYPE_LRU_HASH,
		BPF_MAP_TYPE_BLOOM_FILTER, BPF_MAP_TYPE_QUEUE, BPF_MAP_TYPE_HASH_OF_MAPS,
	};
	struct fake_env f = {.cpus = 2, .max_stack = 127};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct rb_map m = map_of("hists", types[i], 0, 160);
		struct rb_map_sizing s;
		struct rb_err err = {0};
		ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), 0);
		ck_assert_uint_eq(s.max_entries, RB_MAP_DEFAULT_ENTRIES);
		ck_assert_uint_eq(s.value_size, 160);
		ck_assert_msg(strstr(s.note, "map 'hists'") && strstr(s.note, "-> 10240"), "%s", s.note);
	}
	ck_assert_int_eq(f.cpu_calls + f.stack_calls, 0);
	/* an override wins over the object's own sizes too */
	struct rb_map m = map_of("start", BPF_MAP_TYPE_HASH, 100, 8);
	struct rb_map_sizing s;
	struct rb_err err = {0};
	ck_assert_int_eq(decide(&m, "start=5000,16", &f, &s, &err), 0);
	ck_assert_uint_eq(s.max_entries, 5000);
	ck_assert_uint_eq(s.value_size, 16);
	ck_assert_str_eq(s.note, "");
}
END_TEST

START_TEST(storage_kinds_keep_zero)
{
	static const uint32_t types[] = {
		BPF_MAP_TYPE_SK_STORAGE, BPF_MAP_TYPE_INODE_STORAGE, BPF_MAP_TYPE_TASK_STORAGE,
		RB_BPF_MAP_TYPE_CGRP_STORAGE, BPF_MAP_TYPE_CGROUP_STORAGE,
		BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE,
	};
	struct fake_env f = {.cpus = 2, .max_stack = 127};
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		struct rb_map m = map_of("store", types[i], 0, 8);
		struct rb_map_sizing s;
		struct rb_err err = {0};
		ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), 0);
		ck_assert_uint_eq(s.max_entries, 0);
		ck_assert_str_eq(s.note, "");
		ck_assert_int_eq(decide(&m, "store=10", &f, &s, &err), -RB_EUSAGE);
		ck_assert_ptr_nonnull(strstr(err.msg, "max_entries must stay 0"));
		/* the value size may still be chosen */
		ck_assert_int_eq(decide(&m, "store=,16", &f, &s, &err), 0);
		ck_assert_uint_eq(s.value_size, 16);
	}
}
END_TEST

START_TEST(ring_buffers_must_be_sized_and_are_rounded)
{
	struct fake_env f = {.cpus = 2, .max_stack = 127};
	struct rb_map m = map_of("events", BPF_MAP_TYPE_RINGBUF, 0, 0);
	struct rb_map_sizing s;
	struct rb_err err = {0};
	ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "--map-size events=BYTES"));
	ck_assert_int_eq(decide(&m, "events=5000", &f, &s, &err), 0);
	ck_assert_uint_eq(s.max_entries, 8192);
	ck_assert_ptr_nonnull(strstr(s.note, "max_entries 5000 -> 8192 (a ring buffer"));
	m.max_entries = 3 * 4096;
	ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), 0);
	ck_assert_uint_eq(s.max_entries, 4 * 4096);
	m.max_entries = 256 * 1024;
	ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), 0);
	ck_assert_uint_eq(s.max_entries, 256 * 1024);
	ck_assert_str_eq(s.note, "");
	/* hostile: no power of 2 number of pages fits in 32 bits */
	ck_assert_int_eq(decide(&m, "events=4294967295", &f, &s, &err), -RB_EINPUT);
	ck_assert_int_eq(decide(&m, "events=,8", &f, &s, &err), -RB_EUSAGE);
	m.type = BPF_MAP_TYPE_USER_RINGBUF;
	m.max_entries = 0;
	ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), -RB_EINPUT);
	m.type = RB_BPF_MAP_TYPE_ARENA;
	ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "--map-size events=PAGES"));
	ck_assert_int_eq(decide(&m, "events=16", &f, &s, &err), 0);
	ck_assert_uint_eq(s.max_entries, 16);
}
END_TEST

START_TEST(global_data_is_not_resized)
{
	struct fake_env f = {.cpus = 2, .max_stack = 127};
	struct rb_map m = map_of("capable.rodata", BPF_MAP_TYPE_ARRAY, 1, 16);
	m.kind = RB_MAP_DATA;
	struct rb_map_sizing s;
	struct rb_err err = {0};
	ck_assert_int_eq(decide(&m, NULL, &f, &s, &err), 0);
	ck_assert_uint_eq(s.max_entries, 1);
	ck_assert_uint_eq(s.value_size, 16);
	ck_assert_int_eq(decide(&m, "capable.rodata=4", &f, &s, &err), -RB_EUSAGE);
	ck_assert_ptr_nonnull(strstr(err.msg, "global data"));
}
END_TEST

/* The running kernel's sysctl, or the fallback when it cannot be read. */
START_TEST(perf_max_stack_of_this_kernel)
{
	unsigned want = RB_PERF_MAX_STACK_DEFAULT;
	FILE *f = fopen("/proc/sys/kernel/perf_event_max_stack", "r");
	if (f) {
		ck_assert_int_eq(fscanf(f, "%u", &want), 1);
		fclose(f);
	}
	ck_assert_uint_eq(rb_load_perf_max_stack(), want);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("map_size");
	TCase *tc = tcase_create("policy");
	tcase_add_test(tc, parse_forms);
	tcase_add_test(tc, parse_refuses_junk);
	tcase_add_test(tc, perf_event_array_gets_possible_cpus);
	tcase_add_test(tc, stack_trace_value_from_max_stack);
	tcase_add_test(tc, other_zero_entries_get_the_default);
	tcase_add_test(tc, storage_kinds_keep_zero);
	tcase_add_test(tc, ring_buffers_must_be_sized_and_are_rounded);
	tcase_add_test(tc, global_data_is_not_resized);
	tcase_add_test(tc, perf_max_stack_of_this_kernel);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
