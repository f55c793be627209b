/* BTF kinds older kernels do not know: FLOAT, DECL_TAG, TYPE_TAG, global
 * FUNC linkage, DATASEC/VAR.  The btf sanitizer unit test loads it against
 * a fake kernel that refuses each; on this kernel it simply loads. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

#define __tag(x) __attribute__((btf_decl_tag(x)))
#define __ttag(x) __attribute__((btf_type_tag(x)))

struct sample {
	float ratio;
	double scale;
	int counted __tag("counted-field");
	int __ttag("user") *where;
} __tag("sample-struct");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct sample);
} samples SEC(".maps");

__u32 hits;

__noinline int global_helper(int x) __tag("helper")
{
	return x + 1;
}

SEC("socket")
int use_kinds(struct __sk_buff *skb)
{
	__u32 zero = 0;
	struct sample *s = bpf_map_lookup_elem(&samples, &zero);
	if (s)
		s->counted++;
	hits++;
	return global_helper(1);
}

LICENSE("GPL");
