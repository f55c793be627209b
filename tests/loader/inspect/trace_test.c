/* --trace-syscalls decoding and the name tables: synthetic attrs in, text out. */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "check_main.h"
#include "loader/inspect/names.h"
#include "loader/sys.h"

/* Decodes one call into a string the test frees. */
static char *trace(long nr, const long args[6], long ret)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	ck_assert_ptr_nonnull(f);
	rb_sys_trace_call(f, nr, args, ret);
	fclose(f);
	return text;
}

static char *trace_bpf(int cmd, union bpf_attr *a, unsigned size, long ret)
{
	const long args[6] = {cmd, (long)a, size, 0, 0, 0};
	return trace(SYS_bpf, args, ret);
}

START_TEST(map_create_is_decoded)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_HASH;
	a.key_size = 4;
	a.value_size = 8;
	a.max_entries = 10240;
	strcpy(a.map_name, "counts");
	char *t = trace_bpf(BPF_MAP_CREATE, &a, 72, 3);
	ck_assert_str_eq(t, "bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_HASH, key_size=4, value_size=8, "
			    "max_entries=10240, map_flags=0, map_name=\"counts\"}, 72) = 3\n");
	free(t);
}
END_TEST

START_TEST(map_flags_are_symbolic)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = 33; /* arena: newer than the build headers */
	a.map_flags = BPF_F_MMAPABLE | BPF_F_NO_PREALLOC | (1u << 30);
	char *t = trace_bpf(BPF_MAP_CREATE, &a, 72, -EPERM);
	ck_assert_ptr_nonnull(strstr(t, "map_type=BPF_MAP_TYPE_ARENA"));
	ck_assert_ptr_nonnull(strstr(t, "map_flags=BPF_F_NO_PREALLOC|BPF_F_MMAPABLE|0x40000000"));
	ck_assert_ptr_nonnull(strstr(t, ") = -1 EPERM (Operation not permitted)\n"));
	free(t);
}
END_TEST

START_TEST(short_attr_is_not_read_past_size)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_type = BPF_MAP_TYPE_ARRAY;
	a.key_size = 4;
	strcpy(a.map_name, "hidden");
	char *t = trace_bpf(BPF_MAP_CREATE, &a, 8, 5);
	ck_assert_str_eq(t, "bpf(BPF_MAP_CREATE, {map_type=BPF_MAP_TYPE_ARRAY, key_size=4}, 8) = 5\n");
	free(t);
}
END_TEST

START_TEST(prog_load_shows_type_license_and_name)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.prog_type = BPF_PROG_TYPE_TRACING;
	a.insn_cnt = 12;
	a.license = (uintptr_t) "GPL";
	a.log_level = 1;
	strcpy(a.prog_name, "on_exec");
	a.expected_attach_type = BPF_TRACE_FENTRY;
	a.attach_btf_id = 4242;
	char *t = trace_bpf(BPF_PROG_LOAD, &a, sizeof(a), -524);
	ck_assert_ptr_nonnull(strstr(t, "bpf(BPF_PROG_LOAD, {prog_type=BPF_PROG_TYPE_TRACING, insn_cnt=12, "));
	ck_assert_ptr_nonnull(strstr(t, "license=\"GPL\", log_level=1, "));
	ck_assert_ptr_nonnull(strstr(t, "prog_name=\"on_exec\", expected_attach_type=BPF_TRACE_FENTRY, "));
	ck_assert_ptr_nonnull(strstr(t, "attach_btf_id=4242}"));
	ck_assert_ptr_nonnull(strstr(t, "= -1 ENOTSUPP (Operation is not supported)\n"));
	free(t);
}
END_TEST

START_TEST(obj_pin_prints_path_escaped)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t) "/sys/fs/bpf/a\"b\n";
	a.bpf_fd = 7;
	char *t = trace_bpf(BPF_OBJ_PIN, &a, 16, 0);
	ck_assert_str_eq(t, "bpf(BPF_OBJ_PIN, {pathname=\"/sys/fs/bpf/a\\\"b\\n\", bpf_fd=7, file_flags=0}, 16) = 0\n");
	free(t);
}
END_TEST

START_TEST(lookup_elem_and_flags)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.map_fd = 4;
	a.flags = BPF_NOEXIST | BPF_F_LOCK;
	char *t = trace_bpf(BPF_MAP_UPDATE_ELEM, &a, 32, -EEXIST);
	ck_assert_ptr_nonnull(strstr(t, "bpf(BPF_MAP_UPDATE_ELEM, {map_fd=4, key=NULL, value=NULL, flags=BPF_NOEXIST|BPF_F_LOCK}, 32)"));
	ck_assert_ptr_nonnull(strstr(t, "= -1 EEXIST ("));
	free(t);
	memset(&a, 0, sizeof(a));
	t = trace_bpf(BPF_MAP_LOOKUP_ELEM, &a, 32, -ENOENT);
	ck_assert_ptr_nonnull(strstr(t, "flags=BPF_ANY}"));
	free(t);
}
END_TEST

START_TEST(link_create_tail_follows_attach_type)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.link_create.prog_fd = 5;
	a.link_create.target_fd = 2; /* ifindex */
	a.link_create.attach_type = 46; /* tcx_ingress */
	char *t = trace_bpf(BPF_LINK_CREATE, &a, 64, 6);
	ck_assert_str_eq(t, "bpf(BPF_LINK_CREATE, {prog_fd=5, target_fd=2, attach_type=BPF_TCX_INGRESS, flags=0}, 64) = 6\n");
	free(t);
	a.link_create.attach_type = BPF_PERF_EVENT;
	a.link_create.perf_event.bpf_cookie = 0x1234;
	t = trace_bpf(BPF_LINK_CREATE, &a, 64, 6);
	ck_assert_ptr_nonnull(strstr(t, "attach_type=BPF_PERF_EVENT, flags=0, bpf_cookie=0x1234}"));
	free(t);
}
END_TEST

START_TEST(unknown_command_and_null_attr)
{
	char *t = trace_bpf(99, NULL, 0, -EINVAL);
	ck_assert_str_eq(t, "bpf(99 /* BPF_??? */, NULL, 0) = -1 EINVAL (Invalid argument)\n");
	free(t);
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	t = trace_bpf(99, &a, 8, -EINVAL);
	ck_assert_str_eq(t, "bpf(99 /* BPF_??? */, {}, 8) = -1 EINVAL (Invalid argument)\n");
	free(t);
}
END_TEST

START_TEST(perf_event_open_and_ioctl)
{
	struct perf_event_attr pa;
	memset(&pa, 0, sizeof(pa));
	pa.type = PERF_TYPE_TRACEPOINT;
	pa.size = sizeof(pa);
	pa.config = 321;
	pa.sample_period = 1;
	pa.sample_type = PERF_SAMPLE_RAW;
	pa.wakeup_events = 1;
	const long args[6] = {(long)&pa, -1, 0, -1, PERF_FLAG_FD_CLOEXEC, 0};
	char *t = trace(SYS_perf_event_open, args, 9);
	ck_assert_ptr_nonnull(strstr(t, "perf_event_open({type=PERF_TYPE_TRACEPOINT, size="));
	ck_assert_ptr_nonnull(strstr(t, "config=0x141, sample_period=1, sample_type=PERF_SAMPLE_RAW, flags=0, wakeup_events=1}"));
	ck_assert_ptr_nonnull(strstr(t, ", -1, 0, -1, PERF_FLAG_FD_CLOEXEC) = 9\n"));
	free(t);
	pa.freq = 1;
	pa.disabled = 1;
	pa.sample_freq = 49;
	t = trace(SYS_perf_event_open, args, 9);
	ck_assert_ptr_nonnull(strstr(t, "sample_freq=49, sample_type=PERF_SAMPLE_RAW, flags=disabled|freq,"));
	free(t);
	const long io[6] = {9, (long)PERF_EVENT_IOC_SET_BPF, 5, 0, 0, 0};
	t = trace(SYS_ioctl, io, 0);
	ck_assert_str_eq(t, "ioctl(9, PERF_EVENT_IOC_SET_BPF, 5) = 0\n");
	free(t);
	const long io2[6] = {9, 0x1234, 0, 0, 0, 0};
	t = trace(SYS_ioctl, io2, -ENOTTY);
	ck_assert_str_eq(t, "ioctl(9, 0x1234, 0) = -1 ENOTTY (Inappropriate ioctl for device)\n");
	free(t);
}
END_TEST

START_TEST(mount_and_close)
{
	const long m[6] = {(long)"bpf", (long)"/sys/fs/bpf", (long)"bpf", 0, 0, 0};
	char *t = trace(SYS_mount, m, 0);
	ck_assert_str_eq(t, "mount(\"bpf\", \"/sys/fs/bpf\", \"bpf\", 0, NULL) = 0\n");
	free(t);
	const long c[6] = {3, 0, 0, 0, 0, 0};
	t = trace(SYS_close, c, -EBADF);
	ck_assert_str_eq(t, "close(3) = -1 EBADF (Bad file descriptor)\n");
	free(t);
}
END_TEST

START_TEST(socket_calls_and_mmap)
{
	const long sock[6] = {17 /* AF_PACKET */, 3 | 02000000 | 04000, 0x300, 0, 0, 0};
	char *t = trace(SYS_socket, sock, 5);
	ck_assert_str_eq(t, "socket(AF_PACKET, SOCK_RAW|O_CLOEXEC|O_NONBLOCK, 768) = 5\n");
	free(t);
	const long opt[6] = {5, 1 /* SOL_SOCKET */, 50, 0, 4, 0};
	t = trace(SYS_setsockopt, opt, 0);
	ck_assert_str_eq(t, "setsockopt(5, SOL_SOCKET, SO_ATTACH_BPF, NULL, 4) = 0\n");
	free(t);
	const long opt2[6] = {5, 263 /* SOL_PACKET */, 99, 0, 4, 0};
	t = trace(SYS_setsockopt, opt2, -ENOPROTOOPT);
	ck_assert_str_eq(t, "setsockopt(5, SOL_PACKET, 99, NULL, 4) = -1 ENOPROTOOPT (Protocol not available)\n");
	free(t);
	const long mm[6] = {0, 8192, 3, 1, 7, 4096};
	t = trace(SYS_mmap, mm, 0x7f0000001000);
	ck_assert_str_eq(t, "mmap(NULL, 8192, PROT_READ|PROT_WRITE, MAP_SHARED, 7, 0x1000) = 0x7f0000001000\n");
	free(t);
	const long unknown[6] = {1, 2, 3, 4, 5, 6};
	t = trace(99999, unknown, 0);
	ck_assert_str_eq(t, "syscall_99999(0x1, 0x2, 0x3, 0x4, 0x5, 0x6) = 0\n");
	free(t);
}
END_TEST

START_TEST(errno_names)
{
	ck_assert_str_eq(rb_errno_name(EPERM), "EPERM");
	ck_assert_str_eq(rb_errno_name(ENOENT), "ENOENT");
	ck_assert_str_eq(rb_errno_name(EAGAIN), "EAGAIN");
	ck_assert_str_eq(rb_errno_name(EOPNOTSUPP), "EOPNOTSUPP");
	ck_assert_str_eq(rb_errno_name(524), "ENOTSUPP");
	ck_assert_str_eq(rb_errno_name(512), "ERESTARTSYS");
	ck_assert_str_eq(rb_errno_name(530), "ERECALLCONFLICT");
	ck_assert_ptr_null(rb_errno_name(520));
	ck_assert_ptr_null(rb_errno_name(531));
	ck_assert_ptr_null(rb_errno_name(EHWPOISON + 256));
	ck_assert_str_eq(rb_errno_name(EHWPOISON), "EHWPOISON");
	ck_assert_str_eq(rb_errno_name(EWOULDBLOCK), "EAGAIN");
	ck_assert_ptr_null(rb_errno_name(0));
	ck_assert_ptr_null(rb_errno_name(4000));
	ck_assert_str_eq(rb_errno_text(524), "Operation is not supported");
}
END_TEST

START_TEST(type_names_follow_bpftool)
{
	ck_assert_str_eq(rb_prog_type_name(BPF_PROG_TYPE_SCHED_CLS), "sched_cls");
	ck_assert_str_eq(rb_prog_type_name(32), "netfilter");
	ck_assert_ptr_null(rb_prog_type_name(1000));
	ck_assert_str_eq(rb_map_type_name(BPF_MAP_TYPE_PERCPU_ARRAY), "percpu_array");
	ck_assert_str_eq(rb_map_type_name(27), "ringbuf");
	ck_assert_str_eq(rb_link_type_name(11), "tcx");
	ck_assert_str_eq(rb_attach_type_name(BPF_CGROUP_INET_INGRESS), "cgroup_inet_ingress");
	ck_assert_str_eq(rb_attach_type_name(47), "tcx_egress");
	ck_assert_int_eq(rb_prog_type_by_name("xdp"), BPF_PROG_TYPE_XDP);
	ck_assert_int_eq(rb_map_type_by_name("lru_hash"), BPF_MAP_TYPE_LRU_HASH);
	ck_assert_int_eq(rb_map_type_by_name("nope"), -1);
	/* one first release per named map type, no more */
	uint32_t t = 1;
	for (; rb_map_type_name(t); t++)
		ck_assert_msg(rb_map_type_since(t), "map type %u has no release", t);
	ck_assert_ptr_null(rb_map_type_since(t));
	ck_assert_ptr_null(rb_map_type_since(0));
	ck_assert_str_eq(rb_map_type_since(27), "5.8");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("inspect-trace");
	TCase *tc = tcase_create("trace");
	tcase_add_test(tc, map_create_is_decoded);
	tcase_add_test(tc, map_flags_are_symbolic);
	tcase_add_test(tc, short_attr_is_not_read_past_size);
	tcase_add_test(tc, prog_load_shows_type_license_and_name);
	tcase_add_test(tc, obj_pin_prints_path_escaped);
	tcase_add_test(tc, lookup_elem_and_flags);
	tcase_add_test(tc, link_create_tail_follows_attach_type);
	tcase_add_test(tc, unknown_command_and_null_attr);
	tcase_add_test(tc, perf_event_open_and_ioctl);
	tcase_add_test(tc, mount_and_close);
	tcase_add_test(tc, socket_calls_and_mmap);
	suite_add_tcase(s, tc);
	TCase *names = tcase_create("names");
	tcase_add_test(names, errno_names);
	tcase_add_test(names, type_names_follow_bpftool);
	suite_add_tcase(s, names);
	return s;
}

RB_CHECK_MAIN(suite)
