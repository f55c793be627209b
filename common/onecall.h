/* libc functions that are one system call, for the static binary, where
 * musl's versions bring more: clock_gettime looks for the vDSO first (~1 KB
 * with musl's ELF symbol lookup; rawbpf reads the clock a few times per
 * second at most), fstat and stat go through musl's fstatat with its
 * /proc/self/fd fallback for O_PATH descriptors (~0.8 KB; rawbpf opens none),
 * sigaction takes locks that only matter with threads or for SIGABRT (~1 KB),
 * open, isatty, mremap and recvmsg carry fallbacks for kernels before 2.6.23,
 * thread cancellation and 32-bit time (~0.6 KB together).  The release
 * build's functions of these names are these (common/libc.c).  64-bit Linux
 * only: struct stat is the kernel's layout there (x86_64, arm64), as
 * rawbpf's builds are. */
#ifndef RAWBPF_COMMON_ONECALL_H
#define RAWBPF_COMMON_ONECALL_H

#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <time.h>

int rb_clock_gettime(clockid_t clock, struct timespec *ts);
int rb_fstat(int fd, struct stat *st);
int rb_stat(const char *path, struct stat *st);
int rb_open(const char *path, int flags, mode_t mode);
int rb_isatty(int fd);
/* new_addr is read with MREMAP_FIXED only. */
void *rb_mremap(void *old, size_t old_len, size_t new_len, int flags, void *new_addr);
/* The kernel reads msg_iovlen and msg_controllen as size_t: musl's struct has
 * int fields beside padding, which the caller zeroes (common/libc.c). */
ssize_t rb_recvmsg(int fd, struct msghdr *msg, int flags);
/* sigaction with the C library's signal return trampoline (the kernel
 * calls it when a handler returns): musl's __restore_rt in the release
 * build.  Signals 32-34 are the C library's own (EINVAL, as in musl). */
int rb_sigaction(int sig, const struct sigaction *sa, struct sigaction *old,
		 void (*restorer)(void));

#endif
