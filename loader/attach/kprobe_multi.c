/* kprobe.multi/PATTERN and kretprobe.multi/PATTERN (Linux >= 5.18): one
 * BPF_TRACE_KPROBE_MULTI link over every function in tracefs's
 * available_filter_functions that matches the glob, instead of one perf
 * event per function. */
#include "loader/attach/attach.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/glob.h"
#include "common/sort.h"
#include "loader/bpf.h"

#define RB_KMULTI_RETURN 1U  /* BPF_F_KPROBE_MULTI_RETURN */
#define RB_KMULTI_MAX (1U << 20)

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Pointers into text (modified in place) of the matching names, sorted and
 * without duplicates (the same static name in two files appears twice). */
static size_t match_functions(char *text, const char *pattern, char ***out)
{
	struct rb_buf names = {0};
	char *save = NULL;
	for (char *l = strtok_r(text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		l[strcspn(l, " \t")] = 0;  /* "name [module]" */
		if (rb_glob_match(pattern, l) && names.len < RB_KMULTI_MAX * sizeof(l) &&
		    !rb_buf_append(&names, &l, sizeof(l)))
			break;
	}
	char **v = (char **)(void *)names.data;
	size_t n = names.len / sizeof(*v);
	if (n)
		rb_sort(v, n, sizeof(*v), cmp_str);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || strcmp(v[u - 1], v[i]) != 0)
			v[u++] = v[i];
	*out = v;
	return u;
}

static int create_link(struct rb_attach *a, const struct rb_attach_req *req, char **syms, size_t n,
		       bool ret, struct rb_err *err)
{
	struct {
		uint32_t flags, cnt;
		uint64_t syms, addrs, cookies;
	} tail = {ret ? RB_KMULTI_RETURN : 0, (uint32_t)n, (uint64_t)(uintptr_t)syms, 0, 0};
	struct rb_link_create_opts o = {.prog_fd = req->prog_fd, .attach_type = BPF_TRACE_KPROBE_MULTI,
					.tail = &tail, .tail_size = sizeof(tail)};
	int fd = rb_bpf_link_create(a->sys, &o);
	const char *kind = ret ? "kretprobe.multi" : "kprobe.multi";
	/* older kernels refuse the attach type (EINVAL) or the longer attr
	 * (E2BIG); kernels built without CONFIG_FPROBE say EOPNOTSUPP */
	if (fd == -EINVAL || fd == -E2BIG || fd == -EOPNOTSUPP)
		return rb_errnof(err, RB_ENOTSUP, -fd, "%s %s: %s needs kernel support for multi-kprobe "
				 "links (Linux >= 5.18, built with CONFIG_FPROBE)", kind, req->target, kind);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "%s %s: BPF_LINK_CREATE(KPROBE_MULTI) over %zu "
				 "functions failed", kind, req->target, n);
	return rb_attach_keep(a, req, RB_LINK_BPF, kind, fd, err, "%s (%zu functions)", req->target, n);
}

int rb_attach_kprobe_multi(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	if (!req->target || !*req->target)
		return rb_errf(err, RB_EUSAGE, "kprobe.multi: the section names no pattern, "
			       "e.g. SEC(\"kprobe.multi/vfs_*\")");
	int rc = rb_attach_tracefs(a, err);
	char path[512];
	struct rb_buf b = {0};
	int rd = 0;
	if (rc == 0 && rb_tracefs_path(&a->tracefs, "available_filter_functions", path, sizeof(path)) == 0)
		rd = rb_read_file(path, 1 << 26, &b);
	if (rd < 0)
		rc = rb_errnof(err, RB_ENOTSUP, -rd, "kprobe.multi: reading %s (needs the function "
			       "tracer, and no lockdown)", path);
	char **syms = NULL;
	size_t n = rc == 0 ? match_functions((char *)rb_buf_str(&b), req->target, &syms) : 0;
	if (rc == 0 && n == 0)
		rc = rb_errf(err, RB_EUSAGE, "kprobe.multi: no traceable kernel function matches '%s'", req->target);
	if (rc == 0)
		rc = create_link(a, req, syms, n, req->kind == RB_ATTACH_KRETPROBE_MULTI, err);
	free(syms);
	rb_buf_free(&b);
	return rc;
}
