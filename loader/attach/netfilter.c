/* netfilter programs: a BPF_NETFILTER link (Linux >= 6.4 with
 * CONFIG_NETFILTER_BPF_LINK) that registers the program as a netfilter hook
 * of the calling process's network namespace.  Where it hooks comes from
 * --nf FAMILY:HOOK[:PRIORITY][:defrag] or, without it, the section target
 * SEC("netfilter/FAMILY:HOOK[:PRIORITY]") in the same syntax:
 *   FAMILY   ipv4 | ipv6
 *   HOOK     prerouting | local_in | forward | local_out | postrouting
 *   PRIORITY a signed int strictly between INT_MIN and INT_MAX (default 0;
 *            the kernel keeps the two ends for conntrack's first/last hooks)
 *   defrag   BPF_F_NETFILTER_IP_DEFRAG: see reassembled packets (Linux >= 6.6) */
#include "loader/attach/attach.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/strtab.h"
#include "common/uapi_compat.h"
#include "loader/bpf.h"

#define RB_NFPROTO_IPV4 2
#define RB_NFPROTO_IPV6 10
#define RB_NF_F_IP_DEFRAG 1U  /* BPF_F_NETFILTER_IP_DEFRAG */

/* enum nf_inet_hooks order, as a strtab */
static const char hook_names[] = "prerouting\0local_in\0forward\0local_out\0postrouting\0";

static int parse_family(const char *s, uint32_t *pf)
{
	int i = rb_strtab_index("ipv4\0ip\0ipv6\0ip6\0", s);
	*pf = i < 2 ? RB_NFPROTO_IPV4 : RB_NFPROTO_IPV6;
	return i;
}

static int parse_hook(const char *s, uint32_t *hook)
{
	int i = rb_strtab_index(hook_names, s);
	*hook = (uint32_t)i;
	return i;
}

/* PRIORITY, "defrag", or both in either order after FAMILY:HOOK. */
static int parse_tail_field(const char *s, struct rb_nf_hook *h)
{
	if (!strcmp(s, "defrag")) {
		h->flags |= RB_NF_F_IP_DEFRAG;
		return 0;
	}
	char *end;
	errno = 0;
	long v = strtol(s, &end, 0);
	if (!*s || *end || errno || v <= INT_MIN || v >= INT_MAX)
		return -1;
	h->priority = (int32_t)v;
	return 0;
}

int rb_nf_hook_parse(const char *spec, struct rb_nf_hook *h, struct rb_err *err)
{
	*h = (struct rb_nf_hook){0};
	char buf[96], *save = NULL;
	if (snprintf(buf, sizeof(buf), "%s", spec) >= (int)sizeof(buf))
		return rb_errf(err, RB_EUSAGE, "netfilter hook '%.40s...': too long", spec);
	const char *fam = strtok_r(buf, ":", &save), *hook = strtok_r(NULL, ":", &save);
	int bad = !fam || !hook || parse_family(fam, &h->pf) < 0 || parse_hook(hook, &h->hooknum) < 0;
	for (const char *f; !bad && (f = strtok_r(NULL, ":", &save));)
		bad = parse_tail_field(f, h) < 0;
	if (bad)
		return rb_errf(err, RB_EUSAGE, "netfilter hook '%s': expected FAMILY:HOOK[:PRIORITY][:defrag] "
			       "with FAMILY ipv4|ipv6 and HOOK prerouting|local_in|forward|local_out|"
			       "postrouting, e.g. ipv4:local_in:-100", spec);
	return 0;
}

int rb_attach_netfilter(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	const char *spec = a->opts->nf ? a->opts->nf : req->target;
	if (!spec || !*spec)
		return rb_errf(err, RB_EUSAGE, "netfilter: which hook? pass --nf FAMILY:HOOK[:PRIORITY] "
			       "(e.g. --nf ipv4:local_in) or write SEC(\"netfilter/ipv4:local_in\")");
	struct rb_nf_hook h;
	int rc = rb_nf_hook_parse(spec, &h, err);
	if (rc < 0)
		return rc;
	/* link_create.netfilter = {pf, hooknum, priority, flags} */
	struct rb_link_create_opts o = {.prog_fd = req->prog_fd, .attach_type = RB_BPF_NETFILTER,
					.tail = &h, .tail_size = sizeof(h)};
	int fd = rb_bpf_link_create(a->sys, &o);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "netfilter %s: BPF_LINK_CREATE(BPF_NETFILTER) failed%s", spec,
				 fd == -EBUSY ? "; another hook has this priority (choose another)"
				 : fd == -ERANGE ? "; with defrag the priority must be above -400, where "
						   "the kernel's own defragmentation runs"
				 : fd == -EOPNOTSUPP || fd == -EINVAL ? " (Linux >= 6.4 with CONFIG_NETFILTER_BPF_LINK; "
				 "defrag needs 6.6)" : "");
	return rb_attach_keep(a, req, RB_LINK_BPF, "netfilter", fd, err, "%s %s priority %d%s", h.pf == RB_NFPROTO_IPV4 ? "ipv4" : "ipv6",
		 rb_strtab_at(hook_names, h.hooknum), (int)h.priority, h.flags & RB_NF_F_IP_DEFRAG ? " defrag" : "");
}
