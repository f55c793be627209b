/* Packet accessors proto[expr:size], arithmetic, relations and protochain;
 * see gen.h.  Arithmetic is kept as a small tree until the relation is
 * complete, so constants fold and the code needs few scratch slots. */
#include "asm/cbpf/gen.h"
#include "asm/cbpf/interp.h"

#include <linux/filter.h>
#include <stdlib.h>

#include "common/buf.h"

/* Extension headers walked before giving up (libpcap loops until a load
 * fails; the kernel refuses loops): IPv6 chains rarely exceed four
 * headers, IPv4 can only stack AH. */
#define PROTOCHAIN_V6_HEADERS 4
#define PROTOCHAIN_V4_HEADERS 2

int rb_gen_arth_new(struct rb_gen *g, const struct rb_arth *node)
{
	if (g->nar == g->cap_ar) {
		int cap = g->cap_ar ? g->cap_ar * 2 : 32;
		struct rb_arth *na = realloc(g->ar, (size_t)cap * sizeof(*na));
		if (!na) {
			g->ir->oom = true;
			return rb_errf(g->err, RB_ESYS, "filter compiler: out of memory");
		}
		g->ar = na;
		g->cap_ar = cap;
	}
	g->ar[g->nar] = *node;
	return g->nar++;
}

static bool is_transport(int proto)
{
	switch (proto) {
	case P_TCP: case P_UDP: case P_SCTP: case P_ICMP: case P_IGMP: case P_IGRP:
	case P_PIM: case P_VRRP: case P_CARP:
		return true;
	default:
		return false;
	}
}

static bool is_network(int proto)
{
	switch (proto) {
	case P_IP: case P_ARP: case P_RARP: case P_ATALK: case P_DECNET: case P_SCA:
	case P_LAT: case P_MOPRC: case P_MOPDL: case P_IP6:
		return true;
	default:
		return false;
	}
}

/* The test a load needs: network protocols check their link type; IPv4
 * transports check ip, the protocol and "not a fragment" (libpcap). */
static int load_check(struct rb_gen *g, int proto, size_t pos, struct rb_cond *out)
{
	int r;
	if (is_network(proto))
		return rb_gen_proto_abbrev(g, proto, pos, out);
	if (proto == P_ICMP6)
		return rb_gen_nl_byte(g, 0x86dd, 6, 58, pos, out);
	struct rb_cond p, f = rb_gen_ipfrag(g);
	if ((r = rb_gen_linktype(g, 0x0800, pos, out)) < 0 ||
	    (r = rb_gen_proto_abbrev(g, proto, pos, &p)) < 0)
		return r;
	rb_gen_and(g, &p, f);
	rb_gen_and(g, out, p);
	return 0;
}

int rb_gen_load(struct rb_gen *g, int proto, int index, int size, size_t pos)
{
	if (size != 1 && size != 2 && size != 4)
		return rb_gen_fail(g, pos, "data size must be 1, 2, or 4");
	if (g->link.geneve && proto == P_LINK)
		return rb_gen_fail(g, pos, "link-layer accessors after 'geneve' are not supported");
	struct rb_arth n = {.op = AR_LOAD, .proto = (uint8_t)proto, .size = (uint8_t)size,
			    .l = index, .r = -1, .pos = (uint32_t)pos};
	n.base_link = g->link.off_linkhdr;
	n.base_nl = g->link.off_linkpl + g->link.off_nl;
	if (proto == P_ICMP6)
		n.base_nl += 40;
	if (proto != P_LINK) {
		if (!is_network(proto) && !is_transport(proto) && proto != P_ICMP6)
			return rb_gen_fail(g, pos, "unsupported index operation: this protocol has "
					   "no accessor");
		int r = load_check(g, proto, pos, &n.check);
		if (r < 0)
			return r;
		n.has_check = true;
	}
	return rb_gen_arth_new(g, &n);
}

/* libpcap looks at the first instruction of the right operand: a constant
 * there (even an accessor's index) is judged as the divisor or shift. */
static bool leading_const(const struct rb_gen *g, int i, uint32_t *k)
{
	const struct rb_arth *n = &g->ar[i];
	while (n->op != AR_NUM && n->op != AR_LEN)
		n = &g->ar[n->l];
	*k = n->lead;
	return n->op == AR_NUM;
}

static const uint16_t alu_ops[] = {
	[AR_ADD] = BPF_ADD, [AR_SUB] = BPF_SUB, [AR_MUL] = BPF_MUL, [AR_DIV] = BPF_DIV,
	[AR_MOD] = BPF_MOD, [AR_AND] = BPF_AND, [AR_OR] = BPF_OR, [AR_XOR] = BPF_XOR,
	[AR_LSH] = BPF_LSH, [AR_RSH] = BPF_RSH,
};

int rb_gen_binop(struct rb_gen *g, int op, int l, int r, size_t pos)
{
	uint32_t lead;
	bool is_const = op != AR_NEG && leading_const(g, r, &lead);
	if ((op == AR_DIV || op == AR_MOD) && is_const && lead == 0)
		return rb_gen_fail(g, pos, op == AR_DIV ? "division by zero" : "modulus by zero");
	if ((op == AR_LSH || op == AR_RSH) && is_const && lead > 31)
		return rb_gen_fail(g, pos, "shift by more than 31 bits");
	if (op == AR_NEG) {
		if (g->ar[l].op == AR_NUM) {
			struct rb_arth n = {.op = AR_NUM, .k = -g->ar[l].k, .lead = g->ar[l].lead,
					    .l = -1, .r = -1};
			return rb_gen_arth_new(g, &n);
		}
		return rb_gen_arth_new(g, &(struct rb_arth){.op = AR_NEG, .l = l, .r = -1});
	}
	/* Constants fold, except a zero divisor that is not written as 0
	 * (`a % (1 - 1)`: no error for libpcap's parser, the division happens,
	 * and rejects, at run time) and shifts by 32 or more (the machine's
	 * shift decides at run time, as in libpcap's interpreter): rb_cbpf_alu
	 * folds neither. */
	struct rb_arth n = {.op = AR_NUM, .l = -1, .r = -1, .lead = g->ar[l].lead};
	if (g->ar[l].op == AR_NUM && g->ar[r].op == AR_NUM &&
	    rb_cbpf_alu(alu_ops[op], g->ar[l].k, g->ar[r].k, &n.k))
		return rb_gen_arth_new(g, &n);
	return rb_gen_arth_new(g, &(struct rb_arth){.op = (uint8_t)op, .l = l, .r = r,
						    .pos = (uint32_t)pos});
}

/* ------------------------------------------------------------ emission */

static bool writes_x(const struct rb_gen *g, int i)
{
	const struct rb_arth *n = &g->ar[i];
	switch (n->op) {
	case AR_NUM: case AR_LEN:
		return false;
	case AR_LOAD:
		return is_transport(n->proto) || g->ar[n->l].op != AR_NUM;
	case AR_NEG:
		return writes_x(g, n->l);
	default:
		return g->ar[n->r].op != AR_NUM || writes_x(g, n->l);
	}
}

static int eval(struct rb_gen *g, int b, int i);

static int scratch_push(struct rb_gen *g, size_t pos)
{
	if (g->scratch_depth >= 16 - g->link.regs_used)
		return rb_gen_fail(g, pos, "expression too complex: more than %d nested "
				   "intermediate values", 16 - g->link.regs_used);
	return g->scratch_depth++;
}

/* Constant index: one load, relative to X where the base is not fixed. */
static void load_const_index(struct rb_gen *g, int b, const struct rb_arth *n, uint32_t base,
			     uint32_t idx)
{
	uint16_t sz = rb_gen_size_code(n->size);
	if (is_transport(n->proto)) {
		rb_gen_emit_ihl(g, b, n->base_nl);
		rb_ir_stmt(g->ir, b, BPF_LD | BPF_IND | sz, RB_OFF_CONST(base) + idx);
	} else if (base & RB_OFF_VAR) {
		rb_ir_stmt(g->ir, b, BPF_LDX | BPF_MEM, RB_OFF_REG(base));
		rb_ir_stmt(g->ir, b, BPF_LD | BPF_IND | sz, RB_OFF_CONST(base) + idx);
	} else if (base + idx >= 0x80000000u) {
		/* Linux reads absolute offsets from -4096 up as ancillary
		 * data; through X such an offset just fails, as in libpcap. */
		rb_ir_stmt(g->ir, b, BPF_LDX | BPF_IMM, base + idx);
		rb_ir_stmt(g->ir, b, BPF_LD | BPF_IND | sz, 0);
	} else
		rb_ir_stmt(g->ir, b, BPF_LD | BPF_ABS | sz, base + idx);
}

static int eval_load(struct rb_gen *g, int b, const struct rb_arth *n)
{
	const struct rb_arth *idx = &g->ar[n->l];
	uint32_t base = n->proto == P_LINK ? n->base_link : n->base_nl;
	uint16_t sz = rb_gen_size_code(n->size);
	if (idx->op == AR_NUM) {
		load_const_index(g, b, n, base, idx->k);
		return 0;
	}
	int r = eval(g, b, n->l);
	if (r < 0)
		return r;
	if (is_transport(n->proto)) {
		int s = scratch_push(g, n->pos);
		if (s < 0)
			return s;
		rb_ir_stmt(g->ir, b, BPF_ST, (uint32_t)s);
		rb_gen_emit_ihl(g, b, n->base_nl);
		rb_ir_stmt(g->ir, b, BPF_LD | BPF_MEM, (uint32_t)s);
		rb_ir_stmt(g->ir, b, BPF_ALU | BPF_ADD | BPF_X, 0);
		g->scratch_depth--;
	} else if (base & RB_OFF_VAR) {
		rb_ir_stmt(g->ir, b, BPF_LDX | BPF_MEM, RB_OFF_REG(base));
		rb_ir_stmt(g->ir, b, BPF_ALU | BPF_ADD | BPF_X, 0);
	}
	rb_ir_stmt(g->ir, b, BPF_MISC | BPF_TAX, 0);
	rb_ir_stmt(g->ir, b, BPF_LD | BPF_IND | sz, RB_OFF_CONST(base));
	return 0;
}

/* Leaves the right operand in X and the left one in A. */
static int eval_pair(struct rb_gen *g, int b, int l, int rr, size_t pos)
{
	int r = eval(g, b, rr);
	if (r < 0)
		return r;
	if (!writes_x(g, l)) {
		rb_ir_stmt(g->ir, b, BPF_MISC | BPF_TAX, 0);
		return eval(g, b, l);
	}
	int s = scratch_push(g, pos);
	if (s < 0)
		return s;
	rb_ir_stmt(g->ir, b, BPF_ST, (uint32_t)s);
	if ((r = eval(g, b, l)) < 0)
		return r;
	rb_ir_stmt(g->ir, b, BPF_LDX | BPF_MEM, (uint32_t)s);
	g->scratch_depth--;
	return 0;
}

static int eval(struct rb_gen *g, int b, int i)
{
	const struct rb_arth *n = &g->ar[i];
	uint32_t k;
	int r;
	switch (n->op) {
	case AR_NUM:
		rb_ir_stmt(g->ir, b, BPF_LD | BPF_IMM, n->k);
		return 0;
	case AR_LEN:
		rb_ir_stmt(g->ir, b, BPF_LD | BPF_W | BPF_LEN, 0);
		return 0;
	case AR_LOAD:
		return eval_load(g, b, n);
	case AR_NEG:
		if ((r = eval(g, b, n->l)) == 0)
			rb_ir_stmt(g->ir, b, BPF_ALU | BPF_NEG, 0);
		return r;
	default:
		/* A constant divisor or shift amount the K form can hold (not
		 * 0, not past 31: what rb_cbpf_alu refuses). */
		if (g->ar[n->r].op == AR_NUM && rb_cbpf_alu(alu_ops[n->op], 0, g->ar[n->r].k, &k)) {
			if ((r = eval(g, b, n->l)) == 0)
				rb_ir_stmt(g->ir, b, BPF_ALU | alu_ops[n->op] | BPF_K, g->ar[n->r].k);
			return r;
		}
		if ((r = eval_pair(g, b, n->l, n->r, n->pos)) == 0)
			rb_ir_stmt(g->ir, b, BPF_ALU | alu_ops[n->op] | BPF_X, 0);
		return r;
	}
}

/* ANDs the protocol checks of the loads in the tree, in source order.
 * libpcap's gen_arth keeps only its left operand's checks (those of the
 * right operand are dropped), so `ip[0] + tcp[0]` tests only for ip; the
 * same here, for identical verdicts. */
static void collect_checks(struct rb_gen *g, int i, struct rb_cond *acc, bool *have)
{
	struct rb_arth *n = &g->ar[i];
	if (n->l >= 0 && n->op != AR_NUM && n->op != AR_LEN)
		collect_checks(g, n->l, acc, have);
	if (n->op == AR_LOAD && n->has_check) {
		if (*have)
			rb_gen_and(g, acc, n->check);
		else
			*acc = n->check;
		*have = true;
		n->has_check = false;
	}
}

int rb_gen_relation(struct rb_gen *g, uint16_t jop, bool negate, int l, int r, size_t pos,
		    struct rb_cond *out)
{
	struct rb_cond checks;
	bool have = false;
	collect_checks(g, l, &checks, &have);
	collect_checks(g, r, &checks, &have);
	struct rb_cond c;
	if (g->ar[l].op == AR_NUM && g->ar[r].op == AR_NUM) {
		c = rb_gen_const(g, rb_cbpf_cond(jop, g->ar[l].k, g->ar[r].k));
	} else {
		int b, e;
		if (g->ar[r].op == AR_NUM) {
			b = rb_ir_block(g->ir, BPF_JMP | jop | BPF_K, g->ar[r].k);
			e = eval(g, b, l);
		} else {
			b = rb_ir_block(g->ir, BPF_JMP | jop | BPF_X, 0);
			e = eval_pair(g, b, l, r, pos);
		}
		if (e < 0)
			return e;
		c = rb_gen_leaf(g, b);
	}
	if (negate)
		rb_gen_not(&c);
	if (have) {
		rb_gen_and(g, &checks, c);
		c = checks;
	}
	*out = c;
	return 0;
}

/* ---------------------------------------------------------- protochain */

/* Blocks of one walk step share these exits. */
struct chain {
	uint32_t proto, nl;
	int found, fail;   /* blocks to reach: accept, reject */
	int last;          /* "A == proto": accept, else reject */
};

static int test_block(struct rb_gen *g, uint32_t v)
{
	return rb_ir_block(g->ir, BPF_JMP | BPF_JEQ | BPF_K, v);
}

/* Moves to the next header: A = its type, X = its offset from nl.  The
 * extension-header and AH steps compute the new X differently (AH: libpcap
 * sets X to (length + 2) * 4, not X plus that; kept for identical
 * verdicts) and share the tail that stores it and loads the next type. */
static int step_tail(struct rb_gen *g, const struct chain *c, int next)
{
	enum { NL = 1 };
	static const struct rb_gen_stmt tail[] = {
		{BPF_ALU | BPF_ADD | BPF_K, 0, 8}, {BPF_ST, 0, 0},
		{BPF_LD | BPF_IND | BPF_B, NL, 0}, {BPF_LDX | BPF_MEM, 0, 0},
	};
	int b = rb_ir_block(g->ir, BPF_JMP | BPF_JA, 0);
	rb_gen_emit_seq(g, b, tail, RB_ARRAY_SIZE(tail), (const uint32_t[]){0, c->nl});
	if (b >= 0)
		g->ir->b[b].jt = g->ir->b[b].jf = next;
	return b;
}

static int step_head(struct rb_gen *g, const struct chain *c, bool ah, int tail)
{
	int b = rb_ir_block(g->ir, BPF_JMP | BPF_JA, 0);
	/* (len + 1) * 8 + X and (len + 2) * 4 both end in "+ 8", which the
	 * shared tail adds. */
	rb_ir_stmt(g->ir, b, BPF_LD | BPF_IND | BPF_B, c->nl + 1);
	rb_ir_stmt(g->ir, b, BPF_ALU | BPF_LSH | BPF_K, ah ? 2 : 3);
	if (!ah)
		rb_ir_stmt(g->ir, b, BPF_ALU | BPF_ADD | BPF_X, 0);
	if (b >= 0)
		g->ir->b[b].jt = g->ir->b[b].jf = tail;
	return b;
}

static void link_test(struct rb_gen *g, int b, int jt, int jf)
{
	if (b >= 0) {
		g->ir->b[b].jt = jt;
		g->ir->b[b].jf = jf;
	}
}

/* One step of the walk: A holds a header type, X its offset.  Built from the
 * last step backwards so each step can jump forward to the next.  libpcap
 * tests "A == proto" first in every step; rawbpf steps over the header
 * types other than proto and leaves the walk at the first other type into
 * the one shared test of A against proto: the same verdicts, one test less
 * per step. */
static int chain_step(struct rb_gen *g, const struct chain *c, bool v6, int next)
{
	static const uint32_t ext[] = {0, 60, 43, 44};
	int miss = c->last;
	if (c->proto != 51) {
		int ah = test_block(g, 51);
		int tail = step_tail(g, c, next);
		link_test(g, ah, step_head(g, c, true, tail), miss);
		miss = ah;
	}
	if (!v6)
		return miss;
	int tail = step_tail(g, c, next);
	int ext_blk = step_head(g, c, false, tail);
	for (int i = 3; i >= 0; i--) {
		if (ext[i] == c->proto)
			continue;
		int t = test_block(g, ext[i]);
		link_test(g, t, ext_blk, miss);
		miss = t;
	}
	return miss;
}

static int protochain_family(struct rb_gen *g, uint32_t v, bool v6, size_t pos,
			     struct rb_cond *out)
{
	int r = rb_gen_linktype(g, v6 ? 0x86dd : 0x0800, pos, out);
	if (r < 0)
		return r;
	struct chain c = {v, g->link.off_linkpl + g->link.off_nl, -1, -1, -1};
	struct rb_cond res = rb_gen_const(g, true);
	/* res's block is the accept exit; a constant-true test that the
	 * optimizer folds, giving the walk its true and false exits. */
	c.found = res.entry;
	struct rb_cond no = rb_gen_const(g, false);
	c.fail = no.entry;
	c.last = test_block(g, v);
	link_test(g, c.last, c.found, c.fail);
	int step = c.last;
	for (int i = 0; i < (v6 ? PROTOCHAIN_V6_HEADERS : PROTOCHAIN_V4_HEADERS); i++)
		step = chain_step(g, &c, v6, step);
	int start = rb_ir_block(g->ir, BPF_JMP | BPF_JA, 0);
	rb_ir_stmt(g->ir, start, BPF_LD | BPF_ABS | BPF_B, c.nl + (v6 ? 6 : 9));
	if (v6)
		rb_ir_stmt(g->ir, start, BPF_LDX | BPF_IMM, 40);
	else
		rb_ir_stmt(g->ir, start, BPF_LDX | BPF_MSH | BPF_B, c.nl);
	link_test(g, start, step, step);
	/* Merge the two exits into one condition. */
	struct rb_cond walk = {start, res.t_head, res.f_head};
	rb_gen_or(g, &walk, no);
	rb_gen_and(g, out, walk);
	return g->ir->oom ? rb_errf(g->err, RB_ESYS, "filter compiler: out of memory") : 0;
}

int rb_gen_protochain(struct rb_gen *g, uint32_t v, int proto, size_t pos, struct rb_cond *out)
{
	struct rb_cond b;
	int r;
	if (g->link.geneve)
		return rb_gen_fail(g, pos, "'protochain' cannot follow 'geneve'");
	if ((g->link.off_linkpl + g->link.off_nl) & RB_OFF_VAR)
		return rb_gen_fail(g, pos, "'protochain' after 'vlan' is not supported on a live "
				   "capture (the tag may or may not be in the packet); filter a "
				   "file (-r) or drop the vlan test");
	g->libpcap_unoptimized = true;
	switch (proto) {
	case P_IP: return protochain_family(g, v, false, pos, out);
	case P_IP6: return protochain_family(g, v, true, pos, out);
	case P_DEFAULT:
		if ((r = protochain_family(g, v, false, pos, out)) < 0 ||
		    (r = protochain_family(g, v, true, pos, &b)) < 0)
			return r;
		rb_gen_or(g, out, b);
		return 0;
	default:
		return rb_gen_fail(g, pos, "bad protocol applied for 'protochain': use ip, ip6 "
				   "or none");
	}
}
