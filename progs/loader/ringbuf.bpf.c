/* A plain ring buffer (BPF_MAP_TYPE_RINGBUF, Linux >= 5.8) without the
 * perf buffer fallback of rawbpf/output.h (tests/loader/kernel_support.sh). */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} lengths SEC(".maps");

SEC("socket")
int packet_length(struct __sk_buff *skb)
{
	__u32 len = skb->len;
	bpf_ringbuf_output(&lengths, &len, sizeof(len), 0);
	return 0;
}

LICENSE("GPL");
