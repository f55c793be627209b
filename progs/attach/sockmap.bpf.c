/* Sockmap programs on the sockhash of sockhash.h: sk_msg sees what the
 * sockets send (slot 0: bytes; with drop set, SK_DROP: the send fails with
 * EACCES) and sk_skb/verdict (Linux >= 5.13) what they receive (slot 1:
 * bytes, passed on).  `rawbpf run sockmap.bpf.o --cgroup CG`. */
#include "sockhash.h"

const volatile __u32 drop = 0;

SEC("sk_msg")
int count_sent(struct sk_msg_md *msg)
{
	hit(0, msg->size);
	return drop ? SK_DROP : SK_PASS;
}

SEC("sk_skb/verdict")
int count_received(struct __sk_buff *skb)
{
	hit(1, skb->len);
	return SK_PASS;
}

LICENSE("GPL");
