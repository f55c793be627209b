/* Subprograms: static and global, nested, shared by two programs, and a
 * bpf_loop callback. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

static __noinline int leaf(int x)
{
	return x * 3;
}

static __noinline int middle(int x)
{
	return leaf(x) + 1;          /* nested: middle -> leaf */
}

/* A global function: verified on its own, shared by both programs. */
__noinline int shared_global(int x)
{
	return middle(x) + 10;
}

struct loop_ctx {
	int sum;
};

static int add_index(__u32 index, void *data)
{
	struct loop_ctx *c = data;
	c->sum += (int)index;
	return 0;
}

/* shared_global(2) = (2*3+1)+10 = 17; plus bpf_loop sum 0..9 = 45 -> 62 */
SEC("socket")
int first_user(struct __sk_buff *skb)
{
	struct loop_ctx c = {0};
	bpf_loop(10, add_index, &c, 0);
	return shared_global(2) + c.sum;
}

/* shared_global(4) + leaf(1) = 23 + 3 = 26 */
SEC("socket")
int second_user(struct __sk_buff *skb)
{
	return shared_global(4) + leaf(1);
}

LICENSE("GPL");
