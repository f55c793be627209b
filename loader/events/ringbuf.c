/* BPF ring buffer consumer (BPF_MAP_TYPE_RINGBUF: Linux >= 5.8).
 *
 * Layout of the map's mmap (kernel/bpf/ringbuf.c): page 0 holds
 * consumer_pos and is the only page user space may write; page 1 holds
 * producer_pos; the data pages follow and the kernel maps them twice in a
 * row, so a record crossing the ring end is contiguous in memory.
 *
 * Each record starts with an 8-byte header: u32 len (bit 31 busy: still
 * being written; bit 30 discarded) and u32 page offset, then the payload,
 * padded to 8 bytes. */
#include "loader/events/events.h"
#include "loader/bpf.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

void rb_ringbuf_init_mem(struct rb_ringbuf *r, uint64_t *consumer_pos,
			 const uint64_t *producer_pos, const void *data, uint64_t size,
			 rb_event_fn fn, void *ctx)
{
	*r = (struct rb_ringbuf){
		.consumer_pos = consumer_pos,
		.producer_pos = producer_pos,
		.data = data,
		.mask = size - 1,
		.fn = fn,
		.ctx = ctx,
		.map_fd = -1,
	};
}

/* The consumer position is published with a sequentially consistent store:
 * a release store alone lets the following load of producer_pos (or of the
 * next header) be satisfied before the store is visible, while the producer
 * decides not to wake us because it still sees the old consumer position.
 * Both sides then miss each other and the consumer sleeps on data (the
 * lost-wake-up bug libbpf fixed in 2023).  The full barrier orders our store
 * before our next load. */
static void publish_consumer(struct rb_ringbuf *r, uint64_t pos)
{
	__atomic_store_n(r->consumer_pos, pos, __ATOMIC_SEQ_CST);
}

/* Drains [cons, prod); returns records delivered, or the callback's error.
 * *cons advances past each record handed out (or skipped as discarded). */
static long drain_span(struct rb_ringbuf *r, uint64_t *cons, uint64_t prod)
{
	long n = 0;
	while (*cons < prod) {
		const uint8_t *hdr = r->data + (*cons & r->mask);
		/* acquire: the payload written before the producer cleared the
		 * busy bit is visible once we see the bit cleared */
		uint32_t len = __atomic_load_n((const uint32_t *)hdr, __ATOMIC_ACQUIRE);
		if (len & BPF_RINGBUF_BUSY_BIT)
			break;
		uint32_t payload = len & ~(BPF_RINGBUF_BUSY_BIT | BPF_RINGBUF_DISCARD_BIT);
		uint64_t span = ((uint64_t)payload + BPF_RINGBUF_HDR_SZ + 7) & ~7ULL;  /* header + padding */
		if (span > r->mask + 1 || prod - *cons < span)
			break;  /* corrupt length: never read past what was produced */
		*cons += span;
		if (len & BPF_RINGBUF_DISCARD_BIT) {
			r->discarded++;
			continue;
		}
		r->records++;
		r->bytes += payload;
		n++;
		int rc = r->fn ? r->fn(r->ctx, hdr + BPF_RINGBUF_HDR_SZ, payload) : 0;
		if (rc < 0) {
			publish_consumer(r, *cons);
			return rc;
		}
	}
	return n;
}

long rb_ringbuf_consume(struct rb_ringbuf *r)
{
	long total = 0;
	uint64_t cons = __atomic_load_n(r->consumer_pos, __ATOMIC_ACQUIRE);
	for (;;) {
		uint64_t prod = __atomic_load_n(r->producer_pos, __ATOMIC_ACQUIRE);
		if (cons >= prod)
			return total;
		uint64_t before = cons;
		long n = drain_span(r, &cons, prod);
		if (cons != before)
			publish_consumer(r, cons);
		if (n < 0)
			return n;
		total += n;
		if (cons == before)
			return total;  /* stopped at a busy record: its commit wakes us */
	}
}

/* ---- kernel mapping --------------------------------------------------------- */

static int map_max_entries(const struct rb_sys *sys, int map_fd, uint32_t *type,
			   uint32_t *max_entries, struct rb_err *err)
{
	struct bpf_map_info info;
	uint32_t len = sizeof(info);
	memset(&info, 0, sizeof(info));
	long rc = rb_bpf_obj_get_info(sys, map_fd, &info, &len);
	if (rc < 0)
		return rb_errnof(err, RB_EKERNEL, (int)-rc,
				 "map fd %d: BPF_OBJ_GET_INFO_BY_FD failed; is it a map fd", map_fd);
	*type = info.type;
	*max_entries = info.max_entries;
	return 0;
}

static void *sys_mmap(const struct rb_sys *sys, size_t len, int prot, int fd, long off)
{
	long r = rb_sys_call(sys, SYS_mmap, 0, (long)len, prot, MAP_SHARED, fd, off);
	return r < 0 && r > -4096 ? NULL : (void *)r;
}

int rb_ringbuf_open(struct rb_ringbuf *r, const struct rb_sys *sys, int map_fd,
		    rb_event_fn fn, void *ctx, struct rb_err *err)
{
	uint32_t type = 0, size = 0;
	int rc = map_max_entries(sys, map_fd, &type, &size, err);
	if (rc < 0)
		return rc;
	if (type != BPF_MAP_TYPE_RINGBUF || size == 0 || (size & (size - 1)))
		return rb_errf(err, RB_EINPUT, "map fd %d: not a ring buffer map (type %u, size %u)",
			       map_fd, type, size);
	size_t page = (size_t)getpagesize();
	void *cons = sys_mmap(sys, page, PROT_READ | PROT_WRITE, map_fd, 0);
	if (!cons)
		return rb_errnof(err, RB_ESYS, ENOMEM, "ring buffer map fd %d: mmap of the consumer page failed", map_fd);
	/* producer page + data pages twice (the kernel's double mapping) */
	size_t prod_len = page + 2 * (size_t)size;
	void *prod = sys_mmap(sys, prod_len, PROT_READ, map_fd, (long)page);
	if (!prod) {
		rb_sys_call(sys, SYS_munmap, (long)cons, (long)page, 0, 0, 0, 0);
		return rb_errnof(err, RB_ESYS, ENOMEM, "ring buffer map fd %d: mmap of %zu data bytes failed",
				 map_fd, prod_len);
	}
	rb_ringbuf_init_mem(r, cons, prod, (uint8_t *)prod + page, size, fn, ctx);
	r->sys = sys;
	r->cons_map = cons;
	r->cons_len = page;
	r->prod_map = prod;
	r->prod_len = prod_len;
	r->map_fd = map_fd;
	return 0;
}

void rb_ringbuf_close(struct rb_ringbuf *r)
{
	if (r->cons_map)
		rb_sys_call(r->sys, SYS_munmap, (long)r->cons_map, (long)r->cons_len, 0, 0, 0, 0);
	if (r->prod_map)
		rb_sys_call(r->sys, SYS_munmap, (long)r->prod_map, (long)r->prod_len, 0, 0, 0, 0);
	r->cons_map = r->prod_map = NULL;
}
