/* The section-name table: libbpf >= 1.0 conventions (SEC("kprobe/...") etc.),
 * so objects written against libbpf's bpf_helpers.h load the same way. */
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

/* The table is one list, expanded twice: the names into one NUL-separated
 * string and the rest into 5-byte rows in the same order (pointers to names
 * would cost more than the rows).
 *
 * Order matters where one name is a prefix of another only through '.'
 * ("xdp.frags/devmap" before "xdp"): matching needs an exact name or
 * name + '/', so "kprobe" never matches "kprobe.multi/x". */
#define SEC_DEFS(E) \
	E("socket", SOCKET_FILTER, 0, SOCKET, 0) \
	E("sk_reuseport/migrate", SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, REUSEPORT, 0) \
	E("sk_reuseport", SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, REUSEPORT, 0) \
	E("kprobe", KPROBE, 0, KPROBE, T) \
	E("uprobe", KPROBE, 0, UPROBE, T) \
	E("uprobe.s", KPROBE, 0, UPROBE, T | S) \
	E("kretprobe", KPROBE, 0, KRETPROBE, T) \
	E("uretprobe", KPROBE, 0, URETPROBE, T) \
	E("uretprobe.s", KPROBE, 0, URETPROBE, T | S) \
	E("kprobe.multi", KPROBE, BPF_TRACE_KPROBE_MULTI, KPROBE_MULTI, T) \
	E("kretprobe.multi", KPROBE, BPF_TRACE_KPROBE_MULTI, KRETPROBE_MULTI, T) \
	E("kprobe.session", KPROBE, RB_BPF_TRACE_KPROBE_SESSION, KPROBE_SESSION, T) \
	E("uprobe.multi", KPROBE, RB_BPF_TRACE_UPROBE_MULTI, UPROBE_MULTI, T) \
	E("uretprobe.multi", KPROBE, RB_BPF_TRACE_UPROBE_MULTI, URETPROBE_MULTI, T) \
	E("uprobe.session", KPROBE, RB_BPF_TRACE_UPROBE_SESSION, UPROBE_SESSION, T) \
	E("uprobe.multi.s", KPROBE, RB_BPF_TRACE_UPROBE_MULTI, UPROBE_MULTI, T | S) \
	E("uretprobe.multi.s", KPROBE, RB_BPF_TRACE_UPROBE_MULTI, URETPROBE_MULTI, T | S) \
	E("uprobe.session.s", KPROBE, RB_BPF_TRACE_UPROBE_SESSION, UPROBE_SESSION, T | S) \
	E("ksyscall", KPROBE, 0, KSYSCALL, T) \
	E("kretsyscall", KPROBE, 0, KRETSYSCALL, T) \
	E("usdt", KPROBE, 0, USDT, T) \
	E("usdt.s", KPROBE, 0, USDT, T | S) \
	/* libbpf treats tc/ingress|egress as aliases of tcx. */ \
	E("tc/ingress", SCHED_CLS, RB_BPF_TCX_INGRESS, TCX, 0) \
	E("tc/egress", SCHED_CLS, RB_BPF_TCX_EGRESS, TCX, 0) \
	E("tcx/ingress", SCHED_CLS, RB_BPF_TCX_INGRESS, TCX, 0) \
	E("tcx/egress", SCHED_CLS, RB_BPF_TCX_EGRESS, TCX, 0) \
	E("netkit/primary", SCHED_CLS, RB_BPF_NETKIT_PRIMARY, NETKIT, 0) \
	E("netkit/peer", SCHED_CLS, RB_BPF_NETKIT_PEER, NETKIT, 0) \
	E("tc", SCHED_CLS, 0, TC, 0) \
	E("classifier", SCHED_CLS, 0, TC, 0) \
	E("action", SCHED_ACT, 0, TC, 0) \
	E("tracepoint", TRACEPOINT, 0, TRACEPOINT, T) \
	E("tp", TRACEPOINT, 0, TRACEPOINT, T) \
	E("raw_tracepoint", RAW_TRACEPOINT, 0, RAW_TP, T) \
	E("raw_tp", RAW_TRACEPOINT, 0, RAW_TP, T) \
	E("raw_tracepoint.w", RAW_TRACEPOINT_WRITABLE, 0, RAW_TP, T) \
	E("raw_tp.w", RAW_TRACEPOINT_WRITABLE, 0, RAW_TP, T) \
	E("tp_btf", TRACING, BPF_TRACE_RAW_TP, TRACING, T | B) \
	E("fentry", TRACING, BPF_TRACE_FENTRY, TRACING, T | B) \
	E("fmod_ret", TRACING, BPF_MODIFY_RETURN, TRACING, T | B) \
	E("fexit", TRACING, BPF_TRACE_FEXIT, TRACING, T | B) \
	E("fentry.s", TRACING, BPF_TRACE_FENTRY, TRACING, T | S | B) \
	E("fmod_ret.s", TRACING, BPF_MODIFY_RETURN, TRACING, T | S | B) \
	E("fexit.s", TRACING, BPF_TRACE_FEXIT, TRACING, T | S | B) \
	E("freplace", EXT, 0, FREPLACE, T | B) \
	E("lsm", LSM, BPF_LSM_MAC, LSM, T | B) \
	E("lsm.s", LSM, BPF_LSM_MAC, LSM, T | S | B) \
	E("lsm_cgroup", LSM, BPF_LSM_CGROUP, LSM_CGROUP, T | B) \
	E("iter", TRACING, BPF_TRACE_ITER, ITER, T | B) \
	E("iter.s", TRACING, BPF_TRACE_ITER, ITER, T | S | B) \
	E("syscall", SYSCALL, 0, NONE, S) \
	E("xdp.frags/devmap", XDP, BPF_XDP_DEVMAP, XDP_MAP, FRAGS) \
	E("xdp/devmap", XDP, BPF_XDP_DEVMAP, XDP_MAP, 0) \
	E("xdp.frags/cpumap", XDP, BPF_XDP_CPUMAP, XDP_MAP, FRAGS) \
	E("xdp/cpumap", XDP, BPF_XDP_CPUMAP, XDP_MAP, 0) \
	E("xdp.frags", XDP, BPF_XDP, XDP, FRAGS) \
	E("xdp", XDP, BPF_XDP, XDP, 0) \
	E("perf_event", PERF_EVENT, 0, PERF_EVENT, 0) \
	E("lwt_in", LWT_IN, 0, NONE, 0) \
	E("lwt_out", LWT_OUT, 0, NONE, 0) \
	E("lwt_xmit", LWT_XMIT, 0, NONE, 0) \
	E("lwt_seg6local", LWT_SEG6LOCAL, 0, NONE, 0) \
	E("sockops", SOCK_OPS, BPF_CGROUP_SOCK_OPS, CGROUP, 0) \
	E("sk_skb/stream_parser", SK_SKB, BPF_SK_SKB_STREAM_PARSER, SOCKMAP, 0) \
	E("sk_skb/stream_verdict", SK_SKB, BPF_SK_SKB_STREAM_VERDICT, SOCKMAP, 0) \
	E("sk_skb/verdict", SK_SKB, BPF_SK_SKB_VERDICT, SOCKMAP, 0) \
	E("sk_skb", SK_SKB, 0, NONE, 0) \
	E("sk_msg", SK_MSG, BPF_SK_MSG_VERDICT, SOCKMAP, 0) \
	E("lirc_mode2", LIRC_MODE2, BPF_LIRC_MODE2, LIRC, 0) \
	E("flow_dissector", FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, NETNS, 0) \
	E("cgroup_skb/ingress", CGROUP_SKB, BPF_CGROUP_INET_INGRESS, CGROUP, 0) \
	E("cgroup_skb/egress", CGROUP_SKB, BPF_CGROUP_INET_EGRESS, CGROUP, 0) \
	E("cgroup/skb", CGROUP_SKB, 0, NONE, 0) \
	E("cgroup/sock_create", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, CGROUP, 0) \
	E("cgroup/sock_release", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE, CGROUP, 0) \
	E("cgroup/sock", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, CGROUP, 0) \
	E("cgroup/post_bind4", CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, CGROUP, 0) \
	E("cgroup/post_bind6", CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, CGROUP, 0) \
	E("cgroup/bind4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, CGROUP, 0) \
	E("cgroup/bind6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, CGROUP, 0) \
	E("cgroup/connect4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, CGROUP, 0) \
	E("cgroup/connect6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, CGROUP, 0) \
	E("cgroup/connect_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_CONNECT, CGROUP, 0) \
	E("cgroup/sendmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, CGROUP, 0) \
	E("cgroup/sendmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, CGROUP, 0) \
	E("cgroup/sendmsg_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_SENDMSG, CGROUP, 0) \
	E("cgroup/recvmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG, CGROUP, 0) \
	E("cgroup/recvmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG, CGROUP, 0) \
	E("cgroup/recvmsg_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_RECVMSG, CGROUP, 0) \
	E("cgroup/getpeername4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME, CGROUP, 0) \
	E("cgroup/getpeername6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME, CGROUP, 0) \
	E("cgroup/getpeername_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_GETPEERNAME, CGROUP, 0) \
	E("cgroup/getsockname4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME, CGROUP, 0) \
	E("cgroup/getsockname6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME, CGROUP, 0) \
	E("cgroup/getsockname_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_GETSOCKNAME, CGROUP, 0) \
	E("cgroup/sysctl", CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, CGROUP, 0) \
	E("cgroup/getsockopt", CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, CGROUP, 0) \
	E("cgroup/setsockopt", CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, CGROUP, 0) \
	E("cgroup/dev", CGROUP_DEVICE, BPF_CGROUP_DEVICE, CGROUP, 0) \
	E("struct_ops", STRUCT_OPS, 0, STRUCT_OPS, T) \
	E("struct_ops.s", STRUCT_OPS, 0, STRUCT_OPS, T | S) \
	E("sk_lookup", SK_LOOKUP, BPF_SK_LOOKUP, NETNS, 0) \
	/* target: the hook, "netfilter/ipv4:local_in[:PRIORITY]" (rawbpf's convention) */ \
	E("netfilter", RB_NETFILTER, RB_BPF_NETFILTER, NETFILTER, T)

#define SEC_NAME(n, pt, at, ak, f) n "\0"
#define SEC_ROW(n, pt, at, ak, f) \
	{ BPF_PROG_TYPE_##pt, at, RB_ATTACH_##ak, (f) & FRAGS ? BPF_F_XDP_HAS_FRAGS : 0, \
	  (f) & T, (f) & S, (f) & B },
static const char sec_names[] = SEC_DEFS(SEC_NAME);
static const struct rb_sec_def sec_defs[] = { SEC_DEFS(SEC_ROW) };

/* libbpf's rule: "name" matches exactly; a row allowing a target also
 * matches "name/anything". */
static bool sec_def_matches(const struct rb_sec_def *d, const char *name, const char *sec,
			    const char **target)
{
	size_t n = strlen(name);
	if (strncmp(sec, name, n) != 0)
		return false;
	if (sec[n] == '\0') {
		*target = sec + n;
		return true;
	}
	if (d->target && sec[n] == '/') {
		*target = sec + n + 1;
		return true;
	}
	return false;
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

const char *rb_sec_def_name(const struct rb_sec_def *def)
{
	const char *name = sec_names;
	for (const struct rb_sec_def *d = sec_defs; d < def; d++)
		name = rb_strtab_next(name);
	return name;
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
