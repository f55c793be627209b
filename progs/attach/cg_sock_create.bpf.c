/* cgroup/sock_create: the cgroup's processes may not create UDP sockets
 * (socket(2) fails with EPERM); every refusal is counted in slot 0. */
#include "hits.h"

SEC("cgroup/sock_create")
int deny_udp(struct bpf_sock *sk)
{
	if (sk->protocol != 17 /* IPPROTO_UDP */)
		return 1;
	hit(0, 1);
	return 0;
}

LICENSE("GPL");
