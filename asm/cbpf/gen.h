/* Code generation for pcap-filter(7): the parser calls these while it reads
 * the expression, as libpcap's grammar actions do, so that link-layer state
 * changed by `vlan`, `mpls` and `pppoes` applies to everything parsed after
 * it (libpcap's documented offset semantics).
 *
 * A condition (struct rb_cond) is a sub-graph of blocks with one entry and
 * two lists of dangling exits, taken when it is true or false; and/or/not
 * wire those lists (libpcap's backpatch/merge without its pointer tricks). */
#ifndef RAWBPF_ASM_CBPF_GEN_H
#define RAWBPF_ASM_CBPF_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "asm/cbpf/cbpf.h"
#include "asm/cbpf/ir.h"
#include "asm/cbpf/lex.h"
#include "common/err.h"

/* Three ints, so that it travels in registers.  The exit lists are
 * unordered (patching one sets each edge's own successor), so joining two
 * walks only the one joined in, which is the right operand's and short in
 * the left-associative chains the parser builds. */
struct rb_cond {
	int entry;
	int t_head, f_head;   /* edge lists in rb_gen.edges, -1 = empty */
};

enum rb_dir { D_DEFAULT, D_SRC, D_DST, D_OR, D_AND };
enum rb_addr { A_DEFAULT, A_HOST, A_NET, A_PORT, A_PORTRANGE, A_PROTO, A_PROTOCHAIN, A_GATEWAY };

struct rb_qual {
	uint8_t proto;   /* enum rb_pname */
	uint8_t dir;     /* enum rb_dir */
	uint8_t addr;    /* enum rb_addr */
};

enum rb_arop { AR_NUM, AR_LEN, AR_LOAD, AR_NEG, AR_ADD, AR_SUB, AR_MUL, AR_DIV, AR_MOD,
	       AR_AND, AR_OR, AR_XOR, AR_LSH, AR_RSH };

struct rb_arth {
	uint8_t op;      /* enum rb_arop */
	uint8_t proto;   /* AR_LOAD: enum rb_pname */
	uint8_t size;    /* AR_LOAD: 1, 2 or 4 */
	int l, r;        /* operand nodes; AR_LOAD index is l */
	uint32_t k;      /* AR_NUM */
	uint32_t lead;   /* AR_NUM: the first constant as written (before folding),
			  * what libpcap's divide/shift checks look at */
	uint32_t pos;    /* for error carets */
	/* Link-layer offsets in force where an AR_LOAD was parsed. */
	uint32_t base_link, base_nl;
	struct rb_cond check;  /* protocol test an AR_LOAD needs */
	bool has_check;
};

/* An offset with RB_OFF_VAR set is relative to the scratch slot in bits
 * 24..27 (after `geneve` the inner headers start at a packet-dependent
 * place); the low 24 bits are the constant part. */
#define RB_OFF_VAR 0x80000000u
#define RB_OFF_REG(off) (((off) >> 24) & 0xf)
#define RB_OFF_CONST(off) ((off) & 0xffffff)

struct rb_edge {
	int block;
	bool on_true;
	int next;
};

/* Link-layer state (libpcap's off_linktype/off_linkpl/off_nl). */
struct rb_link {
	int dlt;               /* current link type: changes to PPP after pppoes */
	uint32_t off_linkhdr;  /* start of the link header */
	uint32_t off_linktype; /* the type field */
	uint32_t off_linkpl;   /* link payload */
	uint32_t off_nl;       /* network header, from link payload (MPLS labels) */
	int mpls_depth;
	bool geneve;           /* offsets are RB_OFF_VAR: relative to scratch slots */
	int regs_used;         /* scratch slots taken from the top by geneve */
};

struct rb_gen {
	struct rb_ir *ir;
	struct rb_edge *edges;
	int nedges, cap_edges;
	struct rb_arth *ar;
	int nar, cap_ar;
	struct rb_link link;
	const struct rb_cbpf_opts *opts;
	struct rb_err *err;
	int *err_pos;
	int scratch_depth;
	/* libpcap does not optimize programs with protochain or geneve, so it
	 * never calls those "rejects all packets". */
	bool libpcap_unoptimized;
};

/* A statement of a fixed sequence (a listing in a table): its k is the
 * small constant `k` plus the sequence's variable number `var` (variable 0
 * is always 0). */
struct rb_gen_stmt {
	uint16_t code;
	uint8_t var, k;
};

/* gen.c: graph plumbing, link layer, protocols */
/* Appends the n statements of seq to block b, with vars[] the values of
 * their variables. */
void rb_gen_emit_seq(struct rb_gen *g, int b, const struct rb_gen_stmt *seq, size_t n,
		     const uint32_t *vars);
int rb_gen_fail(struct rb_gen *g, size_t pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* rb_gen_fail at token t, whose text fills the one "%.*s" of fmt. */
int rb_gen_fail_tok(struct rb_gen *g, const struct rb_token *t, const char *fmt);
struct rb_cond rb_gen_leaf(struct rb_gen *g, int block);
void rb_gen_and(struct rb_gen *g, struct rb_cond *a, struct rb_cond b);
void rb_gen_or(struct rb_gen *g, struct rb_cond *a, struct rb_cond b);
void rb_gen_not(struct rb_cond *a);
struct rb_cond rb_gen_const(struct rb_gen *g, bool value);
/* `ld{b,h,} [off]; [and #mask;] jcode #v` (mask 0xffffffff = none). */
struct rb_cond rb_gen_cmp(struct rb_gen *g, uint32_t off, int size, uint16_t jop, uint32_t v,
			  uint32_t mask);
/* `ld{b,h,} [off]; jeq #v` */
struct rb_cond rb_gen_eq(struct rb_gen *g, uint32_t off, int size, uint32_t v);
/* *c and (or) `ld [off] == v`; *c and `(ld [off] & mask) == v`: the
 * commonest steps of a test, one call each. */
void rb_gen_and_eq(struct rb_gen *g, struct rb_cond *c, uint32_t off, int size, uint32_t v);
void rb_gen_or_eq(struct rb_gen *g, struct rb_cond *c, uint32_t off, int size, uint32_t v);
void rb_gen_and_masked(struct rb_gen *g, struct rb_cond *c, uint32_t off, int size, uint32_t v,
		       uint32_t mask);
struct rb_cond rb_gen_jset(struct rb_gen *g, uint32_t off, int size, uint32_t bits);
int rb_gen_linktype(struct rb_gen *g, uint32_t ll_proto, size_t pos, struct rb_cond *out);
/* The link type for network protocol et and the byte at off in the network
 * header equal to v (`ip proto 6`: ET_IP, 9, 6). */
int rb_gen_nl_byte(struct rb_gen *g, uint32_t et, uint32_t off, uint32_t v, size_t pos,
		   struct rb_cond *out);
int rb_gen_proto_abbrev(struct rb_gen *g, int proto, size_t pos, struct rb_cond *out);
int rb_gen_proto(struct rb_gen *g, uint32_t v, int proto, size_t pos, struct rb_cond *out);
int rb_gen_protochain(struct rb_gen *g, uint32_t v, int proto, size_t pos, struct rb_cond *out);
struct rb_cond rb_gen_ipfrag(struct rb_gen *g);
/* Not an IPv4 fragment, leaving in X where the transport header starts
 * minus RB_OFF_CONST(network offset): the IHL, plus the inner network
 * header's start after geneve. */
struct rb_cond rb_gen_not_frag_ihl(struct rb_gen *g);
/* Appends "X = start of the IPv4 transport header - RB_OFF_CONST(nl)". */
void rb_gen_emit_ihl(struct rb_gen *g, int block, uint32_t nl);
int rb_gen_finish(struct rb_gen *g, struct rb_cond *c);
/* BPF_B, BPF_H or BPF_W for a load of 1, 2 or 4 bytes. */
uint16_t rb_gen_size_code(int size);
/* Ends test block b, whose statements loaded the value tested: `and #mask`
 * unless mask is 0xffffffff, then its exits. */
struct rb_cond rb_gen_masked_leaf(struct rb_gen *g, int b, uint32_t mask);
/* Appends the load of `size` bytes at off (constant or RB_OFF_VAR). */
void rb_gen_emit_load(struct rb_gen *g, int block, uint32_t off, int size);

/* gen_link.c: vlan, mpls, pppoe, llc, geneve, broadcast, multicast, len */
int rb_gen_vlan(struct rb_gen *g, bool has_id, uint32_t id, size_t pos, struct rb_cond *out);
int rb_gen_mpls(struct rb_gen *g, bool has_label, uint32_t label, size_t pos, struct rb_cond *out);
int rb_gen_pppoed(struct rb_gen *g, size_t pos, struct rb_cond *out);
int rb_gen_pppoes(struct rb_gen *g, bool has_id, uint32_t id, size_t pos, struct rb_cond *out);
int rb_gen_geneve(struct rb_gen *g, bool has_vni, uint32_t vni, size_t pos, struct rb_cond *out);
int rb_gen_llc(struct rb_gen *g, const struct rb_token *kind, size_t pos, struct rb_cond *out);
int rb_gen_broadcast(struct rb_gen *g, int proto, size_t pos, struct rb_cond *out);
int rb_gen_multicast(struct rb_gen *g, int proto, size_t pos, struct rb_cond *out);
struct rb_cond rb_gen_len(struct rb_gen *g, uint16_t jop, uint32_t n);

/* gen_addr.c: an identifier after host/net/port/proto qualifiers */
int rb_gen_id(struct rb_gen *g, struct rb_qual q, const struct rb_token *id,
	      const struct rb_token *mask, bool has_len, uint32_t len, struct rb_cond *out);

/* gen_arith.c: packet accessors and relations */
int rb_gen_arth_new(struct rb_gen *g, const struct rb_arth *node);
int rb_gen_load(struct rb_gen *g, int proto, int index, int size, size_t pos);
int rb_gen_binop(struct rb_gen *g, int op, int l, int r, size_t pos);
int rb_gen_relation(struct rb_gen *g, uint16_t jop, bool negate, int l, int r, size_t pos,
		    struct rb_cond *out);

#endif
