#include "common/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

void rb_buf_free(struct rb_buf *b)
{
	free(b->data);
	*b = (struct rb_buf){0};
}

bool rb_buf_reserve(struct rb_buf *b, size_t extra)
{
	if (b->oom)
		return false;
	size_t want = b->len + extra + 1;
	if (want <= b->len) {
		b->oom = true;
		return false;
	}
	if (want <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < want)
		cap = cap * 2 > cap ? cap * 2 : want;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->oom = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

bool rb_buf_append(struct rb_buf *b, const void *p, size_t n)
{
	if (!rb_buf_reserve(b, n))
		return false;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = 0;
	return true;
}

bool rb_buf_printf(struct rb_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !rb_buf_reserve(b, (size_t)n + 1))
		return false;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
	return true;
}

const char *rb_buf_str(struct rb_buf *b)
{
	if (!b->data && !rb_buf_reserve(b, 1))
		return "";
	b->data[b->len] = 0;
	return b->data;
}

/* Reads straight into the buffer, first sized from fstat (one allocation
 * for a regular or sysfs file), then doubled for files whose size says
 * nothing (/proc).  sysfs hands out at most a page per read whatever the
 * size asked; /proc's seq files fill the whole request. */
static int read_all(int fd, size_t max_size, struct rb_buf *out)
{
	struct stat st;
	size_t want = fstat(fd, &st) == 0 && st.st_size > 0 ? (size_t)st.st_size + 1 : 65536;
	if (want > max_size)
		want = max_size + 1; /* small reads of /proc and sysfs values stay small */
	for (;;) {
		if (out->cap - out->len <= 1 && !rb_buf_reserve(out, want))
			return -ENOMEM;
		/* one byte past max_size tells a file that is too big */
		size_t room = out->cap - out->len - 1, left = max_size - out->len;
		ssize_t n = read(fd, out->data + out->len, left < room ? left + 1 : room);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		out->len += (size_t)n;
		if (out->len > max_size)
			return -EFBIG;
		want = out->len; /* grow by doubling from here on */
	}
	out->data[out->len] = 0;
	return 0;
}

int rb_read_file(const char *path, size_t max_size, struct rb_buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int ret = read_all(fd, max_size, out);
	close(fd);
	return ret;
}
