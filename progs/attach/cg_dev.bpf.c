/* cgroup/dev: the cgroup's processes may not open /dev/zero (char 1:5),
 * counted in slot 0; every other device is allowed (slot 1). */
#include "hits.h"

SEC("cgroup/dev")
int deny_zero(struct bpf_cgroup_dev_ctx *ctx)
{
	__u32 type = ctx->access_type & 0xffff;
	if (type == BPF_DEVCG_DEV_CHAR && ctx->major == 1 && ctx->minor == 5) {
		hit(0, 1);
		return 0;
	}
	hit(1, 1);
	return 1;
}

LICENSE("GPL");
