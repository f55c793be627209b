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
	return rb_attach_cut_offset(strchr(fn, '+'), "kprobe", t, off, err);
}

int rb_attach_kprobe(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	char fn[256];
	uint64_t off = 0;
	int rc = probe_target(req, fn, sizeof(fn), &off, err);
	if (rc < 0)
		return rc;
	bool ret = is_ret(req->kind);
	char def[300];
	if (ret)
		snprintf(def, sizeof(def), "%s", fn);
	else
		snprintf(def, sizeof(def), "%s+%llu", fn, (unsigned long long)off);
	const struct rb_probe p = {.pmu = "kprobe", .kind = ret ? "kretprobe" : "kprobe", .what = fn,
				   .tag = fn, .def = def, .ret = ret, .pid = -1,
				   .config1 = (uint64_t)(uintptr_t)fn,  /* kprobe_func */
				   .config2 = off,                      /* probe_offset */
				   .pmu_hint = "; is the function in /proc/kallsyms and not inlined"};
	return rb_attach_probe(a, req, &p, err);
}
