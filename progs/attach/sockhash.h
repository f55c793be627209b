/* Shared by the sockmap test programs: the sockhash `socks` and a sockops
 * program that puts every established TCP socket of the cgroup into it
 * (slot 2 of hits counts them). */
#ifndef RAWBPF_PROGS_ATTACH_SOCKHASH_H
#define RAWBPF_PROGS_ATTACH_SOCKHASH_H

#include "hits.h"

struct sock_key {
	__u32 local_ip4, remote_ip4, local_port, remote_port;
};

struct {
	__uint(type, BPF_MAP_TYPE_SOCKHASH);
	__uint(max_entries, 64);
	__type(key, struct sock_key);
	__type(value, __u64);
} socks SEC(".maps");

SEC("sockops")
int add_established(struct bpf_sock_ops *skops)
{
	if (skops->op != BPF_SOCK_OPS_ACTIVE_ESTABLISHED_CB &&
	    skops->op != BPF_SOCK_OPS_PASSIVE_ESTABLISHED_CB)
		return 1;
	struct sock_key key = {
		.local_ip4 = skops->local_ip4, .remote_ip4 = skops->remote_ip4,
		.local_port = skops->local_port, .remote_port = skops->remote_port,
	};
	if (bpf_sock_hash_update(skops, &socks, &key, BPF_NOEXIST) == 0)
		hit(2, 1);
	return 1;
}

#endif
