/* --printk: relays trace_pipe (where bpf_printk lands) while a run lasts.
 * Reads are non-blocking and driven by the same epoll as the rings; partial
 * lines wait in tp->line until their newline arrives. */
#include "loader/events/events.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

int rb_trace_pipe_open(struct rb_trace_pipe *tp, const char *tracefs, FILE *out,
		       struct rb_err *err)
{
	char p[256];
	*tp = (struct rb_trace_pipe){.fd = -1, .out = out};
	snprintf(p, sizeof(p), "%s/trace_pipe", tracefs);
	tp->fd = open(p, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (tp->fd < 0)
		return rb_errnof(err, RB_ESYS, errno, "--printk: opening %s", p);
	return 0;
}

/* Writes every complete line in the buffer and keeps the unfinished tail. */
static long flush_lines(struct rb_trace_pipe *tp, bool force)
{
	long n = 0;
	size_t start = 0;
	for (size_t i = 0; i < tp->used; i++) {
		if (tp->line[i] != '\n')
			continue;
		fwrite(tp->line + start, 1, i + 1 - start, tp->out);
		start = i + 1;
		n++;
	}
	if (force || (start == 0 && tp->used == sizeof(tp->line))) {
		/* a line longer than the buffer goes out in pieces */
		fwrite(tp->line + start, 1, tp->used - start, tp->out);
		start = tp->used;
	}
	memmove(tp->line, tp->line + start, tp->used - start);
	tp->used -= start;
	tp->lines += (uint64_t)n;
	if (n)
		fflush(tp->out);
	return n;
}

long rb_trace_pipe_relay(struct rb_trace_pipe *tp)
{
	long total = 0;
	for (;;) {
		ssize_t r = read(tp->fd, tp->line + tp->used, sizeof(tp->line) - tp->used);
		if (r < 0 && (errno == EAGAIN || errno == EINTR))
			return total;
		if (r < 0)
			return -RB_ESYS;
		if (r == 0)
			return total;
		tp->used += (size_t)r;
		total += flush_lines(tp, false);
	}
}

void rb_trace_pipe_close(struct rb_trace_pipe *tp)
{
	if (tp->fd >= 0) {
		rb_trace_pipe_relay(tp);
		if (tp->used)
			flush_lines(tp, true);
		close(tp->fd);
	}
	tp->fd = -1;
}
