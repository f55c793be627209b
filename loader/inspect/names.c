/* Name tables: see names.h.  Indexed by the ABI number, so a kernel newer
 * than the build headers still gets its names (numbers never change). */
#include "loader/inspect/names.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "common/buf.h"

static const char *const prog_types[] = {
	"unspec", "socket_filter", "kprobe", "sched_cls", "sched_act", "tracepoint", "xdp",
	"perf_event", "cgroup_skb", "cgroup_sock", "lwt_in", "lwt_out", "lwt_xmit", "sock_ops",
	"sk_skb", "cgroup_device", "sk_msg", "raw_tracepoint", "cgroup_sock_addr",
	"lwt_seg6local", "lirc_mode2", "sk_reuseport", "flow_dissector", "cgroup_sysctl",
	"raw_tracepoint_writable", "cgroup_sockopt", "tracing", "struct_ops", "ext", "lsm",
	"sk_lookup", "syscall", "netfilter",
};

static const char *const map_types[] = {
	"unspec", "hash", "array", "prog_array", "perf_event_array", "percpu_hash",
	"percpu_array", "stack_trace", "cgroup_array", "lru_hash", "lru_percpu_hash",
	"lpm_trie", "array_of_maps", "hash_of_maps", "devmap", "sockmap", "cpumap", "xskmap",
	"sockhash", "cgroup_storage", "reuseport_sockarray", "percpu_cgroup_storage", "queue",
	"stack", "sk_storage", "devmap_hash", "struct_ops", "ringbuf", "inode_storage",
	"task_storage", "bloom_filter", "user_ringbuf", "cgrp_storage", "arena",
};

/* by map type number, from each type's first release */
static const char *const map_type_since[] = {
	NULL, "3.19", "3.19", "4.2", "4.3", "4.6", "4.6", "4.6", "4.8", "4.10", "4.10", "4.11",
	"4.12", "4.12", "4.14", "4.14", "4.15", "4.18", "4.18", "4.19", "4.19", "4.20", "4.20",
	"4.20", "5.2", "5.4", "5.6", "5.8", "5.10", "5.11", "5.16", "6.1", "6.2", "6.9",
};

_Static_assert(RB_ARRAY_SIZE(map_type_since) == RB_ARRAY_SIZE(map_types), "one release per map type");

static const char *const link_types[] = {
	"unspec", "raw_tracepoint", "tracing", "cgroup", "iter", "netns", "xdp", "perf_event",
	"kprobe_multi", "struct_ops", "netfilter", "tcx", "uprobe_multi", "netkit", "sockmap",
};

static const char *const attach_types[] = {
	"cgroup_inet_ingress", "cgroup_inet_egress", "cgroup_inet_sock_create",
	"cgroup_sock_ops", "sk_skb_stream_parser", "sk_skb_stream_verdict", "cgroup_device",
	"sk_msg_verdict", "cgroup_inet4_bind", "cgroup_inet6_bind", "cgroup_inet4_connect",
	"cgroup_inet6_connect", "cgroup_inet4_post_bind", "cgroup_inet6_post_bind",
	"cgroup_udp4_sendmsg", "cgroup_udp6_sendmsg", "lirc_mode2", "flow_dissector",
	"cgroup_sysctl", "cgroup_udp4_recvmsg", "cgroup_udp6_recvmsg", "cgroup_getsockopt",
	"cgroup_setsockopt", "trace_raw_tp", "trace_fentry", "trace_fexit", "modify_return",
	"lsm_mac", "trace_iter", "cgroup_inet4_getpeername", "cgroup_inet6_getpeername",
	"cgroup_inet4_getsockname", "cgroup_inet6_getsockname", "xdp_devmap",
	"cgroup_inet_sock_release", "xdp_cpumap", "sk_lookup", "xdp", "sk_skb_verdict",
	"sk_reuseport_select", "sk_reuseport_select_or_migrate", "perf_event",
	"trace_kprobe_multi", "lsm_cgroup", "struct_ops", "netfilter", "tcx_ingress",
	"tcx_egress", "trace_uprobe_multi", "cgroup_unix_connect", "cgroup_unix_sendmsg",
	"cgroup_unix_recvmsg", "cgroup_unix_getpeername", "cgroup_unix_getsockname",
	"netkit_primary", "netkit_peer", "trace_kprobe_session", "trace_uprobe_session",
};


#define TABLE_NAME(table, i) ((i) < RB_ARRAY_SIZE(table) ? (table)[i] : NULL)

const char *rb_prog_type_name(uint32_t type) { return TABLE_NAME(prog_types, type); }
const char *rb_map_type_name(uint32_t type) { return TABLE_NAME(map_types, type); }
const char *rb_map_type_since(uint32_t type) { return TABLE_NAME(map_type_since, type); }
const char *rb_link_type_name(uint32_t type) { return TABLE_NAME(link_types, type); }
const char *rb_attach_type_name(uint32_t type) { return TABLE_NAME(attach_types, type); }

static int index_of(const char *const *table, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(table[i], name) == 0)
			return (int)i;
	return -1;
}

int rb_prog_type_by_name(const char *name)
{
	return index_of(prog_types, RB_ARRAY_SIZE(prog_types), name);
}

int rb_map_type_by_name(const char *name)
{
	return index_of(map_types, RB_ARRAY_SIZE(map_types), name);
}

struct errno_entry {
	int value;
	const char *name;
};

/* Symbolic constants rather than numbers: errno values differ between
 * architectures.  Aliases (EWOULDBLOCK, ENOTSUP, EDEADLOCK) come after the
 * name strace prints, so the first match wins. */
static const struct errno_entry errnos[] = {
	{EPERM, "EPERM"}, {ENOENT, "ENOENT"}, {ESRCH, "ESRCH"}, {EINTR, "EINTR"},
	{EIO, "EIO"}, {ENXIO, "ENXIO"}, {E2BIG, "E2BIG"}, {ENOEXEC, "ENOEXEC"},
	{EBADF, "EBADF"}, {ECHILD, "ECHILD"}, {EAGAIN, "EAGAIN"}, {ENOMEM, "ENOMEM"},
	{EACCES, "EACCES"}, {EFAULT, "EFAULT"}, {ENOTBLK, "ENOTBLK"}, {EBUSY, "EBUSY"},
	{EEXIST, "EEXIST"}, {EXDEV, "EXDEV"}, {ENODEV, "ENODEV"}, {ENOTDIR, "ENOTDIR"},
	{EISDIR, "EISDIR"}, {EINVAL, "EINVAL"}, {ENFILE, "ENFILE"}, {EMFILE, "EMFILE"},
	{ENOTTY, "ENOTTY"}, {ETXTBSY, "ETXTBSY"}, {EFBIG, "EFBIG"}, {ENOSPC, "ENOSPC"},
	{ESPIPE, "ESPIPE"}, {EROFS, "EROFS"}, {EMLINK, "EMLINK"}, {EPIPE, "EPIPE"},
	{EDOM, "EDOM"}, {ERANGE, "ERANGE"}, {EDEADLK, "EDEADLK"},
	{ENAMETOOLONG, "ENAMETOOLONG"}, {ENOLCK, "ENOLCK"}, {ENOSYS, "ENOSYS"},
	{ENOTEMPTY, "ENOTEMPTY"}, {ELOOP, "ELOOP"}, {ENOMSG, "ENOMSG"}, {EIDRM, "EIDRM"},
	{ENOSTR, "ENOSTR"}, {ENODATA, "ENODATA"}, {ETIME, "ETIME"}, {ENOSR, "ENOSR"},
	{ENOLINK, "ENOLINK"}, {EPROTO, "EPROTO"}, {EBADMSG, "EBADMSG"},
	{EOVERFLOW, "EOVERFLOW"}, {EBADFD, "EBADFD"}, {EILSEQ, "EILSEQ"}, {EUSERS, "EUSERS"},
	{ENOTSOCK, "ENOTSOCK"}, {EDESTADDRREQ, "EDESTADDRREQ"}, {EMSGSIZE, "EMSGSIZE"},
	{EPROTOTYPE, "EPROTOTYPE"}, {ENOPROTOOPT, "ENOPROTOOPT"},
	{EPROTONOSUPPORT, "EPROTONOSUPPORT"}, {ESOCKTNOSUPPORT, "ESOCKTNOSUPPORT"},
	{EOPNOTSUPP, "EOPNOTSUPP"}, {EPFNOSUPPORT, "EPFNOSUPPORT"},
	{EAFNOSUPPORT, "EAFNOSUPPORT"}, {EADDRINUSE, "EADDRINUSE"},
	{EADDRNOTAVAIL, "EADDRNOTAVAIL"}, {ENETDOWN, "ENETDOWN"},
	{ENETUNREACH, "ENETUNREACH"}, {ENETRESET, "ENETRESET"},
	{ECONNABORTED, "ECONNABORTED"}, {ECONNRESET, "ECONNRESET"}, {ENOBUFS, "ENOBUFS"},
	{EISCONN, "EISCONN"}, {ENOTCONN, "ENOTCONN"}, {ESHUTDOWN, "ESHUTDOWN"},
	{ETOOMANYREFS, "ETOOMANYREFS"}, {ETIMEDOUT, "ETIMEDOUT"},
	{ECONNREFUSED, "ECONNREFUSED"}, {EHOSTDOWN, "EHOSTDOWN"},
	{EHOSTUNREACH, "EHOSTUNREACH"}, {EALREADY, "EALREADY"},
	{EINPROGRESS, "EINPROGRESS"}, {ESTALE, "ESTALE"}, {EDQUOT, "EDQUOT"},
	{ECANCELED, "ECANCELED"}, {ENOKEY, "ENOKEY"}, {EKEYEXPIRED, "EKEYEXPIRED"},
	{EKEYREVOKED, "EKEYREVOKED"}, {EKEYREJECTED, "EKEYREJECTED"},
	{EOWNERDEAD, "EOWNERDEAD"}, {ENOTRECOVERABLE, "ENOTRECOVERABLE"},
	{ERFKILL, "ERFKILL"}, {EHWPOISON, "EHWPOISON"},
	{EWOULDBLOCK, "EWOULDBLOCK"}, {ENOTSUP, "ENOTSUP"}, {EDEADLOCK, "EDEADLOCK"},
};

/* Kernel-internal codes (include/linux/errno.h) that leak to user space,
 * ENOTSUPP above all: many BPF paths return it.  Fixed numbers everywhere. */
static const struct errno_entry kernel_errnos[] = {
	{512, "ERESTARTSYS"}, {513, "ERESTARTNOINTR"}, {514, "ERESTARTNOHAND"},
	{515, "ENOIOCTLCMD"}, {516, "ERESTART_RESTARTBLOCK"}, {517, "EPROBE_DEFER"},
	{518, "EOPENSTALE"}, {519, "ENOPARAM"}, {521, "EBADHANDLE"}, {522, "ENOTSYNC"},
	{523, "EBADCOOKIE"}, {524, "ENOTSUPP"}, {525, "ETOOSMALL"}, {526, "ESERVERFAULT"},
	{527, "EBADTYPE"}, {528, "EJUKEBOX"}, {529, "EIOCBQUEUED"}, {530, "ERECALLCONFLICT"},
};

static const char *find_errno(const struct errno_entry *t, size_t n, int err)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].value == err)
			return t[i].name;
	return NULL;
}

const char *rb_errno_name(int err)
{
	const char *n = find_errno(errnos, RB_ARRAY_SIZE(errnos), err);
	return n ? n : find_errno(kernel_errnos, RB_ARRAY_SIZE(kernel_errnos), err);
}

const char *rb_errno_text(int err)
{
	if (err == 524)
		return "Operation is not supported";
	if (err >= 512 && err <= 530)
		return "Kernel-internal error";
	return strerror(err);
}

void rb_print_enum_upper(FILE *out, const char *prefix, const char *name, uint32_t value)
{
	fputs(prefix, out);
	if (!name) {
		fprintf(out, "%u", value);
		return;
	}
	for (const char *p = name; *p; p++)
		fputc(toupper((unsigned char)*p), out);
}
