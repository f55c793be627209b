/* The BPF ring buffer reader on synthetic rings: a memfd mapped twice in a
 * row exactly like the kernel maps the data pages, and a test producer that
 * follows the kernel's protocol (busy bit while writing, release on commit). */
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <linux/bpf.h>

#include "check_main.h"
#include "loader/events/events.h"

#define RING 4096

struct ring_mem {
	uint64_t cons, prod;
	uint8_t *data;   /* 2 * RING, halves alias */
	size_t len;
};

static void ring_mem_init(struct ring_mem *m)
{
	int fd = memfd_create("ring", 0);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, RING), 0);
	uint8_t *area = mmap(NULL, 2 * RING, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ck_assert_ptr_ne(area, MAP_FAILED);
	ck_assert_ptr_ne(mmap(area, RING, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0), MAP_FAILED);
	ck_assert_ptr_ne(mmap(area + RING, RING, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, fd, 0), MAP_FAILED);
	close(fd);
	*m = (struct ring_mem){.data = area, .len = 2 * RING};
}

static void ring_mem_free(struct ring_mem *m)
{
	munmap(m->data, m->len);
}

/* Reserves a record (busy) and returns its header; the payload follows. */
static uint32_t *produce_begin(struct ring_mem *m, uint32_t len)
{
	uint32_t *hdr = (uint32_t *)(m->data + (m->prod & (RING - 1)));
	hdr[0] = len | BPF_RINGBUF_BUSY_BIT;
	hdr[1] = 0;
	m->prod += ((uint64_t)len + 8 + 7) & ~7ULL;
	ck_assert_uint_le(m->prod - m->cons, RING);
	return hdr;
}

static void produce_commit(uint32_t *hdr, bool discard)
{
	uint32_t len = hdr[0] & ~BPF_RINGBUF_BUSY_BIT;
	__atomic_store_n(hdr, len | (discard ? BPF_RINGBUF_DISCARD_BIT : 0), __ATOMIC_RELEASE);
}

static void produce(struct ring_mem *m, uint32_t len, uint8_t fill, bool discard)
{
	uint32_t *hdr = produce_begin(m, len);
	memset(hdr + 2, fill, len);
	produce_commit(hdr, discard);
}

struct seen {
	int n;
	uint8_t first[64];
	size_t len[64];
	bool intact[64];
	int fail_at;
};

static int collect(void *ctx, const void *data, size_t len)
{
	struct seen *s = ctx;
	const uint8_t *p = data;
	bool same = true;
	for (size_t i = 1; i < len; i++)
		same &= p[i] == p[0];
	if (s->n < 64) {
		s->first[s->n] = len ? p[0] : 0;
		s->len[s->n] = len;
		s->intact[s->n] = same;
	}
	s->n++;
	return s->n == s->fail_at ? -42 : 0;
}

static void reader(struct rb_ringbuf *r, struct ring_mem *m, struct seen *s)
{
	rb_ringbuf_init_mem(r, &m->cons, &m->prod, m->data, RING, collect, s);
}

START_TEST(delivers_records_in_order)
{
	struct ring_mem m;
	struct seen s = {0};
	struct rb_ringbuf r;
	ring_mem_init(&m);
	reader(&r, &m, &s);
	for (int i = 0; i < 5; i++)
		produce(&m, 10 + i, (uint8_t)(i + 1), false);
	ck_assert_int_eq(rb_ringbuf_consume(&r), 5);
	for (int i = 0; i < 5; i++) {
		ck_assert_uint_eq(s.first[i], i + 1);
		ck_assert_uint_eq(s.len[i], 10 + i);
	}
	ck_assert_uint_eq(m.cons, m.prod);
	ck_assert_int_eq(rb_ringbuf_consume(&r), 0);
	ring_mem_free(&m);
}
END_TEST

START_TEST(wraps_around_the_ring_end)
{
	struct ring_mem m;
	struct seen s = {0};
	struct rb_ringbuf r;
	ring_mem_init(&m);
	reader(&r, &m, &s);
	uint64_t total = 0;
	/* 300-byte records do not divide the ring: many straddle its end */
	for (int round = 0; round < 40; round++) {
		for (int i = 0; i < 3; i++)
			produce(&m, 300, (uint8_t)(round * 3 + i), false);
		memset(&s, 0, sizeof(s));
		ck_assert_int_eq(rb_ringbuf_consume(&r), 3);
		for (int i = 0; i < 3; i++) {
			ck_assert(s.intact[i]);
			ck_assert_uint_eq(s.first[i], (uint8_t)(round * 3 + i));
		}
		total += 3;
	}
	ck_assert_uint_eq(r.records, total);
	ck_assert_uint_gt(m.prod, 2 * RING);
	ring_mem_free(&m);
}
END_TEST

START_TEST(skips_discarded_records)
{
	struct ring_mem m;
	struct seen s = {0};
	struct rb_ringbuf r;
	ring_mem_init(&m);
	reader(&r, &m, &s);
	produce(&m, 16, 1, false);
	produce(&m, 16, 2, true);
	produce(&m, 16, 3, false);
	ck_assert_int_eq(rb_ringbuf_consume(&r), 2);
	ck_assert_uint_eq(s.first[0], 1);
	ck_assert_uint_eq(s.first[1], 3);
	ck_assert_uint_eq(r.discarded, 1);
	ck_assert_uint_eq(m.cons, m.prod);
	ring_mem_free(&m);
}
END_TEST

START_TEST(stops_at_busy_record_until_committed)
{
	struct ring_mem m;
	struct seen s = {0};
	struct rb_ringbuf r;
	ring_mem_init(&m);
	reader(&r, &m, &s);
	produce(&m, 8, 1, false);
	uint32_t *busy = produce_begin(&m, 8);
	memset(busy + 2, 2, 8);
	produce(&m, 8, 3, false);  /* committed behind a busy one: must wait */
	ck_assert_int_eq(rb_ringbuf_consume(&r), 1);
	ck_assert_uint_eq(m.cons, 16);
	ck_assert_int_eq(rb_ringbuf_consume(&r), 0);
	produce_commit(busy, false);
	ck_assert_int_eq(rb_ringbuf_consume(&r), 2);
	ck_assert_uint_eq(s.first[1], 2);
	ck_assert_uint_eq(s.first[2], 3);
	ring_mem_free(&m);
}
END_TEST

START_TEST(callback_error_stops_after_that_record)
{
	struct ring_mem m;
	struct seen s = {.fail_at = 2};
	struct rb_ringbuf r;
	ring_mem_init(&m);
	reader(&r, &m, &s);
	for (int i = 0; i < 4; i++)
		produce(&m, 8, (uint8_t)i, false);
	ck_assert_int_eq(rb_ringbuf_consume(&r), -42);
	ck_assert_uint_eq(m.cons, 2 * 16);  /* the failing record counts as consumed */
	s.fail_at = 0;
	ck_assert_int_eq(rb_ringbuf_consume(&r), 2);
	ring_mem_free(&m);
}
END_TEST

START_TEST(corrupt_length_never_reads_past_producer)
{
	struct ring_mem m;
	struct seen s = {0};
	struct rb_ringbuf r;
	ring_mem_init(&m);
	reader(&r, &m, &s);
	produce(&m, 8, 1, false);
	uint32_t *hdr = produce_begin(&m, 8);
	produce_commit(hdr, false);
	hdr[0] = 100000;  /* claims more than was produced and more than the ring */
	ck_assert_int_eq(rb_ringbuf_consume(&r), 1);
	ck_assert_uint_eq(m.cons, 16);
	ring_mem_free(&m);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ringbuf");
	TCase *tc = tcase_create("synthetic");
	tcase_add_test(tc, delivers_records_in_order);
	tcase_add_test(tc, wraps_around_the_ring_end);
	tcase_add_test(tc, skips_discarded_records);
	tcase_add_test(tc, stops_at_busy_record_until_committed);
	tcase_add_test(tc, callback_error_stops_after_that_record);
	tcase_add_test(tc, corrupt_length_never_reads_past_producer);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
