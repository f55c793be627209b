/* pcap and pcapng readers over a byte buffer, and the classic pcap writer.
 *
 * Formats: pcap (https://www.tcpdump.org/manpages/pcap-savefile.5.html;
 * magic a1b2c3d4 = microseconds, a1b23c4d = nanoseconds, either byte order)
 * and pcapng (SHB, IDB with if_tsresol/if_tsoffset, EPB, SPB, the obsolete
 * PB; other blocks are skipped).  Every length is checked against the
 * buffer before use; a damaged record is an error naming its number and
 * byte offset, never a crash or a silently shortened capture. */
#include "loader/capture/capture.h"

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
#define PCAP_HDR_LEN 24
#define PCAP_REC_LEN 16
#define NG_SHB 0x0a0d0d0au
#define NG_IDB 1u
#define NG_PB 2u     /* obsolete Packet Block */
#define NG_SPB 3u
#define NG_EPB 6u
#define NG_BOM 0x1a2b3c4du
#define NG_MAX_IFS 65536
/* Larger than any snaplen libpcap writes (262144) with room for jumbo
 * frames and odd writers; past this a length is corruption. */
#define MAX_CAPLEN (16u << 20)
#define DEFAULT_SNAPLEN 262144u

/* ------------------------------------------------------------ link types */

int rb_linktype_to_dlt(uint32_t linktype)
{
	switch (linktype) {
	case 101: /* LINKTYPE_RAW */
	case 12:  /* DLT_RAW as some Linux writers put it */
	case 14:  /* DLT_RAW on OpenBSD */
		return RB_DLT_RAW;
	default:
		return (int)linktype;
	}
}

uint32_t rb_dlt_to_linktype(int dlt)
{
	return dlt == RB_DLT_RAW ? 101u : (uint32_t)dlt;
}

/* ------------------------------------------------------------ raw reads */

static uint16_t rd16(const struct rb_pcap_reader *r, size_t off)
{
	const uint8_t *p = r->buf + off;
	uint16_t v;
	memcpy(&v, p, 2);
	return r->swap ? __builtin_bswap16(v) : v;
}

static uint32_t rd32(const struct rb_pcap_reader *r, size_t off)
{
	uint32_t v;
	memcpy(&v, r->buf + off, 4);
	return r->swap ? __builtin_bswap32(v) : v;
}

static uint64_t rd64(const struct rb_pcap_reader *r, size_t off)
{
	uint64_t v;
	memcpy(&v, r->buf + off, 8);
	return r->swap ? __builtin_bswap64(v) : v;
}

static int corrupt(const struct rb_pcap_reader *r, struct rb_err *err, size_t off,
		   const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static int corrupt(const struct rb_pcap_reader *r, struct rb_err *err, size_t off,
		   const char *fmt, ...)
{
	char what[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(what, sizeof what, fmt, ap);
	va_end(ap);
	return rb_errf(err, RB_EINPUT, "%s: record %llu at offset %zu: %s; the file is truncated "
		       "or corrupt (records before it were read)", r->name,
		       (unsigned long long)r->recno, off, what);
}

/* ------------------------------------------------------------ pcap */

static int open_pcap(struct rb_pcap_reader *r, uint32_t magic, struct rb_err *err)
{
	if (r->len < PCAP_HDR_LEN)
		return rb_errf(err, RB_EINPUT, "%s: pcap file header is cut short (%zu of %d bytes)",
			       r->name, r->len, PCAP_HDR_LEN);
	r->swap = magic == __builtin_bswap32(PCAP_MAGIC_US) || magic == __builtin_bswap32(PCAP_MAGIC_NS);
	r->nano = rd32(r, 0) == PCAP_MAGIC_NS;
	uint16_t major = rd16(r, 4);
	if (major != 2)
		return rb_errf(err, RB_EINPUT, "%s: pcap version %u.%u is not 2.x: not a file "
			       "rawbpf can read", r->name, major, rd16(r, 6));
	r->fmt = RB_CAPFMT_PCAP;
	r->snaplen = rd32(r, 16);
	/* The top bits of the link type field carry FCS information. */
	r->dlt = rb_linktype_to_dlt(rd32(r, 20) & 0x03ffffffu);
	r->off = PCAP_HDR_LEN;
	return 0;
}

static void set_time(struct rb_pkt *pkt, uint64_t sec, uint64_t frac, uint64_t per_sec)
{
	sec += frac / per_sec;
	frac %= per_sec;
	pkt->ts_sec = (int64_t)sec;
	pkt->ts_nsec = (uint32_t)(frac * (1000000000u / per_sec));
}

static int next_pcap(struct rb_pcap_reader *r, struct rb_pkt *pkt, struct rb_err *err)
{
	size_t off = r->off;
	if (off == r->len)
		return 0;
	r->recno++;
	if (!rb_range_ok(off, PCAP_REC_LEN, r->len))
		return corrupt(r, err, off, "record header cut short (%zu of %d bytes)",
			       r->len - off, PCAP_REC_LEN);
	uint32_t caplen = rd32(r, off + 8), wirelen = rd32(r, off + 12);
	if (caplen > MAX_CAPLEN)
		return corrupt(r, err, off, "captured length %u is larger than any snapshot "
			       "length (%u)", caplen, MAX_CAPLEN);
	if (!rb_range_ok(off + PCAP_REC_LEN, caplen, r->len))
		return corrupt(r, err, off, "packet data cut short (%zu of %u bytes)",
			       r->len - off - PCAP_REC_LEN, caplen);
	*pkt = (struct rb_pkt){.data = r->buf + off + PCAP_REC_LEN, .caplen = caplen,
			       .wirelen = wirelen, .dlt = r->dlt};
	set_time(pkt, rd32(r, off), rd32(r, off + 4), r->nano ? 1000000000u : 1000000u);
	r->off = off + PCAP_REC_LEN + caplen;
	return 1;
}

/* ------------------------------------------------------------ pcapng */

struct ng_block {
	size_t off;       /* start of the block */
	uint32_t type;
	uint32_t len;     /* total length */
	size_t body, body_len;
};

/* Reads the block at r->off; for an SHB, first settles the byte order. */
static int ng_block_at(struct rb_pcap_reader *r, struct ng_block *b, struct rb_err *err)
{
	size_t off = r->off;
	if (!rb_range_ok(off, 12, r->len))
		return corrupt(r, err, off, "pcapng block header cut short (%zu of 12 bytes)",
			       r->len - off);
	uint32_t type;
	memcpy(&type, r->buf + off, 4);
	if (type == NG_SHB) {
		uint32_t bom;
		memcpy(&bom, r->buf + off + 8, 4);
		if (bom != NG_BOM && bom != __builtin_bswap32(NG_BOM))
			return corrupt(r, err, off, "section header has no byte-order magic");
		r->swap = bom != NG_BOM;
	}
	*b = (struct ng_block){.off = off, .type = rd32(r, off), .len = rd32(r, off + 4)};
	if (b->len < 12 || b->len % 4)
		return corrupt(r, err, off, "pcapng block length %u is not a multiple of 4 of at "
			       "least 12", b->len);
	if (!rb_range_ok(off, b->len, r->len))
		return corrupt(r, err, off, "pcapng block of %u bytes is cut short (%zu left)",
			       b->len, r->len - off);
	if (rd32(r, off + b->len - 4) != b->len)
		return corrupt(r, err, off, "pcapng block's trailing length %u differs from its "
			       "leading length %u", rd32(r, off + b->len - 4), b->len);
	b->body = off + 8;
	b->body_len = b->len - 12;
	return 0;
}

static int ng_section(struct rb_pcap_reader *r, const struct ng_block *b, struct rb_err *err)
{
	uint16_t major = rd16(r, b->body + 4);
	if (major != 1)
		return corrupt(r, err, b->off, "pcapng version %u.%u is not 1.x", major,
			       rd16(r, b->body + 6));
	r->nifs = 0;  /* interface ids are per section */
	return 0;
}

/* if_tsresol: bit 7 clear = 10^-v seconds, set = 2^-v. */
static int ng_tsresol(struct rb_pcap_reader *r, const struct ng_block *b, uint8_t v,
		      struct rb_pcapng_if *ifc, struct rb_err *err)
{
	unsigned e = v & 0x7f;
	if ((v & 0x80) ? e > 63 : e > 19)
		return corrupt(r, err, b->off, "interface time resolution 0x%02x is out of range", v);
	uint64_t den = 1;
	for (unsigned i = 0; i < e; i++)
		den *= (v & 0x80) ? 2 : 10;
	ifc->tsresol_num = 1;
	ifc->tsresol_den = den;
	return 0;
}

static int ng_if_options(struct rb_pcap_reader *r, const struct ng_block *b,
			 struct rb_pcapng_if *ifc, int64_t *tsoff, struct rb_err *err)
{
	size_t p = b->body + 8, end = b->body + b->body_len;
	while (p + 4 <= end) {
		uint16_t code = rd16(r, p), olen = rd16(r, p + 2);
		size_t padded = ((size_t)olen + 3) & ~(size_t)3;
		if (code == 0)
			break;
		if (!rb_range_ok(p + 4, padded, end))
			return corrupt(r, err, b->off, "interface option %u of %u bytes runs past "
				       "its block", code, olen);
		if (code == 9 && olen == 1) {
			int rc = ng_tsresol(r, b, r->buf[p + 4], ifc, err);
			if (rc)
				return rc;
		} else if (code == 14 && olen == 8) {
			*tsoff = (int64_t)rd64(r, p + 4);
		}
		p += 4 + padded;
	}
	return 0;
}

static int ng_interface(struct rb_pcap_reader *r, const struct ng_block *b, struct rb_err *err)
{
	if (r->nifs >= NG_MAX_IFS)
		return corrupt(r, err, b->off, "more than %d interfaces in one section", NG_MAX_IFS);
	if (r->nifs == r->cap_ifs) {
		size_t cap = r->cap_ifs ? r->cap_ifs * 2 : 4;
		struct rb_pcapng_if *n = realloc(r->ifs, cap * sizeof *n);
		if (!n)
			return rb_errf(err, RB_ESYS, "%s: out of memory for interfaces", r->name);
		r->ifs = n;
		r->cap_ifs = cap;
	}
	struct rb_pcapng_if ifc = {.dlt = rb_linktype_to_dlt(rd16(r, b->body)),
				   .snaplen = rd32(r, b->body + 4),
				   .tsresol_num = 1, .tsresol_den = 1000000};
	int64_t tsoff = 0;
	int rc = ng_if_options(r, b, &ifc, &tsoff, err);
	if (rc)
		return rc;
	ifc.tsoffset = tsoff;
	r->ifs[r->nifs++] = ifc;
	return 0;
}

/* *r += x modulo den, for r, x < den, without overflow; returns the carry. */
static uint32_t add_mod(uint64_t *r, uint64_t x, uint64_t den)
{
	if (*r >= den - x) {
		*r -= den - x;
		return 1;
	}
	*r += x;
	return 0;
}

/* rem * 10^9 / den for rem < den, without 128-bit arithmetic (libgcc's
 * division would add ~300 bytes to the static binary): 10^9 times the
 * fraction rem/den bit by bit, whole part in q, the rest r/den. */
static uint32_t frac_to_nsec(uint64_t rem, uint64_t den)
{
	uint32_t q = 0;
	uint64_t r = 0;
	for (int bit = 29; bit >= 0; bit--) {
		q = 2 * q + add_mod(&r, r, den);
		if ((1000000000u >> bit) & 1)
			q += add_mod(&r, rem, den);
	}
	return q;
}

static void ng_time(const struct rb_pcapng_if *ifc, uint64_t ticks, struct rb_pkt *pkt)
{
	uint64_t den = ifc->tsresol_den;
	uint64_t sec = ticks / den, rem = ticks % den;
	pkt->ts_sec = (int64_t)sec + ifc->tsoffset;
	pkt->ts_nsec = frac_to_nsec(rem, den);
}

static const struct rb_pcapng_if *ng_iface(struct rb_pcap_reader *r, const struct ng_block *b,
					   uint32_t id, struct rb_err *err)
{
	if (id >= r->nifs) {
		corrupt(r, err, b->off, "packet names interface %u but the section describes %zu",
			id, r->nifs);
		return NULL;
	}
	return &r->ifs[id];
}

/* Fills pkt from a packet's data area [data, data + room). */
static int ng_fill(struct rb_pcap_reader *r, const struct ng_block *b, size_t data, size_t room,
		   uint32_t caplen, uint32_t wirelen, struct rb_pkt *pkt, struct rb_err *err)
{
	if (caplen > room || caplen > MAX_CAPLEN)
		return corrupt(r, err, b->off, "captured length %u does not fit in its block "
			       "(%zu bytes of data)", caplen, room);
	pkt->data = r->buf + data;
	pkt->caplen = caplen;
	pkt->wirelen = wirelen;
	return 1;
}

/* An enhanced packet block, or the obsolete packet block (pb): the same
 * layout but for a 16-bit interface id (and a drop count beside it). */
static int ng_packet(struct rb_pcap_reader *r, const struct ng_block *b, bool pb,
		     struct rb_pkt *pkt, struct rb_err *err)
{
	uint32_t id = pb ? rd16(r, b->body) : rd32(r, b->body);
	const struct rb_pcapng_if *ifc = ng_iface(r, b, id, err);
	if (!ifc)
		return -RB_EINPUT;
	*pkt = (struct rb_pkt){.dlt = ifc->dlt, .iface = id};
	ng_time(ifc, (uint64_t)rd32(r, b->body + 4) << 32 | rd32(r, b->body + 8), pkt);
	return ng_fill(r, b, b->body + 20, b->body_len - 20, rd32(r, b->body + 12),
		       rd32(r, b->body + 16), pkt, err);
}

/* A simple packet block has no captured length: it is the original length
 * cut to the interface's snaplen, and must fit in the block. */
static int ng_spb(struct rb_pcap_reader *r, const struct ng_block *b, struct rb_pkt *pkt,
		  struct rb_err *err)
{
	const struct rb_pcapng_if *ifc = ng_iface(r, b, 0, err);
	if (!ifc)
		return -RB_EINPUT;
	uint32_t wirelen = rd32(r, b->body), caplen = wirelen;
	if (ifc->snaplen && caplen > ifc->snaplen)
		caplen = ifc->snaplen;
	*pkt = (struct rb_pkt){.dlt = ifc->dlt};
	return ng_fill(r, b, b->body + 4, b->body_len - 4, caplen, wirelen, pkt, err);
}

/* The blocks read, with the body length each needs at least. */
static const char ng_block_names[][22] = {
	"section header", "interface description", "enhanced packet block", "simple packet block",
	"packet block",
};
static const uint32_t ng_block_types[] = {NG_SHB, NG_IDB, NG_EPB, NG_SPB, NG_PB};
static const uint8_t ng_block_min[] = {16, 8, 20, 4, 20};

static int ng_dispatch(struct rb_pcap_reader *r, const struct ng_block *b, struct rb_pkt *pkt,
		       struct rb_err *err)
{
	size_t k = 0;
	while (k < RB_ARRAY_SIZE(ng_block_types) && ng_block_types[k] != b->type)
		k++;
	if (k == RB_ARRAY_SIZE(ng_block_types))
		return 0;  /* statistics, name resolution, custom: not needed */
	if (b->body_len < ng_block_min[k])
		return corrupt(r, err, b->off, "%s body is %zu bytes, needs %u",
			       ng_block_names[k], b->body_len, ng_block_min[k]);
	switch (b->type) {
	case NG_SHB: return ng_section(r, b, err);
	case NG_IDB: return ng_interface(r, b, err);
	case NG_SPB: return ng_spb(r, b, pkt, err);
	default: return ng_packet(r, b, b->type == NG_PB, pkt, err);
	}
}

static int next_pcapng(struct rb_pcap_reader *r, struct rb_pkt *pkt, struct rb_err *err)
{
	while (r->off < r->len) {
		struct ng_block b;
		r->recno++;
		int rc = ng_block_at(r, &b, err);
		if (rc)
			return rc;
		rc = ng_dispatch(r, &b, pkt, err);
		if (rc < 0)
			return rc;
		r->off = b.off + b.len;
		if (rc == 1)
			return 1;
	}
	return 0;
}

/* Walks the first section's blocks until its first interface, so the link
 * type is known before any packet is read; the reader position is kept. */
static int ng_first_dlt(struct rb_pcap_reader *r, struct rb_err *err)
{
	size_t off = r->off;
	uint64_t recno = r->recno;
	bool swap = r->swap;
	struct rb_pkt pkt;
	int rc = 0;
	r->dlt = -1;
	while (r->nifs == 0 && r->off < r->len && rc >= 0)
		rc = next_pcapng(r, &pkt, err);
	if (r->nifs) {
		r->dlt = r->ifs[0].dlt;
		r->snaplen = r->ifs[0].snaplen;
	}
	r->off = off;
	r->recno = recno;
	r->swap = swap;
	r->nifs = 0;
	/* Errors come back in order when the packets are read. */
	rb_err_clear(err);
	return 0;
}

static int open_pcapng(struct rb_pcap_reader *r, struct rb_err *err)
{
	struct ng_block b;
	struct rb_pkt unused;
	r->fmt = RB_CAPFMT_PCAPNG;
	r->recno = 1;
	int rc = ng_block_at(r, &b, err);
	if (!rc)
		rc = ng_dispatch(r, &b, &unused, err);  /* a section header: the magic said so */
	if (rc)
		return rc;
	r->off = b.off + b.len;
	return ng_first_dlt(r, err);
}

/* ------------------------------------------------------------ open/close */

int rb_pcap_open_mem(struct rb_pcap_reader *r, const void *buf, size_t len, const char *name,
		     struct rb_err *err)
{
	*r = (struct rb_pcap_reader){.buf = buf, .len = len};
	snprintf(r->name, sizeof r->name, "%s", name ? name : "capture");
	if (len < 4)
		return rb_errf(err, RB_EINPUT, "%s: %zu bytes is too short for a pcap or pcapng "
			       "file header", r->name, len);
	uint32_t magic;
	memcpy(&magic, buf, 4);
	if (magic == NG_SHB)
		return open_pcapng(r, err);
	if (magic == PCAP_MAGIC_US || magic == PCAP_MAGIC_NS ||
	    magic == __builtin_bswap32(PCAP_MAGIC_US) || magic == __builtin_bswap32(PCAP_MAGIC_NS))
		return open_pcap(r, magic, err);
	return rb_errf(err, RB_EINPUT, "%s: not a pcap or pcapng file (magic 0x%08x); write "
		       "captures with `tcpdump -w` or `rawbpf filter -w`", r->name, magic);
}

static int slurp_fd(int fd, struct rb_pcap_reader *r, const char *path, struct rb_err *err)
{
	struct rb_buf b = {0};
	for (;;) {
		if (!rb_buf_reserve(&b, 1 << 16)) {
			rb_buf_free(&b);
			return rb_errf(err, RB_ESYS, "%s: out of memory reading the capture", path);
		}
		ssize_t n = read(fd, b.data + b.len, b.cap - b.len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			rb_buf_free(&b);
			return rb_errnof(err, RB_ESYS, e, "%s: read", path);
		}
		if (n == 0)
			break;
		b.len += (size_t)n;
	}
	r->map = b.data;
	r->map_len = b.len;
	return 0;
}

static int load_file(int fd, struct rb_pcap_reader *r, const char *path, struct rb_err *err)
{
	struct stat st;
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
		void *m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (m != MAP_FAILED) {
			r->map = m;
			r->map_len = (size_t)st.st_size;
			r->mapped = true;
			return 0;
		}
	}
	return slurp_fd(fd, r, path, err);
}

int rb_pcap_open_file(struct rb_pcap_reader *r, const char *path, struct rb_err *err)
{
	bool is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? 0 : open(path, O_RDONLY | O_CLOEXEC);
	*r = (struct rb_pcap_reader){0};
	if (fd < 0)
		return rb_errnof(err, RB_ESYS, errno, "%s: cannot open the capture file", path);
	struct rb_pcap_reader tmp = {0};
	int rc = load_file(fd, &tmp, path, err);
	if (!is_stdin)
		close(fd);
	if (rc)
		return rc;
	rc = rb_pcap_open_mem(r, tmp.map, tmp.map_len, is_stdin ? "stdin" : path, err);
	r->map = tmp.map;
	r->map_len = tmp.map_len;
	r->mapped = tmp.mapped;
	if (rc)
		rb_pcap_close(r);
	return rc;
}

int rb_pcap_next(struct rb_pcap_reader *r, struct rb_pkt *pkt, struct rb_err *err)
{
	switch (r->fmt) {
	case RB_CAPFMT_PCAP: return next_pcap(r, pkt, err);
	case RB_CAPFMT_PCAPNG: return next_pcapng(r, pkt, err);
	default: return rb_errf(err, RB_EINPUT, "%s: reader is not open", r->name);
	}
}

void rb_pcap_close(struct rb_pcap_reader *r)
{
	if (r->mapped && r->map)
		munmap(r->map, r->map_len);
	else
		free(r->map);
	free(r->ifs);
	*r = (struct rb_pcap_reader){0};
}

/* ------------------------------------------------------------ writer */

static int write_all(struct rb_pcap_writer *w, const void *p, size_t n, struct rb_err *err)
{
	if (fwrite(p, 1, n, w->f) != n)
		return rb_errnof(err, RB_ESYS, errno, "%s: write failed", w->name);
	return 0;
}

int rb_pcap_writer_open(struct rb_pcap_writer *w, const char *path, int dlt, uint32_t snaplen,
			bool nano, struct rb_err *err)
{
	*w = (struct rb_pcap_writer){.nano = nano, .dlt = dlt,
				     .snaplen = snaplen ? snaplen : DEFAULT_SNAPLEN};
	snprintf(w->name, sizeof w->name, "%s", path);
	w->own = strcmp(path, "-") != 0;
	w->f = w->own ? fopen(path, "wbe") : stdout;
	if (!w->f)
		return rb_errnof(err, RB_ESYS, errno, "%s: cannot create the output file", path);
	struct {
		uint32_t magic;
		uint16_t major, minor;
		int32_t zone;
		uint32_t sigfigs, snaplen, linktype;
	} hdr = {nano ? PCAP_MAGIC_NS : PCAP_MAGIC_US, 2, 4, 0, 0, w->snaplen,
		 rb_dlt_to_linktype(dlt)};
	_Static_assert(sizeof hdr == PCAP_HDR_LEN, "pcap header layout");
	int rc = write_all(w, &hdr, sizeof hdr, err);
	if (rc) {
		struct rb_err ignored = {0};
		rb_pcap_writer_close(w, &ignored);
	}
	return rc;
}

int rb_pcap_write(struct rb_pcap_writer *w, const struct rb_pkt *pkt, struct rb_err *err)
{
	uint32_t caplen = pkt->caplen < w->snaplen ? pkt->caplen : w->snaplen;
	uint32_t rec[4] = {(uint32_t)pkt->ts_sec, w->nano ? pkt->ts_nsec : pkt->ts_nsec / 1000,
			   caplen, pkt->wirelen};
	int rc = write_all(w, rec, sizeof rec, err);
	return rc ? rc : write_all(w, pkt->data, caplen, err);
}

int rb_pcap_writer_close(struct rb_pcap_writer *w, struct rb_err *err)
{
	if (!w->f)
		return 0;
	int rc = 0;
	if (fflush(w->f) != 0 || ferror(w->f))
		rc = rb_errnof(err, RB_ESYS, errno, "%s: write failed", w->name);
	if (w->own && fclose(w->f) != 0 && !rc)
		rc = rb_errnof(err, RB_ESYS, errno, "%s: close failed", w->name);
	w->f = NULL;
	return rc;
}
