/* Legacy SEC("maps") definitions (struct bpf_map_def records), which libbpf
 * >= 1.0 no longer loads but older objects still carry. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

struct legacy_map_def {
	unsigned int type;
	unsigned int key_size;
	unsigned int value_size;
	unsigned int max_entries;
	unsigned int map_flags;
};

struct legacy_map_def legacy_hash SEC("maps") = {
	.type = BPF_MAP_TYPE_HASH, .key_size = 4, .value_size = 8, .max_entries = 16,
};

struct legacy_map_def legacy_array SEC("maps") = {
	.type = BPF_MAP_TYPE_ARRAY, .key_size = 4, .value_size = 4, .max_entries = 4,
};

/* Writes hash[7] = skb->len and array[2] = 0xabcd; returns 1. */
SEC("socket")
int legacy_writer(struct __sk_buff *skb)
{
	__u32 key = 7, idx = 2, v32 = 0xabcd;
	__u64 len = skb->len;
	bpf_map_update_elem(&legacy_hash, &key, &len, BPF_ANY);
	bpf_map_update_elem(&legacy_array, &idx, &v32, BPF_ANY);
	return 1;
}

LICENSE("GPL");
