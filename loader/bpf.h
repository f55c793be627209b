/* Typed wrappers over the bpf(2) commands rawbpf uses.
 *
 * Each wrapper fills a zeroed union bpf_attr and calls rb_sys_bpf (so tests
 * replace the kernel and --trace-syscalls sees every call).  They return the
 * kernel's result (fd, id, 0) or -errno, and never print or set rb_err: the
 * caller knows what the call was for and writes the message.
 *
 * Fields newer than Debian's 6.1 UAPI headers (log_true_size, link_create
 * members for tcx/uprobe_multi/netkit) are written at their ABI offsets. */
#ifndef RAWBPF_LOADER_BPF_H
#define RAWBPF_LOADER_BPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "loader/sys.h"

/* The kernel keeps at most 15 characters of a map or program name (BPF_OBJ_NAME_LEN - 1). */
#define RB_BPF_NAME_MAX 15

/* Copies name into out (16 bytes) the way the kernel accepts it: truncated to
 * 15 characters, every character other than [A-Za-z0-9_.] turned into '_'. */
void rb_bpf_name_sanitize(char out[BPF_OBJ_NAME_LEN], const char *name);

/* ---- maps --------------------------------------------------------------- */

struct rb_map_create_opts {
	uint32_t type;            /* enum bpf_map_type */
	const char *name;         /* may be NULL; sanitized and truncated to 15 chars */
	uint32_t key_size, value_size, max_entries, map_flags;
	int inner_map_fd;         /* map-in-map template; 0 = none */
	uint32_t numa_node;       /* used when map_flags has BPF_F_NUMA_NODE */
	uint32_t map_ifindex;
	int btf_fd;               /* 0 = no BTF */
	uint32_t btf_key_type_id, btf_value_type_id, btf_vmlinux_value_type_id;
	uint64_t map_extra;       /* bloom filter hashes, arena address; Linux >= 5.16 */
};

int rb_bpf_map_create(const struct rb_sys *sys, const struct rb_map_create_opts *o);
int rb_bpf_map_lookup(const struct rb_sys *sys, int fd, const void *key, void *value,
		      uint64_t flags);
int rb_bpf_map_update(const struct rb_sys *sys, int fd, const void *key, const void *value,
		      uint64_t flags);
int rb_bpf_map_delete(const struct rb_sys *sys, int fd, const void *key);
int rb_bpf_map_lookup_and_delete(const struct rb_sys *sys, int fd, const void *key,
				 void *value);
/* key NULL: the first key.  -ENOENT after the last. */
int rb_bpf_map_get_next_key(const struct rb_sys *sys, int fd, const void *key, void *next_key);
/* BPF_MAP_FREEZE: user space can no longer write the map; Linux >= 5.2. */
int rb_bpf_map_freeze(const struct rb_sys *sys, int fd);

/* ---- programs ----------------------------------------------------------- */

struct rb_prog_load_opts {
	uint32_t prog_type;       /* enum bpf_prog_type */
	uint32_t expected_attach_type;
	const struct bpf_insn *insns;
	uint32_t insn_cnt;
	const char *license;
	uint32_t kern_version;
	uint32_t prog_flags;      /* BPF_F_SLEEPABLE, ... */
	const char *name;         /* sanitized and truncated to 15 chars */
	uint32_t prog_ifindex;
	int prog_btf_fd;          /* 0 = none */
	const void *func_info;    /* records of func_info_rec_size bytes */
	uint32_t func_info_rec_size, func_info_cnt;
	const void *line_info;
	uint32_t line_info_rec_size, line_info_cnt;
	uint32_t attach_btf_id;   /* fentry/tp_btf/lsm/iter target in vmlinux or attach_btf_obj_fd */
	int attach_prog_fd;       /* freplace target program, or 0 */
	int attach_btf_obj_fd;    /* module BTF holding attach_btf_id, or 0 (vmlinux) */
	const int *fd_array;
	/* Verifier log.  log_level 0 = no log. */
	char *log_buf;
	uint32_t log_size, log_level;
	/* out: the size the whole log needs (Linux >= 6.4), 0 when the kernel is older */
	uint32_t log_true_size;
};

/* Returns the program fd or -errno; fills o->log_true_size. */
int rb_bpf_prog_load(const struct rb_sys *sys, struct rb_prog_load_opts *o);

struct rb_prog_test_run_opts {
	int prog_fd;
	const void *data_in;
	uint32_t data_size_in;
	void *data_out;           /* may be NULL */
	uint32_t data_size_out;   /* in: buffer size; out: bytes the program produced */
	const void *ctx_in;
	uint32_t ctx_size_in;
	void *ctx_out;
	uint32_t ctx_size_out;    /* in/out like data_size_out */
	uint32_t repeat, flags, cpu, batch_size;
	uint32_t retval;          /* out */
	uint32_t duration;        /* out: ns per run */
};

int rb_bpf_prog_test_run(const struct rb_sys *sys, struct rb_prog_test_run_opts *o);

/* ---- pinning, ids, info --------------------------------------------------- */

int rb_bpf_obj_pin(const struct rb_sys *sys, int fd, const char *path);
/* file_flags: 0, BPF_F_RDONLY or BPF_F_WRONLY. */
int rb_bpf_obj_get(const struct rb_sys *sys, const char *path, uint32_t file_flags);
/* info: struct bpf_prog_info / bpf_map_info / bpf_btf_info / bpf_link_info.
 * *info_len in: buffer size; out: what the kernel filled. */
int rb_bpf_obj_get_info(const struct rb_sys *sys, int fd, void *info, uint32_t *info_len);

/* cmd: BPF_PROG_GET_NEXT_ID, BPF_MAP_GET_NEXT_ID, BPF_BTF_GET_NEXT_ID, BPF_LINK_GET_NEXT_ID.
 * -ENOENT after the last id. */
int rb_bpf_get_next_id(const struct rb_sys *sys, int cmd, uint32_t start_id, uint32_t *next_id);
int rb_bpf_prog_get_next_id(const struct rb_sys *sys, uint32_t start_id, uint32_t *next_id);
int rb_bpf_map_get_next_id(const struct rb_sys *sys, uint32_t start_id, uint32_t *next_id);
int rb_bpf_btf_get_next_id(const struct rb_sys *sys, uint32_t start_id, uint32_t *next_id);
int rb_bpf_link_get_next_id(const struct rb_sys *sys, uint32_t start_id, uint32_t *next_id);

/* cmd: BPF_PROG_GET_FD_BY_ID, BPF_MAP_GET_FD_BY_ID, BPF_BTF_GET_FD_BY_ID, BPF_LINK_GET_FD_BY_ID. */
int rb_bpf_fd_by_id(const struct rb_sys *sys, int cmd, uint32_t id);
int rb_bpf_prog_fd_by_id(const struct rb_sys *sys, uint32_t id);
int rb_bpf_map_fd_by_id(const struct rb_sys *sys, uint32_t id);
int rb_bpf_btf_fd_by_id(const struct rb_sys *sys, uint32_t id);
int rb_bpf_link_fd_by_id(const struct rb_sys *sys, uint32_t id);

/* ---- BTF ------------------------------------------------------------------ */

struct rb_btf_load_opts {
	const void *data;
	uint32_t size;
	char *log_buf;            /* NULL / log_level 0: no log */
	uint32_t log_size, log_level;
	uint32_t log_true_size;   /* out, Linux >= 6.4 */
};

int rb_bpf_btf_load(const struct rb_sys *sys, struct rb_btf_load_opts *o);

/* ---- links ---------------------------------------------------------------- */

struct rb_link_create_opts {
	int prog_fd;
	int target_fd;            /* or target ifindex */
	uint32_t attach_type;     /* enum bpf_attach_type */
	uint32_t flags;
	/* The attach-type specific union that follows `flags` in attr.link_create
	 * (offset 16): e.g. tracing {target_btf_id, cookie}, perf_event {bpf_cookie},
	 * iter {iter_info, iter_info_len}, kprobe_multi, tcx {relative_fd,
	 * expected_revision} (Linux >= 6.6), uprobe_multi (Linux >= 6.6).
	 * Copied verbatim; at most sizeof(union bpf_attr) - 16 bytes. */
	const void *tail;
	uint32_t tail_size;
};

int rb_bpf_link_create(const struct rb_sys *sys, const struct rb_link_create_opts *o);
/* BPF_LINK_DETACH: Linux >= 5.9. */
int rb_bpf_link_detach(const struct rb_sys *sys, int link_fd);
/* BPF_LINK_UPDATE: replace the program of a link; old_prog_fd 0 = unconditional. */
int rb_bpf_link_update(const struct rb_sys *sys, int link_fd, int new_prog_fd, int old_prog_fd,
		       uint32_t flags);

/* ---- legacy attach -------------------------------------------------------- */

int rb_bpf_prog_attach(const struct rb_sys *sys, int prog_fd, int target_fd,
		       uint32_t attach_type, uint32_t flags);
int rb_bpf_prog_detach(const struct rb_sys *sys, int prog_fd, int target_fd,
		       uint32_t attach_type);

/* BPF_RAW_TRACEPOINT_OPEN (raw_tp by name, or tp_btf/fentry/... when name is NULL). */
int rb_bpf_raw_tracepoint_open(const struct rb_sys *sys, const char *name, int prog_fd);

/* BPF_ENABLE_STATS (BPF_STATS_RUN_TIME); Linux >= 5.8.  Returns an fd. */
int rb_bpf_enable_stats(const struct rb_sys *sys, uint32_t type);

/* BPF_ITER_CREATE: an fd to read() an iterator link's output. */
int rb_bpf_iter_create(const struct rb_sys *sys, int link_fd);

/* The name of bpf(2) command cmd without its "BPF_" ("PROG_LOAD" for
 * BPF_PROG_LOAD), or NULL if unknown. */
const char *rb_bpf_cmd_known_name(unsigned long cmd);

#endif
