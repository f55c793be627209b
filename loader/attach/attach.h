/* Attaching loaded BPF programs where their section says, and undoing it.
 *
 * One table (attach.c) maps each enum rb_attach_kind of the section table
 * (elf/obj/object.h) to one function in one file of this folder:
 * tracepoint.c, raw_tp.c, tracing.c, kprobe.c, uprobe.c, usdt.c, iter.c,
 * perf_event.c, xdp.c, tc.c, socket.c, cgroup.c (also lsm_cgroup),
 * sk_lookup.c, sockmap.c, ...  Adding a kind is one row plus one file (or
 * one row, when an existing file attaches it the same way).
 *
 * Every attachment is recorded as a struct rb_link in a struct rb_attach
 * set; rb_attach_detach_all undoes them in reverse order (links and perf fds
 * closed, tracefs probes removed, netlink filters deleted), so a run leaves
 * nothing behind.  Kernel requirements sit next to each call. */
#ifndef RAWBPF_LOADER_ATTACH_ATTACH_H
#define RAWBPF_LOADER_ATTACH_ATTACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/err.h"
#include "elf/obj/object.h"
#include "loader/attach/arch.h"
#include "loader/sys.h"
#include "loader/tracefs.h"

/* Command-line context for the kinds that need a target. */
struct rb_attach_opts {
	const char *iface;       /* --iface: xdp, tc, socket */
	const char *cgroup;      /* --cgroup PATH */
	const char *sockmap;     /* --sockmap NAME: the map sk_msg/sk_skb programs attach to */
	const char *uprobe;      /* --uprobe BIN:SYM[+OFF]: overrides uprobe targets */
	int pid;                 /* -p PID, or -1: every process */
	unsigned freq;           /* --freq HZ for perf_event programs (default 49) */
	uint32_t xdp_flags;      /* XDP_FLAGS_SKB_MODE / DRV_MODE / HW_MODE, 0 = kernel's choice */
	bool tc_netlink;         /* force the clsact + cls_bpf path */
	bool probe_tracefs;      /* force kprobe/uprobe_events instead of the PMUs */
	const char *nf;          /* --nf FAMILY:HOOK[:PRIORITY][:defrag] for netfilter programs */
};

/* What the attacher needs to know about one loaded program. */
struct rb_attach_req {
	int prog_fd;
	const char *prog_name;
	const char *sec_name;
	enum rb_attach_kind kind;
	uint32_t prog_type;
	uint32_t expected_attach_type;
	const char *target;      /* the section's target: "sched/sched_switch", "/bin/bash:readline" */
};

enum rb_link_how {
	RB_LINK_BPF,          /* a bpf link fd: closing (or unpinning) detaches */
	RB_LINK_PERF,         /* a perf event fd carrying the program (PERF_EVENT_IOC_SET_BPF) */
	RB_LINK_PROG_ATTACH,  /* BPF_PROG_ATTACH: undone by BPF_PROG_DETACH */
	RB_LINK_SOCKET,       /* a packet socket with SO_ATTACH_BPF */
	RB_LINK_TC_NETLINK,   /* a cls_bpf filter (and maybe the clsact qdisc we added) */
	RB_LINK_STRUCT_OPS,   /* a registered struct_ops map (fd): undone by deleting its element */
};

struct rb_link {
	enum rb_link_how how;
	const char *kind;        /* "tracepoint", "xdp", ... for messages */
	char what[128];          /* "sched/sched_switch", "veth0 ingress" */
	const char *prog_name;
	int fd;                  /* link, perf event or socket fd; -1 when none */
	int perf_fd;             /* RB_LINK_BPF over a perf event: the event, closed too */
	/* RB_LINK_PROG_ATTACH */
	int prog_fd, target_fd;
	uint32_t attach_type;
	/* RB_LINK_TC_NETLINK */
	int ifindex;
	uint32_t tc_parent, tc_handle, tc_prio;
	bool tc_qdisc_ours;
	/* a tracefs probe to delete on detach: "kprobe_events" / "uprobe_events" */
	const char *probe_file;
	char probe_event[96];    /* "rawbpf_1234_p_do_unlinkat_0" */
	uint64_t packets;        /* RB_LINK_SOCKET: packets the filter accepted */
};

struct rb_attach {
	const struct rb_sys *sys;
	const struct rb_attach_opts *opts;
	FILE *notes;             /* one-time notes (tracefs mounted, fallbacks), may be NULL */
	struct rb_tracefs tracefs;
	bool tracefs_ready;
	bool stale_probes_cleaned;
	struct rb_link *links;
	size_t n_links, cap_links;
	unsigned probe_seq;      /* makes tracefs event names unique in this run */
	int usdt_specs_fd;       /* the object's rawbpf_usdt_specs map, -1 when none */
	uint32_t usdt_next_spec; /* next free slot in it */
	/* sk_msg / sk_skb programs attach to this sockmap or sockhash (-1: none;
	 * sockmap_maps says how many the object had to choose from) */
	int sockmap_fd;
	const char *sockmap_name;
	unsigned sockmap_maps;
};

/* What the dispatch table holds for a kind: its attacher. */
typedef int (*rb_attach_fn)(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);

/* opts may be NULL: every option at its default. */
void rb_attach_init(struct rb_attach *a, const struct rb_sys *sys,
		    const struct rb_attach_opts *opts, FILE *notes);
/* The object's rawbpf_usdt_specs map (usdt programs need it). */
void rb_attach_set_usdt_map(struct rb_attach *a, int map_fd);
/* The map sk_msg / sk_skb programs attach to: --sockmap NAME or the
 * object's only sockmap/sockhash (map_fd -1 when there is no single one;
 * n_maps: how many the object has, for the message). */
void rb_attach_set_sockmap(struct rb_attach *a, int map_fd, const char *name, unsigned n_maps);
/* Attaches one program by its kind.  RB_ATTACH_NONE and kinds that are
 * attached through maps return 0 and attach nothing (*attached = false). */
int rb_attach_prog(struct rb_attach *a, const struct rb_attach_req *req, bool *attached,
		   struct rb_err *err);
/* The attacher of a kind, or NULL. */
rb_attach_fn rb_attach_ops(enum rb_attach_kind kind);
/* Pins every bpf link under dir (created if needed) as <dir>/<prog>[_N] so
 * they outlive the process; other attachments cannot be kept and are named
 * in err.  Returns links pinned. */
int rb_attach_pin_links(struct rb_attach *a, const char *dir, struct rb_err *err);
/* Undoes everything, newest first.  Returns the number of failures (each
 * printed to notes). */
int rb_attach_detach_all(struct rb_attach *a);
/* Drains the packet sockets (socket filters) and counts what they received. */
void rb_attach_poll_sockets(struct rb_attach *a);
/* Removes rawbpf_* tracefs probes whose owner pid is gone (a killed run). */
int rb_attach_clean_stale_probes(struct rb_attach *a, struct rb_err *err);

/* ---- shared by the per-kind files ----------------------------------------- */

/* Appends a link record; returns it (zeroed except how/kind/fds = -1) or NULL. */
struct rb_link *rb_attach_add_link(struct rb_attach *a, enum rb_link_how how, const char *kind,
				   const struct rb_attach_req *req);
/* Records fd as one attachment (how, kind) whose `what` is printf-made;
 * when the record cannot be made it closes fd (if >= 0) and says so. */
int rb_attach_keep(struct rb_attach *a, const struct rb_attach_req *req, enum rb_link_how how,
		   const char *kind, int fd, struct rb_err *err, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));
/* BPF_PROG_ATTACH of the program to target_fd (flags: BPF_F_ALLOW_MULTI...),
 * recorded so that the exit undoes it with BPF_PROG_DETACH; the record
 * keeps dups of both fds (the loader closes its own).  A refusal says
 * "KIND WHAT: BPF_PROG_ATTACH failed" + hint (+ busy_hint on EBUSY). */
int rb_attach_prog_attach(struct rb_attach *a, const struct rb_attach_req *req, int target_fd,
			  uint32_t flags, const char *kind, const char *what, const char *hint,
			  const char *busy_hint, struct rb_err *err);
/* Mounts/finds tracefs once per run and prints its note once. */
int rb_attach_tracefs(struct rb_attach *a, struct rb_err *err);
/* Attaches prog to an open perf event: BPF_LINK_CREATE(BPF_PERF_EVENT)
 * (Linux >= 5.15) with PERF_EVENT_IOC_SET_BPF as fallback.  Takes ownership
 * of pfd (closed on failure too). */
int rb_attach_perf_event(struct rb_attach *a, const struct rb_attach_req *req, int pfd,
			 const char *kind, const char *what, struct rb_err *err);
/* Same, passing cookie to the program (bpf_get_attach_cookie, Linux >= 5.15;
 * a non-zero cookie refuses the SET_BPF fallback, which cannot carry it). */
int rb_attach_perf_event_cookie(struct rb_attach *a, const struct rb_attach_req *req, int pfd,
				uint64_t cookie, const char *kind, const char *what,
				struct rb_err *err);
/* Opens the perf event of tracepoint `id` (tracefs events/.../id) for pid
 * (-1: all, on CPU 0), one sample per hit: the fd or -errno. */
long rb_attach_open_tracepoint(struct rb_attach *a, uint64_t id, int pid, uint32_t wakeup_events);
/* A kprobe or uprobe: the PMU event when the kernel has the PMU (and
 * --probe-tracefs is not given), else a tracefs probe
 * "p|r:<pmu>s/rawbpf_..._<tag>_N <def>" in <pmu>_events, removed at
 * detach.  The program is attached with cookie (rb_attach_perf_event_cookie). */
struct rb_probe {
	const char *pmu;         /* "kprobe" / "uprobe" */
	const char *kind;        /* "kprobe", "kretprobe", "uprobe", "uretprobe" */
	const char *what;        /* for messages and the link */
	const char *tag;         /* in the tracefs event name */
	const char *def;         /* tracefs: what to probe ("do_unlinkat+0", "/bin/bash:0x1a2b") */
	const char *pmu_hint;    /* appended when the PMU refuses */
	bool ret;
	int pid;                 /* -1: every process */
	uint64_t config, config1, config2;  /* PMU: or'ed into config, then the two args */
	uint32_t wakeup_events;
	uint64_t cookie;
};
int rb_attach_probe(struct rb_attach *a, const struct rb_attach_req *req, const struct rb_probe *p,
		    struct rb_err *err);
/* Cuts "+OFF" (decimal or 0x hex) off a target at plus (NULL: none, *off 0);
 * "KIND target 'SPEC': bad offset after '+'" when it is no number. */
int rb_attach_cut_offset(char *plus, const char *kind, const char *spec, uint64_t *off,
			 struct rb_err *err);
/* Interface index of --iface, with a message when absent. */
int rb_attach_ifindex(const struct rb_attach *a, const struct rb_attach_req *req, int *ifindex,
		      struct rb_err *err);
/* Online CPUs into cpus[] (at most max); returns the count or -errno.
 * Also what loader/events opens its per-CPU perf buffers on. */
int rb_attach_online_cpus(int *cpus, int max);

/* Runs an iterator link: BPF_ITER_CREATE and copies what read() yields to
 * out.  Returns bytes copied or a negative code. */
long rb_attach_iter_read(struct rb_attach *a, const struct rb_link *l, FILE *out,
			 struct rb_err *err);

/* "__x64_" / "__arm64_": prefix of the host's syscall wrappers (arch.c). */
const char *rb_attach_syscall_prefix(void);

/* Per-kind entry points (one file each). */
int rb_attach_tracepoint(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_raw_tp(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
/* tp_btf, fentry, fexit, fmod_ret, lsm, freplace: a BPF trampoline link. */
int rb_attach_tracing(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_kprobe(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_kprobe_multi(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_uprobe(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_usdt(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_iter(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_perf_sampling(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_xdp(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_tc(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_socket(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
/* cgroup kinds, sockops and lsm_cgroup. */
int rb_attach_cgroup(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_netns(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_sockmap(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
/* Trampoline-based attachments (fentry..., lsm, lsm_cgroup) refused for
 * lack of kernel support (tracing.c): the test, and "; why" for a message. */
bool rb_attach_trampoline_refused(int neg_errno);
const char *rb_attach_trampoline_hint(int neg_errno);
int rb_attach_uprobe_multi(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_netfilter(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);
int rb_attach_netkit(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err);

/* ---- uprobe targets (uprobe.c), exposed for usdt.c and tests --------------- */

struct rb_uprobe_target {
	char path[512];          /* resolved binary or library path */
	char symbol[256];        /* "" when the target is a raw offset */
	uint64_t sym_off;        /* +OFF after the symbol */
	uint64_t file_offset;    /* what the uprobe PMU wants */
};

/* Parses "PATH:SYMBOL[+OFF]" or "PATH:0xADDR" and resolves PATH (a bare
 * library name through -p PID's maps or the standard library folders) and
 * SYMBOL to a file offset. */
int rb_uprobe_resolve(const char *spec, int pid, struct rb_uprobe_target *t, struct rb_err *err);
/* Copies PATH of "PATH:REST" (colon: the ':' ending PATH) into path; false
 * when PATH or REST is empty or PATH does not fit. */
bool rb_uprobe_cut_path(const char *spec, const char *colon, char *path, size_t cap);
/* Resolves a library name ("libc.so.6", "libc") to a path. */
int rb_uprobe_find_library(const char *name, int pid, char *out, size_t cap, struct rb_err *err);
/* Opens a uprobe (PMU or tracefs) at path+offset and attaches prog. */
/* ref_ctr_off: file offset of a USDT semaphore the kernel increments while
 * the probe exists (Linux >= 4.20), 0 for none. */
int rb_uprobe_attach_at(struct rb_attach *a, const struct rb_attach_req *req, const char *path,
			uint64_t offset, uint64_t ref_ctr_off, bool retprobe, uint64_t cookie,
			const char *what, struct rb_err *err);

/* Every defined function (STT_FUNC) of path whose name matches the glob,
 * as sorted unique file offsets (uprobe_multi.c).  *offsets is malloc'd;
 * *n may be 0. */
int rb_uprobe_match(const char *path, const char *pattern, uint64_t **offsets, size_t *n,
		    struct rb_err *err);

/* ---- struct_ops (struct_ops.c) ------------------------------------------- */

/* Creates the struct_ops map of st, fills its value (prog_fds[i] is the fd
 * of obj->progs[i], -1 when not loaded; btf_fd the object's BTF) and
 * registers it: a bpf link for .struct_ops.link, the map update alone
 * otherwise.  Recorded as one link of kind "struct_ops". */
int rb_attach_struct_ops(struct rb_attach *a, const struct rb_st_ops *st, const int *prog_fds,
			 size_t n_progs, int btf_fd, struct rb_err *err);

/* ---- netfilter hooks (netfilter.c), exposed for tests ----------------------- */

/* Laid out as link_create.netfilter (the kernel reads it verbatim). */
struct rb_nf_hook {
	uint32_t pf;             /* NFPROTO_IPV4 (2) / NFPROTO_IPV6 (10) */
	uint32_t hooknum;        /* enum nf_inet_hooks */
	int32_t priority;
	uint32_t flags;          /* BPF_F_NETFILTER_IP_DEFRAG */
};
/* Parses "FAMILY:HOOK[:PRIORITY][:defrag]" ("ipv4:local_in:-100"). */
int rb_nf_hook_parse(const char *spec, struct rb_nf_hook *h, struct rb_err *err);

/* ---- USDT (usdt.c), exposed for tests -------------------------------------- */

/* Must match struct rawbpf_usdt_spec in verifier-helpers/include/rawbpf/usdt.h. */
#define RB_USDT_MAX_ARGS 12
enum rb_usdt_arg_kind { RB_USDT_CONST = 0, RB_USDT_REG = 1, RB_USDT_REG_DEREF = 2 };
struct rb_usdt_arg {
	uint64_t val_off;        /* the constant, or the offset added to the register */
	uint32_t kind;           /* enum rb_usdt_arg_kind */
	int16_t reg_off;         /* byte offset of the register in struct pt_regs */
	uint8_t size;            /* 1, 2, 4 or 8 */
	uint8_t is_signed;
};
struct rb_usdt_spec {
	struct rb_usdt_arg args[RB_USDT_MAX_ARGS];
	uint16_t nr_args;
	uint16_t pad[3];
};
/* Parses a note's argument string in the host's syntax ("-4@%edi 8@-8(%rbp) 4@$5"
 * on x86-64, "-4@x0 8@[sp, 16] 4@5" on arm64). */
int rb_usdt_parse_args(const char *text, struct rb_usdt_spec *spec, struct rb_err *err);
/* The same for a given architecture (arch.h), so every syntax is testable anywhere. */
int rb_usdt_parse_args_arch(enum rb_arch arch, const char *text, struct rb_usdt_spec *spec,
			    struct rb_err *err);

struct rb_usdt_site {
	uint64_t file_offset;    /* of the probe's nop */
	uint64_t sema_offset;    /* file offset of the semaphore, 0 when none */
	struct rb_usdt_spec spec;
};
/* Every site of PROVIDER:NAME in path (.note.stapsdt).  *sites is malloc'd. */
int rb_usdt_find_sites(const char *path, const char *provider, const char *name,
		       struct rb_usdt_site **sites, size_t *n, struct rb_err *err);

/* ---- tc (tc.c) ----------------------------------------------------------- */

/* BPF_LINK_CREATE on a network device through the multi-program API that
 * tcx (Linux >= 6.6) and netkit (6.7) share, appending after the device's
 * programs: the link fd or -errno. */
int rb_attach_dev_link(struct rb_attach *a, const struct rb_attach_req *req, int ifindex,
		       uint32_t attach_type);

/* The netlink fallback, exposed for tests. */

int rb_tc_netlink_attach(struct rb_attach *a, const struct rb_attach_req *req, int ifindex,
			 bool egress, struct rb_err *err);
/* Deletes the filter (and the clsact qdisc when this run added it). */
int rb_tc_netlink_detach(struct rb_attach *a, const struct rb_link *l, struct rb_err *err);

#endif
