/* fentry on a function of a kernel module: nf_conntrack's nf_conntrack_in,
 * whose BTF is in /sys/kernel/btf/nf_conntrack, not in vmlinux.  The loader
 * must find the target there and pass the module's BTF object fd beside
 * attach_btf_id at load (attach_btf_obj_fd, Linux >= 5.11). */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

char LICENSE[] SEC("license") = "GPL";

__u64 calls;

SEC("fentry/nf_conntrack_in")
int count_ct_in(void *ctx)
{
	__sync_fetch_and_add(&calls, 1);
	return 0;
}
