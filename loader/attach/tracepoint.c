/* tracepoint/CATEGORY/NAME: a PERF_TYPE_TRACEPOINT perf event with the id
 * tracefs publishes (events/CATEGORY/NAME/id), carrying the program.
 * The program runs for the tracepoint on every CPU, so one event on CPU 0
 * (pid -1) is enough, as libbpf does. */
#include "loader/attach/attach.h"

#include <string.h>

int rb_attach_tracepoint(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	const char *tp = req->target;
	if (!tp || !strchr(tp, '/'))
		return rb_errf(err, RB_EUSAGE, "tracepoint: section needs CATEGORY/NAME, "
			       "e.g. SEC(\"tracepoint/sched/sched_process_exec\")");
	int rc = rb_attach_tracefs(a, err);
	if (rc < 0)
		return rc;
	uint64_t id;
	rc = rb_tracefs_event_id(&a->tracefs, tp, &id, err);
	if (rc < 0)
		return rc;
	/* perf_event_open on tracepoints: Linux >= 2.6.31; BPF on them >= 4.7 */
	long pfd = rb_attach_open_tracepoint(a, id, -1, 1);
	if (pfd < 0)
		return rb_errnof(err, RB_EKERNEL, (int)-pfd, "tracepoint %s: perf_event_open failed", tp);
	return rb_attach_perf_event(a, req, (int)pfd, "tracepoint", tp, err);
}
