/* Growable byte buffer and small helpers shared by every module. */
#ifndef RAWBPF_COMMON_BUF_H
#define RAWBPF_COMMON_BUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct rb_buf {
	char *data;
	size_t len, cap;
	bool oom;        /* sticky: an append failed; the contents are incomplete */
};

void rb_buf_free(struct rb_buf *b);
bool rb_buf_reserve(struct rb_buf *b, size_t extra);
bool rb_buf_append(struct rb_buf *b, const void *p, size_t n);
bool rb_buf_printf(struct rb_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* NUL-terminates without counting the NUL in len; returns data ("" if empty). */
const char *rb_buf_str(struct rb_buf *b);

/* Reads a whole file (at most max_size bytes) into *out. Returns 0 or -errno. */
int rb_read_file(const char *path, size_t max_size, struct rb_buf *out);

/* Overflow-checked arithmetic for offsets read from files. */
static inline bool rb_range_ok(uint64_t off, uint64_t len, uint64_t total)
{
	return off <= total && len <= total - off;
}

#define RB_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
