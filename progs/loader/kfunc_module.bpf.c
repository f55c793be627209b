/* An XDP program calling kfuncs of a kernel module: nf_conntrack's
 * bpf_xdp_ct_lookup and bpf_ct_release (Linux >= 5.18, in module BTF when
 * nf_conntrack is a module).  The loader passes the module's BTF fd in
 * fd_array and the call's insn.off indexes it.  Types are declared here, not
 * taken from a vmlinux.h: the host's kernel need not have them.
 *
 * It looks up a TCP flow nobody opened: returns XDP_PASS when the kfunc ran
 * and said -ENOENT, XDP_DROP when it found a connection, XDP_ABORTED when it
 * reported anything else. */
#include <linux/bpf.h>
#include <linux/in.h>
#include <rawbpf/helpers.h>

char LICENSE[] SEC("license") = "GPL";

/* A struct, not a forward declaration: the kfunc's prototype is checked
 * kind by kind against the kernel's (as libbpf does); never dereferenced. */
struct nf_conn {
	__u64 opaque;
};

/* nf_conntrack_bpf.c's options (12 bytes: the size Linux 6.1 takes, which
 * later kernels still accept). */
struct bpf_ct_opts {
	__s32 netns_id;
	__s32 error;
	__u8 l4proto;
	__u8 dir;
	__u8 reserved[2];
};

#define CT_CURRENT_NETNS (-1)
#define CT_ENOENT (-2)

extern struct nf_conn *bpf_xdp_ct_lookup(struct xdp_md *xdp_ctx, struct bpf_sock_tuple *tuple,
					 __u32 tuple__sz, struct bpf_ct_opts *opts,
					 __u32 opts__sz) __ksym;
extern void bpf_ct_release(struct nf_conn *ct) __ksym;

SEC("xdp")
int ct_lookup(struct xdp_md *ctx)
{
	struct bpf_sock_tuple tuple = {};
	struct bpf_ct_opts opts = {.netns_id = CT_CURRENT_NETNS, .l4proto = IPPROTO_TCP};
	tuple.ipv4.saddr = 0x0100007f;   /* 127.0.0.1 */
	tuple.ipv4.daddr = 0x0100007f;
	tuple.ipv4.sport = 0x3930;       /* 12345 */
	tuple.ipv4.dport = 0x0900;       /* 9 */
	struct nf_conn *ct = bpf_xdp_ct_lookup(ctx, &tuple, sizeof(tuple.ipv4), &opts, sizeof(opts));
	if (ct) {
		bpf_ct_release(ct);
		return XDP_DROP;
	}
	return opts.error == CT_ENOENT ? XDP_PASS : XDP_ABORTED;
}
