/* The perf event array reader on a synthetic ring: a test producer writes
 * PERF_RECORD_SAMPLE / PERF_RECORD_LOST records byte by byte (wrapping at the
 * end as the kernel does) and publishes data_head. */
#include <stdlib.h>
#include <string.h>

#include "check_main.h"
#include "loader/events/events.h"

#define RING 4096

struct pring {
	struct perf_event_mmap_page meta;
	uint8_t data[RING];
};

static void put(struct pring *p, uint64_t *pos, const void *src, size_t n)
{
	const uint8_t *s = src;
	for (size_t i = 0; i < n; i++)
		p->data[(*pos + i) & (RING - 1)] = s[i];
	*pos += n;
}

/* A sample of n bytes of fill; size padded to 8 like the kernel does. */
static void put_sample(struct pring *p, uint32_t n, uint8_t fill)
{
	uint64_t pos = p->meta.data_head;
	uint32_t raw = (uint32_t)((n + 4 + 7) / 8 * 8 - 4);
	struct perf_event_header h = {.type = PERF_RECORD_SAMPLE, .size = (uint16_t)(sizeof(h) + 4 + raw)};
	ck_assert_uint_le(pos + h.size - p->meta.data_tail, RING);
	put(p, &pos, &h, sizeof(h));
	put(p, &pos, &raw, 4);
	for (uint32_t i = 0; i < raw; i++)
		put(p, &pos, &fill, 1);
	__atomic_store_n(&p->meta.data_head, pos, __ATOMIC_RELEASE);
}

static void put_lost(struct pring *p, uint64_t count)
{
	uint64_t pos = p->meta.data_head, body[2] = {7, count};
	struct perf_event_header h = {.type = PERF_RECORD_LOST, .size = sizeof(h) + sizeof(body)};
	put(p, &pos, &h, sizeof(h));
	put(p, &pos, body, sizeof(body));
	p->meta.data_head = pos;
}

struct seen {
	int n;
	uint64_t lost;
	int lost_cpu;
	bool all_intact;
	uint8_t last_fill;
};

static int collect(void *ctx, const void *data, size_t len)
{
	struct seen *s = ctx;
	const uint8_t *b = data;
	for (size_t i = 1; i < len; i++)
		s->all_intact &= b[i] == b[0];
	s->last_fill = len ? b[0] : 0;
	s->n++;
	return 0;
}

static void on_lost(void *ctx, int cpu, uint64_t count)
{
	struct seen *s = ctx;
	s->lost += count;
	s->lost_cpu = cpu;
}

static struct pring *pring_new(void)
{
	struct pring *p = calloc(1, sizeof(*p));
	ck_assert_ptr_nonnull(p);
	return p;
}

START_TEST(delivers_samples)
{
	struct pring *p = pring_new();
	struct rb_perf_ring ring;
	struct rb_perfbuf pb;
	struct seen s = {.all_intact = true};
	rb_perf_ring_init_mem(&ring, &p->meta, p->data, RING, 0);
	rb_perfbuf_init_mem(&pb, &ring, 1, collect, on_lost, &s);
	for (int i = 0; i < 10; i++)
		put_sample(p, 64, (uint8_t)i);
	ck_assert_int_eq(rb_perfbuf_consume(&pb), 10);
	ck_assert(s.all_intact);
	ck_assert_uint_eq(s.last_fill, 9);
	ck_assert_uint_eq(p->meta.data_tail, p->meta.data_head);
	ck_assert_uint_eq(pb.records, 10);
	rb_perfbuf_close(&pb);
	free(p);
}
END_TEST

START_TEST(copies_records_that_wrap)
{
	struct pring *p = pring_new();
	struct rb_perf_ring ring;
	struct rb_perfbuf pb;
	struct seen s = {.all_intact = true};
	rb_perf_ring_init_mem(&ring, &p->meta, p->data, RING, 3);
	rb_perfbuf_init_mem(&pb, &ring, 1, collect, on_lost, &s);
	for (int round = 0; round < 50; round++) {
		put_sample(p, 200, (uint8_t)round);
		put_sample(p, 12, (uint8_t)(round + 100));
		ck_assert_int_eq(rb_perfbuf_consume(&pb), 2);
	}
	ck_assert(s.all_intact);
	ck_assert_int_eq(s.n, 100);
	ck_assert_ptr_nonnull(pb.scratch);  /* at least one record crossed the end */
	rb_perfbuf_close(&pb);
	free(p);
}
END_TEST

START_TEST(counts_lost_records)
{
	struct pring *p = pring_new();
	struct rb_perf_ring ring;
	struct rb_perfbuf pb;
	struct seen s = {.all_intact = true};
	rb_perf_ring_init_mem(&ring, &p->meta, p->data, RING, 1);
	rb_perfbuf_init_mem(&pb, &ring, 1, collect, on_lost, &s);
	put_sample(p, 8, 1);
	put_lost(p, 17);
	put_sample(p, 8, 2);
	put_lost(p, 3);
	ck_assert_int_eq(rb_perfbuf_consume(&pb), 2);
	ck_assert_uint_eq(s.lost, 20);
	ck_assert_uint_eq(pb.lost_records, 20);
	ck_assert_int_eq(s.lost_cpu, 1);
	rb_perfbuf_close(&pb);
	free(p);
}
END_TEST

START_TEST(stops_at_corrupt_header)
{
	struct pring *p = pring_new();
	struct rb_perf_ring ring;
	struct rb_perfbuf pb;
	struct seen s = {.all_intact = true};
	rb_perf_ring_init_mem(&ring, &p->meta, p->data, RING, 0);
	rb_perfbuf_init_mem(&pb, &ring, 1, collect, on_lost, &s);
	put_sample(p, 8, 1);
	uint64_t pos = p->meta.data_head;
	struct perf_event_header h = {.type = PERF_RECORD_SAMPLE, .size = 4000};
	put(p, &pos, &h, sizeof(h));
	p->meta.data_head = pos;  /* claims 4000 bytes, only 8 were produced */
	ck_assert_int_eq(rb_perfbuf_consume(&pb), 1);
	ck_assert_uint_eq(p->meta.data_tail, 24);
	/* a sample whose raw size lies is clipped to its record */
	p->meta.data_tail = p->meta.data_head = 0;
	pos = 0;
	uint32_t raw = 9999;
	h.size = sizeof(h) + 8;
	put(p, &pos, &h, sizeof(h));
	put(p, &pos, &raw, 4);
	put(p, &pos, "abcd", 4);
	p->meta.data_head = pos;
	ck_assert_int_eq(rb_perfbuf_consume(&pb), 1);
	ck_assert_uint_eq(pb.bytes, 8 + 4 + 4);
	rb_perfbuf_close(&pb);
	free(p);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("perfbuf");
	TCase *tc = tcase_create("synthetic");
	tcase_add_test(tc, delivers_samples);
	tcase_add_test(tc, copies_records_that_wrap);
	tcase_add_test(tc, counts_lost_records);
	tcase_add_test(tc, stops_at_corrupt_header);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
