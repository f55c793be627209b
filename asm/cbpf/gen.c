/* Condition plumbing, link-layer type tests and protocol tests; see gen.h.
 * The tests and their order follow libpcap 1.10's gencode.c so that the
 * unoptimized programs have the same shape as `tcpdump -O -d`. */
#include "asm/cbpf/gen.h"

#include <linux/filter.h>
#include <stdarg.h>
#include <stdlib.h>

#include "common/buf.h"

#define ETHERMTU 1500
#define ET_IP 0x0800
#define ET_ARP 0x0806
#define ET_RARP 0x8035
#define ET_IPV6 0x86dd
#define ET_ATALK 0x809b
#define ET_AARP 0x80f3
#define ET_IPX 0x8137
#define SAP_IP 0x06
#define SAP_ISONS 0xfe
#define SAP_NETBEUI 0xf0
#define SAP_IPX 0xe0
#define SAP_8021D 0x42

int rb_gen_fail(struct rb_gen *g, size_t pos, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = rb_verrf(g->err, RB_EUSAGE, fmt, ap);
	va_end(ap);
	if (*g->err_pos < 0)
		*g->err_pos = (int)pos;
	return r;
}

int rb_gen_fail_tok(struct rb_gen *g, const struct rb_token *t, const char *fmt)
{
	return rb_gen_fail(g, t->pos, fmt, (int)t->len, t->text);
}

/* ------------------------------------------------------------ plumbing */

static int new_edge(struct rb_gen *g, int block, bool on_true)
{
	if (g->nedges == g->cap_edges) {
		int cap = g->cap_edges ? g->cap_edges * 2 : 128;
		struct rb_edge *ne = realloc(g->edges, (size_t)cap * sizeof(*ne));
		if (!ne) {
			g->ir->oom = true;
			return -1;
		}
		g->edges = ne;
		g->cap_edges = cap;
	}
	g->edges[g->nedges] = (struct rb_edge){block, on_true, -1};
	return g->nedges++;
}

struct rb_cond rb_gen_leaf(struct rb_gen *g, int block)
{
	struct rb_cond c = {block, -1, -1};
	if (block < 0)
		return c;
	c.t_head = new_edge(g, block, true);
	c.f_head = new_edge(g, block, false);
	return c;
}

static void patch(struct rb_gen *g, int head, int target)
{
	for (int e = head; e >= 0; e = g->edges[e].next) {
		struct rb_ir_block *b = &g->ir->b[g->edges[e].block];
		if (g->edges[e].on_true)
			b->jt = target;
		else
			b->jf = target;
	}
}

/* Puts list h2 in front of list *head. */
static void concat(struct rb_gen *g, int *head, int h2)
{
	if (h2 < 0)
		return;
	int e = h2;
	while (g->edges[e].next >= 0)
		e = g->edges[e].next;
	g->edges[e].next = *head;
	*head = h2;
}

void rb_gen_and(struct rb_gen *g, struct rb_cond *a, struct rb_cond b)
{
	patch(g, a->t_head, b.entry);
	a->t_head = b.t_head;
	concat(g, &a->f_head, b.f_head);
}

void rb_gen_or(struct rb_gen *g, struct rb_cond *a, struct rb_cond b)
{
	patch(g, a->f_head, b.entry);
	a->f_head = b.f_head;
	concat(g, &a->t_head, b.t_head);
}

void rb_gen_not(struct rb_cond *a)
{
	int h = a->t_head;
	a->t_head = a->f_head;
	a->f_head = h;
}

struct rb_cond rb_gen_const(struct rb_gen *g, bool value)
{
	int b = rb_ir_block(g->ir, BPF_JMP | BPF_JEQ | BPF_K, 0);
	rb_ir_stmt(g->ir, b, BPF_LD | BPF_IMM, value ? 0 : 1);
	return rb_gen_leaf(g, b);
}

uint16_t rb_gen_size_code(int size)
{
	return size == 1 ? BPF_B : size == 2 ? BPF_H : BPF_W;
}

struct rb_cond rb_gen_masked_leaf(struct rb_gen *g, int b, uint32_t mask)
{
	if (mask != 0xffffffff)
		rb_ir_stmt(g->ir, b, BPF_ALU | BPF_AND | BPF_K, mask);
	return rb_gen_leaf(g, b);
}

void rb_gen_emit_load(struct rb_gen *g, int b, uint32_t off, int size)
{
	if (off & RB_OFF_VAR) {
		rb_ir_stmt(g->ir, b, BPF_LDX | BPF_MEM, RB_OFF_REG(off));
		rb_ir_stmt(g->ir, b, BPF_LD | BPF_IND | rb_gen_size_code(size), RB_OFF_CONST(off));
	} else
		rb_ir_stmt(g->ir, b, BPF_LD | BPF_ABS | rb_gen_size_code(size), off);
}

struct rb_cond rb_gen_cmp(struct rb_gen *g, uint32_t off, int size, uint16_t jop, uint32_t v,
			  uint32_t mask)
{
	int b = rb_ir_block(g->ir, BPF_JMP | jop | BPF_K, v);
	rb_gen_emit_load(g, b, off, size);
	return rb_gen_masked_leaf(g, b, mask);
}

struct rb_cond rb_gen_jset(struct rb_gen *g, uint32_t off, int size, uint32_t bits)
{
	return rb_gen_cmp(g, off, size, BPF_JSET, bits, 0xffffffff);
}

struct rb_cond rb_gen_eq(struct rb_gen *g, uint32_t off, int size, uint32_t v)
{
	return rb_gen_cmp(g, off, size, BPF_JEQ, v, 0xffffffff);
}

void rb_gen_and_eq(struct rb_gen *g, struct rb_cond *c, uint32_t off, int size, uint32_t v)
{
	rb_gen_and(g, c, rb_gen_eq(g, off, size, v));
}

void rb_gen_or_eq(struct rb_gen *g, struct rb_cond *c, uint32_t off, int size, uint32_t v)
{
	rb_gen_or(g, c, rb_gen_eq(g, off, size, v));
}

void rb_gen_and_masked(struct rb_gen *g, struct rb_cond *c, uint32_t off, int size, uint32_t v,
		       uint32_t mask)
{
	rb_gen_and(g, c, rb_gen_cmp(g, off, size, BPF_JEQ, v, mask));
}

int rb_gen_finish(struct rb_gen *g, struct rb_cond *c)
{
	int accept = rb_ir_block(g->ir, BPF_RET | BPF_K, g->opts->snaplen);
	int reject = rb_ir_block(g->ir, BPF_RET | BPF_K, 0);
	patch(g, c->t_head, accept);
	patch(g, c->f_head, reject);
	g->ir->root = c->entry;
	if (g->link.regs_used > 0) {
		/* After `geneve or X`, X reads the offsets geneve would have
		 * stored: zero them first (libpcap reads them uninitialized, as 0
		 * in its interpreter; the kernel refuses such a read). */
		int pro = rb_ir_block(g->ir, BPF_JMP | BPF_JA, 0);
		rb_ir_stmt(g->ir, pro, BPF_LD | BPF_IMM, 0);
		for (int i = 0; i < g->link.regs_used; i++)
			rb_ir_stmt(g->ir, pro, BPF_ST, (uint32_t)(15 - i));
		if (pro >= 0) {
			g->ir->b[pro].jt = g->ir->b[pro].jf = c->entry;
			g->ir->root = pro;
		}
	}
	return g->ir->oom ? rb_errf(g->err, RB_ESYS, "filter compiler: out of memory") : 0;
}

/* ------------------------------------------------------------ link types */

/* An 802.2 (LLC) frame: a length rather than a type on Ethernet, protocol
 * 4 in Linux cooked headers. */
static struct rb_cond llc_frame(struct rb_gen *g, uint32_t tf)
{
	if (g->link.dlt == RB_DLT_LINUX_SLL)
		return rb_gen_eq(g, tf, 2, 4);
	struct rb_cond c = rb_gen_cmp(g, tf, 2, BPF_JGT, ETHERMTU, 0xffffffff);
	rb_gen_not(&c);
	return c;
}

/* SNAP header with OUI `oui_type` (a 32-bit word at LLC+4 ending in the
 * ethertype) behind an 802.3 length field. */
static struct rb_cond snap(struct rb_gen *g, uint32_t llc, uint32_t oui_type, uint32_t oui_ctl)
{
	struct rb_cond c = rb_gen_eq(g, llc + 4, 4, oui_type);
	rb_gen_and_eq(g, &c, llc, 4, oui_ctl);
	return c;
}

static struct rb_cond ether_ipx(struct rb_gen *g, uint32_t tf, uint32_t llc)
{
	struct rb_cond c = rb_gen_eq(g, tf, 2, ET_IPX);
	struct rb_cond l = llc_frame(g, tf);
	struct rb_cond s = snap(g, llc, ET_IPX, 0xaaaa0300);
	rb_gen_or_eq(g, &s, llc, 1, SAP_IPX);
	rb_gen_or_eq(g, &s, llc, 2, 0xffff);
	rb_gen_and(g, &l, s);
	rb_gen_or(g, &c, l);
	return c;
}

/* Linux cooked headers: Novell 802.3 frames carry protocol 1. */
static struct rb_cond sll_ipx(struct rb_gen *g, uint32_t tf, uint32_t llc)
{
	struct rb_cond c = rb_gen_eq(g, tf, 2, ET_IPX);
	rb_gen_or_eq(g, &c, tf, 2, 1);
	struct rb_cond l = llc_frame(g, tf);
	struct rb_cond s = rb_gen_eq(g, llc, 1, SAP_IPX);
	rb_gen_or(g, &s, snap(g, llc, ET_IPX, 0xaaaa0300));
	rb_gen_and(g, &l, s);
	rb_gen_or(g, &c, l);
	return c;
}

/* Ethernet and Linux cooked headers: a type, or an LLC frame with a SAP
 * (and a SNAP header for AppleTalk). */
static struct rb_cond llc_linktype(struct rb_gen *g, uint32_t p)
{
	uint32_t tf = g->link.off_linktype, llc = g->link.off_linkpl;
	struct rb_cond c, l;
	switch (p) {
	case SAP_ISONS: case SAP_IP: case SAP_NETBEUI:
		c = llc_frame(g, tf);
		rb_gen_and_eq(g, &c, llc, 2, p << 8 | p);
		return c;
	case SAP_IPX:
		return g->link.dlt == RB_DLT_LINUX_SLL ? sll_ipx(g, tf, llc) : ether_ipx(g, tf, llc);
	case ET_ATALK: case ET_AARP:
		c = rb_gen_eq(g, tf, 2, p);
		l = llc_frame(g, tf);
		rb_gen_and(g, &l, p == ET_ATALK ? snap(g, llc, 0x00070000 | ET_ATALK, 0xaaaa0308)
						: snap(g, llc, ET_AARP, 0xaaaa0300));
		rb_gen_or(g, &c, l);
		return c;
	default:
		if (p > ETHERMTU)
			return rb_gen_eq(g, tf, 2, p);
		c = llc_frame(g, tf);
		rb_gen_and_eq(g, &c, llc, 1, p);
		return c;
	}
}

/* PPP protocol numbers of the ethertypes (and SAPs) that have one. */
static uint32_t ppp_type(uint32_t p)
{
	static const uint16_t map[][2] = {
		{ET_IP, 0x21}, {ET_IPV6, 0x57}, {0x6003 /* DECnet */, 0x27}, {ET_ATALK, 0x29},
		{ET_IPX, 0x2b}, {SAP_IPX, 0x2b}, {SAP_ISONS, 0x23}, {SAP_8021D, 0x31},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i][0] == p)
			return map[i][1];
	return p;
}

static int mpls_linktype(struct rb_gen *g, uint32_t p, size_t pos, struct rb_cond *out)
{
	uint32_t nl = g->link.off_linkpl + g->link.off_nl;
	if (p != ET_IP && p != ET_IPV6)
		return rb_gen_fail(g, pos, "unsupported protocol over mpls: only ip and ip6 "
				   "can follow an MPLS label");
	/* Bottom-of-stack bit of the last label, then the IP version. */
	*out = rb_gen_cmp(g, nl - 2, 1, BPF_JEQ, 1, 1);
	rb_gen_and_masked(g, out, nl, 1, p == ET_IP ? 0x40 : 0x60, 0xf0);
	return 0;
}

static struct rb_cond raw_linktype(struct rb_gen *g, uint32_t p)
{
	if (p != ET_IP && p != ET_IPV6)
		return rb_gen_const(g, false);
	return rb_gen_cmp(g, g->link.off_linkpl, 1, BPF_JEQ, p == ET_IP ? 0x40 : 0x60, 0xf0);
}

/* DLT_NULL stores the address family in host order (little endian for the
 * savefiles and captures rawbpf handles), DLT_LOOP in network order. */
static struct rb_cond loop_linktype(struct rb_gen *g, uint32_t p)
{
	if (p != ET_IP && p != ET_IPV6)
		return rb_gen_const(g, false);
	uint32_t af = p == ET_IP ? 2 : 10;
	if (g->link.dlt == RB_DLT_NULL)
		af = __builtin_bswap32(af);
	return rb_gen_eq(g, 0, 4, af);
}

int rb_gen_linktype(struct rb_gen *g, uint32_t p, size_t pos, struct rb_cond *out)
{
	if (g->link.mpls_depth > 0)
		return mpls_linktype(g, p, pos, out);
	switch (g->link.dlt) {
	case RB_DLT_EN10MB: case RB_DLT_LINUX_SLL: *out = llc_linktype(g, p); break;
	/* libpcap 1.10 compares SLL2's protocol field as is, LLC SAPs too. */
	case RB_DLT_LINUX_SLL2: *out = rb_gen_eq(g, g->link.off_linktype, 2, p); break;
	case RB_DLT_RAW: *out = raw_linktype(g, p); break;
	case RB_DLT_NULL: case RB_DLT_LOOP: *out = loop_linktype(g, p); break;
	default: *out = rb_gen_eq(g, g->link.off_linktype, 2, ppp_type(p)); break;
	}
	return 0;
}

/* ------------------------------------------------------------ protocols */

struct rb_cond rb_gen_ipfrag(struct rb_gen *g)
{
	struct rb_cond c = rb_gen_jset(g, g->link.off_linkpl + g->link.off_nl + 6, 2, 0x1fff);
	rb_gen_not(&c);
	return c;
}

void rb_gen_emit_seq(struct rb_gen *g, int b, const struct rb_gen_stmt *seq, size_t n,
		     const uint32_t *vars)
{
	for (size_t i = 0; i < n; i++)
		rb_ir_stmt(g->ir, b, seq[i].code, seq[i].k + vars[seq[i].var]);
}

void rb_gen_emit_ihl(struct rb_gen *g, int b, uint32_t nl)
{
	/* ldxb 4*([k]&0xf) with k in scratch slot REG plus CONST */
	enum { REG = 1, CONST };
	static const struct rb_gen_stmt ihl[] = {
		{BPF_LDX | BPF_MEM, REG, 0}, {BPF_LD | BPF_IND | BPF_B, CONST, 0},
		{BPF_ALU | BPF_AND | BPF_K, 0, 0xf}, {BPF_ALU | BPF_LSH | BPF_K, 0, 2},
		{BPF_ALU | BPF_ADD | BPF_X, 0, 0}, {BPF_MISC | BPF_TAX, 0, 0},
	};
	if (!(nl & RB_OFF_VAR)) {
		rb_ir_stmt(g->ir, b, BPF_LDX | BPF_MSH | BPF_B, nl);
		return;
	}
	rb_gen_emit_seq(g, b, ihl, RB_ARRAY_SIZE(ihl), (const uint32_t[]){0, RB_OFF_REG(nl),
									  RB_OFF_CONST(nl)});
}

struct rb_cond rb_gen_not_frag_ihl(struct rb_gen *g)
{
	uint32_t nl = g->link.off_linkpl + g->link.off_nl;
	if (!(nl & RB_OFF_VAR)) {
		int b = rb_ir_block(g->ir, BPF_JMP | BPF_JSET | BPF_K, 0x1fff);
		rb_ir_stmt(g->ir, b, BPF_LDX | BPF_MSH | BPF_B, nl);
		rb_ir_stmt(g->ir, b, BPF_LD | BPF_ABS | BPF_H, nl + 6);
		struct rb_cond c = rb_gen_leaf(g, b);
		rb_gen_not(&c);
		return c;
	}
	struct rb_cond c = rb_gen_ipfrag(g);
	/* `jge #0` always holds: a block that only sets X. */
	int b = rb_ir_block(g->ir, BPF_JMP | BPF_JGE | BPF_K, 0);
	rb_gen_emit_ihl(g, b, nl);
	rb_gen_and(g, &c, rb_gen_leaf(g, b));
	return c;
}

/* `ip6[6] == v`, or a fragment header (44) whose next header is v. */
static int proto_ip6(struct rb_gen *g, uint32_t v, size_t pos, struct rb_cond *out)
{
	uint32_t nl = g->link.off_linkpl + g->link.off_nl;
	int r = rb_gen_linktype(g, ET_IPV6, pos, out);
	if (r < 0)
		return r;
	struct rb_cond c = rb_gen_eq(g, nl + 6, 1, v);
	struct rb_cond frag = rb_gen_eq(g, nl + 6, 1, 44);
	rb_gen_and_eq(g, &frag, nl + 40, 1, v);
	rb_gen_or(g, &c, frag);
	rb_gen_and(g, out, c);
	return 0;
}

int rb_gen_nl_byte(struct rb_gen *g, uint32_t et, uint32_t off, uint32_t v, size_t pos,
		   struct rb_cond *out)
{
	int r = rb_gen_linktype(g, et, pos, out);
	if (r == 0)
		rb_gen_and_eq(g, out, g->link.off_linkpl + g->link.off_nl + off, 1, v);
	return r;
}

static int proto_isis(struct rb_gen *g, uint32_t v, size_t pos, struct rb_cond *out)
{
	int r = rb_gen_nl_byte(g, SAP_ISONS, 3, 0x83, pos, out);
	if (r == 0)
		rb_gen_and_eq(g, out, g->link.off_linkpl + g->link.off_nl + 7, 1, v);
	return r;
}

int rb_gen_proto(struct rb_gen *g, uint32_t v, int proto, size_t pos, struct rb_cond *out)
{
	struct rb_cond b;
	int r;
	switch (proto) {
	case P_DEFAULT:
		if ((r = rb_gen_nl_byte(g, ET_IP, 9, v, pos, out)) < 0 ||
		    (r = proto_ip6(g, v, pos, &b)) < 0)
			return r;
		rb_gen_or(g, out, b);
		return 0;
	case P_IP: return rb_gen_nl_byte(g, ET_IP, 9, v, pos, out);
	case P_IP6: return proto_ip6(g, v, pos, out);
	case P_ISO: return rb_gen_nl_byte(g, SAP_ISONS, 3, v, pos, out);
	case P_ISIS: return proto_isis(g, v, pos, out);
	case P_LINK: case P_ETHER:
		return rb_gen_linktype(g, v, pos, out);
	default:
		return rb_gen_fail(g, pos, "'proto' cannot follow this protocol qualifier; use "
				   "ip, ip6, iso, isis, link or none");
	}
}

struct abbrev {
	uint8_t pname;
	uint8_t how;     /* 0 linktype, 1 ip/ip6 protocol, 2 ip only, 3 ip6 only, 4 iso, 5 isis */
	uint16_t v;
};

static const struct abbrev abbrevs[] = {
	{P_IP, 0, ET_IP}, {P_IP6, 0, ET_IPV6}, {P_ARP, 0, ET_ARP}, {P_RARP, 0, ET_RARP},
	{P_ATALK, 0, ET_ATALK}, {P_AARP, 0, ET_AARP}, {P_DECNET, 0, 0x6003},
	{P_LAT, 0, 0x6004}, {P_SCA, 0, 0x6007}, {P_MOPDL, 0, 0x6001}, {P_MOPRC, 0, 0x6002},
	{P_ISO, 0, SAP_ISONS}, {P_STP, 0, SAP_8021D}, {P_IPX, 0, SAP_IPX},
	{P_NETBEUI, 0, SAP_NETBEUI},
	{P_TCP, 1, 6}, {P_UDP, 1, 17}, {P_SCTP, 1, 132}, {P_PIM, 1, 103}, {P_AH, 1, 51},
	{P_ESP, 1, 50},
	{P_ICMP, 2, 1}, {P_IGMP, 2, 2}, {P_IGRP, 2, 9}, {P_VRRP, 2, 112}, {P_CARP, 2, 112},
	{P_ICMP6, 3, 58},
	{P_ESIS, 4, 0x82}, {P_ISIS, 4, 0x83}, {P_CLNP, 4, 0x81},
	{P_L1, 5, 0}, {P_L2, 5, 1}, {P_IIH, 5, 2}, {P_LSP, 5, 3}, {P_SNP, 5, 4},
	{P_CSNP, 5, 5}, {P_PSNP, 5, 6},
};

/* IS-IS PDU types grouped as libpcap's l1/l2/iih/lsp/snp/csnp/psnp. */
static const uint8_t isis_pdus[7][6] = {
	{0x1a, 0x18, 0x12, 0x0f, 0x11, 0},   /* l1: L1 LSP, CSNP, PSNP, LAN IIH, PTP IIH */
	{0x1b, 0x19, 0x14, 0x10, 0x11, 0},   /* l2 */
	{0x11, 0x0f, 0x10, 0, 0, 0},         /* iih */
	{0x12, 0x14, 0, 0, 0, 0},            /* lsp */
	{0x1b, 0x1a, 0x18, 0x19, 0, 0},      /* snp */
	{0x18, 0x19, 0, 0, 0, 0},            /* csnp */
	{0x1a, 0x1b, 0, 0, 0, 0},            /* psnp */
};

static int isis_group(struct rb_gen *g, uint32_t which, size_t pos, struct rb_cond *out)
{
	const uint8_t *pdus = isis_pdus[which];
	int r = proto_isis(g, pdus[0], pos, out);
	for (int i = 1; r == 0 && i < 6 && pdus[i]; i++) {
		struct rb_cond b;
		if ((r = proto_isis(g, pdus[i], pos, &b)) == 0)
			rb_gen_or(g, out, b);
	}
	return r;
}

int rb_gen_proto_abbrev(struct rb_gen *g, int proto, size_t pos, struct rb_cond *out)
{
	for (size_t i = 0; i < sizeof(abbrevs) / sizeof(abbrevs[0]); i++) {
		const struct abbrev *a = &abbrevs[i];
		if (a->pname != proto)
			continue;
		switch (a->how) {
		case 0: return rb_gen_linktype(g, a->v, pos, out);
		case 1: return rb_gen_proto(g, a->v, P_DEFAULT, pos, out);
		case 2: return rb_gen_nl_byte(g, ET_IP, 9, a->v, pos, out);
		case 3: return proto_ip6(g, a->v, pos, out);
		case 4: return rb_gen_nl_byte(g, SAP_ISONS, 3, a->v, pos, out);
		default: return isis_group(g, a->v, pos, out);
		}
	}
	if (proto == P_LINK || proto == P_ETHER || proto == P_FDDI || proto == P_TR ||
	    proto == P_WLAN || proto == P_PPP || proto == P_SLIP)
		return rb_gen_fail(g, pos, "link layer applied in wrong context: say what to "
				   "match, e.g. 'ether host ADDR'");
	return rb_gen_fail(g, pos, "this protocol is not supported on its own");
}
