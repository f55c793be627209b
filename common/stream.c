#include "common/stream.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Bytes of p[0..n) written before an error (a write of 0 counts as one). */
static size_t write_fd(int fd, const unsigned char *p, size_t n)
{
	size_t done = 0;
	while (done < n) {
		ssize_t k = write(fd, p + done, n - done);
		if (k <= 0)
			break;
		done += (size_t)k;
	}
	return done;
}

/* Writes what the buffer holds, then p[0..n) (musl's __stdio_write); *done
 * is how much of p went out.  An error drops the buffer and marks the stream. */
static bool write_out(struct rb_stream *s, const unsigned char *p, size_t n, size_t *done)
{
	if (s->flags & RB_STREAM_TTY_LATER) {
		int saved = errno; /* musl's check leaves errno alone */
		s->flags &= ~(unsigned)RB_STREAM_TTY_LATER;
		if (!isatty(s->fd))
			s->flags &= ~(unsigned)RB_STREAM_LINE;
		errno = saved;
	}
	size_t held = s->wlen;
	s->wlen = 0;
	*done = 0;
	bool ok = write_fd(s->fd, s->buf, held) == held && (*done = write_fd(s->fd, p, n)) == n;
	if (!ok)
		s->flags |= RB_STREAM_ERR;
	return ok;
}

size_t rb_stream_write(struct rb_stream *s, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t lines = 0, done;
	if (s->flags & RB_STREAM_NOWR) {
		s->flags |= RB_STREAM_ERR;
		return 0;
	}
	if (!s->size || n > s->size - s->wlen) {
		write_out(s, p, n, &done);
		return done;
	}
	if (s->flags & RB_STREAM_LINE) {
		for (lines = n; lines && p[lines - 1] != '\n'; lines--)
			;
		if (lines && !write_out(s, p, lines, &done))
			return done;
	}
	memcpy(s->buf + s->wlen, p + lines, n - lines);
	s->wlen += n - lines;
	return n;
}

int rb_stream_flush(struct rb_stream *s)
{
	size_t done;
	if (s->wlen && !write_out(s, NULL, 0, &done))
		return -1;
	/* bytes read ahead go back to the descriptor where it can seek (POSIX) */
	if (s->rpos < s->rlen)
		lseek(s->fd, -(off_t)(s->rlen - s->rpos), SEEK_CUR);
	s->rpos = s->rlen = 0;
	return 0;
}

static bool refill(struct rb_stream *s)
{
	if (s->flags & (RB_STREAM_NORD | RB_STREAM_EOF)) {
		s->flags |= s->flags & RB_STREAM_NORD ? RB_STREAM_ERR : 0;
		return false;
	}
	ssize_t k = read(s->fd, s->buf, s->size);
	if (k <= 0) {
		s->flags |= k ? RB_STREAM_ERR : RB_STREAM_EOF;
		return false;
	}
	s->rpos = 0;
	s->rlen = (size_t)k;
	return true;
}

int rb_stream_getc(struct rb_stream *s)
{
	if (s->rpos == s->rlen && !refill(s))
		return -1;
	return s->buf[s->rpos++];
}

char *rb_stream_gets(char *line, int size, struct rb_stream *s)
{
	int n = 0, c = 0;
	if (size < 1)
		return NULL;
	while (n < size - 1 && c != '\n' && (c = rb_stream_getc(s)) >= 0)
		line[n++] = (char)c;
	/* as musl: a read error loses a partial line, end of file does not */
	if (c < 0 && (n == 0 || !(s->flags & RB_STREAM_EOF)))
		return NULL;
	line[n] = '\0';
	return line;
}

/* musl's __fmodeflags for the modes without '+'; -1 for others. */
static int open_flags(const char *mode)
{
	static const int base[] = {O_RDONLY, O_WRONLY | O_CREAT | O_TRUNC,
				   O_WRONLY | O_CREAT | O_APPEND};
	const char *kind = *mode ? strchr("rwa", *mode) : NULL;
	if (!kind || strchr(mode, '+'))
		return -1;
	return base[kind - "rwa"] | (strchr(mode, 'x') ? O_EXCL : 0) |
	       (strchr(mode, 'e') ? O_CLOEXEC : 0);
}

struct rb_stream *rb_stream_open(const char *path, const char *mode)
{
	int flags = open_flags(mode);
	if (flags < 0) {
		errno = EINVAL;
		return NULL;
	}
	int fd = open(path, flags, 0666);
	if (fd < 0)
		return NULL;
	struct rb_stream *s = calloc(1, sizeof(*s) + RB_STREAM_BUF);
	if (!s) {
		close(fd);
		errno = ENOMEM;
		return NULL;
	}
	*s = (struct rb_stream){.fd = fd, .buf = (unsigned char *)(s + 1), .size = RB_STREAM_BUF};
	if (*mode == 'r')
		s->flags = RB_STREAM_NOWR;
	else
		s->flags = RB_STREAM_NORD | (isatty(fd) ? RB_STREAM_LINE : 0);
	return s;
}

int rb_stream_close(struct rb_stream *s)
{
	int r = rb_stream_flush(s);
	r |= close(s->fd);
	if (!(s->flags & RB_STREAM_STATIC))
		free(s);
	return r ? -1 : 0;
}
