/* Per-architecture facts the attachers need: the prefix of the syscall
 * entry wrappers ksyscall probes (Linux >= 4.17 wraps every syscall in
 * <prefix>sys_NAME taking a struct pt_regs). */
#include "loader/attach/attach.h"

const char *rb_attach_syscall_prefix(void)
{
#if defined(__x86_64__)
	return "__x64_";
#elif defined(__aarch64__)
	return "__arm64_";
#elif defined(__s390x__)
	return "__s390x_";
#elif defined(__riscv)
	return "__riscv_";
#elif defined(__powerpc64__)
	return "";
#else
	return "";
#endif
}
