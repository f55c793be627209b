/* tcx: slot 0 counts ingress packets, slot 1 egress; both pass them on. */
#include "hits.h"

#define TCX_NEXT -1

SEC("tcx/ingress")
int count_ingress(struct __sk_buff *skb)
{
	hit(0, 1);
	return TCX_NEXT;
}

SEC("tcx/egress")
int count_egress(struct __sk_buff *skb)
{
	hit(1, 1);
	return TCX_NEXT;
}

LICENSE("GPL");
