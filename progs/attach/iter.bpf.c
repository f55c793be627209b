/* iter/task: one line per task, then a total, through bpf_seq_printf. */
#include <linux/bpf.h>
#include <rawbpf/helpers.h>

/* The kernel's struct bpf_iter_meta / bpf_iter__task layouts (stable ABI). */
struct bpf_iter_meta {
	void *seq;
	__u64 session_id;
	__u64 seq_num;
};

struct bpf_iter__task {
	struct bpf_iter_meta *meta;
	void *task;
};

SEC("iter/task")
int dump_tasks(struct bpf_iter__task *ctx)
{
	void *seq = ctx->meta->seq;
	__u64 n = ctx->meta->seq_num;
	if (!ctx->task) {
		static const char done[] = "rawbpf iter: %llu tasks\n";
		bpf_seq_printf(seq, done, sizeof(done), &n, sizeof(n));
	}
	return 0;
}

LICENSE("GPL");
