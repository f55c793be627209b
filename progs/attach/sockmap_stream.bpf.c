/* sk_skb/stream_parser + sk_skb/stream_verdict (the strparser pair, Linux
 * >= 4.14) on the sockhash of sockhash.h: every received message is one
 * whole skb, counted (slot 1) and passed on. */
#include "sockhash.h"

SEC("sk_skb/stream_parser")
int parse_all(struct __sk_buff *skb)
{
	return skb->len;
}

SEC("sk_skb/stream_verdict")
int count_stream(struct __sk_buff *skb)
{
	hit(1, skb->len);
	return SK_PASS;
}

LICENSE("GPL");
