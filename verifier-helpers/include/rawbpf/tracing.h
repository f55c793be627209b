/* Reading a kprobe's arguments from struct pt_regs, per target architecture.
 * Pick the architecture with -D__TARGET_ARCH_x86 or -D__TARGET_ARCH_arm64
 * (clang -target bpf does not know the host); x86_64 is the default.
 *
 * The register layouts are the kernel's own struct pt_regs, accessed by
 * offset through a local struct so no vmlinux.h is needed. */
#ifndef RAWBPF_TRACING_H
#define RAWBPF_TRACING_H

#include <linux/types.h>

#if defined(__TARGET_ARCH_arm64)
/* arm64: struct user_pt_regs { u64 regs[31]; u64 sp; u64 pc; u64 pstate; } */
struct rawbpf_pt_regs {
	__u64 regs[31];
	__u64 sp, pc, pstate;
};
#define PT_REGS_PARM1(x) (((const struct rawbpf_pt_regs *)(x))->regs[0])
#define PT_REGS_PARM2(x) (((const struct rawbpf_pt_regs *)(x))->regs[1])
#define PT_REGS_PARM3(x) (((const struct rawbpf_pt_regs *)(x))->regs[2])
#define PT_REGS_PARM4(x) (((const struct rawbpf_pt_regs *)(x))->regs[3])
#define PT_REGS_PARM5(x) (((const struct rawbpf_pt_regs *)(x))->regs[4])
#define PT_REGS_PARM6(x) (((const struct rawbpf_pt_regs *)(x))->regs[5])
#define PT_REGS_RET(x) (((const struct rawbpf_pt_regs *)(x))->regs[30])
#define PT_REGS_FP(x) (((const struct rawbpf_pt_regs *)(x))->regs[29])
#define PT_REGS_RC(x) (((const struct rawbpf_pt_regs *)(x))->regs[0])
#define PT_REGS_SP(x) (((const struct rawbpf_pt_regs *)(x))->sp)
#define PT_REGS_IP(x) (((const struct rawbpf_pt_regs *)(x))->pc)
/* the syscall wrappers' inner pt_regs holds the arguments in x0-x5 */
#define PT_REGS_PARM4_SYSCALL(x) PT_REGS_PARM4(x)
/* syscall wrappers are __arm64_sys_NAME (loader/attach/arch.c) */
#define RAWBPF_SYSCALL_PREFIX "__arm64_"
#else
/* x86_64: the order of struct pt_regs in arch/x86/include/asm/ptrace.h */
struct rawbpf_pt_regs {
	unsigned long r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di,
		orig_ax, ip, cs, flags, sp, ss;
};
#define PT_REGS_PARM1(x) (((const struct rawbpf_pt_regs *)(x))->di)
#define PT_REGS_PARM2(x) (((const struct rawbpf_pt_regs *)(x))->si)
#define PT_REGS_PARM3(x) (((const struct rawbpf_pt_regs *)(x))->dx)
#define PT_REGS_PARM4(x) (((const struct rawbpf_pt_regs *)(x))->cx)
#define PT_REGS_PARM5(x) (((const struct rawbpf_pt_regs *)(x))->r8)
#define PT_REGS_PARM6(x) (((const struct rawbpf_pt_regs *)(x))->r9)
/* the return address sits on the stack at function entry */
#define PT_REGS_RET(x) (((const struct rawbpf_pt_regs *)(x))->sp)
#define PT_REGS_FP(x) (((const struct rawbpf_pt_regs *)(x))->bp)
#define PT_REGS_RC(x) (((const struct rawbpf_pt_regs *)(x))->ax)
#define PT_REGS_SP(x) (((const struct rawbpf_pt_regs *)(x))->sp)
#define PT_REGS_IP(x) (((const struct rawbpf_pt_regs *)(x))->ip)
/* syscall wrappers pass the 4th argument in r10, not cx */
#define PT_REGS_PARM4_SYSCALL(x) (((const struct rawbpf_pt_regs *)(x))->r10)
#define RAWBPF_SYSCALL_PREFIX "__x64_"
#endif

/* SEC("fentry/" RAWBPF_SYSCALL("getpgid")): the syscall's wrapper function */
#define RAWBPF_SYSCALL(name) RAWBPF_SYSCALL_PREFIX "sys_" name

#endif
