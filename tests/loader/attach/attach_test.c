/* Attach internals without a kernel: USDT argument specs, the dispatch
 * table, and the fallbacks driven through a fake syscall layer (BPF links
 * refused -> PERF_EVENT_IOC_SET_BPF, BPF_PROG_ATTACH, clsact + cls_bpf over
 * netlink), plus histogram and hex record printing. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

#include "check_main.h"
#include "common/uapi_compat.h"
#include "loader/attach/attach.h"
#include "loader/events/events.h"

START_TEST(usdt_specs_parse)
{
	struct rb_usdt_spec s;
	struct rb_err err = {0};
	ck_assert_int_eq(rb_usdt_parse_args("-4@%edi 8@-8(%rbp) 4@$5 2@%ax 1@%r9b", &s, &err), 0);
	ck_assert_uint_eq(s.nr_args, 5);
	ck_assert_uint_eq(s.args[0].kind, RB_USDT_REG);
	ck_assert_int_eq(s.args[0].reg_off, 112);
	ck_assert_uint_eq(s.args[0].size, 4);
	ck_assert_uint_eq(s.args[0].is_signed, 1);
	ck_assert_uint_eq(s.args[1].kind, RB_USDT_REG_DEREF);
	ck_assert_int_eq(s.args[1].reg_off, 32);
	ck_assert_int_eq((int64_t)s.args[1].val_off, -8);
	ck_assert_uint_eq(s.args[2].kind, RB_USDT_CONST);
	ck_assert_uint_eq(s.args[2].val_off, 5);
	ck_assert_int_eq(s.args[3].reg_off, 80);
	ck_assert_int_eq(s.args[4].reg_off, 64);
	ck_assert_int_eq(rb_usdt_parse_args("", &s, &err), 0);
	ck_assert_uint_eq(s.nr_args, 0);
}
END_TEST

START_TEST(usdt_specs_reject_what_they_cannot_read)
{
	struct rb_usdt_spec s;
	const char *bad[] = {"8@sym(%rip)", "3@%eax", "4@%xmm0", "4@", "@%eax", "4@(%rax", "16@%rax",
			     "1@%al 1@%al 1@%al 1@%al 1@%al 1@%al 1@%al 1@%al 1@%al 1@%al 1@%al 1@%al 1@%al"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rb_err err = {0};
		ck_assert_msg(rb_usdt_parse_args(bad[i], &s, &err) == -RB_EINPUT, "accepted '%s'", bad[i]);
		ck_assert(err.msg[0]);
	}
}
END_TEST

START_TEST(every_kind_has_one_attacher)
{
	ck_assert_ptr_null(rb_attach_ops(RB_ATTACH_NONE));
	enum rb_attach_kind kinds[] = {RB_ATTACH_TRACEPOINT, RB_ATTACH_RAW_TP, RB_ATTACH_TRACING,
				       RB_ATTACH_KPROBE, RB_ATTACH_UPROBE, RB_ATTACH_USDT, RB_ATTACH_ITER,
				       RB_ATTACH_PERF_EVENT, RB_ATTACH_XDP, RB_ATTACH_TCX, RB_ATTACH_TC,
				       RB_ATTACH_SOCKET, RB_ATTACH_CGROUP, RB_ATTACH_NETNS,
				       RB_ATTACH_SOCKMAP, RB_ATTACH_LSM_CGROUP};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		ck_assert_ptr_nonnull(rb_attach_ops(kinds[i]));
	}
}
END_TEST

/* ---- a fake kernel ------------------------------------------------------- */

struct fake {
	int refuse_link;      /* errno BPF_LINK_CREATE fails with, 0 = succeeds */
	int bpf_cmds[32], n_bpf;
	int ioctls, closes, dups;
	uint16_t nl_types[8];
	int n_nl;
	char nl_kinds[8][16];
};

static long fake_bpf(struct fake *f, const long a[6])
{
	int cmd = (int)a[0];
	if (f->n_bpf < 32)
		f->bpf_cmds[f->n_bpf++] = cmd;
	if (cmd == BPF_LINK_CREATE)
		return f->refuse_link ? -f->refuse_link : 50;
	return 0;
}

/* Remembers each rtnetlink request's type and TCA_KIND. */
static void fake_netlink_send(struct fake *f, const long a[6])
{
	const struct nlmsghdr *h = (const void *)a[1];
	if (f->n_nl >= 8)
		return;
	f->nl_types[f->n_nl] = h->nlmsg_type;
	const struct rtattr *rta = (const void *)((const char *)h + NLMSG_SPACE(sizeof(struct tcmsg)));
	if (rta->rta_type == 1 /* TCA_KIND */)
		snprintf(f->nl_kinds[f->n_nl], 16, "%s", (const char *)RTA_DATA(rta));
	f->n_nl++;
}

static long fake_netlink_ack(const long a[6])
{
	struct {
		struct nlmsghdr h;
		struct nlmsgerr e;
	} *ack = (void *)a[1];
	memset(ack, 0, sizeof(*ack));
	ack->h.nlmsg_len = sizeof(*ack);
	ack->h.nlmsg_type = NLMSG_ERROR;
	return sizeof(*ack);
}

static long fake_call(const struct rb_sys *sys, long nr, const long a[6])
{
	struct fake *f = sys->ctx;
	switch (nr) {
	case SYS_bpf:
		return fake_bpf(f, a);
	case SYS_ioctl:
		f->ioctls++;
		return 0;
	case SYS_close:
		f->closes++;
		return 0;
	case SYS_fcntl:  /* F_DUPFD_CLOEXEC */
		return 70 + f->dups++;
	case SYS_socket:
		return 60;
	case SYS_sendto:
		fake_netlink_send(f, a);
		return a[2];
	case SYS_recvfrom:
		return fake_netlink_ack(a);
	default:
		return -ENOSYS;
	}
}

static void fake_init(struct rb_sys *sys, struct fake *f)
{
	memset(f, 0, sizeof(*f));
	rb_sys_init(sys);
	sys->call = fake_call;
	sys->ctx = f;
}

START_TEST(perf_link_falls_back_to_set_bpf)
{
	struct rb_sys sys;
	struct fake f;
	struct rb_attach a;
	struct rb_attach_opts o = {.pid = -1};
	struct rb_attach_req req = {.prog_fd = 7, .prog_name = "p", .sec_name = "tracepoint/x/y"};
	struct rb_err err = {0};
	fake_init(&sys, &f);
	f.refuse_link = EINVAL;
	rb_attach_init(&a, &sys, &o, NULL);
	ck_assert_int_eq(rb_attach_perf_event(&a, &req, 40, "tracepoint", "x/y", &err), 0);
	ck_assert_uint_eq(a.n_links, 1);
	ck_assert_int_eq(a.links[0].how, RB_LINK_PERF);
	ck_assert_int_eq(f.ioctls, 2);  /* SET_BPF + ENABLE */
	/* a cookie cannot ride on SET_BPF: refused rather than silently lost */
	ck_assert_int_eq(rb_attach_perf_event_cookie(&a, &req, 41, 5, "uprobe", "x", &err), -RB_ENOTSUP);
	ck_assert(strstr(err.msg, "5.15"));
	ck_assert_int_eq(rb_attach_detach_all(&a), 0);
	ck_assert_int_ge(f.closes, 2);
}
END_TEST

START_TEST(cgroup_falls_back_to_prog_attach)
{
	struct rb_sys sys;
	struct fake f;
	struct rb_attach a;
	struct rb_attach_opts o = {.pid = -1, .cgroup = "/tmp"};
	struct rb_attach_req req = {.prog_fd = 0, .prog_name = "c", .sec_name = "cgroup_skb/egress",
				    .expected_attach_type = BPF_CGROUP_INET_EGRESS};
	struct rb_err err = {0};
	fake_init(&sys, &f);
	f.refuse_link = EINVAL;
	rb_attach_init(&a, &sys, &o, NULL);
	ck_assert_int_eq(rb_attach_cgroup(&a, &req, &err), 0);
	ck_assert_int_eq(a.links[0].how, RB_LINK_PROG_ATTACH);
	ck_assert_int_eq(f.bpf_cmds[f.n_bpf - 1], BPF_PROG_ATTACH);
	ck_assert_int_eq(rb_attach_detach_all(&a), 0);
	ck_assert_int_eq(f.bpf_cmds[f.n_bpf - 1], BPF_PROG_DETACH);
}
END_TEST

START_TEST(sockmap_falls_back_to_prog_attach)
{
	struct rb_sys sys;
	struct fake f;
	struct rb_attach a;
	struct rb_attach_opts o = {.pid = -1};
	struct rb_attach_req req = {.prog_fd = 2, .prog_name = "m", .sec_name = "sk_msg",
				    .expected_attach_type = BPF_SK_MSG_VERDICT};
	struct rb_err err = {0};
	fake_init(&sys, &f);
	rb_attach_init(&a, &sys, &o, NULL);
	/* no single map to attach to: a usage error naming --sockmap */
	rb_attach_set_sockmap(&a, -1, "", 2);
	ck_assert_int_eq(rb_attach_sockmap(&a, &req, &err), -RB_EUSAGE);
	ck_assert(strstr(err.msg, "--sockmap NAME"));
	/* links refused (Linux < 6.10): PROG_ATTACH on the map, PROG_DETACH at exit */
	f.refuse_link = EINVAL;
	rb_attach_set_sockmap(&a, 1, "socks", 1);
	ck_assert_int_eq(rb_attach_sockmap(&a, &req, &err), 0);
	ck_assert_int_eq(a.links[0].how, RB_LINK_PROG_ATTACH);
	ck_assert_int_eq(f.bpf_cmds[f.n_bpf - 1], BPF_PROG_ATTACH);
	ck_assert_str_eq(a.links[0].what, "socks");
	ck_assert_int_eq(f.dups, 2);  /* program and map, through the chokepoint */
	ck_assert_int_eq(rb_attach_detach_all(&a), 0);
	ck_assert_int_eq(f.bpf_cmds[f.n_bpf - 1], BPF_PROG_DETACH);
}
END_TEST

START_TEST(tc_falls_back_to_clsact_over_netlink)
{
	struct rb_sys sys;
	struct fake f;
	struct rb_attach a;
	struct rb_attach_opts o = {.pid = -1, .iface = "lo"};
	struct rb_attach_req req = {.prog_fd = 9, .prog_name = "t", .sec_name = "tcx/egress",
				    .expected_attach_type = RB_BPF_TCX_EGRESS, .target = ""};
	struct rb_err err = {0};
	fake_init(&sys, &f);
	f.refuse_link = EINVAL;  /* a kernel without tcx (< 6.6) */
	rb_attach_init(&a, &sys, &o, NULL);
	ck_assert_int_eq(rb_attach_tc(&a, &req, &err), 0);
	ck_assert_int_eq(a.links[0].how, RB_LINK_TC_NETLINK);
	ck_assert_int_eq(f.n_nl, 2);
	ck_assert_uint_eq(f.nl_types[0], RTM_NEWQDISC);
	ck_assert_str_eq(f.nl_kinds[0], "clsact");
	ck_assert_uint_eq(f.nl_types[1], RTM_NEWTFILTER);
	ck_assert_str_eq(f.nl_kinds[1], "bpf");
	ck_assert(strstr(a.links[0].what, "egress"));
	ck_assert_int_eq(rb_attach_detach_all(&a), 0);
	ck_assert_uint_eq(f.nl_types[2], RTM_DELQDISC);  /* ours: deleting it takes the filter along */
}
END_TEST

START_TEST(missing_iface_is_a_usage_error)
{
	struct rb_sys sys;
	struct fake f;
	struct rb_attach a;
	struct rb_attach_opts o = {.pid = -1};
	struct rb_attach_req req = {.prog_fd = 9, .prog_name = "x", .sec_name = "xdp"};
	struct rb_err err = {0};
	fake_init(&sys, &f);
	rb_attach_init(&a, &sys, &o, NULL);
	ck_assert_int_eq(rb_attach_xdp(&a, &req, &err), -RB_EUSAGE);
	ck_assert(strstr(err.msg, "--iface"));
	ck_assert_int_eq(f.n_bpf, 0);
}
END_TEST

START_TEST(uprobe_specs_are_checked)
{
	struct rb_uprobe_target t;
	const char *bad[] = {"nocolon", "/bin/true:", ":sym", "/bin/true:sym+zz", "/bin/true:sym+"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		struct rb_err err = {0};
		ck_assert_msg(rb_uprobe_resolve(bad[i], -1, &t, &err) == -RB_EUSAGE, "accepted '%s'", bad[i]);
	}
	struct rb_err err = {0};
	ck_assert_int_eq(rb_uprobe_resolve("/nonexistent/bin:main", -1, &t, &err), -RB_EUSAGE);
	ck_assert(strstr(err.msg, "/nonexistent/bin"));
}
END_TEST

START_TEST(uprobe_resolves_a_libc_symbol)
{
	struct rb_uprobe_target t, v;
	struct rb_err err = {0};
	if (rb_uprobe_resolve("libc.so.6:getaddrinfo", -1, &t, &err) != 0)
		return;  /* not a glibc system: nothing to compare */
	ck_assert(strstr(t.path, "libc.so.6"));
	ck_assert_uint_gt(t.file_offset, 0);
	ck_assert_int_eq(rb_uprobe_resolve("libc:getaddrinfo+4", -1, &v, &err), 0);
	ck_assert_uint_eq(v.file_offset, t.file_offset + 4);
	ck_assert_int_eq(rb_uprobe_resolve("libc.so.6:no_such_function_xyz", -1, &v, &err), -RB_EUSAGE);
	ck_assert(strstr(err.msg, "no symbol 'no_such_function_xyz'"));
}
END_TEST

/* uprobe.multi's glob matcher agrees with the single-symbol resolver. */
START_TEST(uprobe_multi_glob_matches_functions)
{
	struct rb_uprobe_target t;
	struct rb_err err = {0};
	if (rb_uprobe_resolve("libc.so.6:getaddrinfo", -1, &t, &err) != 0)
		return;  /* not a glibc system */
	uint64_t *offs;
	size_t n;
	ck_assert_int_eq(rb_uprobe_match(t.path, "getaddrinfo", &offs, &n, &err), 0);
	ck_assert_uint_eq(n, 1);  /* .symtab/.dynsym and versions collapse to one */
	ck_assert_uint_eq(offs[0], t.file_offset);
	free(offs);
	ck_assert_int_eq(rb_uprobe_match(t.path, "getaddrinf?", &offs, &n, &err), 0);
	ck_assert_uint_eq(n, 1);
	free(offs);
	ck_assert_int_eq(rb_uprobe_match(t.path, "str*", &offs, &n, &err), 0);
	ck_assert_uint_gt(n, 5);
	for (size_t i = 1; i < n; i++)
		ck_assert_uint_lt(offs[i - 1], offs[i]);  /* sorted, no duplicates */
	free(offs);
	ck_assert_int_eq(rb_uprobe_match(t.path, "no_such_fn_*", &offs, &n, &err), 0);
	ck_assert_uint_eq(n, 0);
	free(offs);
}
END_TEST

START_TEST(netfilter_hooks_parse)
{
	struct rb_nf_hook h;
	struct rb_err err = {0};
	ck_assert_int_eq(rb_nf_hook_parse("ipv4:local_in", &h, &err), 0);
	ck_assert_uint_eq(h.pf, 2);
	ck_assert_uint_eq(h.hooknum, 1);
	ck_assert_int_eq(h.priority, 0);
	ck_assert_int_eq(rb_nf_hook_parse("ipv6:postrouting:-100:defrag", &h, &err), 0);
	ck_assert_uint_eq(h.pf, 10);
	ck_assert_uint_eq(h.hooknum, 4);
	ck_assert_int_eq(h.priority, -100);
	ck_assert_uint_eq(h.flags, 1);
	ck_assert_uint_eq(sizeof(h), 16);  /* link_create.netfilter */
	const char *bad[] = {"", "ipv4", "ipv5:local_in", "ipv4:input", "ipv4:local_in:x",
			     "ipv4:local_in:2147483647", "ipv4:local_in:-2147483648", "ipv4::1"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(rb_nf_hook_parse(bad[i], &h, &err) == -RB_EUSAGE, "accepted '%s'", bad[i]);
	ck_assert(strstr(err.msg, "FAMILY:HOOK"));
}
END_TEST

START_TEST(tracefs_notes_say_what_was_done)
{
	struct rb_tracefs t = {.root = "/sys/kernel/tracing"};
	char p[64];
	ck_assert_ptr_null(rb_tracefs_note(&t));
	t.mounted_by_us = true;
	ck_assert_str_eq(rb_tracefs_note(&t), "tracefs: mounted on /sys/kernel/tracing");
	t.via_debugfs = true;
	ck_assert(strstr(rb_tracefs_note(&t), "debugfs"));
	ck_assert_int_eq(rb_tracefs_path(&t, "uprobe_events", p, sizeof(p)), 0);
	ck_assert_str_eq(p, "/sys/kernel/tracing/uprobe_events");
	ck_assert_int_lt(rb_tracefs_path(&t, "a_name_long_enough_to_overflow_the_buffer_here", p, 40), 0);
}
END_TEST

/* ---- printing -------------------------------------------------------------- */

START_TEST(log2_histogram_is_drawn_like_bcc)
{
	uint64_t slots[8] = {1, 0, 4, 8, 0, 0, 0, 0};
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	rb_hist_print_log2(f, "usecs", slots, 8);
	fclose(f);
	ck_assert(strstr(text, "     usecs"));
	ck_assert(strstr(text, "         0 -> 1          : 1        |*****                                   |\n"));
	ck_assert(strstr(text, "         8 -> 15         : 8        |****************************************|\n"));
	ck_assert(!strstr(text, "16 -> 31"));  /* stops at the last non-empty slot */
	free(text);
}
END_TEST

START_TEST(records_without_a_type_print_as_hex)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	struct rb_record_printer p = {.map_name = "events", .out = f};
	const uint8_t rec[3] = {0x0a, 0xff, 0x00};
	rb_record_print(&p, rec, sizeof(rec));
	fclose(f);
	ck_assert_str_eq(text, "events: 3 bytes: 0a ff 00\n");
	free(text);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("attach");
	TCase *tc = tcase_create("no kernel");
	tcase_add_test(tc, usdt_specs_parse);
	tcase_add_test(tc, usdt_specs_reject_what_they_cannot_read);
	tcase_add_test(tc, every_kind_has_one_attacher);
	tcase_add_test(tc, perf_link_falls_back_to_set_bpf);
	tcase_add_test(tc, cgroup_falls_back_to_prog_attach);
	tcase_add_test(tc, sockmap_falls_back_to_prog_attach);
	tcase_add_test(tc, tc_falls_back_to_clsact_over_netlink);
	tcase_add_test(tc, missing_iface_is_a_usage_error);
	tcase_add_test(tc, uprobe_specs_are_checked);
	tcase_add_test(tc, uprobe_resolves_a_libc_symbol);
	tcase_add_test(tc, uprobe_multi_glob_matches_functions);
	tcase_add_test(tc, netfilter_hooks_parse);
	tcase_add_test(tc, tracefs_notes_say_what_was_done);
	tcase_add_test(tc, log2_histogram_is_drawn_like_bcc);
	tcase_add_test(tc, records_without_a_type_print_as_hex);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
