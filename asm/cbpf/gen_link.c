/* Encapsulations that move the network header (vlan, mpls, pppoes), LLC,
 * broadcast/multicast and packet length tests; see gen.h. */
#include "asm/cbpf/gen.h"

#include <linux/filter.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"

static bool has_ether_header(const struct rb_gen *g)
{
	return g->link.dlt == RB_DLT_EN10MB;
}

/* libpcap's range check of the number after vlan, mpls, pppoes, geneve:
 * "VLAN tag 5000 greater than maximum 4095". */
static int over_max(struct rb_gen *g, bool has, uint32_t v, uint32_t max, const char *what,
		    size_t pos)
{
	if (has && v > max)
		return rb_gen_fail(g, pos, "%s %u greater than maximum %u", what, v, max);
	return 0;
}

static struct rb_cond tpid_test(struct rb_gen *g, uint32_t tf)
{
	struct rb_cond c = rb_gen_eq(g, tf, 2, 0x8100);
	rb_gen_or_eq(g, &c, tf, 2, 0x88a8);
	rb_gen_or_eq(g, &c, tf, 2, 0x9100);
	return c;
}

/* `ld{b,h} [SKF_AD_OFF + n]; [and #mask;] jeq #v`: an ancillary load, which
 * rb_gen_cmp would take for an RB_OFF_VAR offset. */
static struct rb_cond anc_cmp(struct rb_gen *g, int n, uint16_t size, uint32_t v, uint32_t mask)
{
	int b = rb_ir_block(g->ir, BPF_JMP | BPF_JEQ | BPF_K, v);
	rb_ir_stmt(g->ir, b, BPF_LD | BPF_ABS | size, (uint32_t)(SKF_AD_OFF + n));
	return rb_gen_masked_leaf(g, b, mask);
}

static struct rb_cond tag_present(struct rb_gen *g, bool present)
{
	struct rb_cond c = anc_cmp(g, SKF_AD_VLAN_TAG_PRESENT, BPF_B, 1, 0xffffffff);
	if (!present)
		rb_gen_not(&c);
	return c;
}

/* libpcap on a live Linux handle (gen_vlan_bpf_extensions): the outer tag
 * is either in skb metadata (SKF_AD_VLAN_TAG_PRESENT) or, where the
 * receive path left it (TPID 0x9100), still in the packet.  Later offsets
 * are relative to scratch slot r: 0 when the tag was in metadata, 4 when
 * the in-packet path was taken (libpcap adds 4 to its variable offset
 * before the TPID test, whatever the test's outcome). */
static void vlan_live(struct rb_gen *g, bool has_id, uint32_t id, struct rb_cond *out)
{
	int r = 15 - g->link.regs_used;
	uint32_t tf = g->link.off_linktype, pl = g->link.off_linkpl;
	struct rb_cond in_pkt = tpid_test(g, tf);
	enum { R = 1 };
	static const struct rb_gen_stmt add4[] = {
		{BPF_LD | BPF_MEM, R, 0}, {BPF_ALU | BPF_ADD | BPF_K, 0, 4}, {BPF_ST, R, 0},
	};
	int shift = rb_ir_block(g->ir, BPF_JMP | BPF_JGE | BPF_K, 0);   /* always true */
	rb_gen_emit_seq(g, shift, add4, RB_ARRAY_SIZE(add4), (const uint32_t[]){0, (uint32_t)r});
	struct rb_cond path = rb_gen_leaf(g, shift);
	rb_gen_and(g, &path, in_pkt);
	*out = tag_present(g, true);
	rb_gen_or(g, out, path);
	if (has_id) {
		/* The ID from the metadata when the tag was there, else from the
		 * packet at the unshifted offset. */
		struct rb_cond meta = tag_present(g, true);
		rb_gen_and(g, &meta, anc_cmp(g, SKF_AD_VLAN_TAG, BPF_H, id, 0x0fff));
		struct rb_cond pkt = tag_present(g, false);
		rb_gen_and_masked(g, &pkt, pl, 2, id, 0x0fff);
		rb_gen_or(g, &meta, pkt);
		rb_gen_and(g, out, meta);
	}
	g->link.regs_used++;
	g->link.off_linktype = RB_OFF_VAR | (uint32_t)r << 24 | tf;
	g->link.off_linkpl = RB_OFF_VAR | (uint32_t)r << 24 | pl;
}

/* libpcap on a savefile tests the tag in the packet (TPIDs 802.1Q, 802.1ad
 * and the old QinQ 0x9100), then shifts every later offset by 4.  On a live
 * Linux socket the first tag is tested as libpcap does there (vlan_live). */
int rb_gen_vlan(struct rb_gen *g, bool has_id, uint32_t id, size_t pos, struct rb_cond *out)
{
	if (!has_ether_header(g))
		return rb_gen_fail(g, pos, "no VLAN support for this link type (only Ethernet)");
	if (g->link.mpls_depth > 0)
		return rb_gen_fail(g, pos, "no VLAN match after MPLS");
	int r = over_max(g, has_id, id, 4095, "VLAN tag", pos);
	if (r < 0)
		return r;
	uint32_t tf = g->link.off_linktype;
	if (g->opts->linux_live && !g->link.geneve && tf == 12 && g->link.regs_used < 16) {
		vlan_live(g, has_id, id, out);
		return 0;
	}
	*out = tpid_test(g, tf);
	if (has_id)
		rb_gen_and_masked(g, out, g->link.off_linkpl, 2, id, 0x0fff);
	g->link.off_linktype += 4;
	g->link.off_linkpl += 4;
	return 0;
}

int rb_gen_mpls(struct rb_gen *g, bool has_label, uint32_t label, size_t pos, struct rb_cond *out)
{
	uint32_t nl = g->link.off_linkpl + g->link.off_nl;
	int r = over_max(g, has_label, label, 0xfffff, "MPLS label", pos);
	if (r < 0)
		return r;
	if (g->link.mpls_depth > 0) {
		/* Inside a label stack: the previous label is not the bottom one. */
		*out = rb_gen_cmp(g, nl - 2, 1, BPF_JEQ, 0, 0x01);
	} else if (has_ether_header(g) || g->link.dlt == 9 /* PPP */) {
		r = rb_gen_linktype(g, g->link.dlt == 9 ? 0x281 : 0x8847, pos, out);
		if (r < 0)
			return r;
	} else
		return rb_gen_fail(g, pos, "no MPLS support for this link type");
	if (has_label)
		rb_gen_and_masked(g, out, nl, 4, label << 12, 0xfffff000);
	g->link.off_nl += 4;
	g->link.mpls_depth++;
	return 0;
}

int rb_gen_pppoed(struct rb_gen *g, size_t pos, struct rb_cond *out)
{
	return rb_gen_linktype(g, 0x8863, pos, out);
}

/* After the PPPoE session header the packet continues as PPP: the type is
 * the 2 bytes at offset 6 of the PPPoE header, the payload starts at 8. */
int rb_gen_pppoes(struct rb_gen *g, bool has_id, uint32_t id, size_t pos, struct rb_cond *out)
{
	int r = over_max(g, has_id, id, 0xffff, "PPPoE session number", pos);
	if (r < 0 || (r = rb_gen_linktype(g, 0x8864, pos, out)) < 0)
		return r;
	uint32_t base = g->link.off_linkpl + g->link.off_nl;
	if (has_id)
		rb_gen_and_masked(g, out, base, 4, id, 0x0000ffff);
	g->link.dlt = 9;   /* DLT_PPP */
	g->link.off_linkhdr = base;
	g->link.off_linktype = base + 6;
	g->link.off_linkpl = base + 8;
	g->link.off_nl = 0;
	g->link.mpls_depth = 0;
	return 0;
}

/* ------------------------------------------------------------------ LLC */

struct llc_kind {
	char name[6];
	uint8_t value, mask;
};

/* S-format and U-format command codes with the bits that identify them. */
static const struct llc_kind llc_kinds[] = {
	{"i", 0x00, 0x01}, {"s", 0x01, 0x03}, {"u", 0x03, 0x03},
	{"rr", 0x01, 0x0f}, {"rnr", 0x05, 0x0f}, {"rej", 0x09, 0x0f},
	{"ui", 0x03, 0xef}, {"ua", 0x63, 0xef}, {"disc", 0x43, 0xef}, {"dm", 0x0f, 0xef},
	{"sabme", 0x6f, 0xef}, {"test", 0xe3, 0xef}, {"xid", 0xaf, 0xef}, {"frmr", 0x87, 0xef},
};

static int llc_base(struct rb_gen *g, size_t pos, struct rb_cond *out)
{
	uint32_t llc = g->link.off_linkpl;
	if (has_ether_header(g)) {
		/* An 802.3 length field, and not Novell's raw 802.3 (0xffff). */
		*out = rb_gen_cmp(g, g->link.off_linktype, 2, BPF_JGT, 1500, 0xffffffff);
		rb_gen_not(out);
		struct rb_cond ff = rb_gen_eq(g, llc, 2, 0xffff);
		rb_gen_not(&ff);
		rb_gen_and(g, out, ff);
		return 0;
	}
	return rb_gen_fail(g, pos, "'llc' is not supported on this link type");
}

int rb_gen_llc(struct rb_gen *g, const struct rb_token *kind, size_t pos, struct rb_cond *out)
{
	int r = llc_base(g, pos, out);
	if (r < 0 || !kind)
		return r;
	for (size_t i = 0; i < sizeof(llc_kinds) / sizeof(llc_kinds[0]); i++) {
		const struct llc_kind *k = &llc_kinds[i];
		if (strlen(k->name) != kind->len || strncasecmp(k->name, kind->text, kind->len))
			continue;
		struct rb_cond c;
		if (k->value == 0 && k->mask == 0x01) {
			c = rb_gen_jset(g, g->link.off_linkpl + 2, 1, 0x01);
			rb_gen_not(&c);
		} else
			c = rb_gen_cmp(g, g->link.off_linkpl + 2, 1, BPF_JEQ, k->value, k->mask);
		rb_gen_and(g, out, c);
		return 0;
	}
	return rb_gen_fail_tok(g, kind, "unknown LLC type name '%.*s'");
}

/* ------------------------------------------------------- broadcast etc. */

static struct rb_cond ether_dst_is(struct rb_gen *g, uint32_t word, uint32_t half)
{
	struct rb_cond c = rb_gen_eq(g, 2, 4, word);
	rb_gen_and_eq(g, &c, 0, 2, half);
	return c;
}

int rb_gen_broadcast(struct rb_gen *g, int proto, size_t pos, struct rb_cond *out)
{
	if (proto == P_DEFAULT || proto == P_LINK || proto == P_ETHER) {
		if (!has_ether_header(g))
			return rb_gen_fail(g, pos, "not a broadcast link: use 'ip broadcast'");
		*out = ether_dst_is(g, 0xffffffff, 0xffff);
		return 0;
	}
	if (proto != P_IP)
		return rb_gen_fail(g, pos, "only link-layer/IP broadcast filters supported");
	/* libpcap with netmask 0 (savefiles, tcpdump's default): the host part
	 * is the whole address, so all-zeros or all-ones. */
	int r = rb_gen_linktype(g, 0x0800, pos, out);
	if (r < 0)
		return r;
	uint32_t dst = g->link.off_linkpl + g->link.off_nl + 16;
	struct rb_cond c = rb_gen_eq(g, dst, 4, 0);
	rb_gen_or_eq(g, &c, dst, 4, 0xffffffff);
	rb_gen_and(g, out, c);
	return 0;
}

int rb_gen_multicast(struct rb_gen *g, int proto, size_t pos, struct rb_cond *out)
{
	uint32_t nl = g->link.off_linkpl + g->link.off_nl;
	int r;
	if (proto == P_DEFAULT || proto == P_LINK || proto == P_ETHER) {
		if (!has_ether_header(g))
			return rb_gen_fail(g, pos, "link-layer multicast filters supported only on "
					   "ethernet-like links");
		*out = rb_gen_jset(g, 0, 1, 0x01);
		return 0;
	}
	if (proto == P_IP) {
		if ((r = rb_gen_linktype(g, 0x0800, pos, out)) == 0)
			rb_gen_and(g, out, rb_gen_cmp(g, nl + 16, 1, BPF_JGE, 224, 0xffffffff));
		return r;
	}
	if (proto == P_IP6) {
		return rb_gen_nl_byte(g, 0x86dd, 24, 255, pos, out);
	}
	return rb_gen_fail(g, pos, "only link-layer/IP/IPv6 multicast filters supported");
}

struct rb_cond rb_gen_len(struct rb_gen *g, uint16_t jop, uint32_t n)
{
	int b = rb_ir_block(g->ir, BPF_JMP | jop | BPF_K, n);
	rb_ir_stmt(g->ir, b, BPF_LD | BPF_W | BPF_LEN, 0);
	return rb_gen_leaf(g, b);
}

/* ---------------------------------------------------------------- geneve */

#define GENEVE_PORT 6081

/* Sets X so that the UDP header is at [x + *k4]; false for IPv6 with a
 * constant network offset, where no X is needed (*k4 is then absolute). */
static bool udp_base(struct rb_gen *g, int b, bool v6, uint32_t nl, uint32_t *k4)
{
	*k4 = ((nl & RB_OFF_VAR) ? RB_OFF_CONST(nl) : nl) + (v6 ? 40 : 0);
	if (!v6)
		rb_gen_emit_ihl(g, b, nl);
	else if (nl & RB_OFF_VAR)
		rb_ir_stmt(g->ir, b, BPF_LDX | BPF_MEM, RB_OFF_REG(nl));
	return !v6 || (nl & RB_OFF_VAR);
}

/* A test of `size` bytes at offset `rel` into the UDP header. */
static struct rb_cond udp_test(struct rb_gen *g, bool v6, uint32_t nl, uint32_t rel, int size,
			       uint32_t v, uint32_t mask)
{
	uint32_t k4;
	int b = rb_ir_block(g->ir, BPF_JMP | BPF_JEQ | BPF_K, v);
	bool ind = udp_base(g, b, v6, nl, &k4);
	rb_ir_stmt(g->ir, b, BPF_LD | (ind ? BPF_IND : BPF_ABS) | rb_gen_size_code(size),
		   k4 + rel);
	return rb_gen_masked_leaf(g, b, mask);
}

/* Records where the encapsulated packet starts: M[lt] = offset of its
 * type field (the Geneve protocol type, or the inner Ethernet type),
 * M[pl] = its network header.  All exits are true. */
static struct rb_cond geneve_offsets(struct rb_gen *g, bool v6, uint32_t nl, int lt, int pl)
{
	uint32_t k4;
	int b = rb_ir_block(g->ir, BPF_JMP | BPF_JEQ | BPF_K, 0x6558);
	bool ind = udp_base(g, b, v6, nl, &k4);
	uint32_t gh = k4 + 8;   /* Geneve header */
	enum { GH = 1, PL, LT };
	/* M[pl] = gh + 8 + options length + X; M[lt] = X + gh + 2; A = protocol */
	static const struct rb_gen_stmt offsets[] = {
		{BPF_LD | BPF_IND | BPF_B, GH, 0}, {BPF_ALU | BPF_AND | BPF_K, 0, 0x3f},
		{BPF_ALU | BPF_LSH | BPF_K, 0, 2}, {BPF_ALU | BPF_ADD | BPF_K, GH, 8},
		{BPF_ALU | BPF_ADD | BPF_X, 0, 0}, {BPF_ST, PL, 0}, {BPF_MISC | BPF_TXA, 0, 0},
		{BPF_ALU | BPF_ADD | BPF_K, GH, 2}, {BPF_ST, LT, 0},
		{BPF_LD | BPF_IND | BPF_H, GH, 2},
	};
	/* Transparent Ethernet bridging: skip the inner Ethernet header. */
	static const struct rb_gen_stmt bridged[] = {
		{BPF_LD | BPF_MEM, PL, 0}, {BPF_ALU | BPF_ADD | BPF_K, 0, 12}, {BPF_ST, LT, 0},
		{BPF_ALU | BPF_ADD | BPF_K, 0, 2}, {BPF_ST, PL, 0}, {BPF_LD | BPF_IMM, 0, 0},
	};
	const uint32_t vars[] = {0, gh, (uint32_t)pl, (uint32_t)lt};
	if (!ind)
		rb_ir_stmt(g->ir, b, BPF_LDX | BPF_IMM, 0);
	rb_gen_emit_seq(g, b, offsets, RB_ARRAY_SIZE(offsets), vars);
	struct rb_cond c = rb_gen_leaf(g, b);
	int e = rb_ir_block(g->ir, BPF_JMP | BPF_JEQ | BPF_K, 0);
	rb_gen_emit_seq(g, e, bridged, RB_ARRAY_SIZE(bridged), vars);
	rb_gen_and(g, &c, rb_gen_leaf(g, e));
	rb_gen_or(g, &c, rb_gen_const(g, true));
	return c;
}

static int geneve_family(struct rb_gen *g, bool v6, bool has_vni, uint32_t vni, int lt, int pl,
			 size_t pos, struct rb_cond *out)
{
	uint32_t nl = g->link.off_linkpl + g->link.off_nl;
	int r = rb_gen_nl_byte(g, v6 ? 0x86dd : 0x0800, v6 ? 6 : 9, 17, pos, out);
	if (r < 0)
		return r;
	if (!v6)
		rb_gen_and(g, out, rb_gen_ipfrag(g));
	rb_gen_and(g, out, udp_test(g, v6, nl, 2, 2, GENEVE_PORT, 0xffffffff));
	rb_gen_and(g, out, udp_test(g, v6, nl, 8, 1, 0, 0xc0));
	if (has_vni)
		rb_gen_and(g, out, udp_test(g, v6, nl, 12, 4, vni << 8, 0xffffff00));
	rb_gen_and(g, out, geneve_offsets(g, v6, nl, lt, pl));
	return 0;
}

/* Geneve over UDP port 6081 (IPv4 or IPv6); later tests look inside. */
int rb_gen_geneve(struct rb_gen *g, bool has_vni, uint32_t vni, size_t pos, struct rb_cond *out)
{
	struct rb_cond b;
	int r;
	if ((r = over_max(g, has_vni, vni, 0xffffff, "Geneve VNI", pos)) < 0)
		return r;
	if (g->link.mpls_depth > 0 || g->link.regs_used + 2 > 8)
		return rb_gen_fail(g, pos, "'geneve' cannot follow 'mpls' or be nested this deep");
	int lt = 15 - g->link.regs_used, pl = lt - 1;
	if ((r = geneve_family(g, false, has_vni, vni, lt, pl, pos, out)) < 0 ||
	    (r = geneve_family(g, true, has_vni, vni, lt, pl, pos, &b)) < 0)
		return r;
	rb_gen_or(g, out, b);
	g->link.regs_used += 2;
	g->libpcap_unoptimized = true;
	g->link.geneve = true;
	g->link.dlt = RB_DLT_EN10MB;
	g->link.off_linktype = RB_OFF_VAR | (uint32_t)lt << 24;
	g->link.off_linkpl = RB_OFF_VAR | (uint32_t)pl << 24;
	g->link.off_nl = 0;
	return 0;
}
