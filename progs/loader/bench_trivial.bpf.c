/* Load benchmark: the smallest useful object, a socket filter. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

SEC("socket")
int keep_all(struct __sk_buff *skb)
{
	return -1;
}

LICENSE("GPL");
