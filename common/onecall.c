/* syscall() sets errno and returns -1 on a failure, as the libc calls do.
 * These stand in for the C library (common/libc.c), below rawbpf's own
 * kernel-call chokepoint (loader/sys.h), like open and read. */
#include "common/onecall.h"

#include <fcntl.h>
#include <sys/syscall.h>
#include <unistd.h>

_Static_assert(sizeof(long) == 8, "struct stat is the kernel's on 64-bit Linux only");

int rb_clock_gettime(clockid_t clock, struct timespec *ts)
{
	return (int)syscall(SYS_clock_gettime, clock, ts);
}

int rb_fstat(int fd, struct stat *st)
{
	return (int)syscall(SYS_fstat, fd, st);
}

/* newfstatat: x86_64 and arm64 both have it (arm64 has no stat(2)). */
int rb_stat(const char *path, struct stat *st)
{
	return (int)syscall(SYS_newfstatat, AT_FDCWD, path, st, 0);
}
