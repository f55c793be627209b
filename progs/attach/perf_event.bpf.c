/* perf_event: counts samples (--freq HZ on every CPU). */
#include "hits.h"

SEC("perf_event")
int count_sample(void *ctx)
{
	hit(0, 1);
	return 0;
}

LICENSE("GPL");
