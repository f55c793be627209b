/* Load benchmark: a program of about 2,000 instructions (an unrolled mix of
 * helper results), so verification time shows. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

SEC("socket")
int big_mix(struct __sk_buff *skb)
{
	__u64 h = skb->len;
#pragma unroll
	for (int i = 0; i < 500; i++)
		h = (h * 31) ^ (bpf_get_prandom_u32() + i);
	return (int)(h & 0xffff);
}

LICENSE("GPL");
