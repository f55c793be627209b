/* The section-name table: one row per libbpf convention, target parsing,
 * exact-vs-prefix matching, flags. */
#include <string.h>

#include "check_main.h"
#include "common/uapi_compat.h"
#include "elf/obj/object.h"

struct want {
	const char *sec;
	uint32_t prog_type, attach_type;
	enum rb_attach_kind kind;
	const char *target;
	bool sleepable;
};

static const struct want rows[] = {
	{ "socket", BPF_PROG_TYPE_SOCKET_FILTER, 0, RB_ATTACH_SOCKET, "", false },
	{ "xdp", BPF_PROG_TYPE_XDP, BPF_XDP, RB_ATTACH_XDP, "", false },
	{ "xdp.frags", BPF_PROG_TYPE_XDP, BPF_XDP, RB_ATTACH_XDP, "", false },
	{ "xdp/devmap", BPF_PROG_TYPE_XDP, BPF_XDP_DEVMAP, RB_ATTACH_XDP_MAP, "", false },
	{ "xdp/cpumap", BPF_PROG_TYPE_XDP, BPF_XDP_CPUMAP, RB_ATTACH_XDP_MAP, "", false },
	{ "tc", BPF_PROG_TYPE_SCHED_CLS, 0, RB_ATTACH_TC, "", false },
	{ "classifier", BPF_PROG_TYPE_SCHED_CLS, 0, RB_ATTACH_TC, "", false },
	{ "action", BPF_PROG_TYPE_SCHED_ACT, 0, RB_ATTACH_TC, "", false },
	{ "tcx/ingress", BPF_PROG_TYPE_SCHED_CLS, RB_BPF_TCX_INGRESS, RB_ATTACH_TCX, "", false },
	{ "tcx/egress", BPF_PROG_TYPE_SCHED_CLS, RB_BPF_TCX_EGRESS, RB_ATTACH_TCX, "", false },
	{ "tracepoint/sched/sched_process_exec", BPF_PROG_TYPE_TRACEPOINT, 0, RB_ATTACH_TRACEPOINT,
	  "sched/sched_process_exec", false },
	{ "tp/syscalls/sys_enter_openat", BPF_PROG_TYPE_TRACEPOINT, 0, RB_ATTACH_TRACEPOINT,
	  "syscalls/sys_enter_openat", false },
	{ "raw_tracepoint/sched_switch", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, RB_ATTACH_RAW_TP,
	  "sched_switch", false },
	{ "raw_tp/sys_enter", BPF_PROG_TYPE_RAW_TRACEPOINT, 0, RB_ATTACH_RAW_TP, "sys_enter", false },
	{ "raw_tp.w/bpf_test_finish", BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, 0, RB_ATTACH_RAW_TP,
	  "bpf_test_finish", false },
	{ "tp_btf/sched_switch", BPF_PROG_TYPE_TRACING, BPF_TRACE_RAW_TP, RB_ATTACH_TRACING,
	  "sched_switch", false },
	{ "kprobe/do_unlinkat", BPF_PROG_TYPE_KPROBE, 0, RB_ATTACH_KPROBE, "do_unlinkat", false },
	{ "kretprobe/do_unlinkat", BPF_PROG_TYPE_KPROBE, 0, RB_ATTACH_KRETPROBE, "do_unlinkat", false },
	{ "ksyscall/openat", BPF_PROG_TYPE_KPROBE, 0, RB_ATTACH_KSYSCALL, "openat", false },
	{ "kretsyscall/openat", BPF_PROG_TYPE_KPROBE, 0, RB_ATTACH_KRETSYSCALL, "openat", false },
	{ "kprobe.multi/vfs_*", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI,
	  RB_ATTACH_KPROBE_MULTI, "vfs_*", false },
	{ "kretprobe.multi/vfs_*", BPF_PROG_TYPE_KPROBE, BPF_TRACE_KPROBE_MULTI,
	  RB_ATTACH_KRETPROBE_MULTI, "vfs_*", false },
	{ "uprobe//bin/bash:readline", BPF_PROG_TYPE_KPROBE, 0, RB_ATTACH_UPROBE,
	  "/bin/bash:readline", false },
	{ "uretprobe//bin/bash:readline", BPF_PROG_TYPE_KPROBE, 0, RB_ATTACH_URETPROBE,
	  "/bin/bash:readline", false },
	{ "uprobe.s//bin/bash:readline", BPF_PROG_TYPE_KPROBE, 0, RB_ATTACH_UPROBE,
	  "/bin/bash:readline", true },
	{ "uretprobe.s/libc.so.6:malloc", BPF_PROG_TYPE_KPROBE, 0, RB_ATTACH_URETPROBE,
	  "libc.so.6:malloc", true },
	{ "uprobe.multi/libc.so.6:mall*", BPF_PROG_TYPE_KPROBE, RB_BPF_TRACE_UPROBE_MULTI,
	  RB_ATTACH_UPROBE_MULTI, "libc.so.6:mall*", false },
	{ "usdt/libc.so.6:libc:setjmp", BPF_PROG_TYPE_KPROBE, 0, RB_ATTACH_USDT,
	  "libc.so.6:libc:setjmp", false },
	{ "perf_event", BPF_PROG_TYPE_PERF_EVENT, 0, RB_ATTACH_PERF_EVENT, "", false },
	{ "fentry/do_unlinkat", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, RB_ATTACH_TRACING,
	  "do_unlinkat", false },
	{ "fexit/do_unlinkat", BPF_PROG_TYPE_TRACING, BPF_TRACE_FEXIT, RB_ATTACH_TRACING,
	  "do_unlinkat", false },
	{ "fmod_ret/security_x", BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN, RB_ATTACH_TRACING,
	  "security_x", false },
	{ "fentry.s/do_x", BPF_PROG_TYPE_TRACING, BPF_TRACE_FENTRY, RB_ATTACH_TRACING, "do_x", true },
	{ "lsm/file_open", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, RB_ATTACH_LSM, "file_open", false },
	{ "lsm.s/bprm_check", BPF_PROG_TYPE_LSM, BPF_LSM_MAC, RB_ATTACH_LSM, "bprm_check", true },
	{ "lsm_cgroup/socket_bind", BPF_PROG_TYPE_LSM, BPF_LSM_CGROUP, RB_ATTACH_LSM_CGROUP,
	  "socket_bind", false },
	{ "iter/task", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, RB_ATTACH_ITER, "task", false },
	{ "iter.s/task", BPF_PROG_TYPE_TRACING, BPF_TRACE_ITER, RB_ATTACH_ITER, "task", true },
	{ "syscall", BPF_PROG_TYPE_SYSCALL, 0, RB_ATTACH_NONE, "", true },
	{ "cgroup_skb/ingress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_INGRESS, RB_ATTACH_CGROUP,
	  "", false },
	{ "cgroup_skb/egress", BPF_PROG_TYPE_CGROUP_SKB, BPF_CGROUP_INET_EGRESS, RB_ATTACH_CGROUP,
	  "", false },
	{ "cgroup/skb", BPF_PROG_TYPE_CGROUP_SKB, 0, RB_ATTACH_NONE, "", false },
	{ "cgroup/sock_create", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE,
	  RB_ATTACH_CGROUP, "", false },
	{ "cgroup/sock_release", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE,
	  RB_ATTACH_CGROUP, "", false },
	{ "cgroup/post_bind6", BPF_PROG_TYPE_CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND,
	  RB_ATTACH_CGROUP, "", false },
	{ "cgroup/connect4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT,
	  RB_ATTACH_CGROUP, "", false },
	{ "cgroup/bind6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, RB_ATTACH_CGROUP,
	  "", false },
	{ "cgroup/getpeername4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME,
	  RB_ATTACH_CGROUP, "", false },
	{ "cgroup/getsockname6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME,
	  RB_ATTACH_CGROUP, "", false },
	{ "cgroup/sendmsg4", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG,
	  RB_ATTACH_CGROUP, "", false },
	{ "cgroup/recvmsg6", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG,
	  RB_ATTACH_CGROUP, "", false },
	{ "cgroup/connect_unix", BPF_PROG_TYPE_CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_CONNECT,
	  RB_ATTACH_CGROUP, "", false },
	{ "cgroup/sysctl", BPF_PROG_TYPE_CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, RB_ATTACH_CGROUP, "",
	  false },
	{ "cgroup/getsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, RB_ATTACH_CGROUP,
	  "", false },
	{ "cgroup/setsockopt", BPF_PROG_TYPE_CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, RB_ATTACH_CGROUP,
	  "", false },
	{ "cgroup/dev", BPF_PROG_TYPE_CGROUP_DEVICE, BPF_CGROUP_DEVICE, RB_ATTACH_CGROUP, "", false },
	{ "sockops", BPF_PROG_TYPE_SOCK_OPS, BPF_CGROUP_SOCK_OPS, RB_ATTACH_CGROUP, "", false },
	{ "sk_skb/stream_parser", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_PARSER, RB_ATTACH_SOCKMAP,
	  "", false },
	{ "sk_skb/stream_verdict", BPF_PROG_TYPE_SK_SKB, BPF_SK_SKB_STREAM_VERDICT,
	  RB_ATTACH_SOCKMAP, "", false },
	{ "sk_skb", BPF_PROG_TYPE_SK_SKB, 0, RB_ATTACH_NONE, "", false },
	{ "sk_msg", BPF_PROG_TYPE_SK_MSG, BPF_SK_MSG_VERDICT, RB_ATTACH_SOCKMAP, "", false },
	{ "lirc_mode2", BPF_PROG_TYPE_LIRC_MODE2, BPF_LIRC_MODE2, RB_ATTACH_LIRC, "", false },
	{ "flow_dissector", BPF_PROG_TYPE_FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, RB_ATTACH_NETNS, "",
	  false },
	{ "sk_lookup", BPF_PROG_TYPE_SK_LOOKUP, BPF_SK_LOOKUP, RB_ATTACH_NETNS, "", false },
	{ "sk_reuseport", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, RB_ATTACH_REUSEPORT,
	  "", false },
	{ "sk_reuseport/migrate", BPF_PROG_TYPE_SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE,
	  RB_ATTACH_REUSEPORT, "", false },
	{ "struct_ops/tcp_init", BPF_PROG_TYPE_STRUCT_OPS, 0, RB_ATTACH_STRUCT_OPS, "tcp_init", false },
	{ "struct_ops.s/tcp_init", BPF_PROG_TYPE_STRUCT_OPS, 0, RB_ATTACH_STRUCT_OPS, "tcp_init",
	  true },
	{ "freplace/handler", BPF_PROG_TYPE_EXT, 0, RB_ATTACH_FREPLACE, "handler", false },
	{ "netfilter", RB_BPF_PROG_TYPE_NETFILTER, RB_BPF_NETFILTER, RB_ATTACH_NETFILTER, "", false },
	{ "kprobe", BPF_PROG_TYPE_KPROBE, 0, RB_ATTACH_KPROBE, "", false },
};

START_TEST(every_row_matches)
{
	const struct want *w = &rows[_i];
	const char *target = NULL;
	const struct rb_sec_def *d = rb_sec_lookup(w->sec, &target);
	ck_assert_msg(d != NULL, "no row for '%s'", w->sec);
	ck_assert_uint_eq(d->prog_type, w->prog_type);
	ck_assert_uint_eq(d->attach_type, w->attach_type);
	ck_assert_int_eq(d->attach, w->kind);
	ck_assert_str_eq(target, w->target);
	ck_assert_int_eq(d->sleepable, w->sleepable);
}
END_TEST

START_TEST(unknown_and_malformed_names)
{
	static const char *bad[] = { "xdp_prog", "socketx", "kprobe_x", "tracepointx/a", "",
				     "tc/ingressx", "cgroup/connect4/x", "foo/bar", ".text",
				     "xdp/", "sockops/x" };
	const char *t = "unset";
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_msg(rb_sec_lookup(bad[i], &t) == NULL, "'%s' matched", bad[i]);
		ck_assert_str_eq(t, "");
	}
	ck_assert_ptr_null(rb_sec_lookup(NULL, NULL));
}
END_TEST

START_TEST(dotted_names_do_not_match_shorter_rows)
{
	const char *t;
	ck_assert_uint_eq(rb_sec_lookup("kprobe.multi/x", &t)->attach_type, BPF_TRACE_KPROBE_MULTI);
	ck_assert_uint_eq(rb_sec_lookup("xdp.frags", &t)->prog_flags, BPF_F_XDP_HAS_FRAGS);
	ck_assert_uint_eq(rb_sec_lookup("xdp.frags/devmap", &t)->prog_flags, BPF_F_XDP_HAS_FRAGS);
	ck_assert_uint_eq(rb_sec_lookup("xdp.frags/devmap", &t)->attach_type, BPF_XDP_DEVMAP);
	ck_assert_uint_eq(rb_sec_lookup("xdp", &t)->prog_flags, 0);
	ck_assert(rb_sec_lookup("fentry/x", &t)->btf_target);
	ck_assert(!rb_sec_lookup("kprobe/x", &t)->btf_target);
	/* libbpf's tc/ingress alias of tcx */
	ck_assert_uint_eq(rb_sec_lookup("tc/ingress", &t)->attach_type, RB_BPF_TCX_INGRESS);
}
END_TEST

START_TEST(table_is_consistent)
{
	size_t n;
	const struct rb_sec_def *d = rb_sec_defs(&n);
	char buf[RB_SEC_NAME_MAX];
	ck_assert_uint_gt(n, 80);
	ck_assert_str_eq(rb_sec_def_name(&d[0], buf), "socket");
	ck_assert_str_eq(rb_sec_def_name(&d[n - 1], buf), "netfilter");
	/* names that share a stored prefix */
	ck_assert_str_eq(rb_sec_def_name(rb_sec_lookup("cgroup/connect4", NULL), buf), "cgroup/connect4");
	ck_assert_str_eq(rb_sec_def_name(rb_sec_lookup("uretprobe.multi.s", NULL), buf),
			 "uretprobe.multi.s");
	for (size_t i = 0; i < n; i++) {
		const char *t;
		const char *name = rb_sec_def_name(&d[i], buf);
		ck_assert(name[0]);
		/* Each row is reachable: no earlier row shadows its exact name. */
		ck_assert_msg(rb_sec_lookup(name, &t) == &d[i], "row '%s' is shadowed", name);
		ck_assert(d[i].prog_type != 0 || strcmp(name, "socket") != 0);
	}
}
END_TEST

START_TEST(type_override)
{
	struct rb_prog p = { .prog_type = BPF_PROG_TYPE_SOCKET_FILTER, .attach_target = "" };
	struct rb_err err = {0};
	ck_assert_int_eq(rb_prog_set_type(&p, "lsm.s/file_open", &err), 0);
	ck_assert_uint_eq(p.prog_type, BPF_PROG_TYPE_LSM);
	ck_assert_uint_eq(p.expected_attach_type, BPF_LSM_MAC);
	ck_assert_uint_eq(p.prog_flags, BPF_F_SLEEPABLE);
	ck_assert(p.sleepable);
	ck_assert_int_eq(rb_prog_set_type(&p, "xdp.frags", &err), 0);
	ck_assert_uint_eq(p.prog_flags, BPF_F_XDP_HAS_FRAGS);
	ck_assert(!p.sleepable);
	ck_assert_int_eq(rb_prog_set_type(&p, "xdpp", &err), -RB_EUSAGE);
	ck_assert_str_eq(err.msg, "--type 'xdpp' is not a known program type; give a section name "
			 "such as xdp, socket, kprobe, tracepoint, cgroup/connect4");
	ck_assert_uint_eq(p.prog_type, BPF_PROG_TYPE_XDP);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("elf/obj sections");
	TCase *tc = tcase_create("table");
	tcase_add_loop_test(tc, every_row_matches, 0, sizeof(rows) / sizeof(rows[0]));
	tcase_add_test(tc, unknown_and_malformed_names);
	tcase_add_test(tc, dotted_names_do_not_match_shorter_rows);
	tcase_add_test(tc, table_is_consistent);
	tcase_add_test(tc, type_override);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
