/* The attach dispatch table and what every kind shares: the link list,
 * detaching, pinning links (--keep), tracefs, perf-event attachment. */
#include "loader/attach/attach.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>
#include <net/if.h>

#include "common/buf.h"
#include "common/scan.h"
#include "loader/bpf.h"
#include "loader/bpffs.h"

/* Adding a kind: one row here + one file in this folder.  Indexed by the
 * kind; kinds without a row are attached some other way, or not at all. */
static const rb_attach_fn kinds[] = {
	[RB_ATTACH_TRACEPOINT] = rb_attach_tracepoint,
	[RB_ATTACH_RAW_TP] = rb_attach_raw_tp,
	[RB_ATTACH_TRACING] = rb_attach_tracing,
	[RB_ATTACH_FREPLACE] = rb_attach_tracing,
	[RB_ATTACH_LSM] = rb_attach_tracing,
	[RB_ATTACH_KPROBE] = rb_attach_kprobe,
	[RB_ATTACH_KRETPROBE] = rb_attach_kprobe,
	[RB_ATTACH_KSYSCALL] = rb_attach_kprobe,
	[RB_ATTACH_KRETSYSCALL] = rb_attach_kprobe,
	[RB_ATTACH_KPROBE_MULTI] = rb_attach_kprobe_multi,
	[RB_ATTACH_KRETPROBE_MULTI] = rb_attach_kprobe_multi,
	[RB_ATTACH_UPROBE] = rb_attach_uprobe,
	[RB_ATTACH_URETPROBE] = rb_attach_uprobe,
	[RB_ATTACH_USDT] = rb_attach_usdt,
	[RB_ATTACH_ITER] = rb_attach_iter,
	[RB_ATTACH_PERF_EVENT] = rb_attach_perf_sampling,
	[RB_ATTACH_XDP] = rb_attach_xdp,
	[RB_ATTACH_TC] = rb_attach_tc,
	[RB_ATTACH_TCX] = rb_attach_tc,
	[RB_ATTACH_SOCKET] = rb_attach_socket,
	[RB_ATTACH_CGROUP] = rb_attach_cgroup,
	[RB_ATTACH_NETNS] = rb_attach_netns,
	[RB_ATTACH_SOCKMAP] = rb_attach_sockmap,
	[RB_ATTACH_LSM_CGROUP] = rb_attach_cgroup,
	[RB_ATTACH_UPROBE_MULTI] = rb_attach_uprobe_multi,
	[RB_ATTACH_URETPROBE_MULTI] = rb_attach_uprobe_multi,
	[RB_ATTACH_NETFILTER] = rb_attach_netfilter,
	[RB_ATTACH_NETKIT] = rb_attach_netkit,
};

rb_attach_fn rb_attach_ops(enum rb_attach_kind kind)
{
	return (unsigned)kind < RB_ARRAY_SIZE(kinds) ? kinds[kind] : NULL;
}

void rb_attach_init(struct rb_attach *a, const struct rb_sys *sys,
		    const struct rb_attach_opts *opts, FILE *notes)
{
	/* no options: every kind sees its defaults (the kinds never test for NULL) */
	static const struct rb_attach_opts defaults = {.pid = -1};
	/* USDT slots start at 1: cookie 0 would pass unnoticed on kernels
	 * without BPF cookies, where the SET_BPF fallback drops it */
	*a = (struct rb_attach){.sys = sys, .opts = opts ? opts : &defaults, .notes = notes,
				.usdt_specs_fd = -1, .usdt_next_spec = 1, .sockmap_fd = -1};
}

void rb_attach_set_usdt_map(struct rb_attach *a, int map_fd)
{
	a->usdt_specs_fd = map_fd;
}

void rb_attach_set_sockmap(struct rb_attach *a, int map_fd, const char *name, unsigned n_maps)
{
	a->sockmap_fd = map_fd;
	a->sockmap_name = name;
	a->sockmap_maps = n_maps;
}

int rb_attach_prog(struct rb_attach *a, const struct rb_attach_req *req, bool *attached,
		   struct rb_err *err)
{
	*attached = false;
	rb_attach_fn attach = rb_attach_ops(req->kind);
	if (!attach)
		return 0;  /* RB_ATTACH_NONE, map-installed and not-yet-supported kinds */
	size_t before = a->n_links;
	int rc = attach(a, req, err);
	if (rc < 0) {
		rb_err_prefix(err, "program '%s' (SEC(\"%s\"))", req->prog_name, req->sec_name);
		return rc;
	}
	*attached = a->n_links > before;
	return 0;
}

struct rb_link *rb_attach_add_link(struct rb_attach *a, enum rb_link_how how, const char *kind,
				   const struct rb_attach_req *req)
{
	if (a->n_links == a->cap_links) {
		size_t cap = a->cap_links ? 2 * a->cap_links : 16;
		struct rb_link *p = realloc(a->links, cap * sizeof(*p));
		if (!p)
			return NULL;
		a->links = p;
		a->cap_links = cap;
	}
	struct rb_link *l = &a->links[a->n_links++];
	*l = (struct rb_link){.how = how, .kind = kind, .fd = -1, .perf_fd = -1, .prog_fd = -1,
			      .target_fd = -1, .prog_name = req ? req->prog_name : ""};
	return l;
}

int rb_attach_keep(struct rb_attach *a, const struct rb_attach_req *req, enum rb_link_how how,
		   const char *kind, int fd, struct rb_err *err, const char *fmt, ...)
{
	struct rb_link *l = rb_attach_add_link(a, how, kind, req);
	if (!l) {
		if (fd >= 0)
			rb_sys_close(a->sys, fd);
		return rb_errf(err, RB_ESYS, "%s: out of memory", kind);
	}
	l->fd = fd;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(l->what, sizeof(l->what), fmt, ap);
	va_end(ap);
	return 0;
}

/* An fd >= 3, or -errno (through the chokepoint, as every kernel call). */
static int dup_fd(const struct rb_sys *sys, int fd)
{
	return (int)rb_sys_call(sys, SYS_fcntl, fd, F_DUPFD_CLOEXEC, 3, 0, 0, 0);
}

int rb_attach_prog_attach(struct rb_attach *a, const struct rb_attach_req *req, int target_fd,
			  uint32_t flags, const char *kind, const char *what, const char *hint,
			  const char *busy_hint, struct rb_err *err)
{
	uint32_t type = req->expected_attach_type;
	int rc = rb_bpf_prog_attach(a->sys, req->prog_fd, target_fd, type, flags);
	if (rc < 0)
		return rb_errnof(err, RB_EKERNEL, -rc, "%s %s: BPF_PROG_ATTACH failed%s", kind, what,
				 rc == -EBUSY && busy_hint ? busy_hint : hint);
	int fds[2] = {dup_fd(a->sys, req->prog_fd), dup_fd(a->sys, target_fd)};
	rc = fds[0] < 0 ? fds[0] : fds[1];
	if (rc >= 0)
		rc = rb_attach_keep(a, req, RB_LINK_PROG_ATTACH, kind, -1, err, "%s", what);
	else
		rc = rb_errnof(err, RB_ESYS, -rc, "%s %s: recording the attachment", kind, what);
	if (rc < 0) {
		rb_bpf_prog_detach(a->sys, req->prog_fd, target_fd, type);
		for (int i = 0; i < 2; i++)
			if (fds[i] >= 0)
				rb_sys_close(a->sys, fds[i]);
		return rc;
	}
	struct rb_link *l = &a->links[a->n_links - 1];
	l->prog_fd = fds[0];
	l->target_fd = fds[1];
	l->attach_type = type;
	return 0;
}

/* ---- tracefs and probes ------------------------------------------------------ */

int rb_attach_tracefs(struct rb_attach *a, struct rb_err *err)
{
	if (a->tracefs_ready)
		return 0;
	int rc = rb_tracefs_open(&a->tracefs, a->sys, err);
	if (rc < 0)
		return rc;
	const char *note = rb_tracefs_note(&a->tracefs);
	if (note && a->notes)
		fprintf(a->notes, "%s\n", note);
	a->tracefs_ready = true;
	return 0;
}

/* A unique tracefs event name for this run: "rawbpf_<pid>_<tag>_<seq>". */
static void probe_name(struct rb_attach *a, const char *tag, char *out, size_t cap)
{
	snprintf(out, cap, "rawbpf_%d_%.47s_%u", (int)getpid(), tag, a->probe_seq++);
	for (; *out; out++)  /* tracefs takes letters, digits and '_' only */
		if (!isalnum((unsigned char)*out))
			*out = '_';
}

/* "p:kprobes/rawbpf_123_x_0 do_sys_open" -> pid 123 and "kprobes/rawbpf_123_x_0". */
static bool parse_probe_line(const char *line, int *pid, char *event, size_t cap)
{
	const char *colon = strchr(line, ':');
	const char *space = colon ? strchr(colon, ' ') : NULL;
	if (!space || (size_t)(space - colon - 1) >= cap)
		return false;
	memcpy(event, colon + 1, (size_t)(space - colon - 1));
	event[space - colon - 1] = 0;
	const char *name = strchr(event, '/');
	name = name ? name + 1 : event;
	return rb_scan_prefixed_int(name, "rawbpf_", pid);
}

static bool pid_alive(int pid)
{
	char p[32];
	snprintf(p, sizeof(p), "/proc/%d", pid);
	return access(p, F_OK) == 0;
}

/* Deletes the tracefs probe event ("kprobes/rawbpf_...") from file
 * (err may be NULL where a failure changes nothing). */
static int remove_probe(struct rb_attach *a, const char *file, const char *event, struct rb_err *err)
{
	char cmd[176];
	snprintf(cmd, sizeof(cmd), "-:%s", event);
	return rb_tracefs_write(&a->tracefs, file, cmd, true, err);
}

static int clean_file(struct rb_attach *a, const char *file)
{
	char path[256];
	struct rb_buf b = {0};
	if (rb_tracefs_path(&a->tracefs, file, path, sizeof(path)) < 0 ||
	    rb_read_file(path, 1 << 22, &b) < 0)
		return 0;  /* no such probe file: no kprobes/uprobes on this kernel */
	int removed = 0;
	char *save = NULL;
	for (char *line = strtok_r((char *)rb_buf_str(&b), "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		int pid;
		char event[160];
		if (!parse_probe_line(line, &pid, event, sizeof(event)) || pid_alive(pid))
			continue;
		if (remove_probe(a, file, event, NULL) == 0)
			removed++;
	}
	rb_buf_free(&b);
	return removed;
}

int rb_attach_clean_stale_probes(struct rb_attach *a, struct rb_err *err)
{
	if (a->stale_probes_cleaned)
		return 0;
	int rc = rb_attach_tracefs(a, err);
	if (rc < 0)
		return rc;
	a->stale_probes_cleaned = true;
	int n = clean_file(a, "kprobe_events") + clean_file(a, "uprobe_events");
	if (n > 0 && a->notes)
		fprintf(a->notes, "tracefs: removed %d stale rawbpf probe(s) left by a killed run\n", n);
	return n;
}

/* ---- perf events ------------------------------------------------------------- */

int rb_attach_perf_event_cookie(struct rb_attach *a, const struct rb_attach_req *req, int pfd,
				uint64_t cookie, const char *kind, const char *what,
				struct rb_err *err)
{
	/* BPF_LINK_CREATE with BPF_PERF_EVENT: Linux >= 5.15; a pinnable link */
	struct rb_link_create_opts o = {.prog_fd = req->prog_fd, .target_fd = pfd,
					.attach_type = BPF_PERF_EVENT,
					.tail = &cookie, .tail_size = sizeof(cookie)};
	int lfd = rb_bpf_link_create(a->sys, &o);
	if (lfd >= 0) {
		int rc = rb_attach_keep(a, req, RB_LINK_BPF, kind, lfd, err, "%s", what);
		if (rc == 0)
			a->links[a->n_links - 1].perf_fd = pfd;
		else
			rb_sys_close(a->sys, pfd);
		return rc;
	}
	bool old = lfd == -EINVAL || lfd == -EOPNOTSUPP || lfd == -E2BIG;
	long rc = lfd;
	if (old && cookie == 0) {
		/* older kernels: PERF_EVENT_IOC_SET_BPF, Linux >= 4.1 (tracepoints 4.7) */
		rc = rb_sys_ioctl(a->sys, pfd, PERF_EVENT_IOC_SET_BPF, req->prog_fd);
		if (rc == 0)
			rc = rb_sys_ioctl(a->sys, pfd, PERF_EVENT_IOC_ENABLE, 0);
		if (rc == 0)
			return rb_attach_keep(a, req, RB_LINK_PERF, kind, pfd, err, "%s", what);
	}
	rb_sys_close(a->sys, pfd);
	if (!old)
		return rb_errnof(err, RB_EKERNEL, -lfd, "%s %s: BPF_LINK_CREATE(BPF_PERF_EVENT) failed", kind, what);
	if (cookie)
		return rb_errnof(err, RB_ENOTSUP, -lfd, "%s %s: USDT arguments need kernel support "
				 "for BPF cookies on perf events (Linux >= 5.15)", kind, what);
	return rb_errnof(err, RB_EKERNEL, (int)-rc, "%s %s: PERF_EVENT_IOC_SET_BPF failed", kind, what);
}

int rb_attach_perf_event(struct rb_attach *a, const struct rb_attach_req *req, int pfd,
			 const char *kind, const char *what, struct rb_err *err)
{
	return rb_attach_perf_event_cookie(a, req, pfd, 0, kind, what, err);
}

static int read_sysfs(const char *path, char *out, size_t cap)
{
	struct rb_buf b = {0};
	int rc = rb_read_file(path, 256, &b);
	if (rc == 0)
		snprintf(out, cap, "%s", rb_buf_str(&b));
	rb_buf_free(&b);
	return rc;
}

int rb_attach_ifindex(const struct rb_attach *a, const struct rb_attach_req *req, int *ifindex,
		      struct rb_err *err)
{
	const char *ifn = a->opts->iface;
	if (!ifn || !*ifn)
		return rb_errf(err, RB_EUSAGE, "needs a network interface: add --iface IF");
	char p[128], v[32];
	snprintf(p, sizeof(p), "/sys/class/net/%s/ifindex", ifn);
	long idx = strchr(ifn, '/') || read_sysfs(p, v, sizeof(v)) < 0 ? 0 : strtol(v, NULL, 10);
	if (idx <= 0 || idx > INT32_MAX)
		return rb_errf(err, RB_EUSAGE, "--iface %s: no such network interface in this "
			       "namespace; `ip link` lists them", ifn);
	*ifindex = (int)idx;
	(void)req;
	return 0;
}

int rb_attach_cut_offset(char *plus, const char *kind, const char *spec, uint64_t *off,
			 struct rb_err *err)
{
	*off = 0;
	if (!plus)
		return 0;
	char *end;
	*off = strtoull(plus + 1, &end, 0);
	if (end == plus + 1 || *end)
		return rb_errf(err, RB_EUSAGE, "%s target '%s': bad offset after '+'", kind, spec);
	*plus = 0;
	return 0;
}

int rb_attach_online_cpus(int *cpus, int max)
{
	struct rb_buf b = {0};
	int rc = rb_read_file("/sys/devices/system/cpu/online", 4096, &b);
	if (rc < 0)
		return rc;
	int n = 0;
	const char *p = rb_buf_str(&b);
	while (*p >= '0' && *p <= '9') {
		char *end;
		long lo = strtol(p, &end, 10), hi = lo;
		if (*end == '-')
			hi = strtol(end + 1, &end, 10);
		for (long c = lo; c <= hi && n < max; c++)
			cpus[n++] = (int)c;
		p = *end == ',' ? end + 1 : end;
	}
	rb_buf_free(&b);
	return n;
}

/* ---- lifetime ------------------------------------------------------------- */

/* A plain struct_ops map unregisters when its element is deleted (closing
 * it would too, but only once the kernel drops its last reference). */
static int detach_struct_ops(struct rb_attach *a, struct rb_link *l, struct rb_err *err)
{
	uint32_t zero = 0;
	int rc = rb_bpf_map_delete(a->sys, l->fd, &zero);
	return rc < 0 ? rb_errnof(err, RB_EKERNEL, -rc, "unregistering struct_ops '%s'", l->prog_name) : 0;
}

static int detach_one(struct rb_attach *a, struct rb_link *l, struct rb_err *err)
{
	int rc = 0;
	switch (l->how) {
	case RB_LINK_BPF:
	case RB_LINK_SOCKET:
		break;
	case RB_LINK_PERF:
		rb_sys_ioctl(a->sys, l->fd, PERF_EVENT_IOC_DISABLE, 0);
		break;
	case RB_LINK_PROG_ATTACH:
		rc = rb_bpf_prog_detach(a->sys, l->prog_fd, l->target_fd, l->attach_type);
		if (rc < 0)
			rc = rb_errnof(err, RB_EKERNEL, -rc, "BPF_PROG_DETACH failed");
		break;
	case RB_LINK_TC_NETLINK:
		rc = rb_tc_netlink_detach(a, l, err);
		break;
	case RB_LINK_STRUCT_OPS:
		rc = detach_struct_ops(a, l, err);
		break;
	}
	int fds[4] = {l->fd, l->perf_fd, l->prog_fd, l->target_fd};
	for (size_t i = 0; i < 4; i++)
		if (fds[i] >= 0)
			rb_sys_close(a->sys, fds[i]);
	l->fd = l->perf_fd = l->prog_fd = l->target_fd = -1;
	if (l->probe_file && l->probe_event[0]) {
		int r2 = remove_probe(a, l->probe_file, l->probe_event, err);
		rc = rc < 0 ? rc : r2;
	}
	return rc;
}

int rb_attach_detach_all(struct rb_attach *a)
{
	int failures = 0;
	while (a->n_links > 0) {
		struct rb_link *l = &a->links[--a->n_links];
		struct rb_err err = {0};
		if (detach_one(a, l, &err) < 0) {
			failures++;
			if (a->notes)
				fprintf(a->notes, "detach %s %s (%s): %s\n", l->kind, l->what,
					l->prog_name, err.msg);
		}
	}
	free(a->links);
	a->links = NULL;
	a->cap_links = 0;
	return failures;
}

void rb_attach_poll_sockets(struct rb_attach *a)
{
	char buf[64];
	for (size_t i = 0; i < a->n_links; i++) {
		struct rb_link *l = &a->links[i];
		if (l->how != RB_LINK_SOCKET)
			continue;
		while (rb_sys_call(a->sys, SYS_recvfrom, l->fd, (long)buf, sizeof(buf),
				   MSG_DONTWAIT | MSG_TRUNC, 0, 0) >= 0)
			l->packets++;
	}
}

static void pin_name(const struct rb_attach *a, size_t idx, const char *dir, char *out, size_t cap)
{
	const struct rb_link *l = &a->links[idx];
	int same = 0;
	for (size_t i = 0; i < idx; i++)
		same += a->links[i].how == RB_LINK_BPF && strcmp(a->links[i].prog_name, l->prog_name) == 0;
	if (same)
		snprintf(out, cap, "%s/%s_%d", dir, l->prog_name, same);
	else
		snprintf(out, cap, "%s/%s", dir, l->prog_name);
}

int rb_attach_pin_links(struct rb_attach *a, const char *dir, struct rb_err *err)
{
	int rc = rb_bpffs_prepare_dir(a->sys, dir, "--keep", a->notes, err);
	if (rc < 0)
		return rc;
	int pinned = 0;
	for (size_t i = 0; i < a->n_links; i++) {
		struct rb_link *l = &a->links[i];
		if (l->how != RB_LINK_BPF || l->probe_event[0]) {
			if (a->notes)
				fprintf(a->notes, "--keep: %s %s (%s) is not a bpf link; it is detached at exit\n",
					l->kind, l->what, l->prog_name);
			continue;
		}
		char path[600];
		pin_name(a, i, dir, path, sizeof(path));
		int r = rb_bpf_obj_pin(a->sys, l->fd, path);
		if (r < 0)
			return rb_errnof(err, RB_EKERNEL, -r, "--keep: pinning the %s link of '%s' at %s failed; "
					 "remove stale pins with `rawbpf detach %s`", l->kind, l->prog_name, path, dir);
		pinned++;
	}
	return pinned;
}

/* ---- kprobes and uprobes ------------------------------------------------------- */

/* /sys/bus/event_source/devices/PMU/FILE */
static int read_pmu(const char *pmu, const char *file, char *out, size_t cap)
{
	char p[160];
	snprintf(p, sizeof(p), "/sys/bus/event_source/devices/%s/%s", pmu, file);
	return read_sysfs(p, out, cap);
}

/* A perf event with one sample per hit, for pid (-1: every process, which
 * the kernel wants on one CPU: the program runs whichever CPU hits). */
static long open_event(struct rb_attach *a, struct perf_event_attr *attr, int pid)
{
	attr->size = sizeof(*attr);
	attr->sample_period = 1;
	return rb_sys_perf_event_open(a->sys, attr, pid, pid == -1 ? 0 : -1, -1, PERF_FLAG_FD_CLOEXEC);
}

/* The kprobe or uprobe PMU's dynamic type, and the retprobe bit of config
 * ("config:N") when `ret`.  -ENOENT when the kernel has no such PMU. */
static int probe_pmu_attr(const char *pmu, bool ret, struct perf_event_attr *attr)
{
	char v[64], *end;
	int bit = 0;
	if (read_pmu(pmu, "type", v, sizeof(v)) < 0)
		return -ENOENT;
	unsigned long type = strtoul(v, &end, 10);
	if (end == v)
		return -ENOENT;
	if (ret && (read_pmu(pmu, "format/retprobe", v, sizeof(v)) < 0 ||
		    !rb_scan_prefixed_int(v, "config:", &bit) || bit < 0 || bit > 63))
		return -ENOENT;
	attr->type = (uint32_t)type;
	attr->config |= ret ? 1ULL << bit : 0;
	return 0;
}

static long open_probe_pmu(struct rb_attach *a, const struct rb_probe *p)
{
	struct perf_event_attr attr = {.config = p->config, .config1 = p->config1, .config2 = p->config2,
				       .wakeup_events = p->wakeup_events};
	if (probe_pmu_attr(p->pmu, p->ret, &attr) < 0)
		return -ENOENT;
	return open_event(a, &attr, p->pid);
}

long rb_attach_open_tracepoint(struct rb_attach *a, uint64_t id, int pid, uint32_t wakeup_events)
{
	struct perf_event_attr attr = {.type = PERF_TYPE_TRACEPOINT, .config = id,
				       .wakeup_events = wakeup_events};
	return open_event(a, &attr, pid);
}

/* Writes the probe into <pmu>_events and opens its tracepoint; the event
 * ("kprobes/rawbpf_...") goes to event. */
static long open_probe_tracefs(struct rb_attach *a, const struct rb_probe *p, const char *file,
			       char *event, size_t cap, struct rb_err *err)
{
	int rc = rb_attach_clean_stale_probes(a, err);
	if (rc < 0)
		return rc;
	char name[80], cmd[800];
	probe_name(a, p->tag, name, sizeof(name));
	snprintf(cmd, sizeof(cmd), "%c:%ss/%s %s", p->ret ? 'r' : 'p', p->pmu, name, p->def);
	rc = rb_tracefs_write(&a->tracefs, file, cmd, true, err);
	if (rc < 0) {
		rb_err_prefix(err, "%s %s (no %s PMU; tracefs fallback)", p->kind, p->what, p->pmu);
		return rc;
	}
	snprintf(event, cap, "%ss/%s", p->pmu, name);
	uint64_t id;
	rc = rb_tracefs_event_id(&a->tracefs, event, &id, err);
	long pfd = rc < 0 ? rc : rb_attach_open_tracepoint(a, id, p->pid, 0);
	if (pfd < 0) {
		remove_probe(a, file, event, NULL);
		event[0] = 0;
		return rc < 0 ? rc : rb_errnof(err, RB_EKERNEL, (int)-pfd, "%s %s: perf_event_open failed", p->pmu, cmd);
	}
	return pfd;
}

int rb_attach_probe(struct rb_attach *a, const struct rb_attach_req *req, const struct rb_probe *p,
		    struct rb_err *err)
{
	const char *file = p->pmu[0] == 'k' ? "kprobe_events" : "uprobe_events";
	char event[96] = "";
	long pfd = a->opts->probe_tracefs ? -ENOENT : open_probe_pmu(a, p);
	if (pfd == -ENOENT)
		pfd = open_probe_tracefs(a, p, file, event, sizeof(event), err);
	else if (pfd < 0)
		return rb_errnof(err, RB_EKERNEL, (int)-pfd, "%s %s: perf_event_open(%s PMU) failed%s", p->kind,
				 p->what, p->pmu, p->pmu_hint && (pfd == -ENOENT || pfd == -EINVAL) ? p->pmu_hint : "");
	if (pfd < 0)
		return (int)pfd;
	int rc = rb_attach_perf_event_cookie(a, req, (int)pfd, p->cookie, p->kind, p->what, err);
	if (rc == 0 && event[0]) {
		struct rb_link *l = &a->links[a->n_links - 1];
		l->probe_file = file;
		snprintf(l->probe_event, sizeof(l->probe_event), "%s", event);
	} else if (rc < 0 && event[0]) {
		remove_probe(a, file, event, NULL);
	}
	return rc;
}
