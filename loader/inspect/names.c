/* Name tables: see names.h.  Indexed by the ABI number, so a kernel newer
 * than the build headers still gets its names (numbers never change). */
#include "loader/inspect/names.h"

#include <ctype.h>
#include <errno.h>
#include <string.h>

#include "common/buf.h"
#include "common/strtab.h"

static const char prog_types[] =
	"unspec\0" "socket_filter\0" "kprobe\0" "sched_cls\0" "sched_act\0" "tracepoint\0" "xdp\0"
	"perf_event\0" "cgroup_skb\0" "cgroup_sock\0" "lwt_in\0" "lwt_out\0" "lwt_xmit\0" "sock_ops\0"
	"sk_skb\0" "cgroup_device\0" "sk_msg\0" "raw_tracepoint\0" "cgroup_sock_addr\0"
	"lwt_seg6local\0" "lirc_mode2\0" "sk_reuseport\0" "flow_dissector\0" "cgroup_sysctl\0"
	"raw_tracepoint_writable\0" "cgroup_sockopt\0" "tracing\0" "struct_ops\0" "ext\0" "lsm\0"
	"sk_lookup\0" "syscall\0" "netfilter\0";

static const char map_types[] =
	"unspec\0" "hash\0" "array\0" "prog_array\0" "perf_event_array\0" "percpu_hash\0"
	"percpu_array\0" "stack_trace\0" "cgroup_array\0" "lru_hash\0" "lru_percpu_hash\0"
	"lpm_trie\0" "array_of_maps\0" "hash_of_maps\0" "devmap\0" "sockmap\0" "cpumap\0" "xskmap\0"
	"sockhash\0" "cgroup_storage\0" "reuseport_sockarray\0" "percpu_cgroup_storage\0" "queue\0"
	"stack\0" "sk_storage\0" "devmap_hash\0" "struct_ops\0" "ringbuf\0" "inode_storage\0"
	"task_storage\0" "bloom_filter\0" "user_ringbuf\0" "cgrp_storage\0" "arena\0";

/* By map type number, each type's first release ("-" for unspec). */
static const char map_type_since[] =
	"-\0" "3.19\0" "3.19\0" "4.2\0" "4.3\0" "4.6\0" "4.6\0" "4.6\0" "4.8\0" "4.10\0" "4.10\0"
	"4.11\0" "4.12\0" "4.12\0" "4.14\0" "4.14\0" "4.15\0" "4.18\0" "4.18\0" "4.19\0" "4.19\0"
	"4.20\0" "4.20\0" "4.20\0" "5.2\0" "5.4\0" "5.6\0" "5.8\0" "5.10\0" "5.11\0" "5.16\0"
	"6.1\0" "6.2\0" "6.9\0";

static const char link_types[] =
	"unspec\0" "raw_tracepoint\0" "tracing\0" "cgroup\0" "iter\0" "netns\0" "xdp\0" "perf_event\0"
	"kprobe_multi\0" "struct_ops\0" "netfilter\0" "tcx\0" "uprobe_multi\0" "netkit\0" "sockmap\0";

static const char attach_types[] =
	"cgroup_inet_ingress\0" "cgroup_inet_egress\0" "cgroup_inet_sock_create\0"
	"cgroup_sock_ops\0" "sk_skb_stream_parser\0" "sk_skb_stream_verdict\0" "cgroup_device\0"
	"sk_msg_verdict\0" "cgroup_inet4_bind\0" "cgroup_inet6_bind\0" "cgroup_inet4_connect\0"
	"cgroup_inet6_connect\0" "cgroup_inet4_post_bind\0" "cgroup_inet6_post_bind\0"
	"cgroup_udp4_sendmsg\0" "cgroup_udp6_sendmsg\0" "lirc_mode2\0" "flow_dissector\0"
	"cgroup_sysctl\0" "cgroup_udp4_recvmsg\0" "cgroup_udp6_recvmsg\0" "cgroup_getsockopt\0"
	"cgroup_setsockopt\0" "trace_raw_tp\0" "trace_fentry\0" "trace_fexit\0" "modify_return\0"
	"lsm_mac\0" "trace_iter\0" "cgroup_inet4_getpeername\0" "cgroup_inet6_getpeername\0"
	"cgroup_inet4_getsockname\0" "cgroup_inet6_getsockname\0" "xdp_devmap\0"
	"cgroup_inet_sock_release\0" "xdp_cpumap\0" "sk_lookup\0" "xdp\0" "sk_skb_verdict\0"
	"sk_reuseport_select\0" "sk_reuseport_select_or_migrate\0" "perf_event\0"
	"trace_kprobe_multi\0" "lsm_cgroup\0" "struct_ops\0" "netfilter\0" "tcx_ingress\0"
	"tcx_egress\0" "trace_uprobe_multi\0" "cgroup_unix_connect\0" "cgroup_unix_sendmsg\0"
	"cgroup_unix_recvmsg\0" "cgroup_unix_getpeername\0" "cgroup_unix_getsockname\0"
	"netkit_primary\0" "netkit_peer\0" "trace_kprobe_session\0" "trace_uprobe_session\0";


const char *rb_prog_type_name(uint32_t type) { return rb_strtab_at(prog_types, type); }
const char *rb_map_type_name(uint32_t type) { return rb_strtab_at(map_types, type); }

const char *rb_map_type_since(uint32_t type)
{
	return type == 0 ? NULL : rb_strtab_at(map_type_since, type);
}

const char *rb_link_type_name(uint32_t type) { return rb_strtab_at(link_types, type); }
const char *rb_attach_type_name(uint32_t type) { return rb_strtab_at(attach_types, type); }

int rb_prog_type_by_name(const char *name)
{
	return rb_strtab_index(prog_types, name);
}

int rb_map_type_by_name(const char *name)
{
	return rb_strtab_index(map_types, name);
}

/* Symbolic constants rather than numbers: errno values differ between
 * architectures.  Aliases (EWOULDBLOCK, ENOTSUP, EDEADLOCK) come after the
 * name strace prints, so the first match wins.  One list, expanded twice:
 * the values and the names (a strtab). */
#define ERRNOS(X) \
	X(EPERM) X(ENOENT) X(ESRCH) X(EINTR) X(EIO) X(ENXIO) X(E2BIG) X(ENOEXEC) X(EBADF) X(ECHILD) \
	X(EAGAIN) X(ENOMEM) X(EACCES) X(EFAULT) X(ENOTBLK) X(EBUSY) X(EEXIST) X(EXDEV) X(ENODEV) \
	X(ENOTDIR) X(EISDIR) X(EINVAL) X(ENFILE) X(EMFILE) X(ENOTTY) X(ETXTBSY) X(EFBIG) X(ENOSPC) \
	X(ESPIPE) X(EROFS) X(EMLINK) X(EPIPE) X(EDOM) X(ERANGE) X(EDEADLK) X(ENAMETOOLONG) X(ENOLCK) \
	X(ENOSYS) X(ENOTEMPTY) X(ELOOP) X(ENOMSG) X(EIDRM) X(ENOSTR) X(ENODATA) X(ETIME) X(ENOSR) \
	X(ENOLINK) X(EPROTO) X(EBADMSG) X(EOVERFLOW) X(EBADFD) X(EILSEQ) X(EUSERS) X(ENOTSOCK) \
	X(EDESTADDRREQ) X(EMSGSIZE) X(EPROTOTYPE) X(ENOPROTOOPT) X(EPROTONOSUPPORT) X(ESOCKTNOSUPPORT) \
	X(EOPNOTSUPP) X(EPFNOSUPPORT) X(EAFNOSUPPORT) X(EADDRINUSE) X(EADDRNOTAVAIL) X(ENETDOWN) \
	X(ENETUNREACH) X(ENETRESET) X(ECONNABORTED) X(ECONNRESET) X(ENOBUFS) X(EISCONN) X(ENOTCONN) \
	X(ESHUTDOWN) X(ETOOMANYREFS) X(ETIMEDOUT) X(ECONNREFUSED) X(EHOSTDOWN) X(EHOSTUNREACH) \
	X(EALREADY) X(EINPROGRESS) X(ESTALE) X(EDQUOT) X(ECANCELED) X(ENOKEY) X(EKEYEXPIRED) \
	X(EKEYREVOKED) X(EKEYREJECTED) X(EOWNERDEAD) X(ENOTRECOVERABLE) X(ERFKILL) X(EHWPOISON) \
	X(EWOULDBLOCK) X(ENOTSUP) X(EDEADLOCK)
#define ERRNO_VALUE(e) e,
#define ERRNO_NAME(e) #e "\0"
#define ERRNO_FITS(e) _Static_assert(e < 256, #e " needs a wider errno_values");
ERRNOS(ERRNO_FITS)
static const uint8_t errno_values[] = {ERRNOS(ERRNO_VALUE)};
static const char errno_names[] = ERRNOS(ERRNO_NAME);

/* Kernel-internal codes (include/linux/errno.h) that leak to user space,
 * ENOTSUPP above all: many BPF paths return it.  Fixed numbers everywhere:
 * 512 + the value here. */
#define KERNEL_ERRNOS(X) \
	X(0, ERESTARTSYS) X(1, ERESTARTNOINTR) X(2, ERESTARTNOHAND) X(3, ENOIOCTLCMD) \
	X(4, ERESTART_RESTARTBLOCK) X(5, EPROBE_DEFER) X(6, EOPENSTALE) X(7, ENOPARAM) \
	X(9, EBADHANDLE) X(10, ENOTSYNC) X(11, EBADCOOKIE) X(12, ENOTSUPP) X(13, ETOOSMALL) \
	X(14, ESERVERFAULT) X(15, EBADTYPE) X(16, EJUKEBOX) X(17, EIOCBQUEUED) \
	X(18, ERECALLCONFLICT)
#define KERNEL_VALUE(v, e) v,
#define KERNEL_NAME(v, e) #e "\0"
static const uint8_t kernel_values[] = {KERNEL_ERRNOS(KERNEL_VALUE)};
static const char kernel_names[] = KERNEL_ERRNOS(KERNEL_NAME);

static const char *find_errno(const uint8_t *values, size_t n, const char *names, int err)
{
	for (size_t i = 0; i < n; i++)
		if (values[i] == err)
			return rb_strtab_at(names, i);
	return NULL;
}

const char *rb_errno_name(int err)
{
	if (err >= 512)
		return find_errno(kernel_values, RB_ARRAY_SIZE(kernel_values), kernel_names, err - 512);
	return find_errno(errno_values, RB_ARRAY_SIZE(errno_values), errno_names, err);
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
