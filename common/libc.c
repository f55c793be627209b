/* The printf family, stdio's streams, the heap, strto*, string functions,
 * localtime_r, inet_ntop/inet_pton, clock_gettime, fstat/stat, sigaction,
 * open, isatty, mremap and recvmsg of the static musl binary, on common/fmt.h, stream.h, alloc.h, scan.h,
 * str.h, tz.h, inet.h and onecall.h: musl's vfprintf.lo (~10.5 KB), stdio
 * (~5.5 KB), mallocng (~9.5 KB), integer scanner (~2.5 KB), two-way search
 * (~2.5 KB), time zone code (~6.5 KB), inet_ntop/inet_pton (~1.6 KB), vDSO
 * lookup (~1 KB), fstatat (~0.8 KB) and sigaction's locks (~1 KB) stay out
 * of it.  Only the release builds compile this (-DRB_OWN_LIBC, see the
 * Makefile): a static link takes the program's definitions before the
 * archive's, so musl's objects for these are never pulled (musl supports
 * replacing malloc, calloc, realloc and free together).  The host builds
 * (tests, sanitizers) keep the C library's functions. */
#ifdef RB_OWN_LIBC
#include <arpa/inet.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#include "common/alloc.h"
#include "common/fmt.h"
#include "common/inet.h"
#include "common/onecall.h"
#include "common/stream.h"

int clock_gettime(clockid_t clock, struct timespec *ts)
{
	return rb_clock_gettime(clock, ts);
}

void __restore_rt(void); /* musl's signal return trampoline (src/signal/<arch>/restore.s) */

int sigaction(int sig, const struct sigaction *restrict sa, struct sigaction *restrict old)
{
	return rb_sigaction(sig, sa, old, __restore_rt);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE) {
		va_list ap;
		va_start(ap, flags);
		mode = va_arg(ap, mode_t);
		va_end(ap);
	}
	return rb_open(path, flags, mode);
}

int isatty(int fd)
{
	return rb_isatty(fd);
}

void *mremap(void *old, size_t old_len, size_t new_len, int flags, ...)
{
	void *new_addr = NULL;
	if (flags & MREMAP_FIXED) {
		va_list ap;
		va_start(ap, flags);
		new_addr = va_arg(ap, void *);
		va_end(ap);
	}
	return rb_mremap(old, old_len, new_len, flags, new_addr);
}

/* musl's msghdr pads its int msg_iovlen and msg_controllen to the kernel's
 * size_t: the padding must be zero going in (musl's own recvmsg does this). */
ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	struct msghdr h = *msg;
	h.__pad1 = h.__pad2 = 0;
	ssize_t r = rb_recvmsg(fd, &h, flags);
	*msg = h;
	return r;
}

int fstat(int fd, struct stat *st)
{
	return rb_fstat(fd, st);
}

int stat(const char *restrict path, struct stat *restrict st)
{
	return rb_stat(path, st);
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	return rb_inet_ntop(af, src, dst, size);
}

int inet_pton(int af, const char *src, void *dst)
{
	return rb_inet_pton(af, src, dst);
}
#include "common/scan.h"
#include "common/str.h"
#include "common/tz.h"

struct tm *localtime_r(const time_t *t, struct tm *tm)
{
	return rb_localtime(t, tm);
}

void *memmem(const void *h, size_t hl, const void *n, size_t nl)
{
	return rb_memmem(h, hl, n, nl);
}

char *strstr(const char *h, const char *n)
{
	return rb_strstr(h, n);
}

size_t strspn(const char *s, const char *set)
{
	return rb_strspn(s, set);
}

size_t strcspn(const char *s, const char *set)
{
	return rb_strcspn(s, set);
}

char *strcpy(char *restrict dst, const char *restrict src)
{
	return rb_strcpy(dst, src);
}

int strncasecmp(const char *a, const char *b, size_t n)
{
	return rb_strncasecmp(a, b, n);
}

int strcasecmp(const char *a, const char *b)
{
	return rb_strncasecmp(a, b, SIZE_MAX);
}

char *strtok_r(char *restrict s, const char *restrict sep, char **restrict save)
{
	return rb_strtok_r(s, sep, save);
}

unsigned long long strtoull(const char *s, char **end, int base)
{
	return rb_strto(s, end, base, ULLONG_MAX, false);
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return (unsigned long)rb_strto(s, end, base, ULONG_MAX, false);
}

long long strtoll(const char *s, char **end, int base)
{
	return (long long)rb_strto(s, end, base, LLONG_MAX, true);
}

long strtol(const char *s, char **end, int base)
{
	return (long)rb_strto(s, end, base, LONG_MAX, true);
}

void *malloc(size_t n)
{
	return rb_malloc(n);
}

void free(void *p)
{
	rb_free(p);
}

void *calloc(size_t count, size_t size)
{
	return rb_calloc(count, size);
}

void *realloc(void *p, size_t n)
{
	return rb_realloc(p, n);
}

/* musl's <stdio.h> leaves FILE (struct _IO_FILE) incomplete: here it is a
 * common/stream.h stream.  The standard streams' buffers are the only mutable
 * globals of the program, as they are in any C library. */
struct _IO_FILE {
	struct rb_stream s;
};

static unsigned char stdin_buf[RB_STREAM_BUF], stdout_buf[RB_STREAM_BUF];
static FILE std_files[3] = {
	{{.fd = 0, .flags = RB_STREAM_STATIC | RB_STREAM_NOWR, .buf = stdin_buf,
	  .size = sizeof(stdin_buf)}},
	{{.fd = 1, .flags = RB_STREAM_STATIC | RB_STREAM_NORD | RB_STREAM_LINE | RB_STREAM_TTY_LATER,
	  .buf = stdout_buf, .size = sizeof(stdout_buf)}},
	{{.fd = 2, .flags = RB_STREAM_STATIC | RB_STREAM_NORD}},
};
FILE *const stdin = &std_files[0];
FILE *const stdout = &std_files[1];
FILE *const stderr = &std_files[2];

/* exit() runs the .fini_array (musl's __libc_exit_fini) before _Exit: what
 * stdout holds goes out then, and stdin gives back what it read ahead. */
__attribute__((destructor)) static void flush_at_exit(void)
{
	rb_stream_flush(&stdout->s);
	rb_stream_flush(&stdin->s);
}

/* Tripwires: every musl stdio function locks through __lockfile/__unlockfile
 * or reads and writes through __toread/__towrite, whose objects define these
 * names too; one of them pulled into the link (it would run on our FILE) makes
 * the link fail with "multiple definition" instead.  Use the functions below,
 * or add the one missing here. */
void __unlockfile(FILE *f);
void __unlockfile(FILE *f)
{
}
void __toread_needs_stdio_exit(void);
void __toread_needs_stdio_exit(void)
{
}
void __towrite_needs_stdio_exit(void);
void __towrite_needs_stdio_exit(void)
{
}

FILE *fopen(const char *path, const char *mode)
{
	return (FILE *)rb_stream_open(path, mode);
}

int fclose(FILE *f)
{
	return rb_stream_close(&f->s);
}

int fflush(FILE *f)
{
	if (f)
		return rb_stream_flush(&f->s);
	return rb_stream_flush(&stdout->s); /* fflush(NULL): the only buffered writer left open */
}

int ferror(FILE *f)
{
	return !!(f->s.flags & RB_STREAM_ERR);
}

int feof(FILE *f)
{
	return !!(f->s.flags & RB_STREAM_EOF);
}

void clearerr(FILE *f)
{
	f->s.flags &= ~(unsigned)(RB_STREAM_ERR | RB_STREAM_EOF);
}

int fileno(FILE *f)
{
	return f->s.fd;
}

size_t fwrite(const void *p, size_t size, size_t n, FILE *f)
{
	size_t len = size * n;
	if (!size)
		return 0;
	return rb_stream_write(&f->s, p, len) / size;
}

int fputs(const char *str, FILE *f)
{
	size_t len = strlen(str);
	return rb_stream_write(&f->s, str, len) == len ? 0 : EOF;
}

int fputc(int c, FILE *f)
{
	unsigned char b = (unsigned char)c;
	return rb_stream_write(&f->s, &b, 1) == 1 ? b : EOF;
}

int putc(int c, FILE *f)
{
	return fputc(c, f);
}

int putchar(int c)
{
	return fputc(c, stdout);
}

int puts(const char *str)
{
	return fputs(str, stdout) || fputc('\n', stdout) < 0 ? EOF : 0;
}

int fgetc(FILE *f)
{
	return rb_stream_getc(&f->s);
}

int getc(FILE *f)
{
	return rb_stream_getc(&f->s);
}

char *fgets(char *line, int size, FILE *f)
{
	return rb_stream_gets(line, size, &f->s);
}

/* Collects text and hands it to fwrite in pieces, so that an unbuffered
 * stream (stderr) gets one write per 256 bytes, not one per conversion. */
struct file_sink {
	struct rb_fmt_sink sink;
	FILE *f;
	size_t n;
	bool failed;
	char buf[256];
};

static void file_flush(struct file_sink *s)
{
	if (s->n && fwrite(s->buf, 1, s->n, s->f) != s->n)
		s->failed = true;
	s->n = 0;
}

static void file_put(struct rb_fmt_sink *sink, const char *p, size_t n)
{
	struct file_sink *s = (struct file_sink *)sink;
	while (n) {
		if (s->n == sizeof(s->buf))
			file_flush(s);
		size_t k = sizeof(s->buf) - s->n < n ? sizeof(s->buf) - s->n : n;
		memcpy(s->buf + s->n, p, k);
		s->n += k;
		p += k;
		n -= k;
	}
}

int vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct file_sink s;
	s.sink.put = file_put;
	s.f = f;
	s.n = 0;
	s.failed = false;
	int len = rb_vformat(&s.sink, fmt, ap);
	file_flush(&s);
	return s.failed ? -1 : len;
}

int vprintf(const char *fmt, va_list ap)
{
	return vfprintf(stdout, fmt, ap);
}

int fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vfprintf(f, fmt, ap);
	va_end(ap);
	return len;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return len;
}

int vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	return rb_vsnprintf(buf, n, fmt, ap);
}

int snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = rb_vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return len;
}

int vsprintf(char *buf, const char *fmt, va_list ap)
{
	return rb_vsnprintf(buf, SIZE_MAX, fmt, ap);
}

int sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int len = rb_vsnprintf(buf, SIZE_MAX, fmt, ap);
	va_end(ap);
	return len;
}
#else
/* ISO C wants at least one declaration in a translation unit. */
typedef int rb_libc_is_the_c_librarys;
#endif
