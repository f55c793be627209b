/* libc functions that are one system call, for the static binary, where
 * musl's versions bring more: clock_gettime looks for the vDSO first (~1 KB
 * with musl's ELF symbol lookup; rawbpf reads the clock a few times per
 * second at most), fstat and stat go through musl's fstatat with its
 * /proc/self/fd fallback for O_PATH descriptors (~0.8 KB; rawbpf opens none),
 * sigaction takes locks that only matter with threads or for SIGABRT (~1 KB).
 * The release build's clock_gettime, fstat, stat and sigaction are these
 * (common/libc.c).  64-bit Linux only: struct stat is the kernel's layout
 * there (x86_64, arm64), as rawbpf's builds are. */
#ifndef RAWBPF_COMMON_ONECALL_H
#define RAWBPF_COMMON_ONECALL_H

#include <signal.h>
#include <sys/stat.h>
#include <time.h>

int rb_clock_gettime(clockid_t clock, struct timespec *ts);
int rb_fstat(int fd, struct stat *st);
int rb_stat(const char *path, struct stat *st);
/* sigaction with the C library's signal return trampoline (the kernel
 * calls it when a handler returns): musl's __restore_rt in the release
 * build.  Signals 32-34 are the C library's own (EINVAL, as in musl). */
int rb_sigaction(int sig, const struct sigaction *sa, struct sigaction *old,
		 void (*restorer)(void));

#endif
