/* The section-name table: libbpf >= 1.0 conventions (SEC("kprobe/...") etc.),
 * so objects written against libbpf's bpf_helpers.h load the same way. */
#include <string.h>

#include "common/buf.h"
#include "common/uapi_compat.h"
#include "elf/obj/object.h"

/* Row builders: T = "/TARGET" may follow, S = sleepable. */
#define ROW(n, pt, at, ak) { n, BPF_PROG_TYPE_##pt, at, RB_ATTACH_##ak, false, false, false, 0 }
#define ROW_T(n, pt, at, ak) { n, BPF_PROG_TYPE_##pt, at, RB_ATTACH_##ak, true, false, false, 0 }
#define ROW_TS(n, pt, at, ak) { n, BPF_PROG_TYPE_##pt, at, RB_ATTACH_##ak, true, true, false, 0 }
#define ROW_BTF(n, pt, at, ak) { n, BPF_PROG_TYPE_##pt, at, RB_ATTACH_##ak, true, false, true, 0 }
#define ROW_BTFS(n, pt, at, ak) { n, BPF_PROG_TYPE_##pt, at, RB_ATTACH_##ak, true, true, true, 0 }
#define ROW_FRAGS(n, at, ak) { n, BPF_PROG_TYPE_XDP, at, RB_ATTACH_##ak, false, false, false, \
			       BPF_F_XDP_HAS_FRAGS }

/* Order matters where one name is a prefix of another only through '.'
 * ("xdp.frags/devmap" before "xdp"): matching needs an exact name or
 * name + '/', so "kprobe" never matches "kprobe.multi/x". */
static const struct rb_sec_def sec_defs[] = {
	ROW("socket", SOCKET_FILTER, 0, SOCKET),
	ROW("sk_reuseport/migrate", SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, REUSEPORT),
	ROW("sk_reuseport", SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, REUSEPORT),
	ROW_T("kprobe", KPROBE, 0, KPROBE),
	ROW_T("uprobe", KPROBE, 0, UPROBE),
	ROW_TS("uprobe.s", KPROBE, 0, UPROBE),
	ROW_T("kretprobe", KPROBE, 0, KRETPROBE),
	ROW_T("uretprobe", KPROBE, 0, URETPROBE),
	ROW_TS("uretprobe.s", KPROBE, 0, URETPROBE),
	ROW_T("kprobe.multi", KPROBE, BPF_TRACE_KPROBE_MULTI, KPROBE_MULTI),
	ROW_T("kretprobe.multi", KPROBE, BPF_TRACE_KPROBE_MULTI, KRETPROBE_MULTI),
	ROW_T("kprobe.session", KPROBE, RB_BPF_TRACE_KPROBE_SESSION, KPROBE_SESSION),
	ROW_T("uprobe.multi", KPROBE, RB_BPF_TRACE_UPROBE_MULTI, UPROBE_MULTI),
	ROW_T("uretprobe.multi", KPROBE, RB_BPF_TRACE_UPROBE_MULTI, URETPROBE_MULTI),
	ROW_T("uprobe.session", KPROBE, RB_BPF_TRACE_UPROBE_SESSION, UPROBE_SESSION),
	ROW_TS("uprobe.multi.s", KPROBE, RB_BPF_TRACE_UPROBE_MULTI, UPROBE_MULTI),
	ROW_TS("uretprobe.multi.s", KPROBE, RB_BPF_TRACE_UPROBE_MULTI, URETPROBE_MULTI),
	ROW_TS("uprobe.session.s", KPROBE, RB_BPF_TRACE_UPROBE_SESSION, UPROBE_SESSION),
	ROW_T("ksyscall", KPROBE, 0, KSYSCALL),
	ROW_T("kretsyscall", KPROBE, 0, KRETSYSCALL),
	ROW_T("usdt", KPROBE, 0, USDT),
	ROW_TS("usdt.s", KPROBE, 0, USDT),
	/* libbpf treats tc/ingress|egress as aliases of tcx. */
	ROW("tc/ingress", SCHED_CLS, RB_BPF_TCX_INGRESS, TCX),
	ROW("tc/egress", SCHED_CLS, RB_BPF_TCX_EGRESS, TCX),
	ROW("tcx/ingress", SCHED_CLS, RB_BPF_TCX_INGRESS, TCX),
	ROW("tcx/egress", SCHED_CLS, RB_BPF_TCX_EGRESS, TCX),
	ROW("netkit/primary", SCHED_CLS, RB_BPF_NETKIT_PRIMARY, NETKIT),
	ROW("netkit/peer", SCHED_CLS, RB_BPF_NETKIT_PEER, NETKIT),
	ROW("tc", SCHED_CLS, 0, TC),
	ROW("classifier", SCHED_CLS, 0, TC),
	ROW("action", SCHED_ACT, 0, TC),
	ROW_T("tracepoint", TRACEPOINT, 0, TRACEPOINT),
	ROW_T("tp", TRACEPOINT, 0, TRACEPOINT),
	ROW_T("raw_tracepoint", RAW_TRACEPOINT, 0, RAW_TP),
	ROW_T("raw_tp", RAW_TRACEPOINT, 0, RAW_TP),
	ROW_T("raw_tracepoint.w", RAW_TRACEPOINT_WRITABLE, 0, RAW_TP),
	ROW_T("raw_tp.w", RAW_TRACEPOINT_WRITABLE, 0, RAW_TP),
	ROW_BTF("tp_btf", TRACING, BPF_TRACE_RAW_TP, TRACING),
	ROW_BTF("fentry", TRACING, BPF_TRACE_FENTRY, TRACING),
	ROW_BTF("fmod_ret", TRACING, BPF_MODIFY_RETURN, TRACING),
	ROW_BTF("fexit", TRACING, BPF_TRACE_FEXIT, TRACING),
	ROW_BTFS("fentry.s", TRACING, BPF_TRACE_FENTRY, TRACING),
	ROW_BTFS("fmod_ret.s", TRACING, BPF_MODIFY_RETURN, TRACING),
	ROW_BTFS("fexit.s", TRACING, BPF_TRACE_FEXIT, TRACING),
	ROW_BTF("freplace", EXT, 0, FREPLACE),
	ROW_BTF("lsm", LSM, BPF_LSM_MAC, LSM),
	ROW_BTFS("lsm.s", LSM, BPF_LSM_MAC, LSM),
	ROW_BTF("lsm_cgroup", LSM, BPF_LSM_CGROUP, LSM_CGROUP),
	ROW_BTF("iter", TRACING, BPF_TRACE_ITER, ITER),
	ROW_BTFS("iter.s", TRACING, BPF_TRACE_ITER, ITER),
	{ "syscall", BPF_PROG_TYPE_SYSCALL, 0, RB_ATTACH_NONE, false, true, false, 0 },
	ROW_FRAGS("xdp.frags/devmap", BPF_XDP_DEVMAP, XDP_MAP),
	ROW("xdp/devmap", XDP, BPF_XDP_DEVMAP, XDP_MAP),
	ROW_FRAGS("xdp.frags/cpumap", BPF_XDP_CPUMAP, XDP_MAP),
	ROW("xdp/cpumap", XDP, BPF_XDP_CPUMAP, XDP_MAP),
	ROW_FRAGS("xdp.frags", BPF_XDP, XDP),
	ROW("xdp", XDP, BPF_XDP, XDP),
	ROW("perf_event", PERF_EVENT, 0, PERF_EVENT),
	ROW("lwt_in", LWT_IN, 0, NONE),
	ROW("lwt_out", LWT_OUT, 0, NONE),
	ROW("lwt_xmit", LWT_XMIT, 0, NONE),
	ROW("lwt_seg6local", LWT_SEG6LOCAL, 0, NONE),
	ROW("sockops", SOCK_OPS, BPF_CGROUP_SOCK_OPS, CGROUP),
	ROW("sk_skb/stream_parser", SK_SKB, BPF_SK_SKB_STREAM_PARSER, SOCKMAP),
	ROW("sk_skb/stream_verdict", SK_SKB, BPF_SK_SKB_STREAM_VERDICT, SOCKMAP),
	ROW("sk_skb/verdict", SK_SKB, BPF_SK_SKB_VERDICT, SOCKMAP),
	ROW("sk_skb", SK_SKB, 0, NONE),
	ROW("sk_msg", SK_MSG, BPF_SK_MSG_VERDICT, SOCKMAP),
	ROW("lirc_mode2", LIRC_MODE2, BPF_LIRC_MODE2, LIRC),
	ROW("flow_dissector", FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, NETNS),
	ROW("cgroup_skb/ingress", CGROUP_SKB, BPF_CGROUP_INET_INGRESS, CGROUP),
	ROW("cgroup_skb/egress", CGROUP_SKB, BPF_CGROUP_INET_EGRESS, CGROUP),
	ROW("cgroup/skb", CGROUP_SKB, 0, NONE),
	ROW("cgroup/sock_create", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, CGROUP),
	ROW("cgroup/sock_release", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE, CGROUP),
	ROW("cgroup/sock", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, CGROUP),
	ROW("cgroup/post_bind4", CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, CGROUP),
	ROW("cgroup/post_bind6", CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, CGROUP),
	ROW("cgroup/bind4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, CGROUP),
	ROW("cgroup/bind6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, CGROUP),
	ROW("cgroup/connect4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, CGROUP),
	ROW("cgroup/connect6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, CGROUP),
	ROW("cgroup/connect_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_CONNECT, CGROUP),
	ROW("cgroup/sendmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, CGROUP),
	ROW("cgroup/sendmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, CGROUP),
	ROW("cgroup/sendmsg_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_SENDMSG, CGROUP),
	ROW("cgroup/recvmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG, CGROUP),
	ROW("cgroup/recvmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG, CGROUP),
	ROW("cgroup/recvmsg_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_RECVMSG, CGROUP),
	ROW("cgroup/getpeername4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME, CGROUP),
	ROW("cgroup/getpeername6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME, CGROUP),
	ROW("cgroup/getpeername_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_GETPEERNAME, CGROUP),
	ROW("cgroup/getsockname4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME, CGROUP),
	ROW("cgroup/getsockname6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME, CGROUP),
	ROW("cgroup/getsockname_unix", CGROUP_SOCK_ADDR, RB_BPF_CGROUP_UNIX_GETSOCKNAME, CGROUP),
	ROW("cgroup/sysctl", CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, CGROUP),
	ROW("cgroup/getsockopt", CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, CGROUP),
	ROW("cgroup/setsockopt", CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, CGROUP),
	ROW("cgroup/dev", CGROUP_DEVICE, BPF_CGROUP_DEVICE, CGROUP),
	ROW_T("struct_ops", STRUCT_OPS, 0, STRUCT_OPS),
	ROW_TS("struct_ops.s", STRUCT_OPS, 0, STRUCT_OPS),
	ROW("sk_lookup", SK_LOOKUP, BPF_SK_LOOKUP, NETNS),
	/* target: the hook, "netfilter/ipv4:local_in[:PRIORITY]" (rawbpf's convention) */
	{ "netfilter", RB_BPF_PROG_TYPE_NETFILTER, RB_BPF_NETFILTER, RB_ATTACH_NETFILTER,
	  true, false, false, 0 },
};

/* libbpf's rule: "name" matches exactly; a row allowing a target also
 * matches "name/anything". */
static bool sec_def_matches(const struct rb_sec_def *d, const char *sec, const char **target)
{
	size_t n = strlen(d->name);
	if (strncmp(sec, d->name, n) != 0)
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
	const char *dummy;
	if (!target)
		target = &dummy;
	*target = "";
	if (!sec_name)
		return NULL;
	for (size_t i = 0; i < RB_ARRAY_SIZE(sec_defs); i++)
		if (sec_def_matches(&sec_defs[i], sec_name, target))
			return &sec_defs[i];
	*target = "";
	return NULL;
}

const struct rb_sec_def *rb_sec_defs(size_t *count)
{
	*count = RB_ARRAY_SIZE(sec_defs);
	return sec_defs;
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
