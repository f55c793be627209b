/* libc functions that are one system call, for the static binary, where
 * musl's versions bring more: clock_gettime looks for the vDSO first (~1 KB
 * with musl's ELF symbol lookup; rawbpf reads the clock a few times per
 * second at most), fstat and stat go through musl's fstatat with its
 * /proc/self/fd fallback for O_PATH descriptors (~0.8 KB; rawbpf opens none).
 * The release build's clock_gettime, fstat and stat are these
 * (common/libc.c).  64-bit Linux only: struct stat is the kernel's layout
 * there (x86_64, arm64), as rawbpf's builds are. */
#ifndef RAWBPF_COMMON_ONECALL_H
#define RAWBPF_COMMON_ONECALL_H

#include <sys/stat.h>
#include <time.h>

int rb_clock_gettime(clockid_t clock, struct timespec *ts);
int rb_fstat(int fd, struct stat *st);
int rb_stat(const char *path, struct stat *st);

#endif
