/* cgroup/connect4: connect(2) to any IPv4 address on port 9 fails with
 * EPERM instead of reaching the network (counted in slot 0). */
#include <rawbpf/endian.h>
#include "hits.h"

SEC("cgroup/connect4")
int deny_port9(struct bpf_sock_addr *ctx)
{
	if (ctx->user_port != bpf_htons(9))
		return 1;
	hit(0, 1);
	return 0;
}

LICENSE("GPL");
