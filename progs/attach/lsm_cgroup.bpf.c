/* lsm_cgroup/socket_post_create: processes of the cgroup may not create
 * IPv4 UDP sockets (EPERM), counted in slot 0.  The hook's arguments:
 * (struct socket *sock, int family, int type, int protocol, int kern).
 * Needs Linux >= 6.0 booted with the BPF LSM (the qemu guests are). */
#include "hits.h"

SEC("lsm_cgroup/socket_post_create")
int deny_udp_lsm(__u64 *ctx)
{
	int family = (int)ctx[1], type = (int)ctx[2];
	if (family != 2 /* AF_INET */ || type != 2 /* SOCK_DGRAM */)
		return 1;
	hit(0, 1);
	return 0;
}

LICENSE("GPL");
