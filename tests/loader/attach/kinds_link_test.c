/* uprobe.multi, netfilter, netkit and struct_ops without a kernel: the
 * table rows, and the exact bpf(2) attributes each sends, through a fake
 * syscall layer that keeps a copy of every attr (and map value). */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "check_main.h"
#include "common/uapi_compat.h"
#include "loader/attach/attach.h"

struct fake {
	int refuse_link;                /* errno of BPF_LINK_CREATE, 0 = fd 50 */
	int cmds[16], n;
	union bpf_attr attrs[16];       /* copy of each attr */
	uint8_t value[32];              /* the last BPF_MAP_UPDATE_ELEM value (the tests use 32 bytes) */
	int closes;
};

static long fake_bpf(struct fake *f, const long a[6])
{
	int cmd = (int)a[0];
	const union bpf_attr *attr = (const void *)a[1];
	if (f->n < 16) {
		f->cmds[f->n] = cmd;
		memcpy(&f->attrs[f->n++], attr, sizeof(*attr) < (size_t)a[2] ? sizeof(*attr) : (size_t)a[2]);
	}
	switch (cmd) {
	case BPF_LINK_CREATE:
		return f->refuse_link ? -f->refuse_link : 50;
	case BPF_MAP_CREATE:
		return 60;
	case BPF_MAP_UPDATE_ELEM:
		memcpy(f->value, (const void *)(uintptr_t)attr->value, sizeof(f->value));
		return 0;
	default:
		return 0;
	}
}

static long fake_call(const struct rb_sys *sys, long nr, const long a[6])
{
	struct fake *f = sys->ctx;
	if (nr == SYS_bpf)
		return fake_bpf(f, a);
	if (nr == SYS_close) {
		f->closes++;
		return 0;
	}
	return -ENOSYS;
}

static void fake_init(struct rb_sys *sys, struct fake *f)
{
	memset(f, 0, sizeof(*f));
	rb_sys_init(sys);
	sys->call = fake_call;
	sys->ctx = f;
}

/* The attach-type specific part of link_create (after prog, target, type, flags). */
static const uint8_t *link_tail(const union bpf_attr *attr)
{
	return (const uint8_t *)attr + 16;
}

START_TEST(new_kinds_have_attachers)
{
	enum rb_attach_kind kinds[] = {RB_ATTACH_UPROBE_MULTI, RB_ATTACH_URETPROBE_MULTI,
				       RB_ATTACH_NETFILTER, RB_ATTACH_NETKIT};
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		ck_assert_ptr_nonnull(rb_attach_ops(kinds[i]));
	}
}
END_TEST

START_TEST(netfilter_link_attr)
{
	struct rb_sys sys;
	struct fake f;
	struct rb_attach a;
	struct rb_attach_opts o = {.pid = -1, .nf = "ipv6:forward:-100:defrag"};
	struct rb_attach_req req = {.prog_fd = 7, .prog_name = "p", .sec_name = "netfilter/ipv4:local_in",
				    .target = "ipv4:local_in", .kind = RB_ATTACH_NETFILTER};
	struct rb_err err = {0};
	fake_init(&sys, &f);
	rb_attach_init(&a, &sys, &o, NULL);
	ck_assert_int_eq(rb_attach_netfilter(&a, &req, &err), 0);  /* --nf wins over the section */
	ck_assert_int_eq(f.cmds[0], BPF_LINK_CREATE);
	ck_assert_uint_eq(f.attrs[0].link_create.prog_fd, 7);
	ck_assert_uint_eq(f.attrs[0].link_create.attach_type, RB_BPF_NETFILTER);
	const uint32_t want[4] = {10, 2, (uint32_t)-100, 1};  /* pf, hooknum, priority, flags */
	ck_assert_mem_eq(link_tail(&f.attrs[0]), want, sizeof(want));
	ck_assert_str_eq(a.links[0].what, "ipv6 forward priority -100 defrag");
	f.refuse_link = EINVAL;
	o.nf = NULL;
	ck_assert_int_eq(rb_attach_netfilter(&a, &req, &err), -RB_EKERNEL);
	ck_assert(strstr(err.msg, "Linux >= 6.4"));
	ck_assert_int_eq(rb_attach_detach_all(&a), 0);
	ck_assert_int_eq(f.closes, 1);
}
END_TEST

START_TEST(netkit_link_attr)
{
	struct rb_sys sys;
	struct fake f;
	struct rb_attach a;
	struct rb_attach_opts o = {.pid = -1, .iface = "lo"};
	struct rb_attach_req req = {.prog_fd = 7, .prog_name = "p", .sec_name = "netkit/peer",
				    .expected_attach_type = RB_BPF_NETKIT_PEER, .kind = RB_ATTACH_NETKIT};
	struct rb_err err = {0};
	fake_init(&sys, &f);
	rb_attach_init(&a, &sys, &o, NULL);
	ck_assert_int_eq(rb_attach_netkit(&a, &req, &err), 0);
	ck_assert_uint_eq(f.attrs[0].link_create.attach_type, RB_BPF_NETKIT_PEER);
	ck_assert_uint_eq(f.attrs[0].link_create.target_ifindex, 1);  /* lo */
	ck_assert_str_eq(a.links[0].what, "lo peer");
	req.expected_attach_type = RB_BPF_NETKIT_PRIMARY;
	f.refuse_link = ENXIO;
	ck_assert_int_eq(rb_attach_netkit(&a, &req, &err), -RB_EKERNEL);
	ck_assert(strstr(err.msg, "primary device of a netkit pair"));
	ck_assert_uint_eq(f.attrs[1].link_create.attach_type, RB_BPF_NETKIT_PRIMARY);
	ck_assert_int_eq(rb_attach_detach_all(&a), 0);
}
END_TEST

/* A two-member struct_ops: a program fd at value offset 8, 4 bytes of
 * data ("abc") at 16. */
static struct rb_st_ops small_st_ops(uint8_t *data, struct rb_st_ops_field *fields, bool link)
{
	memcpy(data, "abc", 4);
	fields[0] = (struct rb_st_ops_field){.value_off = 8, .size = 8, .prog = 0};
	fields[1] = (struct rb_st_ops_field){.value_off = 16, .size = 4, .prog = -1, .data_off = 0};
	return (struct rb_st_ops){.name = "ops", .type_name = "tcp_congestion_ops", .link = link, .data = data,
				  .size = 8, .kern_value_type_id = 77, .kern_value_size = 32,
				  .fields = fields, .n_fields = 2};
}

START_TEST(struct_ops_link_registers)
{
	struct rb_sys sys;
	struct fake f;
	struct rb_attach a;
	struct rb_attach_opts o = {.pid = -1};
	struct rb_err err = {0};
	uint8_t data[8] = {0};
	struct rb_st_ops_field fields[2];
	struct rb_st_ops st = small_st_ops(data, fields, true);
	int fds[1] = {9};
	fake_init(&sys, &f);
	rb_attach_init(&a, &sys, &o, NULL);
	ck_assert_int_eq(rb_attach_struct_ops(&a, &st, fds, 1, 5, &err), 0);
	ck_assert_int_eq(f.n, 3);
	ck_assert_int_eq(f.cmds[0], BPF_MAP_CREATE);
	ck_assert_uint_eq(f.attrs[0].map_type, BPF_MAP_TYPE_STRUCT_OPS);
	ck_assert_uint_eq(f.attrs[0].value_size, 32);
	ck_assert_uint_eq(f.attrs[0].map_flags, RB_BPF_F_LINK);
	ck_assert_uint_eq(f.attrs[0].btf_fd, 5);
	ck_assert_uint_eq(f.attrs[0].btf_vmlinux_value_type_id, 77);
	ck_assert_int_eq(f.cmds[1], BPF_MAP_UPDATE_ELEM);
	uint64_t fd;
	memcpy(&fd, f.value + 8, 8);
	ck_assert_uint_eq(fd, 9);
	ck_assert_str_eq((const char *)f.value + 16, "abc");
	ck_assert_int_eq(f.cmds[2], BPF_LINK_CREATE);
	ck_assert_uint_eq(f.attrs[2].link_create.prog_fd, 60);  /* map_fd shares the slot */
	ck_assert_uint_eq(f.attrs[2].link_create.attach_type, RB_BPF_STRUCT_OPS);
	ck_assert_int_eq(a.links[0].how, RB_LINK_BPF);
	ck_assert_int_eq(rb_attach_detach_all(&a), 0);
	ck_assert_int_eq(f.closes, 2);  /* the link, then the map */
}
END_TEST

START_TEST(struct_ops_map_registers_and_unregisters)
{
	struct rb_sys sys;
	struct fake f;
	struct rb_attach a;
	struct rb_attach_opts o = {.pid = -1};
	struct rb_err err = {0};
	uint8_t data[8] = {0};
	struct rb_st_ops_field fields[2];
	struct rb_st_ops st = small_st_ops(data, fields, false);
	int fds[1] = {-1};
	fake_init(&sys, &f);
	rb_attach_init(&a, &sys, &o, NULL);
	/* a program that did not load cannot be registered */
	ck_assert_int_eq(rb_attach_struct_ops(&a, &st, fds, 1, 5, &err), -RB_EKERNEL);
	ck_assert_int_eq(f.n, 0);
	fds[0] = 9;
	ck_assert_int_eq(rb_attach_struct_ops(&a, &st, fds, 1, 5, &err), 0);
	ck_assert_int_eq(f.n, 2);  /* no link */
	ck_assert_uint_eq(f.attrs[0].map_flags, 0);
	ck_assert_int_eq(a.links[0].how, RB_LINK_STRUCT_OPS);
	ck_assert_int_eq(rb_attach_detach_all(&a), 0);
	ck_assert_int_eq(f.cmds[2], BPF_MAP_DELETE_ELEM);
	ck_assert_uint_eq(f.attrs[2].map_fd, 60);
	ck_assert_int_eq(f.closes, 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("attach kinds (links)");
	TCase *tc = tcase_create("fake");
	tcase_add_test(tc, new_kinds_have_attachers);
	tcase_add_test(tc, netfilter_link_attr);
	tcase_add_test(tc, netkit_link_attr);
	tcase_add_test(tc, struct_ops_link_registers);
	tcase_add_test(tc, struct_ops_map_registers_and_unregisters);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
