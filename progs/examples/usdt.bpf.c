/* USDT: counts the test binary's rawbpf_test:tick probe and sums its two
 * arguments (an int and a long, in whatever registers each site uses), and
 * counts the semaphore-guarded rawbpf_test:guarded probe, which only fires
 * while rawbpf holds its semaphore up.  The target is
 * tests/loader/attach/target.c built as `rawbpf-usdt-target` somewhere in
 * PATH (a name without '/' is looked up there). */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>
#include <rawbpf/usdt.h>

struct totals {
	__u64 ticks;
	__u64 arg0_sum;
	__u64 arg1_sum;
	__u64 guarded;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct totals);
} totals SEC(".maps");

static __always_inline struct totals *get_totals(void)
{
	__u32 zero = 0;
	return bpf_map_lookup_elem(&totals, &zero);
}

SEC("usdt/rawbpf-usdt-target:rawbpf_test:tick")
int on_tick(void *ctx)
{
	struct totals *t = get_totals();
	long a0 = 0, a1 = 0;
	if (!t)
		return 0;
	rawbpf_usdt_arg(ctx, 0, &a0);
	rawbpf_usdt_arg(ctx, 1, &a1);
	__sync_fetch_and_add(&t->ticks, 1);
	__sync_fetch_and_add(&t->arg0_sum, a0);
	__sync_fetch_and_add(&t->arg1_sum, a1);
	return 0;
}

SEC("usdt/rawbpf-usdt-target:rawbpf_test:guarded")
int on_guarded(void *ctx)
{
	struct totals *t = get_totals();
	if (t)
		__sync_fetch_and_add(&t->guarded, 1);
	return 0;
}

LICENSE("GPL");
