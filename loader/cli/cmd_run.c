/* `rawbpf run OBJ`: load, attach every program where its section says,
 * stream what the programs emit (ring buffers, perf buffers, trace_pipe),
 * snapshot maps, and on SIGINT/SIGTERM/--duration detach everything and
 * exit 0. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <linux/if_link.h>

#include "common/json.h"
#include "common/scan.h"
#include "common/strtab.h"
#include "loader/attach/attach.h"
#include "loader/cli/cmd.h"
#include "loader/events/events.h"
#include "loader/inspect/inspect.h"
#include "loader/load/load.h"

/* The signal handler's only state (the CLI may hold process-wide state). */
static volatile sig_atomic_t run_stop;

static void on_signal(int sig)
{
	(void)sig;
	run_stop = 1;
}

#define RUN_MAX_SETS 32

struct run_args {
	const char *obj, *pin;
	const char *target_prog;  /* --target-prog ID|PINNED_PATH for freplace programs */
	bool keep, printk, dump_maps, count_only;
	double duration, interval;
	unsigned perf_pages;
	unsigned batch_us;
	struct rb_attach_opts at;
	size_t n_sets, n_sizes;
	const char *sets[RUN_MAX_SETS];   /* last: the option table's offsets stay below 256 */
	const char *sizes[RUN_MAX_SETS];
};

/* One event map being streamed. */
struct stream {
	struct rb_record_printer pr;
	struct rb_ringbuf rb;
	struct rb_perfbuf pb;
	bool is_perf, open;
	bool quiet_lost;  /* --count: the summary has the total */
	uint64_t lost;
};

struct run {
	struct rb_cli *cli;
	struct run_args args;
	struct rb_loaded *ld;
	struct rb_attach at;
	struct rb_events ev;
	struct rb_trace_pipe tp;
	struct stream *streams;
	size_t n_streams;
	struct rb_json json;
	int ncpus;
	double cpu_at_start;  /* process CPU seconds when streaming began (--count) */
	struct rb_symbolizer *sym;  /* made at the first dump with stacks */
};

static const struct rb_cmd *self(void);

/* The options, as one table: a name (run_opt_names, same order) and what
 * its value does.  Numbers are checked against the row's lower bound
 * (and --batch-us against 1e6). */
enum opt_kind {
	O_STR,     /* const char * at off */
	O_BOOL,    /* bool at off, no value */
	O_JSON,    /* -j: the global flag, no value */
	O_LIST,    /* appended to --set's or --map-size's list (lo says which) */
	O_SECS,    /* double at off: >= 0 (--duration), > 0 with lo 1 (--interval) */
	O_UINT,    /* unsigned (or a positive int) at off, >= lo */
	O_XDP,     /* --xdp-mode */
};

struct run_opt {
	uint8_t kind, off, lo;
};

#define OFF(m) offsetof(struct run_args, m)
#define OPT(kind, m, lo) {kind, OFF(m), lo}
static const char run_opt_names[] =
	"--pin\0" "--set\0" "--map-size\0" "--duration\0" "--interval\0" "--iface\0" "--cgroup\0"
	"--uprobe\0" "--sockmap\0" "--target-prog\0" "--nf\0" "-p\0" "--pid\0" "--freq\0"
	"--batch-us\0" "--perf-pages\0" "--xdp-mode\0" "--keep\0" "--printk\0" "--dump-maps\0"
	"--count\0" "--tc-netlink\0" "--probe-tracefs\0" "-j\0" "--json\0";
static const struct run_opt run_opts[] = {
	OPT(O_STR, pin, 0), OPT(O_LIST, n_sets, 0), OPT(O_LIST, n_sizes, 1),
	OPT(O_SECS, duration, 0), OPT(O_SECS, interval, 1), OPT(O_STR, at.iface, 0),
	OPT(O_STR, at.cgroup, 0), OPT(O_STR, at.uprobe, 0), OPT(O_STR, at.sockmap, 0),
	OPT(O_STR, target_prog, 0), OPT(O_STR, at.nf, 0), OPT(O_UINT, at.pid, 1),
	OPT(O_UINT, at.pid, 1), OPT(O_UINT, at.freq, 1), OPT(O_UINT, batch_us, 0),
	OPT(O_UINT, perf_pages, 1), OPT(O_XDP, at.xdp_flags, 0), OPT(O_BOOL, keep, 0),
	OPT(O_BOOL, printk, 0), OPT(O_BOOL, dump_maps, 0), OPT(O_BOOL, count_only, 0),
	OPT(O_BOOL, at.tc_netlink, 0), OPT(O_BOOL, at.probe_tracefs, 0), OPT(O_JSON, obj, 0),
	OPT(O_JSON, obj, 0),
};

static bool parse_xdp_mode(const char *s, uint32_t *flags)
{
	static const uint32_t modes[] = {XDP_FLAGS_SKB_MODE, XDP_FLAGS_DRV_MODE, XDP_FLAGS_HW_MODE};
	int k = rb_strtab_index("generic\0skb\0native\0drv\0offload\0hw\0", s);
	if (k < 0)
		return false;
	*flags = modes[k / 2];
	return true;
}

static bool parse_num(const char *s, double *out)
{
	char *end;
	*out = rb_scan_double(s, &end);
	return end != s && !*end && *out >= 0;
}

/* Stores v for the option; false when v is not a value it takes. */
static bool set_valued(struct run_args *a, const struct run_opt *o, const char *v)
{
	char *at = (char *)a + o->off;
	double d;
	switch (o->kind) {
	case O_STR:
		memcpy(at, &v, sizeof(v));
		return true;
	case O_LIST: {  /* lo: 0 --set, 1 --map-size */
		size_t *n = o->lo ? &a->n_sizes : &a->n_sets;
		if (*n >= RUN_MAX_SETS)
			return false;
		(o->lo ? a->sizes : a->sets)[(*n)++] = v;
		return true;
	}
	case O_SECS:
		if (!parse_num(v, &d) || (o->lo && d == 0))
			return false;
		memcpy(at, &d, sizeof(d));
		return true;
	case O_UINT: {
		if (!parse_num(v, &d) || d < o->lo || (o->off == OFF(batch_us) && d > 1e6))
			return false;
		unsigned u = (unsigned)d;
		memcpy(at, &u, sizeof(u));
		return true;
	}
	default:
		return parse_xdp_mode(v, &a->at.xdp_flags);
	}
}

static int parse_args(struct rb_cli *cli, int argc, char **argv, struct run_args *a)
{
	*a = (struct run_args){.at = {.pid = -1}, .batch_us = 1000, .duration = -1};
	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		if (o[0] != '-') {
			if (a->obj)
				return rb_cli_usage(cli, self(), "one object only; '%s' is extra", o);
			a->obj = o;
			continue;
		}
		int k = rb_strtab_index(run_opt_names, o);
		const struct run_opt *opt = k < 0 ? NULL : &run_opts[k];
		if (opt && opt->kind == O_BOOL)
			*(bool *)((char *)a + opt->off) = true;
		else if (opt && opt->kind == O_JSON)
			cli->json = true;
		else if (!opt || i + 1 >= argc)
			return rb_cli_usage(cli, self(), "unknown option '%s'%s", o,
					    i + 1 >= argc ? " (or its value is missing)" : "");
		else if (!set_valued(a, opt, argv[++i]))
			return rb_cli_usage(cli, self(), "bad value '%s' for %s", argv[i], o);
	}
	if (!a->obj)
		return rb_cli_usage(cli, self(), "which object? give OBJ");
	if (a->keep && !a->pin)
		return rb_cli_usage(cli, self(), "--keep pins links under DIR/links: give --pin DIR");
	return 0;
}

/* ---- events ------------------------------------------------------------------ */

static int on_record(void *ctx, const void *data, size_t len)
{
	const struct stream *s = ctx;
	rb_record_print(&s->pr, data, len);
	return 0;
}

/* --count: the readers count records; nothing to print. */
static int on_record_counted(void *ctx, const void *data, size_t len)
{
	return 0;
}

static void on_lost(void *ctx, int cpu, uint64_t count)
{
	struct stream *s = ctx;
	s->lost += count;
	if (!s->pr.json && !s->quiet_lost)
		fprintf(stderr, "%s: lost %llu records on CPU %d\n", s->pr.map_name,
			(unsigned long long)count, cpu);
}

static int open_stream(struct run *r, struct rb_loaded_map *lm, struct stream *s, struct rb_err *err)
{
	rb_event_fn fn = r->args.count_only ? on_record_counted : on_record;
	struct rb_obj *obj = r->ld->obj;
	bool ring = lm->map->type == BPF_MAP_TYPE_RINGBUF;
	s->pr = (struct rb_record_printer){
		.btf = obj->btf, .map_name = lm->map->name, .out = stdout,
		.json = r->cli->json ? &r->json : NULL,
		.type_id = rb_record_type(obj->btf, lm->map->name, ring ? lm->map->btf_value_type_id : 0),
	};
	s->is_perf = !ring;
	s->quiet_lost = r->args.count_only;
	int rc;
	if (ring) {
		rc = rb_ringbuf_open(&s->rb, &r->cli->sys, lm->fd, fn, s, err);
		if (rc == 0)
			rc = rb_events_add_ringbuf(&r->ev, &s->rb, err);
	} else {
		struct rb_perfbuf_opts po = {.pages = r->args.perf_pages};
		rc = rb_perfbuf_open(&s->pb, &r->cli->sys, lm->fd, &po, fn, on_lost, s, err);
		if (rc == 0)
			rc = rb_events_add_perfbuf(&r->ev, &s->pb, err);
	}
	s->open = rc == 0 || s->rb.cons_map || s->pb.rings;
	return rc;
}

static int open_streams(struct run *r, struct rb_err *err)
{
	int rc = rb_events_init(&r->ev, &r->cli->sys, err);
	if (rc < 0)
		return rc;
	r->ev.batch_us = r->args.batch_us;
	r->streams = calloc(r->ld->n_maps + 1, sizeof(*r->streams));
	if (!r->streams)
		return rb_errf(err, RB_ESYS, "run: out of memory");
	for (size_t i = 0; i < r->ld->n_maps; i++) {
		struct rb_loaded_map *lm = &r->ld->maps[i];
		uint32_t t = lm->map->type;
		if (lm->fd < 0 || (t != BPF_MAP_TYPE_RINGBUF && t != BPF_MAP_TYPE_PERF_EVENT_ARRAY))
			continue;
		rc = open_stream(r, lm, &r->streams[r->n_streams], err);
		if (r->streams[r->n_streams].open)
			r->n_streams++;
		if (rc < 0)
			return rc;
	}
	return 0;
}

static void close_streams(struct run *r)
{
	for (size_t i = 0; i < r->n_streams; i++) {
		struct stream *s = &r->streams[i];
		if (s->is_perf)
			rb_perfbuf_close(&s->pb);
		else
			rb_ringbuf_close(&s->rb);
	}
	free(r->streams);
	r->streams = NULL;
	r->n_streams = 0;
	rb_events_close(&r->ev);
}

/* ---- attaching ----------------------------------------------------------------- */

void rb_cli_attach_req(struct rb_attach_req *req, const struct rb_loaded_prog *lp)
{
	const struct rb_prog *p = lp->prog;
	*req = (struct rb_attach_req){
		.prog_fd = lp->fd, .prog_name = p->name, .sec_name = p->sec_name,
		.kind = p->def->attach, .prog_type = p->prog_type,
		.expected_attach_type = p->expected_attach_type, .target = p->attach_target,
	};
}

static int attach_all(struct run *r, size_t *attached, struct rb_err *err)
{
	*attached = 0;
	for (size_t i = 0; i < r->ld->n_progs; i++) {
		struct rb_loaded_prog *lp = &r->ld->progs[i];
		if (lp->fd < 0)
			continue;
		struct rb_prog *p = lp->prog;
		struct rb_attach_req req;
		rb_cli_attach_req(&req, lp);
		if (req.kind == RB_ATTACH_STRUCT_OPS)
			continue;  /* attached through its struct_ops variable (register_struct_ops) */
		bool done;
		int rc = rb_attach_prog(&r->at, &req, &done, err);
		if (rc < 0)
			return rc;
		if (done)
			(*attached)++;
		else if (!r->cli->quiet)
			fprintf(stderr, "run: program '%s' (SEC(\"%s\")) is loaded but not attached: %s\n",
				p->name, p->sec_name, req.kind == RB_ATTACH_NONE || rb_attach_ops(req.kind)
				? "its section names nothing to attach to" : "rawbpf cannot attach this kind of program yet");
	}
	return 0;
}

static bool is_sockmap(const struct rb_loaded_map *lm)
{
	return lm->fd >= 0 && (lm->map->type == BPF_MAP_TYPE_SOCKMAP ||
			       lm->map->type == BPF_MAP_TYPE_SOCKHASH);
}

/* The map sk_msg/sk_skb programs attach to: --sockmap NAME, else the
 * object's only sockmap/sockhash (none or several: the attacher says so if
 * a program needs one). */
static int pick_sockmap(struct run *r, struct rb_err *err)
{
	const char *want = r->args.at.sockmap;
	struct rb_loaded_map *pick = NULL;
	unsigned n = 0;
	for (size_t i = 0; i < r->ld->n_maps; i++) {
		struct rb_loaded_map *lm = &r->ld->maps[i];
		if (!is_sockmap(lm))
			continue;
		n++;
		if (!want ? n == 1 : !strcmp(lm->map->name, want))
			pick = lm;
	}
	if (want && !pick)
		return rb_errf(err, RB_EUSAGE, "--sockmap %s: the object has no sockmap or sockhash map of "
			       "that name", want);
	if (!want && n > 1)
		pick = NULL;
	rb_attach_set_sockmap(&r->at, pick ? pick->fd : -1, pick ? pick->map->name : "", n);
	return 0;
}

/* struct_ops variables: each registered as a whole once its programs are
 * loaded (a tcp_congestion_ops with its callbacks). */
static int register_struct_ops(struct run *r, size_t *attached, struct rb_err *err)
{
	const struct rb_obj *obj = r->ld->obj;
	if (obj->n_st_ops == 0)
		return 0;
	int *fds = calloc(r->ld->n_progs + 1, sizeof(*fds));
	if (!fds)
		return rb_errf(err, RB_ESYS, "run: out of memory");
	for (size_t i = 0; i < r->ld->n_progs; i++)
		fds[i] = r->ld->progs[i].fd;
	int rc = 0;
	for (size_t i = 0; i < obj->n_st_ops && rc == 0; i++) {
		rc = rb_attach_struct_ops(&r->at, &obj->st_ops[i], fds, r->ld->n_progs, r->ld->btf_fd, err);
		*attached += rc == 0;
	}
	free(fds);
	return rc;
}

/* On stderr, also with -j: stdout carries only the JSON records. */
static void print_links(struct run *r)
{
	if (r->cli->quiet)
		return;
	for (size_t i = 0; i < r->at.n_links; i++)
		fprintf(stderr, "attached %s: %s %s\n", r->at.links[i].prog_name,
			r->at.links[i].kind, r->at.links[i].what);
	fflush(stderr);
}

/* iter programs run once: their output is printed right after attaching. */
static int run_iters(struct run *r, size_t *iters, struct rb_err *err)
{
	*iters = 0;
	for (size_t i = 0; i < r->at.n_links; i++) {
		if (strcmp(r->at.links[i].kind, "iter") != 0)
			continue;
		long n = rb_attach_iter_read(&r->at, &r->at.links[i], stdout, err);
		if (n < 0)
			return (int)n;
		(*iters)++;
	}
	return 0;
}

/* ---- map snapshots ------------------------------------------------------------ */

static bool dumpable(const struct rb_loaded_map *lm)
{
	uint32_t t = lm->map->type;
	return lm->fd >= 0 && t != BPF_MAP_TYPE_RINGBUF && t != BPF_MAP_TYPE_PERF_EVENT_ARRAY &&
	       t != BPF_MAP_TYPE_PROG_ARRAY && t != BPF_MAP_TYPE_ARRAY_OF_MAPS &&
	       t != BPF_MAP_TYPE_HASH_OF_MAPS && t != BPF_MAP_TYPE_STACK_TRACE &&
	       !(lm->map->kind == RB_MAP_DATA && lm->map->readonly) && lm->map->key_size > 0 &&
	       strcmp(lm->map->name, "rawbpf_usdt_specs") != 0;  /* rawbpf's own bookkeeping */
}

/* The object's stack trace map, for symbolised stacks in dumps. */
static int stack_map_fd(const struct run *r)
{
	for (size_t i = 0; i < r->ld->n_maps; i++)
		if (r->ld->maps[i].map->type == BPF_MAP_TYPE_STACK_TRACE && r->ld->maps[i].fd >= 0)
			return r->ld->maps[i].fd;
	return -1;
}

static void dump_maps(struct run *r)
{
	int stack_fd = stack_map_fd(r);
	if (stack_fd >= 0 && !r->sym)
		r->sym = rb_sym_new();
	if (r->cli->json) {
		rb_json_init(&r->json, stdout, r->cli->pretty);  /* one document per snapshot */
		rb_json_obj_begin(&r->json);
		rb_json_key(&r->json, "maps");
		rb_json_arr_begin(&r->json);
	}
	for (size_t i = 0; i < r->ld->n_maps; i++) {
		struct rb_loaded_map *lm = &r->ld->maps[i];
		if (!dumpable(lm))
			continue;
		struct rb_events_map d = {
			.sys = &r->cli->sys, .btf = r->ld->obj->btf, .fd = lm->fd, .name = lm->map->name,
			.type = lm->map->type, .key_size = lm->map->key_size, .value_size = lm->value_size,
			.max_entries = lm->max_entries, .btf_key_type_id = lm->map->btf_key_type_id,
			.btf_value_type_id = lm->map->btf_value_type_id, .ncpus = r->ncpus,
			.stack_fd = stack_fd, .sym = r->sym,
		};
		struct rb_err err = {0};
		if (rb_events_dump_map(&d, stdout, r->cli->json ? &r->json : NULL, &err) < 0)
			fprintf(stderr, "%s: %s\n", r->cli->prog_name, err.msg);
	}
	if (r->cli->json) {
		rb_json_arr_end(&r->json);
		rb_json_obj_end(&r->json);
		rb_json_finish(&r->json);
	}
	fflush(stdout);
}

static double cpu_seconds(void)
{
	struct rusage ru;
	if (getrusage(RUSAGE_SELF, &ru) < 0)
		return 0;
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

/* ---- the loop -------------------------------------------------------------------- */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;  /* no SA_RESTART: epoll_pwait returns EINTR */
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a closed pipe (`| head`) or terminal also ends the run cleanly, so
	 * tracefs probes and netlink filters are still removed */
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	run_stop = 0;
}

static int stream_loop(struct run *r, struct rb_err *err)
{
	double start = now_s(), next_dump = start + r->args.interval;
	r->cpu_at_start = cpu_seconds();
	while (!run_stop) {
		double now = now_s();
		if (r->args.duration >= 0 && now - start >= r->args.duration)
			break;
		int wait = 100;
		long n = rb_events_poll(&r->ev, wait);
		if (n < 0)
			return n == -RB_ESYS ? rb_errnof(err, RB_ESYS, errno, "run: waiting for events failed") : (int)n;
		fflush(stdout);
		rb_attach_poll_sockets(&r->at);
		if (r->args.interval > 0 && now_s() >= next_dump) {
			dump_maps(r);
			next_dump += r->args.interval;
		}
	}
	rb_events_drain(&r->ev);
	fflush(stdout);
	return 0;
}

/* --count: what the consumer cost while streaming (load time excluded), for
 * the benchmark. */
static void print_cpu(struct run *r)
{
	uint64_t recs = 0;
	for (size_t i = 0; i < r->n_streams; i++)
		recs += r->streams[i].is_perf ? r->streams[i].pb.records : r->streams[i].rb.records;
	if (!r->args.count_only || !recs)
		return;
	double ns = (cpu_seconds() - r->cpu_at_start) * 1e9;
	fprintf(stderr, "consumer: %llu records, %.1f ns CPU per record\n", (unsigned long long)recs,
		ns / (double)recs);
}

static void print_summary(struct run *r)
{
	if (r->cli->quiet)
		return;
	print_cpu(r);
	for (size_t i = 0; i < r->n_streams; i++) {
		struct stream *s = &r->streams[i];
		uint64_t recs = s->is_perf ? s->pb.records : s->rb.records;
		fprintf(stderr, "%s: %llu records, %llu lost\n", s->pr.map_name, (unsigned long long)recs,
			(unsigned long long)(s->is_perf ? s->pb.lost_records : 0));
	}
	for (size_t i = 0; i < r->at.n_links; i++)
		if (r->at.links[i].how == RB_LINK_SOCKET)
			fprintf(stderr, "socket filter %s on %s: %llu packets accepted\n", r->at.links[i].prog_name,
				r->at.links[i].what, (unsigned long long)r->at.links[i].packets);
}

static int keep_links(struct run *r, struct rb_err *err)
{
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/links", r->args.pin);
	int n = rb_attach_pin_links(&r->at, dir, err);
	if (n >= 0 && !r->cli->quiet)
		fprintf(stderr, "--keep: %d link(s) pinned under %s; `rawbpf detach %s` removes them\n",
			n, dir, r->args.pin);
	return n < 0 ? n : 0;
}

static int run_attached(struct run *r, struct rb_err *err)
{
	size_t attached, iters;
	int rc = attach_all(r, &attached, err);
	if (rc == 0)
		rc = register_struct_ops(r, &attached, err);
	print_links(r);
	if (rc == 0)
		rc = run_iters(r, &iters, err);
	if (rc == 0 && attached > iters)
		rc = stream_loop(r, err);
	if (rc == 0 && r->args.dump_maps)
		dump_maps(r);
	print_summary(r);
	if (rc == 0 && r->args.keep)
		rc = keep_links(r, err);
	return rc;
}

static int start_printk(struct run *r, struct rb_err *err)
{
	int rc = rb_attach_tracefs(&r->at, err);
	if (rc == 0)
		rc = rb_trace_pipe_open(&r->tp, r->at.tracefs.root, stdout, err);
	if (rc == 0)
		rc = rb_events_add_trace_pipe(&r->ev, &r->tp, err);
	return rc;
}

/* --target-prog: a bare number is a program id, anything else a pin. */
static int open_target_prog(struct rb_cli *cli, const char *v, struct rb_err *err)
{
	char *words[2] = {"pinned", (char *)v};
	bool is_id = *v && strspn(v, "0123456789") == strlen(v);
	struct rb_obj_ref ref;
	int i = 0;
	int rc = rb_obj_ref_parse(&ref, RB_OBJ_PROG, is_id ? 1 : 2, is_id ? words + 1 : words, &i, err);
	if (rc == 0)
		rc = rb_obj_open_one(&cli->sys, RB_OBJ_PROG, &ref, err);
	if (rc < 0)
		rb_err_prefix(err, "--target-prog %s", v);
	return rc;
}

static int run_cmd(struct rb_cli *cli, int argc, char **argv)
{
	struct run r = {.cli = cli, .tp = {.fd = -1}};
	int rc = parse_args(cli, argc, argv, &r.args);
	if (rc)
		return rc;
	struct rb_err err = {0};
	rb_json_init(&r.json, stdout, cli->pretty);
	struct rb_load_opts lo = {.pin_dir = r.args.pin, .verbose = cli->verbose > 0,
				  .sets = r.args.sets, .n_sets = r.args.n_sets,
				  .map_sizes = r.args.sizes, .n_map_sizes = r.args.n_sizes,
				  .note = cli->quiet ? NULL : stderr, .vlog = stderr};
	if (r.args.target_prog && (lo.target_prog_fd = open_target_prog(cli, r.args.target_prog, &err)) < 0)
		return rb_cli_error(cli, &err);
	install_signals();
	rc = rb_load_file(&r.ld, &cli->sys, r.args.obj, &lo, &err);
	if (lo.target_prog_fd > 0)
		rb_sys_close(&cli->sys, lo.target_prog_fd);  /* the loaded program holds its own */
	if (rc < 0)
		return rb_cli_error(cli, &err);
	int ncpus = rb_load_possible_cpus(&err);
	r.ncpus = ncpus > 0 ? ncpus : 1;
	rb_attach_init(&r.at, &cli->sys, &r.args.at, cli->quiet ? NULL : stderr);
	struct rb_loaded_map *specs = rb_loaded_map(r.ld, "rawbpf_usdt_specs");
	if (specs)
		rb_attach_set_usdt_map(&r.at, specs->fd);
	rc = open_streams(&r, &err);
	if (rc == 0)
		rc = pick_sockmap(&r, &err);
	if (rc == 0 && r.args.printk)
		rc = start_printk(&r, &err);
	if (rc == 0)
		rc = run_attached(&r, &err);
	int failures = rb_attach_detach_all(&r.at);
	rb_trace_pipe_close(&r.tp);
	close_streams(&r);
	rb_sym_free(r.sym);
	rb_loaded_free(r.ld);
	if (rc < 0)
		return rb_cli_error(cli, &err);
	return failures ? RB_EKERNEL : 0;
}

const struct rb_cmd rb_cmd_run = {
	.name = "run",
	.run = run_cmd,
};

static const struct rb_cmd *self(void)
{
	return &rb_cmd_run;
}
