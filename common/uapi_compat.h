/* UAPI constants newer than the Linux 6.1 headers Debian 12 ships.  Each is
 * guarded so newer headers win.  Values are the kernel's ABI and never change. */
#ifndef RAWBPF_COMMON_UAPI_COMPAT_H
#define RAWBPF_COMMON_UAPI_COMPAT_H

#include <linux/bpf.h>

/* enum bpf_attach_type grew after 6.1; the numbers are fixed by the ABI. */
#define RB_BPF_TRACE_UPROBE_MULTI 48  /* Linux >= 6.6 */
#define RB_BPF_TCX_INGRESS 46         /* Linux >= 6.6 */
#define RB_BPF_TCX_EGRESS 47          /* Linux >= 6.6 */
#define RB_BPF_NETKIT_PRIMARY 54      /* Linux >= 6.7 */
#define RB_BPF_NETKIT_PEER 55         /* Linux >= 6.7 */

#define RB_BPF_LINK_TYPE_TCX 11       /* Linux >= 6.6 */
#define RB_BPF_LINK_TYPE_UPROBE_MULTI 12

/* Attach and program types the object model's section table needs (elf/obj). */
#define RB_BPF_STRUCT_OPS 44                 /* Linux >= 6.3 (attach type) */
#define RB_BPF_NETFILTER 45                  /* Linux >= 6.4 */
#define RB_BPF_CGROUP_UNIX_CONNECT 49        /* Linux >= 6.7 */
#define RB_BPF_CGROUP_UNIX_SENDMSG 50
#define RB_BPF_CGROUP_UNIX_RECVMSG 51
#define RB_BPF_CGROUP_UNIX_GETPEERNAME 52
#define RB_BPF_CGROUP_UNIX_GETSOCKNAME 53
#define RB_BPF_TRACE_KPROBE_SESSION 56       /* Linux >= 6.10 */
#define RB_BPF_TRACE_UPROBE_SESSION 57       /* Linux >= 6.13 */
#define RB_BPF_PROG_TYPE_NETFILTER 32        /* Linux >= 6.4 */

/* Map types the sizing policy of loader/load names (enum bpf_map_type). */
#define RB_BPF_MAP_TYPE_CGRP_STORAGE 32      /* Linux >= 6.2 */
#define RB_BPF_MAP_TYPE_ARENA 33             /* Linux >= 6.9 */
/* map_flags: a struct_ops map registered through a bpf link (BPF_F_LINK). */
#define RB_BPF_F_LINK (1U << 13)             /* Linux >= 6.4 */

#endif
