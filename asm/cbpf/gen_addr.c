/* Identifiers after host/net/port/portrange/proto/protochain qualifiers:
 * IPv4, IPv6, MAC and DECnet addresses, ports, protocol names; see gen.h.
 * Mirrors libpcap's gen_ncode/gen_scode/gen_mcode/gen_ecode rules. */
#include "asm/cbpf/gen.h"

#include <arpa/inet.h>
#include <linux/filter.h>
#include <stdio.h>
#include <string.h>

#include "asm/cbpf/names.h"
#include "common/scan.h"
#include "common/strtab.h"

#define ET_IP 0x0800
#define ET_ARP 0x0806
#define ET_RARP 0x8035
#define ET_IPV6 0x86dd
#define PROTO_UNDEF 0

static uint32_t nl_off(const struct rb_gen *g)
{
	return g->link.off_linkpl + g->link.off_nl;
}

/* Combines the source and destination forms of a test per direction. */
typedef int (*dir_gen)(struct rb_gen *g, const void *arg, bool dst, struct rb_cond *out);

static int by_dir(struct rb_gen *g, int dir, dir_gen fn, const void *arg, struct rb_cond *out)
{
	struct rb_cond b;
	int r;
	if (dir == D_SRC || dir == D_DST)
		return fn(g, arg, dir == D_DST, out);
	if ((r = fn(g, arg, false, out)) < 0 || (r = fn(g, arg, true, &b)) < 0)
		return r;
	if (dir == D_AND)
		rb_gen_and(g, out, b);
	else
		rb_gen_or(g, out, b);
	return 0;
}

/* ------------------------------------------------------------- IPv4 host */

struct host4 {
	uint32_t addr, mask, ll_proto, src_off, dst_off;
	size_t pos;
};

static int hostop4(struct rb_gen *g, const void *arg, bool dst, struct rb_cond *out)
{
	const struct host4 *h = arg;
	int r = rb_gen_linktype(g, h->ll_proto, h->pos, out);
	if (r == 0)
		rb_gen_and_masked(g, out, nl_off(g) + (dst ? h->dst_off : h->src_off), 4, h->addr,
				  h->mask);
	return r;
}

/* The families `host` covers: link type, source and destination offsets. */
static const struct {
	uint16_t ll_proto;
	uint8_t src_off, dst_off;
} host4_families[] = {{ET_IP, 12, 16}, {ET_ARP, 14, 24}, {ET_RARP, 14, 24}};

static int host4_for(struct rb_gen *g, struct host4 *h, int fam, int dir, struct rb_cond *out)
{
	h->ll_proto = host4_families[fam].ll_proto;
	h->src_off = host4_families[fam].src_off;
	h->dst_off = host4_families[fam].dst_off;
	return by_dir(g, dir, hostop4, h, out);
}

static int gen_host4(struct rb_gen *g, uint32_t addr, uint32_t mask, struct rb_qual q, size_t pos,
		     struct rb_cond *out)
{
	struct host4 h = {addr, mask, 0, 0, 0, pos};
	const char *what = q.addr == A_NET ? "net" : "host";
	struct rb_cond b;
	int r;
	switch (q.proto) {
	case P_DEFAULT:
		/* ip, then (not under MPLS) arp and rarp */
		r = host4_for(g, &h, 0, q.dir, out);
		for (int fam = 1; r == 0 && fam < 3 && g->link.mpls_depth == 0; fam++)
			if ((r = host4_for(g, &h, fam, q.dir, &b)) == 0)
				rb_gen_or(g, out, b);
		return r;
	case P_IP: return host4_for(g, &h, 0, q.dir, out);
	case P_ARP: return host4_for(g, &h, 1, q.dir, out);
	case P_RARP: return host4_for(g, &h, 2, q.dir, out);
	case P_LINK: return rb_gen_fail(g, pos, "link-layer modifier applied to %s", what);
	case P_IP6: return rb_gen_fail(g, pos, "'ip6' modifier applied to ip %s", what);
	default:
		return rb_gen_fail(g, pos, "'%s' modifier applied to %s", rb_lex_pname(q.proto), what);
	}
}

/* ------------------------------------------------------------- IPv6 host */

struct host6 {
	uint32_t a[4], m[4];
};

static int hostop6(struct rb_gen *g, const void *arg, bool dst, struct rb_cond *out)
{
	const struct host6 *h = arg;
	int r = rb_gen_linktype(g, ET_IPV6, 0, out);
	uint32_t off = nl_off(g) + (dst ? 24 : 8);
	for (int i = 0; r == 0 && i < 4; i++)
		rb_gen_and_masked(g, out, off + 4 * (uint32_t)i, 4, h->a[i], h->m[i]);
	return r;
}

static int gen_host6(struct rb_gen *g, const uint8_t addr[16], unsigned masklen, struct rb_qual q,
		     size_t pos, struct rb_cond *out)
{
	struct host6 h;
	for (int i = 0; i < 4; i++) {
		unsigned bits = masklen > 32u * (unsigned)i ? masklen - 32u * (unsigned)i : 0;
		h.m[i] = bits >= 32 ? 0xffffffff : bits == 0 ? 0 : 0xffffffffu << (32 - bits);
		h.a[i] = (uint32_t)addr[4 * i] << 24 | (uint32_t)addr[4 * i + 1] << 16 |
			 (uint32_t)addr[4 * i + 2] << 8 | addr[4 * i + 3];
		if (h.a[i] & ~h.m[i])
			return rb_gen_fail(g, pos, "non-network bits set in the address for "
					   "prefix length %u", masklen);
	}
	if (q.proto == P_IP)
		return rb_gen_fail(g, pos, "'ip' modifier applied to ip6 %s",
				   q.addr == A_NET ? "net" : "host");
	if (q.proto != P_DEFAULT && q.proto != P_IP6)
		return rb_gen_fail(g, pos, "'%s' modifier applied to ip6 %s", rb_lex_pname(q.proto),
				   q.addr == A_NET ? "net" : "host");
	return by_dir(g, q.dir, hostop6, &h, out);
}

/* ------------------------------------------------------------- MAC host */

static int ehostop(struct rb_gen *g, const void *arg, bool dst, struct rb_cond *out)
{
	const uint8_t *e = arg;
	uint32_t off = g->link.off_linkhdr + (dst ? 0 : 6);
	uint32_t word = (uint32_t)e[2] << 24 | (uint32_t)e[3] << 16 | (uint32_t)e[4] << 8 | e[5];
	*out = rb_gen_eq(g, off + 2, 4, word);
	rb_gen_and_eq(g, out, off, 2, (uint32_t)e[0] << 8 | e[1]);
	return 0;
}

static int parse_mac(const struct rb_token *t, uint8_t e[6])
{
	int n = 0;
	unsigned cur = 0, digits = 0;
	for (size_t i = 0; i <= t->len; i++) {
		char c = i < t->len ? t->text[i] : ':';
		int hex = rb_digit_value((unsigned char)c);
		if (hex < 16) {
			cur = cur << 4 | (unsigned)hex;
			/* 12 digits in a row or groups of 4 hold several bytes. */
			if (++digits == 2) {
				if (n == 6)
					return -1;
				e[n++] = (uint8_t)cur;
				cur = digits = 0;
			}
			continue;
		}
		if (digits) {
			if (n == 6)
				return -1;
			e[n++] = (uint8_t)cur;
		}
		cur = digits = 0;
	}
	return n == 6 ? 0 : -1;
}

static int gen_ether(struct rb_gen *g, struct rb_qual q, const struct rb_token *id,
		     struct rb_cond *out)
{
	uint8_t e[6];
	if ((q.addr != A_HOST && q.addr != A_DEFAULT) || q.proto != P_LINK)
		return rb_gen_fail(g, id->pos, "ethernet address used in non-ether expression");
	if (g->link.dlt != RB_DLT_EN10MB || g->link.geneve)
		return rb_gen_fail(g, id->pos, "ethernet addresses supported only on ethernet "
				   "link types (and not inside 'geneve')");
	if (parse_mac(id, e) < 0)
		return rb_gen_fail_tok(g, id, "bad MAC address '%.*s'");
	return by_dir(g, q.dir, ehostop, e, out);
}

/* ----------------------------------------------------------- DECnet host */

/* DECnet hosts are area.node, stored little endian in 16 bits; the header
 * comes in four shapes (short/long, with or without a pad byte). */
static int dnhostop(struct rb_gen *g, const void *arg, bool dst, struct rb_cond *out)
{
	uint32_t a = *(const uint32_t *)arg;
	uint32_t swapped = (a & 0xff) << 8 | (a >> 8 & 0xff);
	uint32_t base = nl_off(g);
	static const uint8_t src_off[4] = {5, 6, 17, 18}, dst_off[4] = {3, 4, 9, 10};
	static const uint16_t flag_val[4] = {0x02, 0x8102, 0x06, 0x8106};
	const uint8_t *off = dst ? dst_off : src_off;
	int r = rb_gen_linktype(g, 0x6003, 0, out);
	if (r < 0)
		return r;
	struct rb_cond any = {-1, -1, -1};
	for (int i = 0; i < 4; i++) {
		/* with a pad byte: the flags are a half-word's low byte */
		bool pad = i & 1;
		struct rb_cond c = rb_gen_cmp(g, base + 2, pad ? 2 : 1, BPF_JEQ, flag_val[i],
					      pad ? 0xff07 : 0x07);
		rb_gen_and_eq(g, &c, base + off[i], 2, swapped);
		if (i == 0)
			any = c;
		else
			rb_gen_or(g, &any, c);
	}
	rb_gen_and(g, out, any);
	return 0;
}

static int parse_decnet(const struct rb_token *t, uint32_t *addr)
{
	unsigned v[2];
	char buf[32];
	if (t->len >= sizeof(buf))
		return -1;
	memcpy(buf, t->text, t->len);
	buf[t->len] = 0;
	if (rb_scan_dotted(buf, v, 2) != 2)
		return -1;
	*addr = ((v[0] << 10) & 0xfc00) | (v[1] & 0x3ff);
	return 0;
}

/* ------------------------------------------------------------ numbers */

/* libpcap's __pcap_atoin: 1 to 4 dotted parts, each <= 255, left-aligned
 * ("10.1" is 10.1.0.0) with the mask of the parts written; else fails
 * with msg (a "%.*s" for the token). */
static int parse_ipv4(struct rb_gen *g, const struct rb_token *t, const char *msg, uint32_t *v,
		      uint32_t *mask)
{
	uint32_t acc = 0, part = 0;
	unsigned len = 0;
	bool have = false;
	for (size_t i = 0; i <= t->len; i++) {
		char c = i < t->len ? t->text[i] : '.';
		if (c == '.') {
			if (!have || part > 255)
				return rb_gen_fail_tok(g, t, msg);
			acc = acc << 8 | part;
			len += 8;
			part = 0;
			have = false;
		} else if (c >= '0' && c <= '9') {
			part = part * 10 + (uint32_t)(c - '0');
			if (part > 255)
				return rb_gen_fail_tok(g, t, msg);
			have = true;
		} else
			return rb_gen_fail_tok(g, t, msg);
	}
	if (len > 32)
		return rb_gen_fail_tok(g, t, msg);
	*v = len == 32 ? acc : acc << (32 - len);
	*mask = 0xffffffffu << (32 - len);
	return 0;
}

static int port_proto(struct rb_gen *g, int proto, size_t pos, int *ipproto)
{
	switch (proto) {
	case P_UDP: *ipproto = 17; return 0;
	case P_TCP: *ipproto = 6; return 0;
	case P_SCTP: *ipproto = 132; return 0;
	case P_DEFAULT: *ipproto = PROTO_UNDEF; return 0;
	default: return rb_gen_fail(g, pos, "illegal qualifier of 'port'");
	}
}

struct port_arg {
	int ipproto;
	uint32_t lo, hi;
	bool range, v6;
};

/* One port field compared with a value or a range; IPv4 finds the
 * transport header through the IHL, IPv6 assumes no extension headers. */
static struct rb_cond port_atom(struct rb_gen *g, const struct port_arg *p, bool dst, uint16_t jop,
				uint32_t v)
{
	uint32_t nl = nl_off(g), field = dst ? 2 : 0;
	int b = rb_ir_block(g->ir, BPF_JMP | jop | BPF_K, v);
	/* IPv4: X holds the IHL (loaded with the fragment test), so every
	 * port test is self-contained and the optimizer may regroup them. */
	if (p->v6)
		rb_gen_emit_load(g, b, nl + 40 + field, 2);
	else
		rb_ir_stmt(g->ir, b, BPF_LD | BPF_IND | BPF_H, RB_OFF_CONST(nl) + field);
	return rb_gen_leaf(g, b);
}

static int port_dir(struct rb_gen *g, const void *arg, bool dst, struct rb_cond *out)
{
	const struct port_arg *p = arg;
	if (!p->range) {
		*out = port_atom(g, p, dst, BPF_JEQ, p->lo);
		return 0;
	}
	*out = port_atom(g, p, dst, BPF_JGE, p->lo);
	struct rb_cond le = port_atom(g, p, dst, BPF_JGT, p->hi);
	rb_gen_not(&le);
	rb_gen_and(g, out, le);
	return 0;
}

static int portop(struct rb_gen *g, const struct port_arg *p, int dir, int ipproto,
		  struct rb_cond *out)
{
	uint32_t nl = nl_off(g);
	struct rb_cond proto = rb_gen_eq(g, nl + (p->v6 ? 6 : 9), 1, (uint32_t)ipproto);
	/* IPv4: the fragment test first (libpcap tests it after the protocol;
	 * an and of the two either way), so "tcp port A or udp port B" and
	 * "port A" (tcp, udp or sctp) test it once for all protocols.  Not
	 * when the network offset is in a scratch slot: the protocol load
	 * then goes through X, where the fragment test leaves the IHL. */
	if (p->v6)
		*out = proto;
	else if (nl & RB_OFF_VAR) {
		*out = proto;
		rb_gen_and(g, out, rb_gen_not_frag_ihl(g));
	} else {
		*out = rb_gen_not_frag_ihl(g);
		rb_gen_and(g, out, proto);
	}
	struct rb_cond b;
	int r = by_dir(g, dir, port_dir, p, &b);
	if (r == 0)
		rb_gen_and(g, out, b);
	return r;
}

static int port_family(struct rb_gen *g, const struct port_arg *p, int dir, size_t pos,
		       struct rb_cond *out)
{
	/* The protocol asked for, or else sctp, tcp and udp (libpcap's order). */
	static const uint8_t any[] = {132, 6, 17};
	int r = rb_gen_linktype(g, p->v6 ? ET_IPV6 : ET_IP, pos, out);
	int n = p->ipproto != PROTO_UNDEF ? 1 : 3;
	struct rb_cond b, c;
	for (int i = 0; r == 0 && i < n; i++) {
		if ((r = portop(g, p, dir, n == 1 ? p->ipproto : any[i], i ? &c : &b)) == 0 && i)
			rb_gen_or(g, &b, c);
	}
	if (r == 0)
		rb_gen_and(g, out, b);
	return r;
}

static int gen_ports(struct rb_gen *g, struct port_arg p, int dir, size_t pos, struct rb_cond *out)
{
	if (p.lo > 65535 || p.hi > 65535)
		return rb_gen_fail(g, pos, "illegal port number %u > 65535",
				   p.lo > 65535 ? p.lo : p.hi);
	if (p.lo > p.hi) {
		uint32_t t = p.lo;
		p.lo = p.hi;
		p.hi = t;
	}
	struct rb_cond v4;
	p.v6 = true;
	int r = port_family(g, &p, dir, pos, out);
	p.v6 = false;
	if (r < 0 || (r = port_family(g, &p, dir, pos, &v4)) < 0)
		return r;
	rb_gen_or(g, out, v4);
	return 0;
}

/* ------------------------------------------------------------ names */

static int name_port(struct rb_gen *g, const char *s, size_t n, size_t pos, uint32_t *port,
		     int *ipproto)
{
	unsigned protos;
	if (rb_lex_number(s, n, port) == 0 && s[0] >= '0' && s[0] <= '9') {
		*ipproto = PROTO_UNDEF;
		return 0;
	}
	if (rb_names_port(s, n, port, &protos) < 0)
		return rb_gen_fail(g, pos, "unknown port '%.*s' (not in /etc/services)", (int)n, s);
	*ipproto = protos == (RB_NAME_TCP | RB_NAME_UDP) ? PROTO_UNDEF
		   : protos == RB_NAME_TCP ? 6 : 17;
	return 0;
}

/* A service name restricts the protocol when it exists for only one. */
static int merge_port_proto(struct rb_gen *g, int want, int named, const char *s, size_t n,
			    size_t pos, int *out)
{
	if (named == PROTO_UNDEF || want == PROTO_UNDEF) {
		*out = want != PROTO_UNDEF ? want : named;
		return 0;
	}
	if (want != named)
		return rb_gen_fail(g, pos, "port '%.*s' is %s", (int)n, s, named == 6 ? "tcp" : "udp");
	*out = want;
	return 0;
}

static int gen_port_name(struct rb_gen *g, struct rb_qual q, const struct rb_token *id,
			 struct rb_cond *out)
{
	struct port_arg p = {0};
	int want = PROTO_UNDEF, named = PROTO_UNDEF, r;
	if ((r = port_proto(g, q.proto, id->pos, &want)) < 0)
		return r;
	if (q.addr == A_PORT) {
		if ((r = name_port(g, id->text, id->len, id->pos, &p.lo, &named)) < 0)
			return r;
		p.hi = p.lo;
	} else {
		const char *dash = memchr(id->text, '-', id->len);
		size_t n1 = dash ? (size_t)(dash - id->text) : 0;
		int named2;
		if (!dash || n1 == 0 || n1 + 1 >= id->len)
			return rb_gen_fail_tok(g, id, "invalid port range '%.*s'");
		if ((r = name_port(g, id->text, n1, id->pos, &p.lo, &named)) < 0 ||
		    (r = name_port(g, dash + 1, id->len - n1 - 1, id->pos, &p.hi, &named2)) < 0)
			return r;
		if (named != named2)
			named = PROTO_UNDEF;
		p.range = true;
	}
	if ((r = merge_port_proto(g, want, named, id->text, id->len, id->pos, &p.ipproto)) < 0)
		return r;
	return gen_ports(g, p, q.dir, id->pos, out);
}

static int lookup_proto(struct rb_gen *g, int proto, const struct rb_token *id, uint32_t *v)
{
	int r = -1;
	if (proto == P_DEFAULT || proto == P_IP || proto == P_IP6)
		r = rb_names_ipproto(id->text, id->len, v);
	else if (proto == P_LINK)
		r = rb_names_ethertype(id->text, id->len, v);
	else if (proto == P_ISO)
		r = rb_names_osi(id->text, id->len, v);
	if (r < 0)
		return rb_gen_fail_tok(g, id, "unknown protocol '%.*s'");
	return 0;
}

/* `net NAME` from /etc/networks, promoted like a short net number. */
static int gen_network_name(struct rb_gen *g, struct rb_qual q, const struct rb_token *id,
			    struct rb_cond *out)
{
	uint32_t v, mask = 0xffffffff;
	if (q.proto == P_LINK || rb_names_network(id->text, id->len, &v) < 0)
		return rb_gen_fail_tok(g, id, "unknown network '%.*s' (not in /etc/networks; "
				   "rawbpf does no DNS)");
	while (v && !(v & 0xff000000)) {
		v <<= 8;
		mask <<= 8;
	}
	return gen_host4(g, v, mask, q, id->pos, out);
}

static int gen_name(struct rb_gen *g, struct rb_qual q, const struct rb_token *id,
		    struct rb_cond *out)
{
	uint32_t v;
	int r;
	switch (q.addr) {
	case A_PORT: case A_PORTRANGE:
		return gen_port_name(g, q, id, out);
	case A_PROTO:
		if ((r = lookup_proto(g, q.proto, id, &v)) < 0)
			return r;
		return rb_gen_proto(g, v, q.proto, id->pos, out);
	case A_PROTOCHAIN:
		if ((r = lookup_proto(g, q.proto, id, &v)) < 0)
			return r;
		return rb_gen_protochain(g, v, q.proto, id->pos, out);
	case A_GATEWAY:
		return rb_gen_fail(g, id->pos, "'gateway' needs name resolution (host and ethers "
				   "databases), which rawbpf does not do; use 'ether host MAC and "
				   "not host IP'");
	case A_NET:
		return gen_network_name(g, q, id, out);
	default:
		return rb_gen_fail_tok(g, id, "'%.*s' is a host name, and rawbpf does no DNS or "
				   "name lookups: use a numeric address");
	}
}

/* ----------------------------------------------------------- numbers */

static int gen_number(struct rb_gen *g, struct rb_qual q, const struct rb_token *id,
		      struct rb_cond *out)
{
	uint32_t v = id->val, mask = 0xffffffff;
	int ipproto = PROTO_UNDEF, r;
	if (id->kind == TK_HID && q.proto == P_DECNET) {
		if (parse_decnet(id, &v) < 0)
			return rb_gen_fail_tok(g, id, "malformed decnet address '%.*s'");
	} else if (id->kind == TK_HID &&
		   (r = parse_ipv4(g, id, "invalid IPv4 address '%.*s'", &v, &mask)) < 0)
		return r;
	if (id->kind == TK_HID && q.addr >= A_PORT && q.addr != A_GATEWAY)
		return rb_gen_fail(g, id->pos, "'%s' modifier applied to ip host",
				   rb_strtab_at("port\0portrange\0proto\0protochain\0",
						q.addr - A_PORT));
	switch (q.addr) {
	case A_DEFAULT: case A_HOST: case A_NET:
		if (q.proto == P_DECNET)
			return by_dir(g, q.dir, dnhostop, &v, out);
		if (q.proto == P_LINK)
			return rb_gen_fail(g, id->pos, "illegal link layer address");
		while (id->kind == TK_NUM && q.addr == A_NET && v && (v & 0xff000000) == 0) {
			v <<= 8;
			mask <<= 8;
		}
		return gen_host4(g, v, mask, q, id->pos, out);
	case A_PORT: case A_PORTRANGE:
		if ((r = port_proto(g, q.proto, id->pos, &ipproto)) < 0)
			return r;
		return gen_ports(g, (struct port_arg){ipproto, v, v, q.addr == A_PORTRANGE, false},
				 q.dir, id->pos, out);
	case A_PROTO:
		return rb_gen_proto(g, v, q.proto, id->pos, out);
	case A_PROTOCHAIN:
		return rb_gen_protochain(g, v, q.proto, id->pos, out);
	default:
		return rb_gen_fail(g, id->pos, "'gateway' needs name resolution (host and ethers "
				   "databases), which rawbpf does not do; use 'ether host MAC and not "
				   "host IP'");
	}
}

/* HID/len, HID mask HID */
static int gen_masked4(struct rb_gen *g, struct rb_qual q, const struct rb_token *id,
		       const struct rb_token *mtok, bool has_len, uint32_t len, struct rb_cond *out)
{
	uint32_t n, m, unused;
	int r;
	if ((r = parse_ipv4(g, id, "invalid IPv4 address '%.*s'", &n, &unused)) < 0)
		return r;
	if (mtok) {
		if ((r = parse_ipv4(g, mtok, "invalid IPv4 netmask '%.*s'", &m, &unused)) < 0)
			return r;
	} else {
		if (len > 32)
			return rb_gen_fail(g, id->pos, "mask length must be <= 32");
		m = len == 0 ? 0 : 0xffffffffu << (32 - len);
	}
	(void)has_len;
	if (n & ~m)
		return rb_gen_fail_tok(g, id, "non-network bits set in \"%.*s\"");
	if (q.addr != A_NET)
		return rb_gen_fail(g, id->pos, "Mask syntax for networks only");
	return gen_host4(g, n, m, q, id->pos, out);
}

static int gen_v6(struct rb_gen *g, struct rb_qual q, const struct rb_token *id, bool has_len,
		  uint32_t len, struct rb_cond *out)
{
	char buf[64];
	uint8_t a[16];
	if (id->len >= sizeof(buf))
		return rb_gen_fail(g, id->pos, "invalid IPv6 address");
	memcpy(buf, id->text, id->len);
	buf[id->len] = 0;
	if (inet_pton(AF_INET6, buf, a) != 1)
		return rb_gen_fail(g, id->pos, "invalid IPv6 address '%s'", buf);
	if (!has_len)
		len = 128;
	if (len > 128)
		return rb_gen_fail(g, id->pos, "mask length must be <= 128");
	if ((q.addr == A_DEFAULT || q.addr == A_HOST) && len != 128)
		return rb_gen_fail(g, id->pos, "Mask syntax for networks only");
	if (q.addr != A_DEFAULT && q.addr != A_HOST && q.addr != A_NET)
		return rb_gen_fail(g, id->pos, "invalid qualifier against IPv6 address");
	return gen_host6(g, a, len, q, id->pos, out);
}

int rb_gen_id(struct rb_gen *g, struct rb_qual q, const struct rb_token *id,
	      const struct rb_token *mask, bool has_len, uint32_t len, struct rb_cond *out)
{
	switch (id->kind) {
	case TK_HID6:
		return gen_v6(g, q, id, has_len, len, out);
	case TK_EID:
		return gen_ether(g, q, id, out);
	case TK_HID:
		if (mask || has_len)
			return gen_masked4(g, q, id, mask, has_len, len, out);
		return gen_number(g, q, id, out);
	case TK_NUM:
		return gen_number(g, q, id, out);
	default:
		return gen_name(g, q, id, out);
	}
}
