#include "loader/tracefs.h"
#include "loader/bpffs.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/buf.h"

static const char tracing_dir[] = "/sys/kernel/tracing";
static const char debugfs_dir[] = "/sys/kernel/debug";
static const char debug_tracing_dir[] = "/sys/kernel/debug/tracing";

/* A mounted tracefs always has the `events` folder. */
static bool has_tracefs(const char *dir)
{
	char p[128];
	struct stat st;
	snprintf(p, sizeof(p), "%s/events", dir);
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static void set_root(struct rb_tracefs *t, const char *dir)
{
	snprintf(t->root, sizeof(t->root), "%s", dir);
}

int rb_tracefs_open(struct rb_tracefs *t, const struct rb_sys *sys, struct rb_err *err)
{
	*t = (struct rb_tracefs){0};
	if (has_tracefs(tracing_dir)) {
		set_root(t, tracing_dir);
		return 0;
	}
	if (has_tracefs(debug_tracing_dir)) {
		set_root(t, debug_tracing_dir);
		t->via_debugfs = true;
		return 0;
	}
	int sr = rb_sysfs_ensure(sys, stderr, err);
	if (sr < 0)
		return sr;
	long rc = rb_sys_mount(sys, "tracefs", tracing_dir, "tracefs", 0, NULL);
	if (rc == 0 && has_tracefs(tracing_dir)) {
		set_root(t, tracing_dir);
		t->mounted_by_us = true;
		return 0;
	}
	/* Kernels before 4.1 or without /sys/kernel/tracing: debugfs automounts
	 * tracefs under tracing/. */
	long rc2 = rb_sys_mount(sys, "debugfs", debugfs_dir, "debugfs", 0, NULL);
	if ((rc2 == 0 || rc2 == -EBUSY) && has_tracefs(debug_tracing_dir)) {
		set_root(t, debug_tracing_dir);
		t->mounted_by_us = t->via_debugfs = true;
		return 0;
	}
	return rb_errnof(err, RB_ENOTSUP, (int)-(rc ? rc : rc2),
			 "tracefs: not mounted and mounting it on %s (or debugfs on %s) failed; "
			 "run as root on a kernel with CONFIG_TRACING", tracing_dir, debugfs_dir);
}

const char *rb_tracefs_note(const struct rb_tracefs *t)
{
	if (t->via_debugfs)
		return t->mounted_by_us ? "tracefs: mounted debugfs on /sys/kernel/debug; using its tracing/ folder"
					: "tracefs: using debugfs's /sys/kernel/debug/tracing";
	if (t->mounted_by_us)
		return "tracefs: mounted on /sys/kernel/tracing";
	return NULL;
}

int rb_tracefs_path(const struct rb_tracefs *t, const char *file, char *out, size_t cap)
{
	int n = snprintf(out, cap, "%s/%s", t->root, file);
	return n < 0 || (size_t)n >= cap ? -ENAMETOOLONG : 0;
}

int rb_tracefs_write(const struct rb_tracefs *t, const char *file, const char *text,
		     bool append, struct rb_err *err)
{
	char p[512];
	if (rb_tracefs_path(t, file, p, sizeof(p)) < 0)
		return rb_errf(err, RB_EUSAGE, "tracefs: path for '%s' is too long", file);
	int fd = open(p, O_WRONLY | O_CLOEXEC | (append ? O_APPEND : O_TRUNC));
	if (fd < 0)
		return rb_errnof(err, RB_ESYS, errno, "tracefs: opening %s", p);
	size_t len = strlen(text);
	ssize_t w = write(fd, text, len);
	int e = errno;
	close(fd);
	if (w < 0 || (size_t)w != len)
		return rb_errnof(err, RB_EKERNEL, w < 0 ? e : EIO, "tracefs: writing '%s' to %s", text, p);
	return 0;
}

int rb_tracefs_event_id(const struct rb_tracefs *t, const char *path, uint64_t *id,
			struct rb_err *err)
{
	char p[512];
	int n = snprintf(p, sizeof(p), "%s/events/%s/id", t->root, path);
	if (n < 0 || (size_t)n >= sizeof(p))
		return rb_errf(err, RB_EUSAGE, "tracepoint '%s': name too long", path);
	struct rb_buf b = {0};
	int rc = rb_read_file(p, 64, &b);
	if (rc < 0)
		return rb_errnof(err, rc == -ENOENT ? RB_EUSAGE : RB_ESYS, -rc,
				 "tracepoint '%s': reading %s failed; `ls %s/events` lists the tracepoints",
				 path, p, t->root);
	char *end;
	const char *s = rb_buf_str(&b);
	unsigned long long v = strtoull(s, &end, 10);
	bool ok = end != s && (*end == '\n' || *end == 0);
	rb_buf_free(&b);
	if (!ok)
		return rb_errf(err, RB_EKERNEL, "tracepoint '%s': %s does not hold a number", path, p);
	*id = v;
	return 0;
}
