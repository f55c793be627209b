/* BPF object model: a clang-built relocatable BPF object taken apart into
 * programs, maps, global data and externs, with every program linked (its
 * subprograms appended) and relocated as far as possible without a kernel.
 *
 *     open -> collect -> relocate      (this module: rb_obj_open_*)
 *     [--set patches]                  (rb_obj_set_global)
 *     [externs, CO-RE]                 (elf/ CO-RE module: consumes obj->externs, prog->core_relo)
 *     create maps, fix fds, load       (loader/)
 *
 * What is left for the loader once kernel objects exist is listed per program
 * in `fixups` (write the map fd into insns[insn].imm) and per object in
 * `externs`.  Everything here is parsed from hostile bytes with every offset,
 * index and size checked; nothing touches the kernel.
 *
 * Both ELF byte orders are parsed (instructions and map definitions are
 * converted to host order; global-data images stay in file order, as the
 * program sees them).  `foreign_endian` tells the loader to refuse the object.
 *
 * Naming follows libbpf, so pins and `bpftool` output look the same:
 *   - object name: file basename cut at its first '.' ("execsnoop.bpf.o" ->
 *     "execsnoop");
 *   - program name: the function symbol;
 *   - internal (global-data) map name: libbpf's internal_map_name(): for a
 *     section with one dot (".data", ".rodata", ".bss", ".kconfig") the object
 *     name cut so that the whole fits in 15 chars, then the section name
 *     ("execsnoo.rodata"); a section with a second dot (".rodata.str1.1",
 *     ".data.custom") keeps its own name cut to 15 chars, without prefix.
 *     Characters other than [A-Za-z0-9_.] become '_'.  In pin paths the
 *     loader turns '.' into '_' ("execsnoo_rodata"), as bpftool does. */
#ifndef RAWBPF_ELF_OBJ_OBJECT_H
#define RAWBPF_ELF_OBJ_OBJECT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

#include "common/err.h"
#include "elf/btf.h"
#include "elf/btf_ext.h"
#include "elf/elf.h"

#define RB_OBJ_NAME_LEN 16            /* BPF_OBJ_NAME_LEN, NUL included */

/* libbpf's map pinning values (struct member `pinning`, legacy field 8). */
#define RB_PIN_NONE 0                 /* LIBBPF_PIN_NONE */
#define RB_PIN_BY_NAME 1              /* LIBBPF_PIN_BY_NAME: <pin-root>/<map name> */

/* ---- section-name table --------------------------------------------------------- */

/* How a program of a section is attached (for loader/attach). */
enum rb_attach_kind {
	RB_ATTACH_NONE,          /* nothing to attach: syscall, lwt_*, sk_skb, cgroup/skb... */
	RB_ATTACH_SOCKET,        /* socket filter: SO_ATTACH_BPF on a socket */
	RB_ATTACH_XDP,           /* netdev XDP (link or netlink) */
	RB_ATTACH_XDP_MAP,       /* xdp/devmap, xdp/cpumap: installed through map values */
	RB_ATTACH_TC,            /* tc/classifier/action: netlink clsact */
	RB_ATTACH_TCX,           /* tcx/ingress|egress (and libbpf's tc/ingress alias) */
	RB_ATTACH_NETKIT,        /* netkit/primary|peer */
	RB_ATTACH_TRACEPOINT,    /* tracepoint/CAT/NAME, tp/CAT/NAME: perf event */
	RB_ATTACH_RAW_TP,        /* raw_tracepoint/NAME, raw_tp/NAME (+ .w) */
	RB_ATTACH_TRACING,       /* tp_btf, fentry, fexit, fmod_ret: BTF target, link */
	RB_ATTACH_FREPLACE,      /* freplace/FUNC: needs a target program */
	RB_ATTACH_LSM,           /* lsm/HOOK, lsm.s/HOOK */
	RB_ATTACH_LSM_CGROUP,    /* lsm_cgroup/HOOK: cgroup link */
	RB_ATTACH_ITER,          /* iter/NAME: iterator link */
	RB_ATTACH_KPROBE,        /* kprobe/FN[+OFF] */
	RB_ATTACH_KRETPROBE,     /* kretprobe/FN */
	RB_ATTACH_KSYSCALL,      /* ksyscall/NAME: kprobe on the arch syscall wrapper */
	RB_ATTACH_KRETSYSCALL,
	RB_ATTACH_KPROBE_MULTI,  /* kprobe.multi/PATTERN */
	RB_ATTACH_KRETPROBE_MULTI,
	RB_ATTACH_KPROBE_SESSION,
	RB_ATTACH_UPROBE,        /* uprobe/PATH:SYM[+OFF] */
	RB_ATTACH_URETPROBE,
	RB_ATTACH_UPROBE_MULTI,  /* uprobe.multi/PATH:PATTERN */
	RB_ATTACH_URETPROBE_MULTI,
	RB_ATTACH_UPROBE_SESSION,
	RB_ATTACH_USDT,          /* usdt/PATH:PROVIDER:NAME */
	RB_ATTACH_PERF_EVENT,    /* perf_event: a perf event the user opens */
	RB_ATTACH_CGROUP,        /* cgroup_skb/..., cgroup/..., sockops: cgroup fd */
	RB_ATTACH_SOCKMAP,       /* sk_skb/..., sk_msg: sockmap/sockhash fd */
	RB_ATTACH_NETNS,         /* flow_dissector, sk_lookup: netns fd */
	RB_ATTACH_LIRC,          /* lirc_mode2: lirc device fd */
	RB_ATTACH_REUSEPORT,     /* sk_reuseport: SO_ATTACH_REUSEPORT_EBPF */
	RB_ATTACH_STRUCT_OPS,    /* struct_ops/NAME: through a struct_ops map */
	RB_ATTACH_NETFILTER,     /* netfilter: link with hook/pf/priority */
};

/* One row of the table.  Matching follows libbpf >= 1.0: a row with
 * `target == true` matches the exact name ("kprobe") or name + '/' + target
 * ("kprobe/do_unlinkat"); a row without matches the exact name only.  First
 * matching row wins (the table lists longer names first). */
struct rb_sec_def {
	/* Narrow: the table has ~100 rows (-Werror=overflow catches a value
	 * that does not fit).  The name is rb_sec_def_name(). */
	uint8_t prog_type;       /* enum bpf_prog_type */
	uint8_t attach_type;     /* expected_attach_type for BPF_PROG_LOAD (0 when none) */
	uint8_t attach;          /* enum rb_attach_kind */
	uint8_t prog_flags;      /* other BPF_PROG_LOAD flags (BPF_F_XDP_HAS_FRAGS) */
	bool target : 1;         /* "/TARGET" may follow the name */
	bool sleepable : 1;      /* BPF_F_SLEEPABLE (uprobe.s, fentry.s, lsm.s, iter.s, syscall...) */
	bool btf_target : 1;     /* target is a kernel BTF name resolved at load (attach_btf_id) */
	uint8_t prefix : 3;      /* the start its name shares with others (sec_defs.c) */
};

/* Looks a section name up ("?" prefix for non-autoloaded programs must be
 * stripped by the caller).  Returns the row, or NULL for an unknown name.
 * *target (may be NULL) gets what follows "name/" ("sched/sched_process_exec"),
 * or "" when nothing follows.  Also used for `--type NAME` overrides. */
const struct rb_sec_def *rb_sec_lookup(const char *sec_name, const char **target);
/* The whole table (for help texts and tests). */
const struct rb_sec_def *rb_sec_defs(size_t *count);
/* A row's section name ("kprobe", "cgroup/connect4") written into out;
 * def is a row of the table.  Returns out. */
#define RB_SEC_NAME_MAX 32
const char *rb_sec_def_name(const struct rb_sec_def *def, char out[RB_SEC_NAME_MAX]);

/* ---- maps ------------------------------------------------------------------------ */

enum rb_map_kind {
	RB_MAP_LEGACY,           /* SEC("maps") struct bpf_map_def record */
	RB_MAP_BTF,              /* SEC(".maps") BTF-defined */
	RB_MAP_DATA,             /* global data: .data*, .rodata*, .bss* */
	RB_MAP_KCONFIG,          /* .kconfig, added by the extern resolver (not by open) */
	RB_MAP_INNER,            /* map-in-map inner template (rb_map.inner only) */
};

enum rb_slot_kind { RB_SLOT_PROG, RB_SLOT_MAP };

/* One `.values` initialiser: after creating the map, the loader writes the fd
 * of program/map `target` at key `slot`. */
struct rb_map_slot {
	uint32_t slot;
	enum rb_slot_kind kind;
	uint32_t target;         /* index into obj->progs or obj->maps */
};

struct rb_map {
	/* Name as libbpf gives it: the variable name for legacy/BTF maps (may be
	 * longer than 15: the loader cuts it for the kernel, pins use it whole),
	 * the internal name for global data ("execsnoo.rodata"). */
	char *name;
	/* For RB_MAP_DATA: the ELF section / BTF DATASEC name (".rodata"). */
	char *sec_name;
	enum rb_map_kind kind;

	uint32_t type;           /* BPF_MAP_TYPE_* */
	uint32_t key_size, value_size;
	/* As the object has them; sizes left 0 stay 0 here: the loader's sizing
	 * policy (--map-size, defaults; loader/load/load.h) decides at creation. */
	uint32_t max_entries;
	uint32_t map_flags;      /* BPF_F_*; .rodata* maps have BPF_F_RDONLY_PROG.  The
				  * loader may add BPF_F_MMAPABLE to data maps (libbpf does). */
	uint32_t numa_node;      /* meaningful with BPF_F_NUMA_NODE */
	uint64_t map_extra;      /* bloom filter hashes, arena address... */
	uint32_t pinning;        /* RB_PIN_NONE / RB_PIN_BY_NAME */
	/* A ring buffer the loader turned into a perf event array on a kernel
	 * without ring buffers (loader/load/output.c): sized per CPU, not by
	 * --map-size. */
	bool was_ringbuf;

	/* BTF ids in obj->btf, 0 when unknown: BTF maps with `__type(key/value, T)`;
	 * data maps get key 0 and value = their DATASEC (as libbpf). */
	uint32_t btf_key_type_id, btf_value_type_id;
	uint32_t btf_var_id;     /* BTF maps: the VAR; data maps: the DATASEC (0 if none) */

	/* ARRAY_OF_MAPS / HASH_OF_MAPS: the inner map definition (owned,
	 * kind RB_MAP_INNER, name "<outer>.inner"); NULL otherwise. */
	struct rb_map *inner;

	struct rb_map_slot *slots; /* `.values` initialisers, sorted by slot */
	size_t n_slots;

	/* RB_MAP_DATA: the initial value (value_size bytes; zeroes for .bss);
	 * rb_obj_set_global patches it.  The loader writes it at key 0 and, for
	 * read-only maps, then freezes the map (BPF_MAP_FREEZE). */
	uint8_t *data;
	bool readonly;           /* .rodata*: BPF_F_RDONLY_PROG + freeze after writing */

	uint32_t sec_index;      /* ELF section of the definition / data */
	uint64_t sec_off;        /* offset of the definition in it (0 for data maps) */
};

/* ---- programs -------------------------------------------------------------------- */

enum rb_fixup_kind {
	RB_FIXUP_MAP_FD,         /* ld_imm64 src=BPF_PSEUDO_MAP_FD: imm = map fd */
	RB_FIXUP_MAP_VALUE,      /* ld_imm64 src=BPF_PSEUDO_MAP_VALUE: imm = map fd,
				  * insns[insn+1].imm = off (already written) */
};

/* What the loader does once map `map` exists: insns[insn].imm = its fd.  The
 * src_reg and the second half of the ld_imm64 are already set. */
struct rb_fixup {
	uint32_t insn;           /* index of the ld_imm64 in prog->insns */
	enum rb_fixup_kind kind;
	uint32_t map;            /* index into obj->maps */
	uint32_t off;            /* MAP_VALUE: byte offset into the value */
};

struct rb_prog {
	char *name;              /* the function symbol */
	char *sec_name;          /* the ELF section, without libbpf's '?' prefix */
	const struct rb_sec_def *def; /* the section-table row (never NULL) */
	uint32_t prog_type;      /* from def; a `--type` override may change it */
	uint32_t expected_attach_type;
	uint32_t prog_flags;     /* BPF_F_SLEEPABLE, BPF_F_XDP_HAS_FRAGS */
	const char *attach_target; /* points into sec_name: "do_unlinkat",
				    * "sched/sched_process_exec", "/bin/bash:readline";
				    * "" when the section names none */
	bool sleepable;
	bool autoload;           /* false for SEC("?name") */

	/* Linked code: the program's function, then every subprogram it calls
	 * (transitively) appended once, depth first as libbpf does, calls
	 * re-based.  Host byte order. */
	struct bpf_insn *insns;
	size_t insn_cnt;
	size_t main_cnt;         /* instructions of the program's own function */

	struct rb_fixup *fixups;
	size_t n_fixups;

	/* From .BTF.ext, rewritten for the linked program (one func_info per
	 * function, first at 0).  func_info and line_info insn_off are
	 * INSTRUCTION indexes (what BPF_PROG_LOAD wants); core_relo insn_off is
	 * in BYTES (the kernel's struct bpf_core_relo convention).  Empty when the
	 * object has no .BTF.ext. */
	struct bpf_func_info *func_info;
	size_t n_func_info;
	struct bpf_line_info *line_info;
	size_t n_line_info;
	struct bpf_core_relo *core_relo;
	size_t n_core_relo;

	uint32_t sec_index;      /* ELF section of the function */
	uint64_t sec_off;        /* its byte offset in that section */
};

/* ---- externs (resolved by the CO-RE/extern module, not here) ----------------------- */

enum rb_extern_kind {
	RB_EXTERN_KCONFIG,       /* in DATASEC ".kconfig" (`__kconfig`) */
	RB_EXTERN_KSYM,          /* in DATASEC ".ksyms" (`__ksym`) */
};

/* One instruction referencing an extern, in a linked program. */
struct rb_extern_ref {
	uint32_t prog;           /* index into obj->progs */
	uint32_t insn;           /* index into that program's insns */
	bool is_call;            /* call (kfunc: BPF_PSEUDO_KFUNC_CALL) vs ld_imm64 */
	int32_t addend;          /* ld_imm64: the imm clang left (offset into the var) */
};

/* An undefined symbol of the object.  The resolver turns each ref into:
 *   kconfig var ld_imm64 -> MAP_VALUE fixup into the ".kconfig" map it adds;
 *   ksym var ld_imm64    -> BPF_PSEUDO_BTF_ID (or the address for typeless);
 *   ksym func call       -> BPF_PSEUDO_KFUNC_CALL with the kernel BTF id.
 * Until then the instructions are left as clang wrote them. */
struct rb_extern {
	char *name;
	enum rb_extern_kind kind;
	bool is_func;            /* BTF FUNC (kfunc) rather than VAR */
	bool is_weak;            /* STB_WEAK: may stay unresolved (value 0) */
	uint32_t btf_id;         /* the VAR or FUNC in obj->btf */
	uint32_t btf_type_id;    /* VAR: its type; FUNC: its FUNC_PROTO */
	uint32_t sym_index;      /* in .symtab */
	struct rb_extern_ref *refs;
	size_t n_refs;
};

/* ---- the object -------------------------------------------------------------------- */

/* ---- struct_ops (variables in SEC(".struct_ops") / SEC(".struct_ops.link")) ------- */

/* A function-pointer member set to a program: `.ssthresh = (void *)my_ssthresh`. */
struct rb_st_ops_func {
	uint32_t member;         /* member index in the object's struct type */
	uint32_t prog;           /* index into obj->progs */
};

/* How the loader builds one piece of the kernel's map value (filled by the
 * resolve phase, loader/externs, from kernel BTF). */
struct rb_st_ops_field {
	uint32_t value_off;      /* byte offset in the kernel's bpf_struct_ops_<type> value */
	uint32_t size;
	int32_t prog;            /* >= 0: write that program's fd (u64); -1: copy bytes */
	uint32_t data_off;       /* copy from st_ops->data + data_off */
};

/* One struct_ops variable: a kernel struct of callbacks (tcp_congestion_ops)
 * whose function members are programs of SEC("struct_ops/..."). */
struct rb_st_ops {
	char *name;              /* the variable: "rawbpf_cc" */
	char *type_name;         /* its struct: "tcp_congestion_ops" */
	uint32_t type_id;        /* that struct in obj->btf */
	bool link;               /* .struct_ops.link: registered through a bpf link */
	uint8_t *data;           /* the variable as initialised (size bytes) */
	uint32_t size;
	struct rb_st_ops_func *funcs;
	size_t n_funcs;
	/* Kernel side, set by the resolve phase: the value type
	 * bpf_struct_ops_<type> in vmlinux, its size, and its pieces. */
	uint32_t kern_value_type_id;
	uint32_t kern_value_size;
	struct rb_st_ops_field *fields;
	size_t n_fields;
};

struct rb_obj {
	char name[RB_OBJ_NAME_LEN];  /* "execsnoop" from ".../execsnoop.bpf.o" */
	char *path;              /* as given to open (label for messages) */
	char *license;           /* SEC("license"), "" when absent */
	uint32_t kern_version;   /* SEC("version"), 0 when absent */
	bool has_kern_version;
	bool big_endian;         /* the ELF's byte order */
	bool foreign_endian;     /* not the host's: the loader must refuse */

	struct rb_elf elf;       /* kept open: sections and symbols stay readable */
	struct rb_btf *btf;      /* NULL when the object has no .BTF */
	struct rb_btf_ext *btf_ext; /* NULL when it has no .BTF.ext */

	struct rb_prog *progs;
	size_t n_progs;
	/* Legacy maps, then BTF maps (DATASEC order), then data maps (ELF order). */
	struct rb_map *maps;
	size_t n_maps;
	struct rb_extern *externs;
	size_t n_externs;
	struct rb_st_ops *st_ops;    /* struct_ops variables (ELF order) */
	size_t n_st_ops;

	/* For the CLI to print ("prog.o: section 'foo/bar' is not a known program
	 * type; skipped (2 functions)"). */
	char **warnings;
	size_t n_warnings;

	void *file_data;         /* owned copy of the file bytes elf points into */
};

/* Opens, collects and relocates.  name/path labels messages and gives the
 * object name.  Returns 0 or a negative RB_E* (-RB_EINPUT for malformed
 * objects, -RB_ESYS for I/O or memory) with err filled; *out is NULL then. */
int rb_obj_open_file(struct rb_obj **out, const char *path, struct rb_err *err);
/* Same on bytes in memory (copied). */
int rb_obj_open_mem(struct rb_obj **out, const void *data, size_t size, const char *name,
		    struct rb_err *err);
void rb_obj_free(struct rb_obj *obj);

/* `--set NAME=VALUE`: patches the initial image of the data map holding global
 * variable NAME (found through the BTF DATASECs).  The type comes from BTF:
 * integers of any size (decimal, 0x hex, negative; range and signedness
 * checked), bool (true/false/1/0), enums (enumerator name or number), char
 * arrays (a string that fits with its NUL).  -RB_EUSAGE with a message naming
 * the variable, its type and the reason; -RB_EINPUT when the object lacks BTF. */
int rb_obj_set_global(struct rb_obj *obj, const char *name, const char *value,
		      struct rb_err *err);

/* Lookups by name; NULL when absent. */
struct rb_prog *rb_obj_find_prog(const struct rb_obj *obj, const char *name);
struct rb_map *rb_obj_find_map(const struct rb_obj *obj, const char *name);
/* Index of a map by pointer (maps[] may move when rb_obj_add_map grows it). */
size_t rb_obj_map_index(const struct rb_obj *obj, const struct rb_map *map);

/* For the BTF fixup before BPF_BTF_LOAD (clang leaves DATASEC sizes and VAR
 * offsets 0): the size of ELF section `sec_name` and the offset of symbol
 * `sym_name` defined in it.  Return 1 found, 0 not found. */
int rb_obj_sec_size(const struct rb_obj *obj, const char *sec_name, uint64_t *size);
int rb_obj_sym_offset(const struct rb_obj *obj, const char *sec_name, const char *sym_name,
		      uint64_t *off);

/* For the extern resolver: appends a zeroed map (returns it, NULL when out of
 * memory; pointers to maps[] are invalidated) and a fixup to a program. */
struct rb_map *rb_obj_add_map(struct rb_obj *obj);
int rb_prog_add_fixup(struct rb_prog *prog, const struct rb_fixup *fixup);
/* `--type NAME`: gives prog the type, expected attach type and flags of the
 * table row NAME names (a section name: "xdp", "kprobe", "cgroup/connect4",
 * "tracepoint/sched/x" ...).  attach_target stays what the ELF section gave
 * (it points into sec_name).  -RB_EUSAGE for an unknown NAME. */
int rb_prog_set_type(struct rb_prog *prog, const char *name, struct rb_err *err);
/* Adds a warning (printf-style); silently dropped when out of memory. */
void rb_obj_warn(struct rb_obj *obj, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
