/* Inspection of the kernel's BPF objects (programs, maps, links): finding
 * them (by id, pin, name, tag), fetching their info through
 * BPF_OBJ_GET_INFO_BY_FD, parsing keys and values given on the command line,
 * and rendering everything as bpftool does (text tables for people, JSON
 * with bpftool's keys for scripts).  Used by `rawbpf prog|map|link`.
 *
 * Every kernel call goes through loader/bpf.h (so --trace-syscalls shows
 * them).  Functions return 0 / an fd / a count, or a negative RB_E* code with
 * err filled: "no program with id 5", "/sys/fs/bpf/x is a map, not a
 * program", "key is 3 bytes, map 'counts' has 4-byte keys". */
#ifndef RAWBPF_LOADER_INSPECT_INSPECT_H
#define RAWBPF_LOADER_INSPECT_INSPECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/bpf.h>

#include "common/buf.h"
#include "common/err.h"
#include "common/json.h"
#include "loader/sys.h"

/* -RB_ESYS with "out of memory": the one message for a failed allocation. */
int rb_inspect_oom(struct rb_err *err);

/* --- naming objects ------------------------------------------------------------ */

enum rb_obj_kind { RB_OBJ_PROG, RB_OBJ_MAP, RB_OBJ_LINK, RB_OBJ_BTF };

/* "program", "map", "link", "BTF object" for messages. */
const char *rb_obj_kind_word(enum rb_obj_kind kind);

/* In the order of the words id, pinned, name, tag (rb_obj_ref_parse). */
enum rb_ref_by { RB_REF_ID, RB_REF_PINNED, RB_REF_NAME, RB_REF_TAG };

/* How the command line names an object: `id 5`, `pinned /sys/fs/bpf/x`,
 * `name counts`, `tag 0dabf6a7843815f5` (programs only). */
struct rb_obj_ref {
	enum rb_ref_by by;
	const char *arg;
	uint32_t id;                  /* RB_REF_ID */
	uint8_t tag[BPF_TAG_SIZE];    /* RB_REF_TAG */
};

/* Parses argv[*i] and argv[*i + 1] into ref and advances *i past them.
 * A bare number is taken as an id.  Returns 0 or -RB_EUSAGE. */
int rb_obj_ref_parse(struct rb_obj_ref *ref, enum rb_obj_kind kind, int argc, char **argv,
		     int *i, struct rb_err *err);

/* 0 and *next, -ENOENT after the last id, another -errno on failure. */
int rb_obj_next_id(const struct rb_sys *sys, enum rb_obj_kind kind, uint32_t id, uint32_t *next);
/* An fd for the object with this id, or -errno (no message). */
int rb_obj_try_fd_by_id(const struct rb_sys *sys, enum rb_obj_kind kind, uint32_t id);
/* An fd for the object with this id; the message names the id. */
int rb_obj_fd_by_id(const struct rb_sys *sys, enum rb_obj_kind kind, uint32_t id,
		    struct rb_err *err);
/* Which kind a BPF fd is (from /proc/self/fd): 0 and *kind, -RB_EUSAGE for
 * no BPF object, -RB_ESYS when /proc cannot tell. */
int rb_obj_fd_kind(int fd, enum rb_obj_kind *kind);
/* The same for the fd that the /proc link fd_path names ("/proc/PID/fd/N"). */
int rb_obj_fd_path_kind(const char *fd_path, enum rb_obj_kind *kind);

/* Opens every object ref names (a name may match several), at most max;
 * returns how many fds were stored (>= 1) or a negative code ("no map named
 * 'x'").  The caller closes them. */
int rb_obj_open_all(const struct rb_sys *sys, enum rb_obj_kind kind, const struct rb_obj_ref *ref,
		    int *fds, size_t max, struct rb_err *err);
/* Exactly one object: an error when a name matches several.  Returns the fd. */
int rb_obj_open_one(const struct rb_sys *sys, enum rb_obj_kind kind, const struct rb_obj_ref *ref,
		    struct rb_err *err);

/* --- object info ----------------------------------------------------------------- */

#define RB_INSPECT_MAX_MAP_IDS 64

/* Which processes hold which BPF objects (bpftool's "pids"), from
 * /proc/PID/fd and fdinfo.  Processes that vanish or deny access are
 * skipped; rawbpf itself is left out. */
struct rb_pid_ref {
	uint32_t id;
	int pid;
	uint8_t kind;             /* enum rb_obj_kind */
	char comm[16];
};

struct rb_pid_index {
	struct rb_pid_ref *refs;
	size_t n, cap;
};

void rb_pid_index_build(struct rb_pid_index *ix);
void rb_pid_index_free(struct rb_pid_index *ix);

struct rb_prog_desc {
	struct bpf_prog_info info;
	uint32_t map_ids[RB_INSPECT_MAX_MAP_IDS];
	uint32_t nr_map_ids;          /* how many of map_ids are filled */
	/* the function's whole name from BTF when the kernel cut it to 15 (as bpftool) */
	char full_name[128];
	uint64_t memlock;             /* from /proc/self/fdinfo */
	bool has_memlock;
	int64_t loaded_at;            /* wall clock seconds (load_time is since boot) */
	const struct rb_pid_index *pids; /* NULL: not shown */
};

struct rb_map_desc {
	struct bpf_map_info info;
	uint64_t memlock;
	bool has_memlock;
	bool frozen;
	/* prog arrays: the type and JIT state the first program fixed (fdinfo) */
	bool has_owner;
	uint32_t owner_prog_type;
	bool owner_jited;
	const struct rb_pid_index *pids;
};

/* struct bpf_link_info as the running kernel fills it: kept as bytes because
 * most link types are newer than the build headers; fields are read at their
 * ABI offsets by the renderers. */
struct rb_link_desc {
	uint32_t type, id, prog_id;
	unsigned char raw[256];
	uint32_t raw_len;
	char str[256];                /* tp_name / iter target / uprobe path / perf name */
	const struct rb_pid_index *pids;
};

int rb_prog_describe(const struct rb_sys *sys, int fd, struct rb_prog_desc *d, struct rb_err *err);
int rb_map_describe(const struct rb_sys *sys, int fd, struct rb_map_desc *d, struct rb_err *err);
int rb_link_describe(const struct rb_sys *sys, int fd, struct rb_link_desc *d, struct rb_err *err);

/* Fetches and parses the kernel's BTF object btf_id (standalone, or split on
 * vmlinux, which is then returned in *base).  0, or -errno / -RB_E* with
 * *btf NULL.  The caller frees both. */
struct rb_btf;
int rb_btf_get_by_id(const struct rb_sys *sys, uint32_t btf_id, struct rb_btf **btf,
		     struct rb_btf **base);
/* A BTF object's info through BPF_OBJ_GET_INFO_BY_FD, with its name when
 * name is not NULL and, when data is not NULL, its bytes (a second call, once
 * the size is known).  0, or -errno (-ENOMEM also for a size of 0 or over
 * 256 MiB). */
int rb_btf_info_read(const struct rb_sys *sys, int fd, struct bpf_btf_info *info, char *name,
		     uint32_t name_len, struct rb_buf *data);

/* Reads "NAME:\t<number>" from an fdinfo file ("/proc/PID/fdinfo/FD"); 0
 * and *v, or -1. */
int rb_fdinfo_read(const char *path, const char *name, uint64_t *v);
/* The same from /proc/self/fdinfo/FD. */
int rb_fdinfo_u64(int fd, const char *name, uint64_t *v);

/* Possible CPUs (/sys/devices/system/cpu/possible): the count per-CPU map
 * values hold.  Parses lists like "0-3,8-11".  Returns >= 1 or -RB_ESYS. */
int rb_possible_cpus(struct rb_err *err);
int rb_parse_cpu_list(const char *text, struct rb_err *err);

/* Per-CPU maps hold one value per possible CPU, each rounded up to 8 bytes. */
bool rb_map_type_is_percpu(uint32_t type);
/* Maps whose values user space reads as ids of other objects. */
bool rb_map_type_holds_ids(uint32_t type);
/* Maps without keys to walk (ring buffers, queues, bloom filters, ...). */
bool rb_map_type_walkable(uint32_t type);

/* --- rendering ------------------------------------------------------------------- */

/* One object as bpftool shows it: text to out when j is NULL, else JSON to j
 * (one walk over the fields prints either form). */
void rb_prog_print(FILE *out, struct rb_json *j, const struct rb_prog_desc *d);
void rb_map_print(FILE *out, struct rb_json *j, const struct rb_map_desc *d);
void rb_link_print(FILE *out, struct rb_json *j, const struct rb_link_desc *d);

/* "01 00 00 00" */
void rb_print_hex_bytes(FILE *out, const uint8_t *p, size_t n);
/* The same appended to b, sep between the bytes ("" gives "01000000"). */
void rb_hex_append(struct rb_buf *b, const void *p, size_t n, const char *sep);
/* ["0x01","0x00",...] as bpftool writes keys and values */
void rb_json_hex_bytes(struct rb_json *j, const uint8_t *p, size_t n);

/* --- list / show ---------------------------------------------------------------- */

struct rb_show_out {
	FILE *out;
	bool json, pretty;
	const struct rb_pid_index *pids; /* set by rb_inspect_show */
};

/* `prog|map|link list` (ref NULL: every object) and `show REF`: text, or
 * JSON shaped like bpftool's (an array for list and for several matches,
 * one object for one).  Objects that vanish meanwhile are skipped. */
int rb_inspect_show(const struct rb_sys *sys, enum rb_obj_kind kind, const struct rb_obj_ref *ref,
		    const struct rb_show_out *o, struct rb_err *err);

/* --- prog run (BPF_PROG_TEST_RUN) ------------------------------------------------- */

struct rb_test_run {
	struct rb_buf data_in, ctx_in;   /* empty: not passed */
	uint32_t data_size_out;          /* 0: data_in's size + 256 (room for growth) */
	uint32_t ctx_size_out;           /* 0: no ctx_out (raw_tp refuses one) */
	uint32_t repeat;                 /* 0/1: once */
	int32_t cpu;                     /* -1: any; else BPF_F_TEST_RUN_ON_CPU (raw_tp programs) */
};

/* Runs the program once (or repeat times) and prints retval, duration (ns
 * per run) and the output data/context: text, or JSON
 * {"retval":N,"duration":N,"data_size_out":N,"data_out":"hex","ctx_out":"hex"}. */
int rb_prog_test_run_print(const struct rb_sys *sys, int prog_fd, const struct rb_test_run *t,
			   const struct rb_show_out *o, struct rb_err *err);

/* --- map contents ----------------------------------------------------------------- */

struct rb_btf;

/* One opened map, ready for reading and writing its elements. */
struct rb_map_view {
	int fd;
	struct rb_map_desc desc;
	char name[BPF_OBJ_NAME_LEN + 1];
	uint32_t ncpus;           /* values per element: possible CPUs for per-CPU maps, else 1 */
	uint32_t slot;            /* bytes per CPU: value_size rounded up to 8 for per-CPU maps */
	size_t value_len;         /* bytes a lookup fills: slot * ncpus */
	struct rb_btf *btf;       /* the map's BTF (NULL: keys and values print as hex) */
	struct rb_btf *vmlinux;   /* base of a split map BTF, else NULL */
};

/* Takes ownership of fd (closed by rb_map_view_close).  Loads the map's
 * BTF when it has one; a BTF that cannot be read falls back to hex. */
int rb_map_view_open(const struct rb_sys *sys, int fd, struct rb_map_view *v, struct rb_err *err);
void rb_map_view_close(const struct rb_sys *sys, struct rb_map_view *v);

/* Reads a key (or, value true, a value) for this map from argv[*i..]: the
 * byte forms of rb_parse_bytes; for prog arrays / map-in-map values
 * `id ID | pinned PATH | name NAME` of the program or map to store, as an
 * fd (fd_out, the caller closes it).  Checks the size against the map. */
int rb_map_parse_operand(const struct rb_sys *sys, const struct rb_map_view *v, bool value,
			 int argc, char **argv, int *i, struct rb_buf *out, int *fd_out,
			 struct rb_err *err);

/* `map dump`: every element, by BTF when the map has it; text ends with
 * "Found N elements"; JSON is bpftool's [{"key":[...],"value":[...],
 * "formatted":{...}}] (per-CPU maps: "values":[{"cpu":N,"value":[...]}]). */
int rb_map_dump(const struct rb_sys *sys, const struct rb_map_view *v, const struct rb_show_out *o,
		struct rb_err *err);
int rb_map_lookup_print(const struct rb_sys *sys, const struct rb_map_view *v, const void *key,
			const struct rb_show_out *o, struct rb_err *err);
/* value holds one value; per-CPU maps get it on every CPU. */
int rb_map_update(const struct rb_sys *sys, const struct rb_map_view *v, const void *key,
		  const void *value, uint64_t flags, struct rb_err *err);
int rb_map_delete(const struct rb_sys *sys, const struct rb_map_view *v, const void *key,
		  struct rb_err *err);
/* Queues and stacks (no keys): show (peek) or take (pop) the head element. */
int rb_map_peek_print(const struct rb_sys *sys, const struct rb_map_view *v, bool pop,
		      const struct rb_show_out *o, struct rb_err *err);
/* The message for a failed element operation (errno e) on this map:
 * "map 'counts': no such key", "map 'x' is frozen: ...". */
int rb_map_elem_error(const struct rb_map_view *v, int e, const char *op, struct rb_err *err);
/* key NULL: the first key. */
int rb_map_getnext_print(const struct rb_sys *sys, const struct rb_map_view *v, const void *key,
			 const struct rb_show_out *o, struct rb_err *err);

/* --- feature probing -------------------------------------------------------------- */

/* `rawbpf feature`: system configuration, then every program and map type
 * the running kernel accepts, found by loading/creating a minimal one.
 * JSON keys as bpftool's: {"system_config":{...},"program_types":
 * {"have_xdp_prog_type":true,...},"map_types":{"have_hash_map_type":true,...}}. */
int rb_feature_probe(const struct rb_sys *sys, const struct rb_show_out *o, struct rb_err *err);
/* The same probe for one map type: 1 the kernel creates one, 0 it refuses,
 * -1 not probed (types that need BTF to exist at all). */
int rb_feature_map_type(const struct rb_sys *sys, uint32_t type);

/* --- keys and values from the command line --------------------------------------- */

/* The words that end a key or value on the command line. */
bool rb_bytes_is_stop_word(const char *word);

/* Parses the words argv[*i..] (up to a stop word or the end) as bytes,
 * advancing *i.  Accepted forms (what names the operand in messages):
 *   0x01 2 0x03 4        one byte per word, C notation (like bpftool)
 *   hex 01 02 0304       hex digits, any grouping
 *   [1, "0x02", 3, 4]    a JSON array of byte values (bpftool's output form)
 *   42 / -1 / 0x10000    a single number when size is 2, 4 or 8: an integer
 *                        of that size in host byte order
 * Returns the number of bytes appended to out, or -RB_EUSAGE. */
int rb_parse_bytes(int argc, char **argv, int *i, size_t size, const char *what,
		   struct rb_buf *out, struct rb_err *err);

/* Encodes JSON text as a value of BTF type type_id into out[0..size)
 * (size must be the type's size): objects for structs/unions by member
 * name, enumerator names, strings for char arrays, arrays, numbers, bools.
 * Returns 0 or -RB_EUSAGE naming what did not fit. */
int rb_btf_encode_json(const struct rb_btf *btf, uint32_t type_id, const char *text, uint8_t *out,
		       size_t size, const char *what, struct rb_err *err);

/* Reads FILE (for @FILE operands) or parses the hex string of one word
 * ("0a0b0c" or "0a 0b 0c"). */
int rb_parse_data_arg(const char *arg, struct rb_buf *out, struct rb_err *err);

#endif
