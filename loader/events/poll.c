/* One epoll for every event source of a run, plus the perf buffers' flush
 * timer.  Level-triggered on purpose: a ring that still holds data keeps
 * reporting ready, so a drain cut short (callback error, busy record) is
 * never forgotten. */
#include "loader/events/events.h"

#include <errno.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

int rb_events_init(struct rb_events *ev, const struct rb_sys *sys, struct rb_err *err)
{
	*ev = (struct rb_events){.sys = sys, .epfd = -1, .flush_ms = 100, .last_flush_ns = now_ns()};
	long fd = rb_sys_call(sys, SYS_epoll_create1, EPOLL_CLOEXEC, 0, 0, 0, 0, 0);
	if (fd < 0)
		return rb_errnof(err, RB_ESYS, (int)-fd, "events: epoll_create1 failed");
	ev->epfd = (int)fd;
	return 0;
}

static int watch(struct rb_events *ev, int fd, int src, int sub, struct rb_err *err)
{
	struct epoll_event e = {.events = EPOLLIN};
	e.data.u64 = ((uint64_t)(uint32_t)src << 32) | (uint32_t)sub;
	long rc = rb_sys_call(ev->sys, SYS_epoll_ctl, ev->epfd, EPOLL_CTL_ADD, fd, (long)&e, 0, 0);
	if (rc < 0)
		return rb_errnof(err, RB_ESYS, (int)-rc, "events: epoll_ctl(ADD fd %d) failed", fd);
	return 0;
}

static int add_source(struct rb_events *ev, enum rb_source_kind kind, void *obj, struct rb_err *err)
{
	if (ev->nr_src >= RB_EVENTS_MAX_SOURCES)
		return rb_errf(err, RB_EUSAGE, "events: more than %d event maps; split the program",
			       RB_EVENTS_MAX_SOURCES);
	ev->src[ev->nr_src] = (struct rb_source){.kind = kind, .obj = obj};
	return ev->nr_src++;
}

int rb_events_add_ringbuf(struct rb_events *ev, struct rb_ringbuf *r, struct rb_err *err)
{
	int i = add_source(ev, RB_SRC_RINGBUF, r, err);
	return i < 0 ? i : watch(ev, r->map_fd, i, 0, err);
}

int rb_events_add_perfbuf(struct rb_events *ev, struct rb_perfbuf *pb, struct rb_err *err)
{
	int i = add_source(ev, RB_SRC_PERFBUF, pb, err);
	for (int c = 0; i >= 0 && c < pb->nr_rings; c++) {
		int rc = watch(ev, pb->rings[c].fd, i, c, err);
		if (rc < 0)
			return rc;
	}
	return i < 0 ? i : 0;
}

int rb_events_add_trace_pipe(struct rb_events *ev, struct rb_trace_pipe *tp, struct rb_err *err)
{
	int i = add_source(ev, RB_SRC_TRACE_PIPE, tp, err);
	return i < 0 ? i : watch(ev, tp->fd, i, 0, err);
}

/* sub: the perf ring that woke us, or -1 for all of them. */
static long drain_one(struct rb_events *ev, int src, int sub)
{
	struct rb_source *s = &ev->src[src];
	switch (s->kind) {
	case RB_SRC_RINGBUF:
		return rb_ringbuf_consume(s->obj);
	case RB_SRC_PERFBUF: {
		struct rb_perfbuf *pb = s->obj;
		if (sub < 0)
			return rb_perfbuf_consume(pb);
		return sub < pb->nr_rings ? rb_perf_ring_consume(pb, &pb->rings[sub]) : 0;
	}
	case RB_SRC_TRACE_PIPE:
		rb_trace_pipe_relay(s->obj);
		return 0;
	}
	return 0;
}

static long flush_perf(struct rb_events *ev)
{
	long total = 0;
	for (int i = 0; i < ev->nr_src; i++) {
		if (ev->src[i].kind != RB_SRC_PERFBUF)
			continue;
		long n = drain_one(ev, i, -1);
		if (n < 0)
			return n;
		total += n;
	}
	ev->last_flush_ns = now_ns();
	return total;
}

/* Shortens the wait so the flush timer fires on time. */
static int wait_ms(const struct rb_events *ev, int timeout_ms)
{
	uint64_t due = ev->last_flush_ns + (uint64_t)ev->flush_ms * 1000000ULL, now = now_ns();
	int left = now >= due ? 0 : (int)((due - now) / 1000000ULL) + 1;
	return timeout_ms < 0 || left < timeout_ms ? left : timeout_ms;
}

/* Lets records pile up after a busy wake-up (see batch_us). */
static void batch_pause(const struct rb_events *ev, long got)
{
	if (!ev->batch_us || got <= 0)
		return;
	struct timespec ts = {.tv_sec = ev->batch_us / 1000000, .tv_nsec = (long)(ev->batch_us % 1000000) * 1000};
	nanosleep(&ts, NULL);
}

long rb_events_poll(struct rb_events *ev, int timeout_ms)
{
	struct epoll_event ready[64];
	/* epoll_pwait with no signal mask is epoll_wait, which arm64 lacks */
	long n = rb_sys_call(ev->sys, SYS_epoll_pwait, ev->epfd, (long)ready, 64,
			     wait_ms(ev, timeout_ms), 0, 8);
	if (n == -EINTR)
		return 0;
	if (n < 0)
		return -RB_ESYS;
	long total = 0;
	for (long i = 0; i < n; i++) {
		long got = drain_one(ev, (int)(ready[i].data.u64 >> 32), (int)(uint32_t)ready[i].data.u64);
		if (got < 0)
			return got;
		total += got;
	}
	if (now_ns() - ev->last_flush_ns >= (uint64_t)ev->flush_ms * 1000000ULL) {
		long got = flush_perf(ev);
		if (got < 0)
			return got;
		total += got;
	}
	batch_pause(ev, total);
	return total;
}

long rb_events_drain(struct rb_events *ev)
{
	long total = 0;
	for (int i = 0; i < ev->nr_src; i++) {
		long got = drain_one(ev, i, -1);
		if (got < 0)
			return got;
		total += got;
	}
	return total;
}

void rb_events_close(struct rb_events *ev)
{
	if (ev->epfd >= 0)
		rb_sys_close(ev->sys, ev->epfd);
	ev->epfd = -1;
	ev->nr_src = 0;
}
