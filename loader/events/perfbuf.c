/* Perf event array consumer (BPF_MAP_TYPE_PERF_EVENT_ARRAY + bpf_perf_event_output).
 *
 * One PERF_COUNT_SW_BPF_OUTPUT event per online CPU, each with its own mmap
 * ring: a metadata page (data_head written by the kernel, data_tail by us)
 * followed by 2^n data pages.  Records are struct perf_event_header +
 * body; PERF_RECORD_SAMPLE carries u32 size + raw bytes, PERF_RECORD_LOST
 * carries u64 id + u64 count of records the kernel dropped for want of room.
 *
 * Wake-ups: libbpf's default (wakeup_events = 1) wakes the consumer for
 * every record, which caps throughput at the wake-up rate.  We ask for a
 * wake-up every `watermark` bytes instead and rely on rb_events' flush
 * timer for the tail below the watermark. */
#include "loader/events/events.h"

#include "loader/attach/attach.h"
#include "loader/bpf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <linux/bpf.h>

void rb_perf_ring_init_mem(struct rb_perf_ring *ring, struct perf_event_mmap_page *meta,
			   const void *data, uint64_t size, int cpu)
{
	*ring = (struct rb_perf_ring){.meta = meta, .data = data, .size = size, .fd = -1, .cpu = cpu};
}

void rb_perfbuf_init_mem(struct rb_perfbuf *pb, struct rb_perf_ring *rings, int n,
			 rb_event_fn fn, rb_lost_fn lost, void *ctx)
{
	*pb = (struct rb_perfbuf){.rings = rings, .nr_rings = n, .fn = fn, .lost = lost,
				  .ctx = ctx, .map_fd = -1};
}

/* Returns the record at off as one contiguous block, copying it out when it
 * wraps the ring end.  NULL when the scratch buffer cannot grow. */
static const uint8_t *record_at(struct rb_perfbuf *pb, const struct rb_perf_ring *ring,
				uint64_t off, size_t len)
{
	if (off + len <= ring->size)
		return ring->data + off;
	if (pb->scratch_cap < len) {
		uint8_t *p = realloc(pb->scratch, len);
		if (!p)
			return NULL;
		pb->scratch = p;
		pb->scratch_cap = len;
	}
	size_t first = (size_t)(ring->size - off);
	memcpy(pb->scratch, ring->data + off, first);
	memcpy(pb->scratch + first, ring->data, len - first);
	return pb->scratch;
}

struct lost_body {
	uint64_t id, lost;
};

/* Hands one complete record to the callbacks. */
static int deliver(struct rb_perfbuf *pb, const struct rb_perf_ring *ring,
		   const uint8_t *rec, size_t len)
{
	const struct perf_event_header *h = (const void *)rec;
	if (h->type == PERF_RECORD_LOST && len >= sizeof(*h) + sizeof(struct lost_body)) {
		struct lost_body body;
		memcpy(&body, rec + sizeof(*h), sizeof(body));
		pb->lost_records += body.lost;
		if (pb->lost)
			pb->lost(pb->ctx, ring->cpu, body.lost);
		return 0;
	}
	if (h->type != PERF_RECORD_SAMPLE || len < sizeof(*h) + sizeof(uint32_t))
		return 0;  /* other record types carry nothing for us */
	uint32_t raw;
	memcpy(&raw, rec + sizeof(*h), sizeof(raw));
	size_t room = len - sizeof(*h) - sizeof(raw);
	if (raw > room)
		raw = (uint32_t)room;  /* a lying size never reads past the record */
	pb->records++;
	pb->bytes += raw;
	return pb->fn ? pb->fn(pb->ctx, rec + sizeof(*h) + sizeof(raw), raw) : 0;
}

/* Copies the header even when it straddles the end (it cannot for 8-aligned
 * records, but the ring is not trusted). */
static void read_header(const struct rb_perf_ring *ring, uint64_t off,
			struct perf_event_header *h)
{
	uint8_t tmp[sizeof(*h)];
	for (size_t i = 0; i < sizeof(tmp); i++)
		tmp[i] = ring->data[(off + i) & (ring->size - 1)];
	memcpy(h, tmp, sizeof(*h));
}

long rb_perf_ring_consume(struct rb_perfbuf *pb, struct rb_perf_ring *ring)
{
	/* acquire pairs with the kernel's store of data_head after the data */
	uint64_t head = __atomic_load_n(&ring->meta->data_head, __ATOMIC_ACQUIRE);
	uint64_t tail = ring->meta->data_tail;
	long n = 0;
	int rc = 0;
	while (tail < head && head - tail >= sizeof(struct perf_event_header)) {
		struct perf_event_header h;
		uint64_t off = tail & (ring->size - 1);
		read_header(ring, off, &h);
		if (h.size < sizeof(h) || h.size > head - tail || h.size > ring->size)
			break;  /* corrupt or torn: stop rather than read garbage */
		const uint8_t *rec = record_at(pb, ring, off, h.size);
		if (!rec) {
			rc = -RB_ESYS;
			break;
		}
		tail += h.size;
		if (h.type == PERF_RECORD_SAMPLE)
			n++;
		rc = deliver(pb, ring, rec, h.size);
		if (rc < 0)
			break;
	}
	/* release: our reads of the records finish before the kernel may
	 * overwrite them */
	__atomic_store_n(&ring->meta->data_tail, tail, __ATOMIC_RELEASE);
	return rc < 0 ? rc : n;
}

long rb_perfbuf_consume(struct rb_perfbuf *pb)
{
	long total = 0;
	for (int i = 0; i < pb->nr_rings; i++) {
		long n = rb_perf_ring_consume(pb, &pb->rings[i]);
		if (n < 0)
			return n;
		total += n;
	}
	return total;
}

/* ---- kernel side ------------------------------------------------------------ */

static int open_ring(struct rb_perfbuf *pb, struct rb_perf_ring *ring, int cpu,
		     const struct rb_perfbuf_opts *o, struct rb_err *err)
{
	size_t page = (size_t)getpagesize();
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_SOFTWARE;
	attr.config = PERF_COUNT_SW_BPF_OUTPUT;
	attr.sample_type = PERF_SAMPLE_RAW;
	attr.sample_period = 1;
	attr.watermark = 1;
	attr.wakeup_watermark = o->watermark;
	long fd = rb_sys_perf_event_open(pb->sys, &attr, -1, cpu, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, (int)-fd,
				 "perf buffer: perf_event_open(BPF_OUTPUT) on CPU %d failed", cpu);
	size_t len = page * (1 + (size_t)o->pages);
	long m = rb_sys_call(pb->sys, SYS_mmap, 0, (long)len, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (m < 0 && m > -4096) {
		rb_sys_close(pb->sys, (int)fd);
		return rb_errnof(err, RB_ESYS, (int)-m, "perf buffer: mmap of %zu bytes for CPU %d failed; "
				 "raise RLIMIT_MEMLOCK or use fewer pages", len, cpu);
	}
	rb_perf_ring_init_mem(ring, (void *)m, (uint8_t *)m + page, (uint64_t)o->pages * page, cpu);
	ring->fd = (int)fd;
	ring->map = (void *)m;
	ring->map_len = len;
	return 0;
}

static int store_in_map(struct rb_perfbuf *pb, const struct rb_perf_ring *ring, struct rb_err *err)
{
	uint32_t key = (uint32_t)ring->cpu, val = (uint32_t)ring->fd;
	long rc = rb_bpf_map_update(pb->sys, pb->map_fd, &key, &val, 0);
	if (rc < 0)
		return rb_errnof(err, RB_EKERNEL, (int)-rc,
				 "perf buffer map fd %d: storing CPU %d's event failed; "
				 "is max_entries at least the number of CPUs", pb->map_fd, ring->cpu);
	rc = rb_sys_ioctl(pb->sys, ring->fd, PERF_EVENT_IOC_ENABLE, 0);
	if (rc < 0)
		return rb_errnof(err, RB_EKERNEL, (int)-rc, "perf buffer: enabling CPU %d failed", ring->cpu);
	return 0;
}

static void fill_defaults(struct rb_perfbuf_opts *o, const struct rb_perfbuf_opts *in)
{
	size_t page = (size_t)getpagesize();
	*o = in ? *in : (struct rb_perfbuf_opts){0};
	if (!o->pages || (o->pages & (o->pages - 1)))
		o->pages = 256;  /* 1 MiB per CPU: 64 pages drop records at ~400k ev/s */
	if (!o->watermark || o->watermark >= o->pages * page)
		o->watermark = (unsigned)(o->pages * page / 4);
}

#define RB_PERF_MAX_CPUS 1024

int rb_perfbuf_open(struct rb_perfbuf *pb, const struct rb_sys *sys, int map_fd,
		    const struct rb_perfbuf_opts *opts, rb_event_fn fn, rb_lost_fn lost,
		    void *ctx, struct rb_err *err)
{
	struct rb_perfbuf_opts o;
	fill_defaults(&o, opts);
	int cpus[RB_PERF_MAX_CPUS];
	int n = rb_attach_online_cpus(cpus, RB_PERF_MAX_CPUS);
	struct rb_perf_ring *rings = n > 0 ? calloc((size_t)n, sizeof(*rings)) : NULL;
	if (!rings)
		return rb_errnof(err, RB_ESYS, n < 0 ? -n : n ? ENOMEM : EINVAL,
				 "perf buffer: reading /sys/devices/system/cpu/online failed");
	rb_perfbuf_init_mem(pb, rings, 0, fn, lost, ctx);
	pb->sys = sys;
	pb->map_fd = map_fd;
	int rc = 0;
	for (int i = 0; i < n && rc == 0; i++) {
		rc = open_ring(pb, &rings[pb->nr_rings], cpus[i], &o, err);
		if (rc == 0)
			rc = store_in_map(pb, &rings[pb->nr_rings++], err);
	}
	if (rc < 0)
		rb_perfbuf_close(pb);
	return rc;
}

void rb_perfbuf_close(struct rb_perfbuf *pb)
{
	for (int i = 0; pb->sys && i < pb->nr_rings; i++) {
		struct rb_perf_ring *r = &pb->rings[i];
		if (r->map)
			rb_sys_call(pb->sys, SYS_munmap, (long)r->map, (long)r->map_len, 0, 0, 0, 0);
		if (r->fd >= 0)
			rb_sys_close(pb->sys, r->fd);
	}
	if (pb->sys)
		free(pb->rings);  /* allocated by rb_perfbuf_open; test rings are borrowed */
	free(pb->scratch);
	pb->rings = NULL;
	pb->scratch = NULL;
	pb->nr_rings = 0;
}
