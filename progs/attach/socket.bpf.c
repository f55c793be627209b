/* socket filter: counts packets and keeps them whole. */
#include "hits.h"

SEC("socket")
int count_socket(struct __sk_buff *skb)
{
	hit(0, 1);
	return skb->len;
}

LICENSE("GPL");
