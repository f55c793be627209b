/* common/onecall.h against the C library: the same struct stat for files,
 * directories, pipes, devices and symbolic links (stat follows them), the same
 * errno for failures, clock readings between two of the library's, and
 * signal handlers installed by rb_sigaction that run, return, and read back
 * through the library's sigaction as they were set; open, isatty, mremap and
 * recvmsg with results and errno as the library's. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "check_main.h"
#include "common/onecall.h"

static void same_stat(const struct stat *a, const struct stat *b)
{
	ck_assert_uint_eq(a->st_dev, b->st_dev);
	ck_assert_uint_eq(a->st_ino, b->st_ino);
	ck_assert_uint_eq(a->st_mode, b->st_mode);
	ck_assert_uint_eq(a->st_nlink, b->st_nlink);
	ck_assert_uint_eq(a->st_uid, b->st_uid);
	ck_assert_uint_eq(a->st_rdev, b->st_rdev);
	ck_assert_int_eq(a->st_size, b->st_size);
	ck_assert_int_eq(a->st_blocks, b->st_blocks);
	ck_assert_int_eq(a->st_mtim.tv_sec, b->st_mtim.tv_sec);
	ck_assert_int_eq(a->st_mtim.tv_nsec, b->st_mtim.tv_nsec);
}

START_TEST(stat_matches_libc)
{
	static const char *paths[] = {"/", "/proc/self/exe", "/dev/null", "/proc/self/status",
				      "/etc/passwd", "/proc/self"};
	for (size_t i = 0; i < sizeof(paths) / sizeof(*paths); i++) {
		struct stat a, b;
		memset(&a, 0x55, sizeof(a));
		memset(&b, 0xaa, sizeof(b));
		ck_assert_int_eq(stat(paths[i], &a), 0);
		ck_assert_int_eq(rb_stat(paths[i], &b), 0);
		same_stat(&a, &b);
		int fd = open(paths[i], O_RDONLY);
		ck_assert_int_ge(fd, 0);
		ck_assert_int_eq(fstat(fd, &a), 0);
		ck_assert_int_eq(rb_fstat(fd, &b), 0);
		same_stat(&a, &b);
		close(fd);
	}
	int p[2];
	struct stat a, b;
	ck_assert_int_eq(pipe(p), 0);
	ck_assert_int_eq(fstat(p[0], &a), 0);
	ck_assert_int_eq(rb_fstat(p[0], &b), 0);
	same_stat(&a, &b);
	ck_assert(S_ISFIFO(b.st_mode));
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(failures_match_libc)
{
	struct stat st;
	static const char *bad[] = {"/nonexistent/x", "", "/etc/passwd/x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		errno = 0;
		ck_assert_int_eq(stat(bad[i], &st), -1);
		int want = errno;
		errno = 0;
		ck_assert_int_eq(rb_stat(bad[i], &st), -1);
		ck_assert_int_eq(errno, want);
	}
	errno = 0;
	ck_assert_int_eq(rb_fstat(-1, &st), -1);
	ck_assert_int_eq(errno, EBADF);
	errno = 0;
	ck_assert_int_eq(rb_clock_gettime((clockid_t)-99, &(struct timespec){0}), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

static long long ns(const struct timespec *t)
{
	return t->tv_sec * 1000000000LL + t->tv_nsec;
}

START_TEST(clocks_between_libc_readings)
{
	static const clockid_t clocks[] = {CLOCK_REALTIME, CLOCK_MONOTONIC, CLOCK_BOOTTIME};
	for (size_t i = 0; i < sizeof(clocks) / sizeof(*clocks); i++) {
		struct timespec before, ours, after;
		ck_assert_int_eq(clock_gettime(clocks[i], &before), 0);
		ck_assert_int_eq(rb_clock_gettime(clocks[i], &ours), 0);
		ck_assert_int_eq(clock_gettime(clocks[i], &after), 0);
		ck_assert_int_le(ns(&before), ns(&ours));
		ck_assert_int_le(ns(&ours), ns(&after));
		ck_assert_int_lt(ours.tv_nsec, 1000000000);
	}
}
END_TEST

struct k_sigaction {
	void (*handler)(int);
	unsigned long flags;
	void (*restorer)(void);
	uint64_t mask;
};

/* glibc's own trampoline, as its sigaction gives it to the kernel. */
static void (*libc_restorer(void))(void)
{
	struct sigaction sa = {.sa_handler = SIG_IGN};
	struct k_sigaction k;
	ck_assert_int_eq(sigaction(SIGUSR1, &sa, NULL), 0);
	ck_assert_int_eq(syscall(SYS_rt_sigaction, SIGUSR1, NULL, &k, 8), 0);
	return k.restorer;
}

static volatile sig_atomic_t hits, info_signo, masked_during;

static void on_usr2(int sig)
{
	sigset_t now;
	sigprocmask(SIG_BLOCK, NULL, &now);
	masked_during = sigismember(&now, SIGUSR1) && sigismember(&now, SIGUSR2);
	hits += sig == SIGUSR2;
}

static void on_info(int sig, siginfo_t *si, void *ctx)
{
	info_signo = si->si_signo;
}

START_TEST(sigaction_installs_runs_and_reads_back)
{
	void (*restorer)(void) = libc_restorer();
	struct sigaction sa = {.sa_handler = on_usr2}, old, theirs;
	sigemptyset(&sa.sa_mask);
	sigaddset(&sa.sa_mask, SIGUSR1);
	memset(&old, 0x5a, sizeof(old));
	ck_assert_int_eq(rb_sigaction(SIGUSR2, &sa, &old, restorer), 0);
	ck_assert_ptr_eq(old.sa_handler, SIG_DFL);
	ck_assert_int_eq(raise(SIGUSR2), 0);   /* returns only if the trampoline works */
	ck_assert_int_eq(hits, 1);
	ck_assert_int_eq(masked_during, 1);
	ck_assert_int_eq(sigaction(SIGUSR2, NULL, &theirs), 0);
	ck_assert_ptr_eq(theirs.sa_handler, on_usr2);
	ck_assert(sigismember(&theirs.sa_mask, SIGUSR1) && !sigismember(&theirs.sa_mask, SIGINT));
	ck_assert_int_eq(rb_sigaction(SIGUSR2, NULL, &old, restorer), 0);
	ck_assert_ptr_eq(old.sa_handler, theirs.sa_handler);
	ck_assert_int_eq(old.sa_flags, theirs.sa_flags);
	for (int s = 1; s < 64; s++)
		ck_assert_int_eq(sigismember(&old.sa_mask, s), sigismember(&theirs.sa_mask, s));
	/* SA_SIGINFO handlers get their siginfo; SA_RESETHAND (a negative int) stays a flag */
	struct sigaction si = {.sa_sigaction = on_info, .sa_flags = SA_SIGINFO | SA_RESETHAND};
	sigemptyset(&si.sa_mask);
	ck_assert_int_eq(rb_sigaction(SIGUSR2, &si, NULL, restorer), 0);
	ck_assert_int_eq(raise(SIGUSR2), 0);
	ck_assert_int_eq(info_signo, SIGUSR2);
	ck_assert_int_eq(sigaction(SIGUSR2, NULL, &theirs), 0);
	ck_assert_ptr_eq(theirs.sa_handler, SIG_DFL);   /* reset by the delivery */
}
END_TEST

START_TEST(sigaction_refusals_match_libc)
{
	static const int sigs[] = {0, 32, 33, 65, -1, SIGKILL, SIGSTOP};
	struct sigaction sa = {.sa_handler = on_usr2};
	for (size_t i = 0; i < sizeof(sigs) / sizeof(*sigs); i++) {
		errno = 0;
		ck_assert_int_eq(sigaction(sigs[i], &sa, NULL), -1);
		int want = errno;
		errno = 0;
		ck_assert_int_eq(rb_sigaction(sigs[i], &sa, NULL, NULL), -1);
		ck_assert_int_eq(errno, want);
	}
	/* musl keeps 34 too (its SIGRTMIN is 35; glibc's is 34) */
	errno = 0;
	ck_assert_int_eq(rb_sigaction(34, &sa, NULL, NULL), -1);
	ck_assert_int_eq(errno, EINVAL);
}
END_TEST

START_TEST(open_matches_libc)
{
	char dir[] = "/tmp/rb_onecall_XXXXXX", path[64];
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/f", dir);
	int fd = rb_open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
	ck_assert_int_ge(fd, 0);
	struct stat st;
	ck_assert_int_eq(fstat(fd, &st), 0);
	ck_assert_uint_eq(st.st_mode & 0777, 0640 & ~umask(022));
	ck_assert_int_ne(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
	close(fd);
	struct {
		const char *path;
		int flags;
	} cases[] = {{path, O_WRONLY | O_CREAT | O_EXCL}, {"/nonexistent/x", O_RDONLY},
		     {dir, O_WRONLY}, {path, O_RDONLY | O_DIRECTORY}, {"", O_RDONLY}};
	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		errno = 0;
		ck_assert_int_eq(open(cases[i].path, cases[i].flags, 0600), -1);
		int want = errno;
		errno = 0;
		ck_assert_int_eq(rb_open(cases[i].path, cases[i].flags, 0600), -1);
		ck_assert_int_eq(errno, want);
	}
	unlink(path);
	rmdir(dir);
}
END_TEST

START_TEST(isatty_matches_libc)
{
	int p[2], tty = open("/dev/tty", O_RDONLY);
	ck_assert_int_eq(pipe(p), 0);
	int fds[] = {p[0], p[1], -1, 999, tty};
	for (size_t i = 0; i < sizeof(fds) / sizeof(*fds); i++) {
		if (i == 4 && tty < 0)
			continue; /* no controlling terminal here */
		errno = 0;
		int want = isatty(fds[i]), want_errno = errno;
		errno = 0;
		ck_assert_int_eq(rb_isatty(fds[i]), want);
		ck_assert_int_eq(errno, want_errno);
	}
	close(p[0]);
	close(p[1]);
	if (tty >= 0)
		close(tty);
}
END_TEST

START_TEST(mremap_grows_and_refuses_as_libc)
{
	size_t page = (size_t)sysconf(_SC_PAGESIZE);
	unsigned char *m = mmap(NULL, page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(m, MAP_FAILED);
	memset(m, 0x3c, page);
	unsigned char *g = rb_mremap(m, page, 64 * page, MREMAP_MAYMOVE, NULL);
	ck_assert_ptr_ne(g, MAP_FAILED);
	ck_assert_int_eq(g[page - 1], 0x3c);
	g[64 * page - 1] = 1; /* the new part is mapped */
	errno = 0;
	ck_assert_ptr_eq(rb_mremap(g, 64 * page, (size_t)PTRDIFF_MAX, 0, NULL), MAP_FAILED);
	ck_assert_int_eq(errno, ENOMEM);
	errno = 0;
	void *want = mremap(g, 64 * page, 128 * page, 0); /* no room to grow in place: ENOMEM, or it fits */
	int want_errno = errno;
	if (want == MAP_FAILED) {
		errno = 0;
		ck_assert_ptr_eq(rb_mremap(g, 64 * page, 128 * page, 0, NULL), MAP_FAILED);
		ck_assert_int_eq(errno, want_errno);
	}
	munmap(g, want == MAP_FAILED ? 64 * page : 128 * page);
}
END_TEST

/* Bytes and a descriptor through a socket pair, with MSG_TRUNC's length. */
START_TEST(recvmsg_with_rights_matches_libc)
{
	int sv[2];
	ck_assert_int_eq(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	for (int round = 0; round < 2; round++) {
		union {
			struct cmsghdr align;
			char b[CMSG_SPACE(sizeof(int))];
		} out = {0}, in[2];
		struct iovec iov = {.iov_base = "datagram", .iov_len = 8};
		struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &out,
				   .msg_controllen = sizeof(out)};
		struct cmsghdr *c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(sizeof(int));
		memcpy(CMSG_DATA(c), &sv[0], sizeof(int));
		ck_assert_int_eq(sendmsg(sv[1], &m, 0), 8);
		char buf[4];
		struct iovec riov = {.iov_base = buf, .iov_len = sizeof(buf)};
		struct msghdr r = {.msg_iov = &riov, .msg_iovlen = 1, .msg_control = &in[round],
				   .msg_controllen = sizeof(in[round])};
		ssize_t n = round ? recvmsg(sv[0], &r, MSG_TRUNC) : rb_recvmsg(sv[0], &r, MSG_TRUNC);
		ck_assert_int_eq(n, 8);
		ck_assert_int_ne(r.msg_flags & MSG_TRUNC, 0);
		ck_assert_uint_eq(r.msg_controllen, CMSG_SPACE(sizeof(int)));
		ck_assert_mem_eq(buf, "data", 4);
		int fd;
		memcpy(&fd, CMSG_DATA(CMSG_FIRSTHDR(&r)), sizeof(int));
		ck_assert_int_gt(fd, sv[1]);
		close(fd);
	}
	errno = 0;
	struct msghdr none = {0};
	ck_assert_int_eq(rb_recvmsg(sv[0], &none, MSG_DONTWAIT), -1);
	ck_assert_int_eq(errno, EAGAIN);
	close(sv[0]);
	close(sv[1]);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("onecall");
	TCase *tc = tcase_create("onecall");
	tcase_add_test(tc, stat_matches_libc);
	tcase_add_test(tc, failures_match_libc);
	tcase_add_test(tc, clocks_between_libc_readings);
	tcase_add_test(tc, sigaction_installs_runs_and_reads_back);
	tcase_add_test(tc, sigaction_refusals_match_libc);
	tcase_add_test(tc, open_matches_libc);
	tcase_add_test(tc, isatty_matches_libc);
	tcase_add_test(tc, mremap_grows_and_refuses_as_libc);
	tcase_add_test(tc, recvmsg_with_rights_matches_libc);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
