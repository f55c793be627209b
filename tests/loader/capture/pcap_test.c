/* pcap/pcapng readers on hand-made files (both byte orders, micro/nano,
 * several interfaces and sections, unknown blocks), truncated at every
 * length and with every bit flipped (clear errors, never a crash), and the
 * writer's round trip. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "common/buf.h"
#include "loader/capture/capture.h"

/* ------------------------------------------------------------ builders */

struct fb {
	struct rb_buf b;
	bool be;  /* write big-endian */
};

static void put(struct fb *f, uint64_t v, int n)
{
	uint8_t x[8];
	for (int i = 0; i < n; i++)
		x[i] = (uint8_t)(f->be ? v >> (8 * (n - 1 - i)) : v >> (8 * i));
	ck_assert(rb_buf_append(&f->b, x, (size_t)n));
}

static void put_bytes(struct fb *f, const void *p, size_t n)
{
	ck_assert(rb_buf_append(&f->b, p, n));
	while (f->b.len % 4)
		put(f, 0, 1);
}

static const uint8_t pkt_a[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14};
static const uint8_t pkt_b[] = {0xaa, 0xbb, 0xcc};

static void pcap_file(struct fb *f, uint32_t magic, uint32_t linktype)
{
	put(f, magic, 4);
	put(f, 2, 2);
	put(f, 4, 2);
	put(f, 0, 4);
	put(f, 0, 4);
	put(f, 65535, 4);
	put(f, linktype, 4);
	put(f, 1700000000, 4);
	put(f, 123456, 4);
	put(f, sizeof pkt_a, 4);
	put(f, 60, 4);
	ck_assert(rb_buf_append(&f->b, pkt_a, sizeof pkt_a));
	put(f, 1700000001, 4);
	put(f, 999, 4);
	put(f, sizeof pkt_b, 4);
	put(f, sizeof pkt_b, 4);
	ck_assert(rb_buf_append(&f->b, pkt_b, sizeof pkt_b));
}

/* Writes a block: type, length, body (padded), length. */
static void ng_block(struct fb *f, uint32_t type, const struct rb_buf *body)
{
	uint32_t len = (uint32_t)(12 + ((body->len + 3) & ~(size_t)3));
	put(f, type, 4);
	put(f, len, 4);
	put_bytes(f, body->data, body->len);
	put(f, len, 4);
}

static void ng_shb(struct fb *f)
{
	struct fb body = {.be = f->be};
	put(&body, 0x1a2b3c4d, 4);
	put(&body, 1, 2);
	put(&body, 0, 2);
	put(&body, UINT64_MAX, 8);
	ng_block(f, 0x0a0d0d0a, &body.b);
	rb_buf_free(&body.b);
}

static void ng_idb(struct fb *f, uint16_t linktype, int tsresol)
{
	struct fb body = {.be = f->be};
	put(&body, linktype, 2);
	put(&body, 0, 2);
	put(&body, 0, 4);
	put(&body, 2, 2);  /* if_name, then if_tsresol */
	put(&body, 3, 2);
	put_bytes(&body, "eth", 3);
	if (tsresol >= 0) {
		put(&body, 9, 2);
		put(&body, 1, 2);
		put(&body, (uint64_t)tsresol, 1);
		put(&body, 0, 1);
		put(&body, 0, 2);
	}
	put(&body, 0, 4);  /* opt_endofopt */
	ng_block(f, 1, &body.b);
	rb_buf_free(&body.b);
}

static void ng_epb(struct fb *f, uint32_t ifid, uint64_t ts, const uint8_t *d, uint32_t n,
		   uint32_t wire)
{
	struct fb body = {.be = f->be};
	put(&body, ifid, 4);
	put(&body, ts >> 32, 4);
	put(&body, ts & 0xffffffff, 4);
	put(&body, n, 4);
	put(&body, wire, 4);
	put_bytes(&body, d, n);
	ng_block(f, 6, &body.b);
	rb_buf_free(&body.b);
}

static void ng_spb(struct fb *f, const uint8_t *d, uint32_t n)
{
	struct fb body = {.be = f->be};
	put(&body, n, 4);
	put_bytes(&body, d, n);
	ng_block(f, 3, &body.b);
	rb_buf_free(&body.b);
}

static void ng_unknown(struct fb *f)
{
	struct fb body = {.be = f->be};
	put(&body, 0xdeadbeef, 4);
	put(&body, 7, 4);
	ng_block(f, 0x40000bad, &body.b);
	ng_block(f, 5, &body.b);  /* interface statistics: skipped */
	rb_buf_free(&body.b);
}

/* Two sections (little- then big-endian), three interfaces, every packet
 * block type, unknown blocks.  Returns the file in *out. */
static void pcapng_file(struct rb_buf *out)
{
	struct fb le = {.be = false}, be = {.be = true};
	ng_shb(&le);
	ng_idb(&le, 1, -1);                 /* microseconds by default */
	ng_unknown(&le);
	ng_idb(&le, 1, 9);                  /* nanoseconds */
	ng_epb(&le, 0, 1700000000123456ull, pkt_a, sizeof pkt_a, 60);
	ng_epb(&le, 1, 1700000000123456789ull, pkt_b, sizeof pkt_b, 3);
	ng_shb(&be);
	ng_idb(&be, 1, 0x80 | 10);          /* 2^-10 s */
	ng_spb(&be, pkt_b, sizeof pkt_b);
	ng_epb(&be, 0, 1024ull * 5 + 512, pkt_a, 4, 14);
	*out = le.b;
	ck_assert(rb_buf_append(out, be.b.data, be.b.len));
	rb_buf_free(&be.b);
}

/* Reads every packet; returns the count or the negative error. */
static int read_all(const void *buf, size_t len, struct rb_pkt *pkts, int max, struct rb_err *err)
{
	struct rb_pcap_reader r;
	int n = 0, rc = rb_pcap_open_mem(&r, buf, len, "t.pcap", err);
	if (rc)
		return rc;
	struct rb_pkt p;
	while ((rc = rb_pcap_next(&r, &p, err)) == 1) {
		if (n < max)
			pkts[n] = p;
		n++;
	}
	rb_pcap_close(&r);
	return rc < 0 ? rc : n;
}

/* ------------------------------------------------------------ tests */

static void check_pcap(bool be, uint32_t magic, uint32_t frac_ns)
{
	struct fb f = {.be = be};
	struct rb_err e = {0};
	struct rb_pkt p[2];
	pcap_file(&f, magic, 101);
	ck_assert_int_eq(read_all(f.b.data, f.b.len, p, 2, &e), 2);
	ck_assert_int_eq(p[0].dlt, RB_DLT_RAW);
	ck_assert_uint_eq(p[0].caplen, sizeof pkt_a);
	ck_assert_uint_eq(p[0].wirelen, 60);
	ck_assert_int_eq(memcmp(p[0].data, pkt_a, sizeof pkt_a), 0);
	ck_assert_int_eq(p[0].ts_sec, 1700000000);
	ck_assert_uint_eq(p[0].ts_nsec, frac_ns);
	ck_assert_uint_eq(p[1].caplen, 3);
	ck_assert_int_eq(p[1].data[2], 0xcc);
	rb_buf_free(&f.b);
}

START_TEST(pcap_both_orders_micro_and_nano)
{
	check_pcap(false, 0xa1b2c3d4, 123456000);
	check_pcap(true, 0xa1b2c3d4, 123456000);
	check_pcap(false, 0xa1b23c4d, 123456);
	check_pcap(true, 0xa1b23c4d, 123456);
}
END_TEST

START_TEST(linktype_mapping)
{
	ck_assert_int_eq(rb_linktype_to_dlt(101), RB_DLT_RAW);
	ck_assert_int_eq(rb_linktype_to_dlt(1), RB_DLT_EN10MB);
	ck_assert_int_eq(rb_linktype_to_dlt(113), RB_DLT_LINUX_SLL);
	ck_assert_int_eq(rb_linktype_to_dlt(276), RB_DLT_LINUX_SLL2);
	ck_assert_int_eq(rb_linktype_to_dlt(108), RB_DLT_LOOP);
	ck_assert_uint_eq(rb_dlt_to_linktype(RB_DLT_RAW), 101);
	ck_assert_uint_eq(rb_dlt_to_linktype(RB_DLT_NULL), 0);
}
END_TEST

START_TEST(pcapng_sections_interfaces_and_blocks)
{
	struct rb_buf f;
	struct rb_err e = {0};
	struct rb_pkt p[4];
	pcapng_file(&f);
	ck_assert_int_eq(read_all(f.data, f.len, p, 4, &e), 4);
	ck_assert_int_eq(p[0].ts_sec, 1700000000);
	ck_assert_uint_eq(p[0].ts_nsec, 123456000);
	ck_assert_uint_eq(p[0].wirelen, 60);
	ck_assert_uint_eq(p[1].iface, 1);
	ck_assert_int_eq(p[1].ts_sec, 1700000000);
	ck_assert_uint_eq(p[1].ts_nsec, 123456789);
	ck_assert_int_eq(memcmp(p[1].data, pkt_b, 3), 0);
	ck_assert_uint_eq(p[2].caplen, 3);          /* the SPB, big-endian section */
	ck_assert_int_eq(memcmp(p[2].data, pkt_b, 3), 0);
	ck_assert_int_eq(p[3].ts_sec, 5);
	ck_assert_uint_eq(p[3].ts_nsec, 500000000);
	ck_assert_uint_eq(p[3].caplen, 4);
	ck_assert_uint_eq(p[3].wirelen, 14);
	struct rb_pcap_reader r;
	ck_assert_int_eq(rb_pcap_open_mem(&r, f.data, f.len, "t", &e), 0);
	ck_assert_int_eq(r.dlt, RB_DLT_EN10MB);
	rb_pcap_close(&r);
	rb_buf_free(&f);
}
END_TEST

/* Every if_tsresol, decimal and binary, on random tick counts: seconds and
 * nanoseconds as 128-bit arithmetic gives them. */
START_TEST(pcapng_time_at_every_resolution)
{
	srand(3);
	for (int v = 0; v < 0x80 + 64; v = v == 19 ? 0x80 : v + 1) {
		struct fb f = {.be = v % 2};
		ng_shb(&f);
		ng_idb(&f, 1, v);
		uint64_t ticks[16];
		for (int i = 0; i < 16; i++) {
			ticks[i] = ((uint64_t)rand() << 62) ^ ((uint64_t)rand() << 31) ^ (uint64_t)rand();
			ticks[i] >>= i % 8 * 8;
			ng_epb(&f, 0, ticks[i], pkt_a, 4, 4);
		}
		uint64_t den = 1;
		for (int i = 0; i < (v & 0x7f); i++)
			den *= v & 0x80 ? 2 : 10;
		struct rb_err e = {0};
		struct rb_pkt p[16];
		ck_assert_int_eq(read_all(f.b.data, f.b.len, p, 16, &e), 16);
		for (int i = 0; i < 16; i++) {
			ck_assert_uint_eq((uint64_t)p[i].ts_sec, ticks[i] / den);
			ck_assert_uint_eq(p[i].ts_nsec,
					  (uint32_t)((unsigned __int128)(ticks[i] % den) * 1000000000u / den));
		}
		rb_buf_free(&f.b);
	}
}
END_TEST

START_TEST(pcapng_bad_interface_id_is_named)
{
	struct fb f = {.be = false};
	struct rb_err e = {0};
	struct rb_pkt p[1];
	ng_shb(&f);
	ng_idb(&f, 1, -1);
	ng_epb(&f, 3, 0, pkt_a, 4, 4);
	ck_assert_int_eq(read_all(f.b.data, f.b.len, p, 1, &e), -RB_EINPUT);
	ck_assert_msg(strstr(e.msg, "record 3 at offset") && strstr(e.msg, "interface 3"), "%s", e.msg);
	rb_buf_free(&f.b);
}
END_TEST

/* A block whose body is too short for its fixed fields is named, with the
 * length it needs; the section header is checked when the file is opened. */
START_TEST(pcapng_short_block_bodies_are_named)
{
	static const struct { uint32_t type; uint32_t body; const char *want; } cases[] = {
		{0x0a0d0d0a, 12, "section header body is 12 bytes, needs 16"},
		{1, 4, "interface description body is 4 bytes, needs 8"},
		{6, 16, "enhanced packet block body is 16 bytes, needs 20"},
		{3, 0, "simple packet block body is 0 bytes, needs 4"},
		{2, 16, "packet block body is 16 bytes, needs 20"},
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fb f = {.be = false}, body = {.be = false};
		struct rb_err e = {0};
		struct rb_pkt p[1];
		if (cases[i].type != 0x0a0d0d0a) {
			ng_shb(&f);
			ng_idb(&f, 1, -1);
		}
		put(&body, 0x1a2b3c4d, 4);  /* a byte-order magic first, for the SHB */
		while (body.b.len < cases[i].body)
			put(&body, 0, 4);
		body.b.len = cases[i].body;
		ng_block(&f, cases[i].type, &body.b);
		ck_assert_int_eq(read_all(f.b.data, f.b.len, p, 1, &e), -RB_EINPUT);
		ck_assert_msg(strstr(e.msg, cases[i].want), "%s", e.msg);
		rb_buf_free(&f.b);
		rb_buf_free(&body.b);
	}
}
END_TEST

START_TEST(not_a_capture_is_refused)
{
	struct rb_err e = {0};
	struct rb_pkt p[1];
	ck_assert_int_eq(read_all("hello world, this is text", 25, p, 1, &e), -RB_EINPUT);
	ck_assert(strstr(e.msg, "not a pcap or pcapng file"));
	rb_err_clear(&e);
	ck_assert_int_eq(read_all("", 0, p, 1, &e), -RB_EINPUT);
}
END_TEST

/* Cut at every length: either a clean end exactly at a record boundary or an
 * error naming a record and an offset, never a crash (ASan in build/debug). */
static void check_truncations(const struct rb_buf *f, const size_t *bounds, size_t nb)
{
	for (size_t len = 0; len < f->len; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, f->data, len);
		struct rb_err e = {0};
		struct rb_pkt p[8];
		int n = read_all(copy, len, p, 8, &e);
		if (n >= 0) {
			bool at_bound = false;
			for (size_t i = 0; i < nb; i++)
				at_bound |= bounds[i] == len;
			ck_assert_msg(at_bound, "cut at %zu read %d packets without an error", len, n);
		} else {
			ck_assert_msg(strstr(e.msg, "offset") || strstr(e.msg, "header") ||
				      strstr(e.msg, "too short"), "cut at %zu: %s", len, e.msg);
		}
		free(copy);
	}
}

START_TEST(truncated_pcap_at_every_length)
{
	struct fb f = {.be = true};
	pcap_file(&f, 0xa1b2c3d4, 1);
	const size_t bounds[] = {24, 24 + 16 + sizeof pkt_a};
	check_truncations(&f.b, bounds, 2);
	struct rb_err e = {0};
	struct rb_pkt p[2];
	ck_assert_int_eq(read_all(f.b.data, f.b.len - 1, p, 2, &e), -RB_EINPUT);
	ck_assert_msg(strstr(e.msg, "record 2 at offset 54: packet data cut short"), "%s", e.msg);
	rb_buf_free(&f.b);
}
END_TEST

START_TEST(truncated_pcapng_at_every_length)
{
	struct rb_buf f;
	pcapng_file(&f);
	/* Block boundaries: walk the lengths of the (known-good) file. */
	size_t bounds[32], nb = 0, off = 0;
	while (off < f.len && nb < 32) {
		uint32_t len;
		memcpy(&len, f.data + off + 4, 4);
		if (len > f.len)  /* big-endian section */
			len = __builtin_bswap32(len);
		off += len;
		bounds[nb++] = off;
	}
	check_truncations(&f, bounds, nb);
	rb_buf_free(&f);
}
END_TEST

static void flip_every_bit(const struct rb_buf *f)
{
	uint8_t *copy = malloc(f->len);
	for (size_t bit = 0; bit < f->len * 8; bit++) {
		memcpy(copy, f->data, f->len);
		copy[bit / 8] ^= (uint8_t)(1u << (bit % 8));
		struct rb_err e = {0};
		struct rb_pkt p[8];
		int n = read_all(copy, f->len, p, 8, &e);
		ck_assert_msg(n >= 0 || e.msg[0], "bit %zu: error without a message", bit);
		for (int i = 0; i < n && i < 8; i++)
			ck_assert(p[i].data >= copy && p[i].data + p[i].caplen <= copy + f->len);
	}
	free(copy);
}

START_TEST(bit_flips_never_crash)
{
	struct fb f = {.be = false};
	pcap_file(&f, 0xa1b23c4d, 1);
	flip_every_bit(&f.b);
	rb_buf_free(&f.b);
	struct rb_buf ng;
	pcapng_file(&ng);
	flip_every_bit(&ng);
	rb_buf_free(&ng);
}
END_TEST

static void round_trip(bool nano)
{
	char path[] = "/tmp/rawbpf-pcap-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	close(fd);
	struct rb_err e = {0};
	struct rb_pcap_writer w;
	ck_assert_int_eq(rb_pcap_writer_open(&w, path, RB_DLT_RAW, 8, nano, &e), 0);
	struct rb_pkt in[2] = {
		{.data = pkt_a, .caplen = sizeof pkt_a, .wirelen = 100, .ts_sec = 42, .ts_nsec = 123456789},
		{.data = pkt_b, .caplen = 3, .wirelen = 3, .ts_sec = 43, .ts_nsec = 1000},
	};
	ck_assert_int_eq(rb_pcap_write(&w, &in[0], &e), 0);
	ck_assert_int_eq(rb_pcap_write(&w, &in[1], &e), 0);
	ck_assert_int_eq(rb_pcap_writer_close(&w, &e), 0);
	struct rb_pcap_reader r;
	struct rb_pkt p;
	ck_assert_int_eq(rb_pcap_open_file(&r, path, &e), 0);
	ck_assert_int_eq(r.dlt, RB_DLT_RAW);
	ck_assert_uint_eq(r.snaplen, 8);
	ck_assert_int_eq(rb_pcap_next(&r, &p, &e), 1);
	ck_assert_uint_eq(p.caplen, 8);  /* cut to the snaplen */
	ck_assert_uint_eq(p.wirelen, 100);
	ck_assert_int_eq(memcmp(p.data, pkt_a, 8), 0);
	ck_assert_int_eq(p.ts_sec, 42);
	ck_assert_uint_eq(p.ts_nsec, nano ? 123456789 : 123456000);
	ck_assert_int_eq(rb_pcap_next(&r, &p, &e), 1);
	ck_assert_uint_eq(p.caplen, 3);
	ck_assert_int_eq(rb_pcap_next(&r, &p, &e), 0);
	rb_pcap_close(&r);
	unlink(path);
}

START_TEST(writer_round_trip)
{
	round_trip(false);
	round_trip(true);
}
END_TEST

START_TEST(missing_file_is_named)
{
	struct rb_err e = {0};
	struct rb_pcap_reader r;
	ck_assert_int_eq(rb_pcap_open_file(&r, "/nonexistent/x.pcap", &e), -RB_ESYS);
	ck_assert(strstr(e.msg, "/nonexistent/x.pcap"));
	int dlt;
	rb_err_clear(&e);
	ck_assert_int_eq(rb_capture_file_dlt("/nonexistent/x.pcap", &dlt, &e), -RB_ESYS);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("capture-pcap");
	TCase *tc = tcase_create("pcap");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, pcap_both_orders_micro_and_nano);
	tcase_add_test(tc, linktype_mapping);
	tcase_add_test(tc, pcapng_sections_interfaces_and_blocks);
	tcase_add_test(tc, pcapng_time_at_every_resolution);
	tcase_add_test(tc, pcapng_bad_interface_id_is_named);
	tcase_add_test(tc, pcapng_short_block_bodies_are_named);
	tcase_add_test(tc, not_a_capture_is_refused);
	tcase_add_test(tc, truncated_pcap_at_every_length);
	tcase_add_test(tc, truncated_pcapng_at_every_length);
	tcase_add_test(tc, bit_flips_never_crash);
	tcase_add_test(tc, writer_round_trip);
	tcase_add_test(tc, missing_file_is_named);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
