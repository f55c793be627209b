/* sk_lookup: counts socket lookups in the network namespace, changes nothing. */
#include "hits.h"

SEC("sk_lookup")
int count_lookup(struct bpf_sk_lookup *ctx)
{
	hit(0, 1);
	return SK_PASS;
}

LICENSE("GPL");
