/* syscall() sets errno and returns -1 on a failure, as the libc calls do.
 * These stand in for the C library (common/libc.c), below rawbpf's own
 * kernel-call chokepoint (loader/sys.h), like open and read. */
#include "common/onecall.h"

#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
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

/* O_CLOEXEC is honoured by every kernel rawbpf runs on (2.6.23+), so no
 * fcntl after it as in musl. */
int rb_open(const char *path, int flags, mode_t mode)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, flags, mode);
}

/* A terminal is what answers TIOCGWINSZ (musl's and glibc's test). */
int rb_isatty(int fd)
{
	struct winsize ws;
	if (syscall(SYS_ioctl, fd, TIOCGWINSZ, &ws) == 0)
		return 1;
	if (errno != EBADF)
		errno = ENOTTY;
	return 0;
}

void *rb_mremap(void *old, size_t old_len, size_t new_len, int flags, void *new_addr)
{
	if (new_len >= PTRDIFF_MAX) {
		errno = ENOMEM; /* as musl: no mapping can be that large */
		return MAP_FAILED;
	}
	return (void *)syscall(SYS_mremap, old, old_len, new_len, flags, new_addr);
}

ssize_t rb_recvmsg(int fd, struct msghdr *msg, int flags)
{
	return syscall(SYS_recvmsg, fd, msg, flags);
}

/* rt_sigaction's struct, the same on x86_64 and arm64: the kernel's sigset_t
 * is 64 bits, the C library's 1024. */
struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

#define K_SA_RESTORER 0x04000000 /* sa_restorer is set (x86_64 and arm64) */

int rb_sigaction(int sig, const struct sigaction *sa, struct sigaction *old,
		 void (*restorer)(void))
{
	struct k_sigaction k, kold;
	if (sig - 32U < 3 || sig - 1U >= 64) {
		errno = EINVAL;
		return -1;
	}
	if (sa) {
		k = (struct k_sigaction){.handler = sa->sa_handler, .restorer = restorer};
		k.flags = sa->sa_flags | K_SA_RESTORER; /* sign-extended, as musl does */
		memcpy(&k.mask, &sa->sa_mask, sizeof(k.mask));
	}
	if (syscall(SYS_rt_sigaction, sig, sa ? &k : NULL, old ? &kold : NULL, sizeof(k.mask)))
		return -1;
	if (old) {
		memset(old, 0, sizeof(*old));
		old->sa_handler = kold.handler;
		old->sa_flags = (int)kold.flags;
		memcpy(&old->sa_mask, &kold.mask, sizeof(kold.mask));
	}
	return 0;
}
