/* BPF C sources the object-model tests compile with clang at test time, and
 * the compile helper (tests/elf/obj/ only). */
#ifndef RAWBPF_TESTS_ELF_OBJ_OBJSRC_H
#define RAWBPF_TESTS_ELF_OBJ_OBJSRC_H

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "check_main.h"
#include "common/buf.h"

#define PRELUDE                                                                        \
	"#include <linux/bpf.h>\n"                                                     \
	"#define SEC(n) __attribute__((section(n), used))\n"                           \
	"#define __uint(name, val) int (*name)[val]\n"                                 \
	"#define __type(name, val) typeof(val) *name\n"                                \
	"#define __array(name, val) typeof(val) *name[]\n"                             \
	"#define __ulong(name, val) enum { ___u_##name = (val) } name\n"               \
	"#define __kconfig __attribute__((section(\".kconfig\")))\n"                   \
	"#define __ksym __attribute__((section(\".ksyms\")))\n"                        \
	"#define __noinline __attribute__((noinline))\n"                               \
	"static void *(*bpf_map_lookup_elem)(void *map, const void *key) = (void *)1;\n" \
	"static long (*bpf_tail_call)(void *ctx, void *map, __u32 i) = (void *)12;\n"  \
	"static long (*bpf_loop)(__u32 n, void *fn, void *ctx, __u64 f) = (void *)181;\n" \
	"char LICENSE[] SEC(\"license\") = \"GPL\";\n"

/* Compiles src with clang -target bpf into bytes (in *out). */
__attribute__((unused)) static void compile(const char *src, const char *cflags, struct rb_buf *out)
{
	char dir[] = "/tmp/rb_obj_test.XXXXXX", path[128], cmd[512];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/t.bpf.c", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(PRELUDE, f);
	fputs(src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd),
		 "clang -target bpf %s -I/usr/include/$(gcc -dumpmachine) -c %s/t.bpf.c -o %s/t.o "
		 "2>&1", cflags, dir, dir);
	ck_assert_msg(system(cmd) == 0, "clang failed on:\n%s", src);
	snprintf(path, sizeof(path), "%s/t.o", dir);
	ck_assert_int_eq(rb_read_file(path, 1 << 24, out), 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}


/* Writes compiled bytes to a fresh file and returns its path (caller frees
 * the directory with rm_compiled). */
__attribute__((unused)) static void compile_to_file(const char *src, const char *cflags, char path[128])
{
	struct rb_buf b = {0};
	char dir[] = "/tmp/rb_obj_test.XXXXXX";
	compile(src, cflags, &b);
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, 128, "%s/t.bpf.o", dir);
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b.data, 1, b.len, f), b.len);
	fclose(f);
	rb_buf_free(&b);
}

__attribute__((unused)) static void rm_compiled(const char *path)
{
	char cmd[300];
	snprintf(cmd, sizeof(cmd), "rm -rf \"$(dirname '%s')\"", path);
	ck_assert_int_eq(system(cmd), 0);
}

__attribute__((unused)) static const char btf_maps_src[] =
	"struct key { __u32 a; __u16 b; };\n"
	"struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 10240);\n"
	"  __type(key, __u32); __type(value, __u64); __uint(map_flags, BPF_F_NO_PREALLOC); } hash SEC(\".maps\");\n"
	"struct { __uint(type, BPF_MAP_TYPE_PERCPU_ARRAY); __uint(max_entries, 4);\n"
	"  __uint(key_size, 4); __uint(value_size, 24); } pcpu SEC(\".maps\");\n"
	"struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); } rb SEC(\".maps\");\n"
	"struct { __uint(type, BPF_MAP_TYPE_PERF_EVENT_ARRAY); __uint(key_size, 4);\n"
	"  __uint(value_size, 4); } events SEC(\".maps\");\n"
	"struct { __uint(type, BPF_MAP_TYPE_LRU_HASH); __uint(max_entries, 8); __type(key, struct key);\n"
	"  __type(value, char[32]); __uint(pinning, 1); } pinned_lru_long_name SEC(\".maps\");\n"
	"struct { __uint(type, BPF_MAP_TYPE_BLOOM_FILTER); __uint(max_entries, 100);\n"
	"  __type(value, __u32); __ulong(map_extra, 3); } bloom SEC(\".maps\");\n"
	"SEC(\"xdp\") int use(struct xdp_md *ctx) { __u32 k = 0;\n"
	"  __u64 *v = bpf_map_lookup_elem(&hash, &k); if (v) return *v & 3;\n"
	"  return bpf_map_lookup_elem(&pcpu, &k) ? 1 : 2; }\n";

__attribute__((unused)) static const char values_src[] =
	"struct inner { __uint(type, BPF_MAP_TYPE_ARRAY); __uint(max_entries, 1);\n"
	"  __type(key, __u32); __type(value, __u32); } in_a SEC(\".maps\"), in_b SEC(\".maps\");\n"
	"struct { __uint(type, BPF_MAP_TYPE_ARRAY_OF_MAPS); __uint(max_entries, 4); __type(key, __u32);\n"
	"  __array(values, struct inner); } outer SEC(\".maps\") = { .values = { [0] = &in_a, [2] = &in_b } };\n"
	"struct { __uint(type, BPF_MAP_TYPE_HASH_OF_MAPS); __uint(max_entries, 4); __type(key, __u32);\n"
	"  __array(values, struct { __uint(type, BPF_MAP_TYPE_HASH); __uint(max_entries, 2);\n"
	"  __type(key, int); __type(value, long); }); } hom SEC(\".maps\");\n"
	"SEC(\"socket\") int tail_a(void *ctx) { return 1; }\n"
	"SEC(\"socket\") int tail_b(void *ctx) { return 2; }\n"
	"struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 8); __uint(key_size, 4);\n"
	"  __array(values, int (void *)); } jmp SEC(\".maps\") = { .values = { [1] = (void *)&tail_a,\n"
	"  [5] = (void *)&tail_b } };\n"
	"SEC(\"socket\") int entry(void *ctx) { __u32 k = 0; bpf_tail_call(ctx, &jmp, 1);\n"
	"  return bpf_map_lookup_elem(&outer, &k) != 0; }\n";

__attribute__((unused)) static const char data_src[] =
	"const volatile int min_us = 10;\n"
	"const volatile char comm[16] = \"bash\";\n"
	"int hits;\n"
	"long total = 5;\n"
	"int custom_val SEC(\".data.custom\") = 42;\n"
	"const volatile int ro_custom SEC(\".rodata.cfg\") = 7;\n"
	"SEC(\"tracepoint/sched/sched_process_exec\") int tp(void *ctx) {\n"
	"  const char *s = \"a string literal\";\n"
	"  hits++; total += min_us + comm[0] + custom_val + ro_custom + s[hits & 7]; return 0; }\n";

__attribute__((unused)) static const char subprog_src[] =
	"static __noinline int leaf(int x) { return x * 3 + 1; }\n"
	"static __noinline int mid(int x) { return leaf(x) + leaf(x + 1); }\n"
	"__noinline int global_helper(int x) { return mid(x) ^ 5; }\n"
	"__attribute__((section(\"socket\"), noinline)) static int local_sub(int x) { return leaf(x) - 2; }\n"
	"SEC(\"xdp\") int prog_a(struct xdp_md *ctx) { return global_helper(ctx->ingress_ifindex) & 3; }\n"
	"SEC(\"xdp\") int prog_b(struct xdp_md *ctx) { return mid(ctx->rx_queue_index) & 3; }\n"
	"SEC(\"socket\") int sock_prog(struct __sk_buff *s) { return local_sub(s->len) + leaf(2); }\n"
	"static int cb(__u32 i, void *ctx) { *(int *)ctx += i; return 0; }\n"
	"SEC(\"tc\") int loop_prog(struct __sk_buff *s) { int sum = 0; bpf_loop(10, cb, &sum, 0);\n"
	"  return sum; }\n"
	"SEC(\"?tc\") int lazy(struct __sk_buff *s) { return 0; }\n";

__attribute__((unused)) static const char knobs_src[] =
	"enum color { RED = 1, GREEN = 2, BLUE = -3 };\n"
	"const volatile unsigned char u8v = 1;\n"
	"const volatile signed char s8v = 1;\n"
	"const volatile unsigned short u16v = 1;\n"
	"const volatile int s32v = 1;\n"
	"const volatile unsigned long long u64v = 1;\n"
	"const volatile long long s64v = 1;\n"
	"const volatile _Bool flag = 0;\n"
	"const volatile enum color col = RED;\n"
	"const volatile char name[8] = \"x\";\n"
	"struct pair { int a, b; };\n"
	"const volatile struct pair pr = { 1, 2 };\n"
	"int bss_counter;\n"
	"SEC(\"socket\") int p(void *ctx) { return u8v + s8v + u16v + s32v + u64v + s64v + flag + col\n"
	"  + name[0] + pr.a + bss_counter; }\n";

#endif
