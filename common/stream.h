/* Buffered file streams: the part of stdio rawbpf uses (fopen "r"/"w"/"a"
 * with b, e, x; fgets/getc, fwrite/fputc, fflush, ferror/feof, fclose; the
 * three standard streams).  The release build's stdio is this (common/libc.c),
 * because musl's stdio code is ~5.5 KB of the static binary.
 *
 * The buffering rules are musl's, so output reaches the file descriptor at the
 * same points (it matters where stdout and stderr share a file):
 *  - a write that does not fit the room left in the buffer goes out at once,
 *    after what the buffer holds;
 *  - a line-buffered stream writes out through the last '\n' of each write;
 *  - stdout is line-buffered until its first write out, which keeps it so only
 *    if it is a terminal; files opened for writing are line-buffered on a
 *    terminal; stderr is unbuffered;
 *  - a write error drops what the buffer held and sets the error flag; end of
 *    file is sticky until clearerr.
 * Not supported (rawbpf does not use them): "+" modes (fopen fails with
 * EINVAL), ungetc, seeking, and flushing at exit of streams never closed
 * (stdout is flushed at exit; every stream rawbpf opens, it closes). */
#ifndef RAWBPF_COMMON_STREAM_H
#define RAWBPF_COMMON_STREAM_H

#include <stddef.h>

enum {
	RB_STREAM_BUF = 1024, /* musl's BUFSIZ */
};

enum rb_stream_flag {
	RB_STREAM_ERR = 1,         /* ferror */
	RB_STREAM_EOF = 2,         /* feof */
	RB_STREAM_NORD = 4,        /* opened for writing only */
	RB_STREAM_NOWR = 8,        /* opened for reading only */
	RB_STREAM_LINE = 16,       /* line-buffered */
	RB_STREAM_TTY_LATER = 32,  /* stdout: decide LINE at the first write out */
	RB_STREAM_STATIC = 64,     /* a standard stream: close does not free it */
};

struct rb_stream {
	int fd;
	unsigned flags;       /* enum rb_stream_flag */
	unsigned char *buf;
	size_t size;          /* of buf; 0: unbuffered */
	size_t wlen;          /* bytes in buf waiting to be written */
	size_t rpos, rlen;    /* bytes read ahead into buf: next, end */
};

/* fopen: NULL with errno set (EINVAL for a mode this does not support). */
struct rb_stream *rb_stream_open(const char *path, const char *mode);
/* fclose: flushes, closes the descriptor, frees the stream; 0 or -1 (EOF). */
int rb_stream_close(struct rb_stream *s);
/* fwrite: how many of the n bytes were taken (n unless an error). */
size_t rb_stream_write(struct rb_stream *s, const void *p, size_t n);
/* fflush: 0, or -1 if writing out what the buffer held failed. */
int rb_stream_flush(struct rb_stream *s);
/* getc: the next byte, or -1 at end of file or on an error. */
int rb_stream_getc(struct rb_stream *s);
/* fgets: up to size - 1 bytes through the first '\n', NUL-terminated; NULL at
 * end of file before any byte, on a read error, or for size < 1. */
char *rb_stream_gets(char *line, int size, struct rb_stream *s);

#endif
