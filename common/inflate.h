/* DEFLATE (RFC 1951) and gzip (RFC 1952) decoding, written for rawbpf so the
 * static binary needs no zlib.  Used for /proc/config.gz; every input is
 * treated as hostile: each read is bounds-checked, back-references are
 * checked against the bytes produced, and the output is capped. */
#ifndef RAWBPF_COMMON_INFLATE_H
#define RAWBPF_COMMON_INFLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"

/* True when p starts with the gzip magic bytes 1f 8b. */
bool rb_is_gzip(const void *p, size_t len);

/* CRC-32 (IEEE 802.3, reflected) continuing from crc; start with 0. */
uint32_t rb_crc32(uint32_t crc, const void *p, size_t len);

/* Decodes one raw DEFLATE stream from in, appending to out (at most max_out
 * bytes in total in out).  *consumed (may be NULL) receives the bytes of
 * input used, rounded up to a whole byte.  Returns 0 or -RB_EINPUT (corrupt
 * or truncated stream, output over the cap) / -RB_ESYS (out of memory). */
int rb_inflate_raw(const void *in, size_t in_len, size_t max_out, struct rb_buf *out,
		   size_t *consumed, struct rb_err *err);

/* Decodes a gzip file (one or more concatenated members), checking the
 * header flags, the header CRC when present, and each member's CRC-32 and
 * length.  Same returns as rb_inflate_raw. */
int rb_gunzip(const void *in, size_t in_len, size_t max_out, struct rb_buf *out,
	      struct rb_err *err);

#endif
