/* CO-RE reads of real kernel structures, run with BPF_PROG_TEST_RUN from a
 * test process that knows the answers (tests/loader/core/task.sh): its own
 * task_struct (pid, tgid, comm, uid), its mm (start_stack, arg_start), a
 * UDP socket it made (fd in args[0]: ports, family) and the sk_buff of a
 * datagram waiting in that socket's receive queue (len).  Also kconfig and
 * kfunc calls (present and weak absent), typeless ksym externs (typed ones need CONFIG_KALLSYMS_ALL for variables), a weak kfunc the kernel lacks, field/enum/type existence. */
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_core_read.h>

#ifndef bpf_ksym_exists /* libbpf >= 1.2 has it */
#define bpf_ksym_exists(sym) (!!(sym))
#endif

char LICENSE[] SEC("license") = "GPL";

extern int LINUX_KERNEL_VERSION __kconfig;
extern bool LINUX_HAS_BPF_COOKIE __kconfig;
extern bool LINUX_HAS_SYSCALL_WRAPPER __kconfig;
extern bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig __weak;
extern char CONFIG_LOCALVERSION[64] __kconfig __weak;
extern int CONFIG_HZ __kconfig __weak;
extern bool CONFIG_RAWBPF_NO_SUCH_OPTION __kconfig __weak;
extern const void _stext __ksym;
extern void bpf_rawbpf_no_such_kfunc(void) __ksym __weak;
extern void bpf_rcu_read_lock(void) __ksym;
extern void bpf_rcu_read_unlock(void) __ksym;

/* A flavour: matches struct task_struct with a field no kernel has. */
struct task_struct___fake {
	int rawbpf_no_such_field;
} __attribute__((preserve_access_index));

struct out {
	__u32 pid, tgid, uid, family;
	char comm[16];
	__u64 start_stack, arg_start;
	__u32 sport, dport, skb_len;
	__u32 has_state, has_fake, has_task, task_size_ok, enum_ringbuf;
	__u32 kver, bpf_syscall, jit, hz, no_such_option, kfunc_exists;
	__u64 stext;
	char localversion[64];
	__u32 cookie, syscall_wrapper;
	__u32 done;
};

struct out out;

static __always_inline void read_sock(struct task_struct *t, __u64 fd)
{
	struct file **fds = BPF_CORE_READ(t, files, fdt, fd);
	struct file *f = 0;
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd & 1023]);
	struct socket *so = BPF_CORE_READ(f, private_data);
	struct sock *sk = BPF_CORE_READ(so, sk);
	out.sport = BPF_CORE_READ(sk, __sk_common.skc_num);
	out.dport = __builtin_bswap16(BPF_CORE_READ(sk, __sk_common.skc_dport));
	out.family = BPF_CORE_READ(sk, __sk_common.skc_family);
	struct sk_buff *skb = BPF_CORE_READ(sk, sk_receive_queue.next);
	if ((void *)skb != (void *)&sk->sk_receive_queue)
		out.skb_len = BPF_CORE_READ(skb, len);
}

static __always_inline void read_config(void)
{
	out.kver = LINUX_KERNEL_VERSION;
	out.cookie = LINUX_HAS_BPF_COOKIE;
	out.syscall_wrapper = LINUX_HAS_SYSCALL_WRAPPER;
	out.bpf_syscall = CONFIG_BPF_SYSCALL;
	out.jit = CONFIG_BPF_JIT;
	out.hz = CONFIG_HZ;
	out.no_such_option = CONFIG_RAWBPF_NO_SUCH_OPTION;
	__builtin_memcpy(out.localversion, CONFIG_LOCALVERSION, sizeof(out.localversion));
	out.stext = (__u64)&_stext;
	out.kfunc_exists = bpf_ksym_exists(bpf_rawbpf_no_such_kfunc);
	if (bpf_ksym_exists(bpf_rawbpf_no_such_kfunc))
		bpf_rawbpf_no_such_kfunc();
}

SEC("raw_tp/sys_enter")
int read_task(struct bpf_raw_tracepoint_args *ctx)
{
	struct task_struct *t = (void *)bpf_get_current_task();
	bpf_rcu_read_lock(); /* a kfunc the kernel has: BPF_PSEUDO_KFUNC_CALL */
	out.pid = BPF_CORE_READ(t, pid);
	out.tgid = BPF_CORE_READ(t, tgid);
	out.uid = BPF_CORE_READ(t, cred, uid.val);
	BPF_CORE_READ_STR_INTO(&out.comm, t, comm);
	out.start_stack = BPF_CORE_READ(t, mm, start_stack);
	out.arg_start = BPF_CORE_READ(t, mm, arg_start);
	bpf_rcu_read_unlock();
	read_sock(t, ctx->args[0]);
	out.has_state = bpf_core_field_exists(t->__state);
	out.has_fake = bpf_core_field_exists(((struct task_struct___fake *)t)->rawbpf_no_such_field);
	if (bpf_core_field_exists(((struct task_struct___fake *)t)->rawbpf_no_such_field))
		out.has_fake += BPF_CORE_READ((struct task_struct___fake *)t, rawbpf_no_such_field);
	out.has_task = bpf_core_type_exists(struct task_struct);
	out.task_size_ok = bpf_core_type_size(struct task_struct) > 1000;
	out.enum_ringbuf = bpf_core_enum_value(enum bpf_map_type, BPF_MAP_TYPE_RINGBUF);
	read_config();
	out.done = 1;
	return 0;
}
