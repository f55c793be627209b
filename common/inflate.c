/* DEFLATE and gzip decoding (RFC 1951, RFC 1952).  Huffman codes are kept in
 * canonical form (a count per code length plus the symbols sorted by code)
 * and decoded one bit at a time: inputs here are kernel configs of a few
 * hundred kilobytes, so simplicity and obvious bounds checks win over
 * lookup-table speed. */
#include "common/inflate.h"

#include <string.h>

#define MAX_BITS 15
#define MAX_LITLEN 288
#define MAX_DIST 32
#define NUM_CLEN 19

struct bitin {
	const uint8_t *p;
	size_t len, pos; /* pos: next unread byte */
	uint32_t bits;   /* bits read from p but not yet consumed, LSB first */
	unsigned nbits;
};

struct huff {
	uint16_t count[MAX_BITS + 1]; /* codes of each length */
	uint16_t symbol[MAX_LITLEN];  /* symbols ordered by code */
};

struct inflater {
	struct bitin in;
	struct rb_buf *out;
	size_t start;   /* out->len when this stream began: the window's floor */
	size_t max_out;
	struct rb_err *err;
};

/* Length symbols 257..285: base length and extra bits (RFC 1951 3.2.5). */
static const uint16_t len_base[29] = {3,  4,  5,  6,  7,  8,  9,  10, 11,  13,
				      15, 17, 19, 23, 27, 31, 35, 43, 51,  59,
				      67, 83, 99, 115, 131, 163, 195, 227, 258};
static const uint8_t len_extra[29] = {0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2,
				      2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0};
static const uint16_t dist_base[30] = {1,    2,    3,    4,    5,    7,     9,     13,
				       17,   25,   33,   49,   65,   97,    129,   193,
				       257,  385,  513,  769,  1025, 1537,  2049,  3073,
				       4097, 6145, 8193, 12289, 16385, 24577};
static const uint8_t dist_extra[30] = {0, 0, 0, 0, 1, 1, 2, 2,  3,  3,  4,  4,  5,  5,  6,
				       6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13};
/* The order in which code-length code lengths are sent (RFC 1951 3.2.7). */
static const uint8_t clen_order[NUM_CLEN] = {16, 17, 18, 0, 8,  7, 9,  6, 10, 5,
					     11, 4,  12, 3, 13, 2, 14, 1, 15};
/* CRC-32 of each 4-bit value, for a table of 16 instead of 256 entries. */
static const uint32_t crc_nibble[16] = {
	0x00000000, 0x1db71064, 0x3b6e20c8, 0x26d930ac, 0x76dc4190, 0x6b6b51f4,
	0x4db26158, 0x5005713c, 0xedb88320, 0xf00f9344, 0xd6d6a3e8, 0xcb61b38c,
	0x9b64c2b0, 0x86d3d2d4, 0xa00ae278, 0xbdbdf21c};

bool rb_is_gzip(const void *p, size_t len)
{
	const uint8_t *b = p;
	return len >= 2 && b[0] == 0x1f && b[1] == 0x8b;
}

uint32_t rb_crc32(uint32_t crc, const void *p, size_t len)
{
	const uint8_t *b = p;
	crc = ~crc;
	for (size_t i = 0; i < len; i++) {
		crc ^= b[i];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
		crc = (crc >> 4) ^ crc_nibble[crc & 15];
	}
	return ~crc;
}

static int fail(struct inflater *s, const char *what)
{
	return rb_errf(s->err, RB_EINPUT, "deflate stream: %s (input byte %zu)", what, s->in.pos);
}

/* Takes n (<= 16) bits; false when the input ends first. */
static bool take_bits(struct bitin *b, unsigned n, uint32_t *v)
{
	while (b->nbits < n) {
		if (b->pos >= b->len)
			return false;
		b->bits |= (uint32_t)b->p[b->pos++] << b->nbits;
		b->nbits += 8;
	}
	*v = b->bits & ((1u << n) - 1);
	b->bits >>= n;
	b->nbits -= n;
	return true;
}

static int bits(struct inflater *s, unsigned n, uint32_t *v)
{
	return take_bits(&s->in, n, v) ? 0 : fail(s, "truncated");
}

/* Returns the unused code space: 0 complete, > 0 incomplete, < 0 the
 * lengths describe more codes than fit (over-subscribed). */
static int huff_build(struct huff *h, const uint8_t *lens, unsigned n)
{
	uint16_t offs[MAX_BITS + 2];
	memset(h->count, 0, sizeof(h->count));
	for (unsigned s = 0; s < n; s++)
		h->count[lens[s]]++;
	int left = 1;
	for (unsigned len = 1; len <= MAX_BITS; len++) {
		left = left * 2 - h->count[len];
		if (left < 0)
			return left;
	}
	offs[1] = 0;
	for (unsigned len = 1; len <= MAX_BITS; len++)
		offs[len + 1] = (uint16_t)(offs[len] + h->count[len]);
	for (unsigned s = 0; s < n; s++)
		if (lens[s])
			h->symbol[offs[lens[s]]++] = (uint16_t)s;
	return left;
}

/* A code set is usable when complete, or when it is the single one-bit code
 * RFC 1951 allows for a block that uses one symbol only. */
static bool huff_usable(const struct huff *h, int left)
{
	if (left == 0)
		return true;
	if (left < 0)
		return false;
	unsigned used = 0;
	for (unsigned len = 1; len <= MAX_BITS; len++)
		used += h->count[len];
	return used == 1 && h->count[1] == 1;
}

/* Canonical decoding: codes of one length are consecutive, so after each
 * bit the code is either among this length's codes or a prefix of longer. */
static int huff_decode(struct inflater *s, const struct huff *h)
{
	int code = 0, first = 0, index = 0;
	for (unsigned len = 1; len <= MAX_BITS; len++) {
		uint32_t bit;
		int r = bits(s, 1, &bit);
		if (r)
			return r;
		code |= (int)bit;
		int count = h->count[len];
		if (code - first < count)
			return h->symbol[index + code - first];
		index += count;
		first = (first + count) << 1;
		code <<= 1;
	}
	return fail(s, "invalid Huffman code");
}

static int room_for(struct inflater *s, size_t n)
{
	if (s->out->len > s->max_out || n > s->max_out - s->out->len)
		return rb_errf(s->err, RB_EINPUT,
			       "deflate stream: output larger than the %zu-byte limit", s->max_out);
	if (!rb_buf_reserve(s->out, n))
		return rb_errf(s->err, RB_ESYS, "deflate stream: out of memory");
	return 0;
}

static int put_byte(struct inflater *s, uint8_t c)
{
	int r = room_for(s, 1);
	if (r)
		return r;
	s->out->data[s->out->len++] = (char)c;
	return 0;
}

/* Copies len bytes from dist back; byte by byte because they may overlap. */
static int copy_back(struct inflater *s, size_t dist, size_t len)
{
	if (dist > s->out->len - s->start)
		return fail(s, "distance too far back");
	int r = room_for(s, len);
	if (r)
		return r;
	char *d = s->out->data;
	for (size_t i = 0; i < len; i++, s->out->len++)
		d[s->out->len] = d[s->out->len - dist];
	return 0;
}

static int stored_block(struct inflater *s)
{
	struct bitin *b = &s->in;
	b->bits = 0; /* stored data starts on the next byte boundary */
	b->nbits = 0;
	if (!rb_range_ok(b->pos, 4, b->len))
		return fail(s, "truncated stored block header");
	unsigned len = b->p[b->pos] | (unsigned)b->p[b->pos + 1] << 8;
	unsigned nlen = b->p[b->pos + 2] | (unsigned)b->p[b->pos + 3] << 8;
	b->pos += 4;
	if ((len ^ 0xffff) != nlen)
		return fail(s, "stored block length does not match its complement");
	if (!rb_range_ok(b->pos, len, b->len))
		return fail(s, "truncated stored block");
	int r = room_for(s, len);
	if (r)
		return r;
	rb_buf_append(s->out, b->p + b->pos, len);
	b->pos += len;
	return 0;
}

static int length_and_distance(struct inflater *s, int sym, const struct huff *dist)
{
	uint32_t extra;
	if (sym > 285)
		return fail(s, "invalid length symbol");
	int i = sym - 257, r = bits(s, len_extra[i], &extra);
	if (r)
		return r;
	size_t len = len_base[i] + extra;
	int d = huff_decode(s, dist);
	if (d < 0)
		return d;
	if (d >= 30)
		return fail(s, "invalid distance symbol");
	if ((r = bits(s, dist_extra[d], &extra)))
		return r;
	return copy_back(s, dist_base[d] + extra, len);
}

static int codes_block(struct inflater *s, const struct huff *litlen, const struct huff *dist)
{
	for (;;) {
		int sym = huff_decode(s, litlen), r;
		if (sym < 0)
			return sym;
		if (sym == 256)
			return 0;
		r = sym < 256 ? put_byte(s, (uint8_t)sym) : length_and_distance(s, sym, dist);
		if (r)
			return r;
	}
}

static int fixed_block(struct inflater *s)
{
	uint8_t lens[MAX_LITLEN + MAX_DIST];
	struct huff litlen, dist;
	unsigned i = 0;
	for (; i < 144; i++)
		lens[i] = 8;
	for (; i < 256; i++)
		lens[i] = 9;
	for (; i < 280; i++)
		lens[i] = 7;
	for (; i < MAX_LITLEN; i++)
		lens[i] = 8;
	memset(lens + MAX_LITLEN, 5, MAX_DIST);
	huff_build(&litlen, lens, MAX_LITLEN);
	huff_build(&dist, lens + MAX_LITLEN, MAX_DIST);
	return codes_block(s, &litlen, &dist);
}

static int read_clen_code(struct inflater *s, unsigned nclen, struct huff *clen)
{
	uint8_t lens[NUM_CLEN] = {0};
	for (unsigned i = 0; i < nclen; i++) {
		uint32_t v;
		int r = bits(s, 3, &v);
		if (r)
			return r;
		lens[clen_order[i]] = (uint8_t)v;
	}
	if (huff_build(clen, lens, NUM_CLEN) != 0)
		return fail(s, "incomplete or over-subscribed code-length code");
	return 0;
}

/* Symbols 16..18 repeat the previous length or zero (RFC 1951 3.2.7). */
static int repeat_length(struct inflater *s, int sym, uint8_t *lens, unsigned *i, unsigned n)
{
	static const uint8_t extra_bits[3] = {2, 3, 7}, base[3] = {3, 3, 11};
	uint32_t extra;
	int r = bits(s, extra_bits[sym - 16], &extra);
	if (r)
		return r;
	if (sym == 16 && *i == 0)
		return fail(s, "length repeat with no previous length");
	uint8_t val = sym == 16 ? lens[*i - 1] : 0;
	unsigned count = base[sym - 16] + extra;
	if (count > n - *i)
		return fail(s, "code lengths overflow the alphabet");
	while (count--)
		lens[(*i)++] = val;
	return 0;
}

static int read_lengths(struct inflater *s, const struct huff *clen, uint8_t *lens, unsigned n)
{
	unsigned i = 0;
	while (i < n) {
		int sym = huff_decode(s, clen), r;
		if (sym < 0)
			return sym;
		if (sym < 16) {
			lens[i++] = (uint8_t)sym;
			continue;
		}
		if ((r = repeat_length(s, sym, lens, &i, n)))
			return r;
	}
	return 0;
}

static int build_dynamic(struct inflater *s, const uint8_t *lens, unsigned nlit, unsigned ndist,
			 struct huff *litlen, struct huff *dist)
{
	if (lens[256] == 0)
		return fail(s, "dynamic block has no end-of-block code");
	if (!huff_usable(litlen, huff_build(litlen, lens, nlit)))
		return fail(s, "invalid literal/length code lengths");
	if (!huff_usable(dist, huff_build(dist, lens + nlit, ndist)))
		return fail(s, "invalid distance code lengths");
	return 0;
}

static int dynamic_block(struct inflater *s)
{
	uint32_t hlit, hdist, hclen;
	uint8_t lens[MAX_LITLEN + MAX_DIST] = {0};
	struct huff clen, litlen, dist;
	int r = bits(s, 5, &hlit);
	if (!r)
		r = bits(s, 5, &hdist);
	if (!r)
		r = bits(s, 4, &hclen);
	if (r)
		return r;
	unsigned nlit = hlit + 257, ndist = hdist + 1;
	if (nlit > 286 || ndist > 30)
		return fail(s, "too many length or distance codes");
	if ((r = read_clen_code(s, hclen + 4, &clen)))
		return r;
	if ((r = read_lengths(s, &clen, lens, nlit + ndist)))
		return r;
	if ((r = build_dynamic(s, lens, nlit, ndist, &litlen, &dist)))
		return r;
	return codes_block(s, &litlen, &dist);
}

static int one_block(struct inflater *s, bool *last)
{
	uint32_t final, type;
	int r = bits(s, 1, &final);
	if (!r)
		r = bits(s, 2, &type);
	if (r)
		return r;
	*last = final;
	switch (type) {
	case 0: return stored_block(s);
	case 1: return fixed_block(s);
	case 2: return dynamic_block(s);
	default: return fail(s, "reserved block type 3");
	}
}

int rb_inflate_raw(const void *in, size_t in_len, size_t max_out, struct rb_buf *out,
		   size_t *consumed, struct rb_err *err)
{
	struct inflater s = {.in = {.p = in, .len = in_len}, .out = out, .start = out->len,
			     .max_out = max_out, .err = err};
	bool last = false;
	while (!last) {
		int r = one_block(&s, &last);
		if (r)
			return r;
	}
	if (consumed)
		*consumed = s.in.pos; /* unused bits of the last byte are padding */
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Skips a zero-terminated header string starting at *pos. */
static int skip_cstring(const uint8_t *p, size_t len, size_t *pos, struct rb_err *err)
{
	const uint8_t *z = *pos < len ? memchr(p + *pos, 0, len - *pos) : NULL;
	if (!z)
		return rb_errf(err, RB_EINPUT, "gzip header: unterminated name or comment");
	*pos = (size_t)(z - p) + 1;
	return 0;
}

enum { GZ_FHCRC = 2, GZ_FEXTRA = 4, GZ_FNAME = 8, GZ_FCOMMENT = 16, GZ_RESERVED = 0xe0 };

static int check_magic(const uint8_t *p, size_t len, struct rb_err *err)
{
	if (len < 10 || !rb_is_gzip(p, len))
		return rb_errf(err, RB_EINPUT, "not a gzip file (bad magic or shorter than a header)");
	if (p[2] != 8)
		return rb_errf(err, RB_EINPUT, "gzip: compression method %u is not deflate", p[2]);
	if (p[3] & GZ_RESERVED)
		return rb_errf(err, RB_EINPUT, "gzip: reserved header flags 0x%02x set", p[3]);
	return 0;
}

static int skip_extra(const uint8_t *p, size_t len, size_t *pos, struct rb_err *err)
{
	if (!rb_range_ok(*pos, 2, len))
		return rb_errf(err, RB_EINPUT, "gzip header: truncated extra field");
	size_t xlen = p[*pos] | (size_t)p[*pos + 1] << 8;
	if (!rb_range_ok(*pos + 2, xlen, len))
		return rb_errf(err, RB_EINPUT, "gzip header: extra field runs past the end");
	*pos += 2 + xlen;
	return 0;
}

static int check_header_crc(const uint8_t *p, size_t len, size_t *pos, struct rb_err *err)
{
	if (!rb_range_ok(*pos, 2, len))
		return rb_errf(err, RB_EINPUT, "gzip header: truncated header CRC");
	unsigned want = p[*pos] | (unsigned)p[*pos + 1] << 8;
	if ((rb_crc32(0, p, *pos) & 0xffff) != want)
		return rb_errf(err, RB_EINPUT, "gzip header: header CRC mismatch");
	*pos += 2;
	return 0;
}

/* Returns the offset of the compressed data. */
static int parse_header(const uint8_t *p, size_t len, size_t *pos, struct rb_err *err)
{
	int r = check_magic(p, len, err);
	unsigned flags = len > 3 ? p[3] : 0;
	*pos = 10;
	if (!r && (flags & GZ_FEXTRA))
		r = skip_extra(p, len, pos, err);
	if (!r && (flags & GZ_FNAME))
		r = skip_cstring(p, len, pos, err);
	if (!r && (flags & GZ_FCOMMENT))
		r = skip_cstring(p, len, pos, err);
	if (!r && (flags & GZ_FHCRC))
		r = check_header_crc(p, len, pos, err);
	return r;
}

static int check_trailer(const uint8_t *p, size_t len, size_t pos, const struct rb_buf *out,
			 size_t start, struct rb_err *err)
{
	if (!rb_range_ok(pos, 8, len))
		return rb_errf(err, RB_EINPUT, "gzip: truncated trailer (CRC and length)");
	uint32_t crc = rb_crc32(0, out->data + start, out->len - start);
	if (crc != le32(p + pos))
		return rb_errf(err, RB_EINPUT, "gzip: CRC-32 mismatch (data %08x, trailer %08x)",
			       crc, le32(p + pos));
	if ((uint32_t)(out->len - start) != le32(p + pos + 4))
		return rb_errf(err, RB_EINPUT, "gzip: length mismatch (data %zu, trailer %u)",
			       out->len - start, le32(p + pos + 4));
	return 0;
}

static int gunzip_member(const uint8_t *p, size_t len, size_t max_out, struct rb_buf *out,
			 size_t *used, struct rb_err *err)
{
	size_t pos, consumed, start = out->len;
	int r = parse_header(p, len, &pos, err);
	if (!r)
		r = rb_inflate_raw(p + pos, len - pos, max_out, out, &consumed, err);
	if (r)
		return r;
	pos += consumed;
	if ((r = check_trailer(p, len, pos, out, start, err)))
		return r;
	*used = pos + 8;
	return 0;
}

static bool all_zero(const uint8_t *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

int rb_gunzip(const void *in, size_t in_len, size_t max_out, struct rb_buf *out,
	      struct rb_err *err)
{
	const uint8_t *p = in;
	size_t pos = 0;
	do {
		size_t used;
		int r = gunzip_member(p + pos, in_len - pos, max_out, out, &used, err);
		if (r)
			return r;
		pos += used;
	} while (rb_is_gzip(p + pos, in_len - pos));
	if (!all_zero(p + pos, in_len - pos)) /* zero padding is tape-block slack */
		return rb_errf(err, RB_EINPUT, "gzip: %zu bytes of trailing garbage", in_len - pos);
	if (!out->data && !rb_buf_reserve(out, 1))
		return rb_errf(err, RB_ESYS, "gzip: out of memory");
	return 0;
}
