/* The section-name table: libbpf >= 1.0 conventions (SEC("kprobe/...") etc.),
 * so objects written against libbpf's bpf_helpers.h load the same way. */
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/strtab.h"
#include "common/uapi_compat.h"
#include "elf/obj/object.h"

/* Row flags: T = "/TARGET" may follow, S = sleepable, B = the target is a
 * kernel BTF name, FRAGS = BPF_F_XDP_HAS_FRAGS. */
enum { T = 1, S = 2, B = 4, FRAGS = 8 };
/* Newer than the build headers. */
enum { BPF_PROG_TYPE_RB_NETFILTER = RB_BPF_PROG_TYPE_NETFILTER };

/* Beginnings many names share, stored once: a row gives one of them (_ for
 * none) and the rest of its name: E(CG, "connect4", ...) is "cgroup/connect4". */
enum { _, CG, CG_SKB, UP, URP, SK_SKB };
static const char sec_prefixes[] = "cgroup/\0cgroup_skb/\0uprobe.\0uretprobe.\0sk_skb/\0";

/* The table is one list, expanded twice: the names into one NUL-separated
 * string and the rest into 5-byte rows in the same order (pointers to names
 * would cost more than the rows).
 *
 * Order matters where one name is a prefix of another only through '.'
 * ("xdp.frags/devmap" before "xdp"): matching needs an exact name or
 * name + '/', so "kprobe" never matches "kprobe.multi/x". */
#define SEC_DEFS(E) \
	E(_, "socket", SOCKET_FILTER, 0, SOCKET, 0) \
	E(_, "sk_reuseport/migrate", SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, REUSEPORT, 0) \
	E(_, "sk_reuseport", SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, REUSEPORT, 0) \
	E(_, "kprobe", KPROBE, 0, KPROBE, T) \
	E(_, "uprobe", KPROBE, 0, UPROBE, T) \
	E(UP, "s", KPROBE, 0, UPROBE, T | S) \
	E(_, "kretprobe", KPROBE, 0, KRETPROBE, T) \
	E(_, "uretprobe", KPROBE, 0, URETPROBE, T) \
	E(URP, "s", KPROBE, 0, URETPROBE, T | S) \
	E(_, "kprobe.multi", KPROBE, BPF_TRACE_KPROBE_MULTI, KPROBE_MULTI, T) \
	E(_, "kretprobe.multi", KPROBE, BPF_TRACE_KPROBE_MULTI, KRETPROBE_MULTI, T) \
	E(_, "kprobe.session", KPROBE, RB_BPF_TRACE_KPROBE_SESSION, KPROBE_SESSION, T) \
	E(UP, "multi", KPROBE, RB_BPF_TRACE_UPROBE_MULTI, UPROBE_MULTI, T) \
	E(URP, "multi", KPROBE, RB_BPF_TRACE_UPROBE_MULTI, URETPROBE_MULTI, T) \
	E(UP, "session", KPROBE, RB_BPF_TRACE_UPROBE_SESSION, UPROBE_SESSION, T) \
	E(UP, "multi.s", KPROBE, RB_BPF_TRACE_UPROBE_MULTI, UPROBE_MULTI, T | S) \
	E(URP, "multi.s", KPROBE, RB_BPF_TRACE_UPROBE_MULTI, URETPROBE_MULTI, T | S) \
	E(UP, "session.s", KPROBE, RB_BPF_TRACE_UPROBE_SESSION, UPROBE_SESSION, T | S) \
	E(_, "ksyscall", KPROBE, 0, KSYSCALL, T) \
	E(_, "kretsyscall", KPROBE, 0, KRETSYSCALL, T) \
	E(_, "usdt", KPROBE, 0, USDT, T) \
	E(_, "usdt.s", KPROBE, 0, USDT, T | S) \
	/* libbpf treats tc/ingress|egress as aliases of tcx. */ \
	E(_, "tc/ingress", SCHED_CLS, RB_BPF_TCX_INGRESS, TCX, 0) \
	E(_, "tc/egress", SCHED_CLS, RB_BPF_TCX_EGRESS, TCX, 0) \
	E(_, "tcx/ingress", SCHED_CLS, RB_BPF_TCX_INGRESS, TCX, 0) \
	E(_, "tcx/egress", SCHED_CLS, RB_BPF_TCX_EGRESS, TCX, 0) \
	E(_, "netkit/primary", SCHED_CLS, RB_BPF_NETKIT_PRIMARY, NETKIT, 0) \
	E(_, "netkit/peer", SCHED_CLS, RB_BPF_NETKIT_PEER, NETKIT, 0) \
	E(_, "tc", SCHED_CLS, 0, TC, 0) \
	E(_, "classifier", SCHED_CLS, 0, TC, 0) \
	E(_, "action", SCHED_ACT, 0, TC, 0) \
	E(_, "tracepoint", TRACEPOINT, 0, TRACEPOINT, T) \
	E(_, "tp", TRACEPOINT, 0, TRACEPOINT, T) \
	E(_, "raw_tracepoint", RAW_TRACEPOINT, 0, RAW_TP, T) \
	E(_, "raw_tp", RAW_TRACEPOINT, 0, RAW_TP, T) \
	E(_, "raw_tracepoint.w", RAW_TRACEPOINT_WRITABLE, 0, RAW_TP, T) \
	E(_, "raw_tp.w", RAW_TRACEPOINT_WRITABLE, 0, RAW_TP, T) \
	E(_, "tp_btf", TRACING, BPF_TRACE_RAW_TP, TRACING, T | B) \
	E(_, "fentry", TRACING, BPF_TRACE_FENTRY, TRACING, T | B) \
	E(_, "fmod_ret", TRACING, BPF_MODIFY_RETURN, TRACING, T | B) \
	E(_, "fexit", TRACING, BPF_TRACE_FEXIT, TRACING, T | B) \
	E(_, "fentry.s", TRACING, BPF_TRACE_FENTRY, TRACING, T | S | B) \
	E(_, "fmod_ret.s", TRACING, BPF_MODIFY_RETURN, TRACING, T | S | B) \
	E(_, "fexit.s", TRACING, BPF_TRACE_FEXIT, TRACING, T | S | B) \
	E(_, "freplace", EXT, 0, FREPLACE, T | B) \
	E(_, "lsm", LSM, BPF_LSM_MAC, LSM, T | B) \
	E(_, "lsm.s", LSM, BPF_LSM_MAC, LSM, T | S | B) \
	E(_, "lsm_cgroup", LSM, BPF_LSM_CGROUP, LSM_CGROUP, T | B) \
	E(_, "iter", TRACING, BPF_TRACE_ITER, ITER, T | B) \
	E(_, "iter.s", TRACING, BPF_TRACE_ITER, ITER, T | S | B) \
	E(_, "syscall", SYSCALL, 0, NONE, S) \
	E(_, "xdp.frags/devmap", XDP, BPF_XDP_DEVMAP, XDP_MAP, FRAGS) \
	E(_, "xdp/devmap", XDP, BPF_XDP_DEVMAP, XDP_MAP, 0) \
	E(_, "xdp.frags/cpumap", XDP, BPF_XDP_CPUMAP, XDP_MAP, FRAGS) \
	E(_, "xdp/cpumap", XDP, BPF_XDP_CPUMAP, XDP_MAP, 0) \
	E(_, "xdp.frags", XDP, BPF_XDP, XDP, FRAGS) \
	E(_, "xdp", XDP, BPF_XDP, XDP, 0) \
	E(_, "perf_event", PERF_EVENT, 0, PERF_EVENT, 0) \
	E(_, "lwt_in", LWT_IN, 0, NONE, 0) \
	E(_, "lwt_out", LWT_OUT, 0, NONE, 0) \
	E(_, "lwt_xmit", LWT_XMIT, 0, NONE, 0) \
	E(_, "lwt_seg6local", LWT_SEG6LOCAL, 0, NONE, 0) \
	E(_, "sockops", SOCK_OPS, BPF_CGROUP_SOCK_OPS, CGROUP, 0) \
	E(SK_SKB, "stream_parser", SK_SKB, BPF_SK_SKB_STREAM_PARSER, SOCKMAP, 0) \
	E(SK_SKB, "stream_verdict", SK_SKB, BPF_SK_SKB_STREAM_VERDICT, SOCKMAP, 0) \
	E(SK_SKB, "verdict", SK_SKB, BPF_SK_SKB_VERDICT, SOCKMAP, 0) \
	E(_, "sk_skb", SK_SKB, 0, NONE, 0) \
	E(_, "sk_msg", SK_MSG, BPF_SK_MSG_VERDICT, SOCKMAP, 0) \
	E(_, "lirc_mode2", LIRC_MODE2, BPF_LIRC_MODE2, LIRC, 0) \
	E(_, "flow_dissector", FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, NETNS, 0) \
	E(CG_SKB, "ingress", CGROUP_SKB, BPF_CGROUP_INET_INGRESS, CGROUP, 0) \
	E(CG_SKB, "egress", CGROUP_SKB, BPF_CGROUP_INET_EGRESS, CGROUP, 0) \
	E(CG, "skb", CGROUP_SKB, 0, NONE, 0) \
	E(CG, "sock_create", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, CGROUP, 0) \
	E(CG, "sock_release", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE, CGROUP, 0) \
	E(CG, "sock", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, CGROUP, 0) \
	E(CG, "post_bind4", CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, CGROUP, 0) \
	E(CG, "post_bind6", CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, CGROUP, 0) \
	E(CG, "bind4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, CGROUP, 0) \
	E(CG, "bind6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, CGROUP, 0) \
	E(CG, "connect4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, CGROUP, 0) \
	E(CG, "connect6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, CGROUP, 0) \
	E(CG, "connect_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_CONNECT, CGROUP, 0) \
	E(CG, "sendmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, CGROUP, 0) \
	E(CG, "sendmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, CGROUP, 0) \
	E(CG, "sendmsg_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_SENDMSG, CGROUP, 0) \
	E(CG, "recvmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG, CGROUP, 0) \
	E(CG, "recvmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG, CGROUP, 0) \
	E(CG, "recvmsg_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_RECVMSG, CGROUP, 0) \
	E(CG, "getpeername4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME, CGROUP, 0) \
	E(CG, "getpeername6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME, CGROUP, 0) \
	E(CG, "getpeername_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_GETPEERNAME, CGROUP, 0) \
	E(CG, "getsockname4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME, CGROUP, 0) \
	E(CG, "getsockname6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME, CGROUP, 0) \
	E(CG, "getsockname_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_GETSOCKNAME, CGROUP, 0) \
	E(CG, "sysctl", CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, CGROUP, 0) \
	E(CG, "getsockopt", CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, CGROUP, 0) \
	E(CG, "setsockopt", CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, CGROUP, 0) \
	E(CG, "dev", CGROUP_DEVICE, BPF_CGROUP_DEVICE, CGROUP, 0) \
	E(_, "struct_ops", STRUCT_OPS, 0, STRUCT_OPS, T) \
	E(_, "struct_ops.s", STRUCT_OPS, 0, STRUCT_OPS, T | S) \
	E(_, "sk_lookup", SK_LOOKUP, BPF_SK_LOOKUP, NETNS, 0) \
	/* target: the hook, "netfilter/ipv4:local_in[:PRIORITY]" (rawbpf's convention) */ \
	E(_, "netfilter", RB_NETFILTER, RB_BPF_NETFILTER, NETFILTER, T)

#define SEC_NAME(p, n, pt, at, ak, f) n "\0"
#define SEC_ROW(p, n, pt, at, ak, f) \
	{ BPF_PROG_TYPE_##pt, at, RB_ATTACH_##ak, (f) & FRAGS ? BPF_F_XDP_HAS_FRAGS : 0, \
	  (f) & T, (f) & S, (f) & B, p },
static const char sec_names[] = SEC_DEFS(SEC_NAME);
static const struct rb_sec_def sec_defs[] = { SEC_DEFS(SEC_ROW) };

static const char *prefix_of(const struct rb_sec_def *d)
{
	return d->prefix ? rb_strtab_at(sec_prefixes, d->prefix - 1u) : "";
}

/* s past word w when s starts with it, else NULL. */
static const char *after(const char *s, const char *w)
{
	size_t n = strlen(w);
	return strncmp(s, w, n) == 0 ? s + n : NULL;
}

/* libbpf's rule: "name" matches exactly; a row allowing a target also
 * matches "name/anything".  name is the row's own part, after its prefix. */
static bool sec_def_matches(const struct rb_sec_def *d, const char *name, const char *sec,
			    const char **target)
{
	sec = after(sec, prefix_of(d));
	sec = sec ? after(sec, name) : NULL;
	if (!sec || !(*sec == '\0' || (d->target && *sec == '/')))
		return false;
	*target = *sec ? sec + 1 : sec;
	return true;
}

const struct rb_sec_def *rb_sec_lookup(const char *sec_name, const char **target)
{
	const char *dummy, *name = sec_names;
	if (!target)
		target = &dummy;
	*target = "";
	if (!sec_name)
		return NULL;
	for (size_t i = 0; i < RB_ARRAY_SIZE(sec_defs); i++, name = rb_strtab_next(name))
		if (sec_def_matches(&sec_defs[i], name, sec_name, target))
			return &sec_defs[i];
	*target = "";
	return NULL;
}

const struct rb_sec_def *rb_sec_defs(size_t *count)
{
	*count = RB_ARRAY_SIZE(sec_defs);
	return sec_defs;
}

const char *rb_sec_def_name(const struct rb_sec_def *def, char out[RB_SEC_NAME_MAX])
{
	const char *name = sec_names;
	for (const struct rb_sec_def *d = sec_defs; d < def; d++)
		name = rb_strtab_next(name);
	snprintf(out, RB_SEC_NAME_MAX, "%s%s", prefix_of(def), name);
	return out;
}

int rb_prog_set_type(struct rb_prog *prog, const char *name, struct rb_err *err)
{
	const struct rb_sec_def *d = rb_sec_lookup(name, NULL);
	if (!d)
		return rb_errf(err, RB_EUSAGE, "--type '%s' is not a known program type; give a "
			       "section name such as xdp, socket, kprobe, tracepoint, cgroup/connect4",
			       name ? name : "");
	prog->def = d;
	prog->prog_type = d->prog_type;
	prog->expected_attach_type = d->attach_type;
	prog->sleepable = d->sleepable;
	prog->prog_flags = d->prog_flags | (d->sleepable ? BPF_F_SLEEPABLE : 0);
	return 0;
}
