/* Tail calls through a prog array filled by `.values`. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

int tail_a(struct __sk_buff *skb);
int tail_b(struct __sk_buff *skb);

struct {
	__uint(type, BPF_MAP_TYPE_PROG_ARRAY);
	__uint(max_entries, 4);
	__type(key, __u32);
	__array(values, int(struct __sk_buff *));
} jump_table SEC(".maps") = {
	.values = {
		[1] = (void *)&tail_a,
		[3] = (void *)&tail_b,
	},
};

SEC("socket")
int tail_a(struct __sk_buff *skb)
{
	return 41;
}

SEC("socket")
int tail_b(struct __sk_buff *skb)
{
	return 43;
}

/* jumps to slot 1 (tail_a: 41) for short packets, slot 3 (tail_b: 43) else;
 * 7 when the tail call fails */
SEC("socket")
int dispatch(struct __sk_buff *skb)
{
	bpf_tail_call(skb, &jump_table, skb->len < 100 ? 1 : 3);
	return 7;
}

LICENSE("GPL");
