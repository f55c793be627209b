/* tc programs on --iface: tcx links (BPF_LINK_CREATE with BPF_TCX_INGRESS /
 * BPF_TCX_EGRESS, Linux >= 6.6) that vanish with their fd; on older kernels
 * a clsact qdisc + cls_bpf filter in direct-action mode made over rtnetlink
 * (own minimal netlink code), deleted again at exit (the qdisc only when
 * this run created it). */
#include "loader/attach/attach.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/if_ether.h>
#include <linux/netlink.h>
#include <linux/pkt_cls.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "common/uapi_compat.h"
#include "loader/bpf.h"

/* Direction: the section target ("tcx/egress", "tc/ingress") or the
 * expected attach type the section table gave. */
static bool is_egress(const struct rb_attach_req *req)
{
	if (req->expected_attach_type == RB_BPF_TCX_EGRESS || req->expected_attach_type == BPF_CGROUP_INET_EGRESS)
		return req->expected_attach_type == RB_BPF_TCX_EGRESS;
	const char *t = req->target ? req->target : "";
	return strstr(t, "egress") != NULL || strstr(req->sec_name ? req->sec_name : "", "egress") != NULL;
}

int rb_attach_dev_link(struct rb_attach *a, const struct rb_attach_req *req, int ifindex,
		       uint32_t attach_type)
{
	/* link_create.tcx / .netkit = {relative_fd/id, expected_revision}: zero = append */
	uint64_t tail[2] = {0, 0};
	struct rb_link_create_opts o = {.prog_fd = req->prog_fd, .target_fd = ifindex,
					.attach_type = attach_type, .tail = tail, .tail_size = sizeof(tail)};
	return rb_bpf_link_create(a->sys, &o);
}

int rb_attach_tc(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	int ifindex;
	int rc = rb_attach_ifindex(a, req, &ifindex, err);
	if (rc < 0)
		return rc;
	bool egress = is_egress(req);
	if (!a->opts->tc_netlink) {
		const char *dir = egress ? "egress" : "ingress";
		rc = rb_attach_dev_link(a, req, ifindex, egress ? RB_BPF_TCX_EGRESS : RB_BPF_TCX_INGRESS);
		if (rc >= 0)
			return rb_attach_keep(a, req, RB_LINK_BPF, "tcx", rc, err, "%s %s", a->opts->iface, dir);
		if (rc != -EINVAL && rc != -EOPNOTSUPP)
			return rb_errnof(err, RB_EKERNEL, -rc, "tcx %s on %s: BPF_LINK_CREATE failed", dir,
					 a->opts->iface);
		if (a->notes)
			fprintf(a->notes, "tc: no tcx links on this kernel (< 6.6); using clsact + cls_bpf\n");
	}
	return rb_tc_netlink_attach(a, req, ifindex, egress, err);
}

/* ---- rtnetlink ------------------------------------------------------------ */

struct nl_req {
	struct nlmsghdr nh;
	struct tcmsg tc;
	char attrs[256];
};

static bool put_attr(struct nl_req *r, uint16_t type, const void *data, size_t len)
{
	size_t off = NLMSG_ALIGN(r->nh.nlmsg_len);
	size_t need = RTA_LENGTH(len);
	if (off + RTA_ALIGN(need) > sizeof(*r))
		return false;
	struct rtattr *rta = (struct rtattr *)((char *)r + off);
	rta->rta_type = type;
	rta->rta_len = (uint16_t)need;
	if (len)
		memcpy(RTA_DATA(rta), data, len);
	r->nh.nlmsg_len = (uint32_t)(off + RTA_ALIGN(need));
	return true;
}

static struct rtattr *nest_begin(struct nl_req *r, uint16_t type)
{
	struct rtattr *rta = (struct rtattr *)((char *)r + NLMSG_ALIGN(r->nh.nlmsg_len));
	return put_attr(r, type | NLA_F_NESTED, NULL, 0) ? rta : NULL;
}

static void nest_end(struct nl_req *r, struct rtattr *nest)
{
	nest->rta_len = (uint16_t)((char *)r + r->nh.nlmsg_len - (char *)nest);
}

static void init_req(struct nl_req *r, uint16_t type, uint16_t flags, int ifindex,
		     uint32_t parent, uint32_t handle, uint32_t info)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_len = NLMSG_LENGTH(sizeof(struct tcmsg));
	r->nh.nlmsg_type = type;
	r->nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | flags;
	r->nh.nlmsg_seq = 1;
	r->tc.tcm_family = AF_UNSPEC;
	r->tc.tcm_ifindex = ifindex;
	r->tc.tcm_parent = parent;
	r->tc.tcm_handle = handle;
	r->tc.tcm_info = info;
}

/* Sends one request and waits for its NLMSG_ERROR ack: 0 or -errno. */
static int nl_talk(const struct rb_sys *sys, struct nl_req *r)
{
	long fd = rb_sys_call(sys, SYS_socket, AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE, 0, 0, 0);
	if (fd < 0)
		return (int)fd;
	struct sockaddr_nl sa = {.nl_family = AF_NETLINK};
	long rc = rb_sys_call(sys, SYS_sendto, fd, (long)r, r->nh.nlmsg_len, 0, (long)&sa, sizeof(sa));
	char buf[4096];
	while (rc >= 0) {
		rc = rb_sys_call(sys, SYS_recvfrom, fd, (long)buf, sizeof(buf), 0, 0, 0);
		if (rc < 0)
			break;
		size_t len = (size_t)rc;
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, len); h = NLMSG_NEXT(h, len)) {
			if (h->nlmsg_type != NLMSG_ERROR || h->nlmsg_len < NLMSG_LENGTH(sizeof(struct nlmsgerr)))
				continue;
			const struct nlmsgerr *e = NLMSG_DATA(h);
			rb_sys_close(sys, (int)fd);
			return e->error;
		}
	}
	rb_sys_close(sys, (int)fd);
	return (int)rc;
}

static int qdisc_clsact(const struct rb_sys *sys, int ifindex, bool add)
{
	struct nl_req r;
	init_req(&r, add ? RTM_NEWQDISC : RTM_DELQDISC, add ? NLM_F_CREATE | NLM_F_EXCL : 0, ifindex,
		 TC_H_CLSACT, TC_H_MAKE(TC_H_CLSACT, 0), 0);
	put_attr(&r, TCA_KIND, "clsact", sizeof("clsact"));
	return nl_talk(sys, &r);
}

static int filter_bpf(const struct rb_sys *sys, const struct rb_link *l, int prog_fd, bool add)
{
	struct nl_req r;
	init_req(&r, add ? RTM_NEWTFILTER : RTM_DELTFILTER, add ? NLM_F_CREATE | NLM_F_EXCL : 0,
		 l->ifindex, l->tc_parent, l->tc_handle, TC_H_MAKE(l->tc_prio << 16, htons(ETH_P_ALL)));
	put_attr(&r, TCA_KIND, "bpf", sizeof("bpf"));
	if (add) {
		uint32_t fd = (uint32_t)prog_fd, flags = TCA_BPF_FLAG_ACT_DIRECT;
		struct rtattr *opts = nest_begin(&r, TCA_OPTIONS);
		if (!opts || !put_attr(&r, TCA_BPF_FD, &fd, sizeof(fd)) ||
		    !put_attr(&r, TCA_BPF_NAME, l->prog_name, strlen(l->prog_name) + 1) ||
		    !put_attr(&r, TCA_BPF_FLAGS, &flags, sizeof(flags)))
			return -E2BIG;
		nest_end(&r, opts);
	}
	return nl_talk(sys, &r);
}

int rb_tc_netlink_attach(struct rb_attach *a, const struct rb_attach_req *req, int ifindex,
			 bool egress, struct rb_err *err)
{
	int rc = qdisc_clsact(a->sys, ifindex, true);
	if (rc < 0 && rc != -EEXIST)
		return rb_errnof(err, RB_EKERNEL, -rc, "tc on %s: adding the clsact qdisc failed", a->opts->iface);
	bool ours = rc == 0;
	rc = rb_attach_keep(a, req, RB_LINK_TC_NETLINK, "tc", -1, err, "%s %s (clsact)", a->opts->iface,
			    egress ? "egress" : "ingress");
	if (rc < 0)
		return rc;
	struct rb_link *l = &a->links[a->n_links - 1];
	l->ifindex = ifindex;
	l->tc_qdisc_ours = ours;
	l->tc_parent = TC_H_MAKE(TC_H_CLSACT, egress ? TC_H_MIN_EGRESS : TC_H_MIN_INGRESS);
	l->tc_handle = 1;
	l->tc_prio = 0xc000 + (a->probe_seq++ & 0x3fff);  /* distinct per filter of this run */
	rc = filter_bpf(a->sys, l, req->prog_fd, true);
	if (rc < 0) {
		if (l->tc_qdisc_ours)
			qdisc_clsact(a->sys, ifindex, false);
		a->n_links--;
		return rb_errnof(err, RB_EKERNEL, -rc, "tc on %s: adding the cls_bpf filter failed", a->opts->iface);
	}
	return 0;
}

int rb_tc_netlink_detach(struct rb_attach *a, const struct rb_link *l, struct rb_err *err)
{
	/* deleting the qdisc we made deletes its filters with it */
	int rc = l->tc_qdisc_ours ? qdisc_clsact(a->sys, l->ifindex, false)
				  : filter_bpf(a->sys, l, -1, false);
	if (rc < 0 && rc != -ENODEV)
		return rb_errnof(err, RB_EKERNEL, -rc, "tc: deleting the %s failed",
				 l->tc_qdisc_ours ? "clsact qdisc" : "cls_bpf filter");
	return 0;
}
