/* kprobe/FN[+OFF], kretprobe/FN, ksyscall/NAME, kretsyscall/NAME.
 *
 * The "kprobe" PMU (Linux >= 4.17) takes the function name and offset in
 * perf_event_attr; kernels without it get a tracefs kprobe_events entry
 * named rawbpf_<pid>_..., removed at exit (and by the next run when a
 * killed run left it behind).  ksyscall probes the arch syscall wrapper
 * (__x64_sys_NAME), falling back to sys_NAME on kernels without wrappers. */
#include "loader/attach/attach.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

static bool is_ret(enum rb_attach_kind k)
{
	return k == RB_ATTACH_KRETPROBE || k == RB_ATTACH_KRETSYSCALL;
}

static bool in_kallsyms(const char *fn)
{
	struct rb_buf b = {0};
	if (rb_read_file("/proc/kallsyms", 1 << 27, &b) < 0)
		return false;
	char pat[300];
	snprintf(pat, sizeof(pat), " %s\n", fn);
	bool found = strstr(rb_buf_str(&b), pat) != NULL;
	rb_buf_free(&b);
	return found;
}

/* FN[+OFF] from the section, or the syscall wrapper for ksyscall. */
static int probe_target(const struct rb_attach_req *req, char *fn, size_t cap, uint64_t *off,
			struct rb_err *err)
{
	const char *t = req->target ? req->target : "";
	if (!*t)
		return rb_errf(err, RB_EUSAGE, "kprobe: the section names no function, "
			       "e.g. SEC(\"kprobe/do_unlinkat\")");
	*off = 0;
	if (req->kind == RB_ATTACH_KSYSCALL || req->kind == RB_ATTACH_KRETSYSCALL) {
		snprintf(fn, cap, "%ssys_%s", rb_attach_syscall_prefix(), t);
		if (!in_kallsyms(fn))
			snprintf(fn, cap, "sys_%s", t);
		return 0;
	}
	snprintf(fn, cap, "%s", t);
	char *plus = strchr(fn, '+');
	if (plus) {
		char *end;
		*off = strtoull(plus + 1, &end, 0);
		if (end == plus + 1 || *end)
			return rb_errf(err, RB_EUSAGE, "kprobe target '%s': bad offset after '+'", t);
		*plus = 0;
	}
	return 0;
}

static int open_pmu(struct rb_attach *a, const char *fn, uint64_t off, bool ret, long *pfd)
{
	struct perf_event_attr attr;
	if (rb_attach_probe_pmu_attr("kprobe", ret, &attr) < 0)
		return -ENOENT;
	attr.config1 = (uint64_t)(uintptr_t)fn;  /* kprobe_func */
	attr.config2 = off;                      /* probe_offset */
	*pfd = rb_sys_perf_event_open(a->sys, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	return *pfd < 0 ? (int)*pfd : 0;
}

static void remove_event(struct rb_attach *a, const char *event)
{
	char del[128];
	struct rb_err ignored = {0};
	snprintf(del, sizeof(del), "-:%s", event);
	rb_tracefs_write(&a->tracefs, "kprobe_events", del, true, &ignored);
}

static int open_tracefs(struct rb_attach *a, const char *fn, uint64_t off, bool ret,
			char *event, size_t cap, long *pfd, struct rb_err *err)
{
	int rc = rb_attach_clean_stale_probes(a, err);
	if (rc < 0)
		return rc;
	char name[80], cmd[400];
	rb_attach_probe_name(a, fn, name, sizeof(name));
	if (ret)
		snprintf(cmd, sizeof(cmd), "r:kprobes/%s %s", name, fn);
	else
		snprintf(cmd, sizeof(cmd), "p:kprobes/%s %s+%llu", name, fn, (unsigned long long)off);
	rc = rb_tracefs_write(&a->tracefs, "kprobe_events", cmd, true, err);
	if (rc < 0) {
		rb_err_prefix(err, "kprobe %s (no kprobe PMU; tracefs fallback)", fn);
		return rc;
	}
	snprintf(event, cap, "kprobes/%s", name);
	uint64_t id;
	rc = rb_tracefs_event_id(&a->tracefs, event, &id, err);
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = PERF_TYPE_TRACEPOINT;
	attr.config = id;
	attr.sample_period = 1;
	*pfd = rc < 0 ? -EINVAL : rb_sys_perf_event_open(a->sys, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (*pfd < 0) {
		remove_event(a, event);
		return rc < 0 ? rc : rb_errnof(err, RB_EKERNEL, (int)-*pfd, "kprobe %s: perf_event_open failed", cmd);
	}
	return 0;
}

int rb_attach_kprobe(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	char fn[256], event[96] = "";
	uint64_t off = 0;
	int rc = probe_target(req, fn, sizeof(fn), &off, err);
	if (rc < 0)
		return rc;
	bool ret = is_ret(req->kind);
	const char *kind = ret ? "kretprobe" : "kprobe";
	long pfd = -ENOENT;
	rc = a->opts && a->opts->probe_tracefs ? -ENOENT : open_pmu(a, fn, off, ret, &pfd);
	if (rc == -ENOENT) {
		rc = open_tracefs(a, fn, off, ret, event, sizeof(event), &pfd, err);
		if (rc < 0)
			return rc;
	} else if (rc < 0) {
		return rb_errnof(err, RB_EKERNEL, -rc, "%s %s: perf_event_open(kprobe PMU) failed%s", kind, fn,
				 rc == -ENOENT || rc == -EINVAL ? "; is the function in /proc/kallsyms and not inlined" : "");
	}
	rc = rb_attach_perf_event(a, req, (int)pfd, kind, fn, err);
	if (rc == 0 && event[0]) {
		struct rb_link *l = &a->links[a->n_links - 1];
		l->probe_file = "kprobe_events";
		snprintf(l->probe_event, sizeof(l->probe_event), "%s", event);
	} else if (rc < 0 && event[0]) {
		remove_event(a, event);
	}
	return rc;
}
