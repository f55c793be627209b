#include "common/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

int rb_read_file(const char *path, size_t max_size, struct rb_buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int ret = 0;
	char chunk[65536];
	for (;;) {
		ssize_t n = read(fd, chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			ret = -errno;
			break;
		}
		if (n == 0)
			break;
		if (out->len + (size_t)n > max_size) {
			ret = -EFBIG;
			break;
		}
		if (!rb_buf_append(out, chunk, (size_t)n)) {
			ret = -ENOMEM;
			break;
		}
	}
	close(fd);
	return ret;
}
