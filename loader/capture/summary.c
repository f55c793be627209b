/* One tcpdump-like line per packet:
 *   TIME LINK [vlan N ]NET SRC[.PORT] > DST[.PORT]: TRANSPORT DETAIL, length WIRELEN
 * e.g. "12:00:01.000001 EN10MB IP 10.0.0.1.80 > 10.0.0.2.1234: TCP [S.], length 74".
 * Decoding stops where the captured bytes end; the line then says "[|what]". */
#include "loader/capture/capture.h"

#include <arpa/inet.h>
#include <string.h>
#include <time.h>

#include "common/strtab.h"

/* A cursor over the captured bytes of one packet. */
struct cur {
	const uint8_t *p;
	uint32_t len;   /* bytes from p to the end of the capture */
};

static bool cur_has(const struct cur *c, uint32_t off, uint32_t n)
{
	return rb_range_ok(off, n, c->len);
}

static uint16_t be16(const struct cur *c, uint32_t off)
{
	return (uint16_t)(c->p[off] << 8 | c->p[off + 1]);
}

static bool cur_skip(struct cur *c, uint32_t n)
{
	if (n > c->len)
		return false;
	c->p += n;
	c->len -= n;
	return true;
}

static void put_time(const struct rb_pkt *pkt, struct rb_buf *out)
{
	time_t t = (time_t)pkt->ts_sec;
	struct tm tm;
	if (!localtime_r(&t, &tm))
		memset(&tm, 0, sizeof tm);
	rb_buf_printf(out, "%02d:%02d:%02d.%06u ", tm.tm_hour, tm.tm_min, tm.tm_sec,
		      pkt->ts_nsec / 1000);
}

static void put_mac(struct rb_buf *out, const uint8_t *m)
{
	rb_buf_printf(out, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* ICMP and ICMPv6 type names: one string table, and per protocol the
 * (type, name index) pairs it knows. */
static const char icmp_names[] =
	"echo-reply\0" "unreachable\0" "source-quench\0" "redirect\0" "echo-request\0"
	"router-advert\0" "router-solicit\0" "time-exceeded\0" "param-problem\0" "timestamp\0"
	"timestamp-reply\0" "packet-too-big\0" "mld-query\0" "mld-report\0" "neighbor-solicit\0"
	"neighbor-advert\0" "mld2-report\0";
static const uint8_t icmp4_types[][2] = {
	{0, 0}, {3, 1}, {4, 2}, {5, 3}, {8, 4}, {9, 5}, {10, 6}, {11, 7}, {12, 8}, {13, 9}, {14, 10},
};
static const uint8_t icmp6_types[][2] = {
	{1, 1}, {2, 11}, {3, 7}, {4, 8}, {128, 4}, {129, 0}, {130, 12}, {131, 13}, {133, 6},
	{134, 5}, {135, 14}, {136, 15}, {137, 3}, {143, 16},
};

static const char *icmp_name(bool v6, uint8_t type)
{
	const uint8_t (*t)[2] = v6 ? icmp6_types : icmp4_types;
	size_t n = v6 ? RB_ARRAY_SIZE(icmp6_types) : RB_ARRAY_SIZE(icmp4_types);
	for (size_t i = 0; i < n; i++)
		if (t[i][0] == type)
			return rb_strtab_at(icmp_names, t[i][1]);
	return NULL;
}

/* tcpdump's letters and order: F S R P . U E W. */
static void put_tcp_flags(struct rb_buf *out, uint8_t f)
{
	rb_buf_printf(out, "[");
	for (int i = 0; i < 8; i++)  /* bit i has letter i */
		if (f >> i & 1)
			rb_buf_printf(out, "%c", "FSRP.UEW"[i]);
	rb_buf_printf(out, "%s]", f ? "" : "none");
}

/* Addresses were printed by the network layer as "SRC > DST"; ports are
 * spliced in by the transport layer, so both are formatted here together. */
struct addrs {
	char src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
};

static void put_endpoints(struct rb_buf *out, const struct addrs *a, const struct cur *l4,
			  bool ports)
{
	if (ports)
		rb_buf_printf(out, "%s.%u > %s.%u: ", a->src, be16(l4, 0), a->dst, be16(l4, 2));
	else
		rb_buf_printf(out, "%s > %s: ", a->src, a->dst);
}

static void put_transport(struct rb_buf *out, uint8_t proto, const struct addrs *a,
			  const struct cur *l4)
{
	switch (proto) {
	case 6:
		if (!cur_has(l4, 0, 14))
			break;
		put_endpoints(out, a, l4, true);
		rb_buf_printf(out, "TCP ");
		put_tcp_flags(out, l4->p[13]);
		return;
	case 17:
	case 132:
		if (!cur_has(l4, 0, 4))
			break;
		put_endpoints(out, a, l4, true);
		rb_buf_printf(out, "%s", proto == 17 ? "UDP" : "SCTP");
		return;
	case 1:
	case 58: {
		if (!cur_has(l4, 0, 1))
			break;
		const char *n = icmp_name(proto == 58, l4->p[0]);
		put_endpoints(out, a, l4, false);
		rb_buf_printf(out, "%s ", proto == 1 ? "ICMP" : "ICMP6");
		if (n)
			rb_buf_printf(out, "%s", n);
		else
			rb_buf_printf(out, "type %u", l4->p[0]);
		return;
	}
	default:
		put_endpoints(out, a, l4, false);
		rb_buf_printf(out, "ip-proto-%u", proto);
		return;
	}
	put_endpoints(out, a, l4, false);
	rb_buf_printf(out, "[|%s]", proto == 6 ? "tcp" : proto == 17 ? "udp" : proto == 132 ? "sctp" : "icmp");
}

static void put_ipv4(struct rb_buf *out, struct cur c)
{
	if (!cur_has(&c, 0, 20) || (c.p[0] >> 4) != 4) {
		rb_buf_printf(out, "IP [|ip]");
		return;
	}
	uint32_t hl = (c.p[0] & 0xfu) * 4u;
	struct addrs a;
	inet_ntop(AF_INET, c.p + 12, a.src, sizeof a.src);
	inet_ntop(AF_INET, c.p + 16, a.dst, sizeof a.dst);
	uint8_t proto = c.p[9];
	bool later_frag = (be16(&c, 6) & 0x1fff) != 0;
	rb_buf_printf(out, "IP ");
	if (hl < 20 || !cur_skip(&c, hl)) {
		put_endpoints(out, &a, &c, false);
		rb_buf_printf(out, "[|ip]");
	} else if (later_frag) {
		put_endpoints(out, &a, &c, false);
		rb_buf_printf(out, "ip-proto-%u fragment", proto);
	} else {
		put_transport(out, proto, &a, &c);
	}
}

/* Walks IPv6 extension headers to the transport header. Returns false when
 * the chain is cut short or ends in a later fragment. */
static bool skip_ipv6_ext(struct cur *c, uint8_t *nh, bool *frag)
{
	for (int hops = 0; hops < 16; hops++) {
		uint32_t len;
		switch (*nh) {
		case 0: case 43: case 60: case 135:
			if (!cur_has(c, 0, 2))
				return false;
			len = (c->p[1] + 1u) * 8u;
			break;
		case 51:
			if (!cur_has(c, 0, 2))
				return false;
			len = (c->p[1] + 2u) * 4u;
			break;
		case 44:
			if (!cur_has(c, 0, 8))
				return false;
			*frag = (be16(c, 2) & 0xfff8) != 0;
			len = 8;
			break;
		default:
			return true;
		}
		*nh = c->p[0];
		if (*frag || !cur_skip(c, len))
			return false;
	}
	return true;
}

static void put_ipv6(struct rb_buf *out, struct cur c)
{
	if (!cur_has(&c, 0, 40) || (c.p[0] >> 4) != 6) {
		rb_buf_printf(out, "IP6 [|ip6]");
		return;
	}
	struct addrs a;
	inet_ntop(AF_INET6, c.p + 8, a.src, sizeof a.src);
	inet_ntop(AF_INET6, c.p + 24, a.dst, sizeof a.dst);
	uint8_t nh = c.p[6];
	bool frag = false;
	cur_skip(&c, 40);
	rb_buf_printf(out, "IP6 ");
	if (!skip_ipv6_ext(&c, &nh, &frag)) {
		put_endpoints(out, &a, &c, false);
		rb_buf_printf(out, frag ? "fragment" : "[|ip6]");
		return;
	}
	put_transport(out, nh, &a, &c);
}

static void put_arp(struct rb_buf *out, struct cur c)
{
	char spa[INET_ADDRSTRLEN], tpa[INET_ADDRSTRLEN];
	/* Ethernet/IPv4 ARP: hardware type 1, protocol 0x0800, sizes 6 and 4. */
	if (!cur_has(&c, 0, 28) || be16(&c, 0) != 1 || be16(&c, 2) != 0x0800 ||
	    c.p[4] != 6 || c.p[5] != 4) {
		rb_buf_printf(out, cur_has(&c, 0, 8) ? "ARP op %u" : "ARP [|arp]",
			      cur_has(&c, 0, 8) ? be16(&c, 6) : 0);
		return;
	}
	inet_ntop(AF_INET, c.p + 14, spa, sizeof spa);
	inet_ntop(AF_INET, c.p + 24, tpa, sizeof tpa);
	uint16_t op = be16(&c, 6);
	if (op == 1) {
		rb_buf_printf(out, "ARP who-has %s tell %s", tpa, spa);
	} else if (op == 2) {
		rb_buf_printf(out, "ARP reply %s is-at ", spa);
		put_mac(out, c.p + 8);
	} else {
		rb_buf_printf(out, "ARP op %u %s > %s", op, spa, tpa);
	}
}

static void put_ethertype(struct rb_buf *out, uint16_t type, struct cur c)
{
	switch (type) {
	case 0x0800: put_ipv4(out, c); return;
	case 0x86dd: put_ipv6(out, c); return;
	case 0x0806: put_arp(out, c); return;
	case 0x8035: rb_buf_printf(out, "RARP"); return;
	case 0x8847: case 0x8848: rb_buf_printf(out, "MPLS"); return;
	case 0x8863: rb_buf_printf(out, "PPPoE-discovery"); return;
	case 0x8864: rb_buf_printf(out, "PPPoE-session"); return;
	case 0x88cc: rb_buf_printf(out, "LLDP"); return;
	default:
		if (type <= 1500)
			rb_buf_printf(out, "LLC length %u", type);
		else
			rb_buf_printf(out, "ethertype 0x%04x", type);
	}
}

/* Follows 802.1Q/802.1ad tags, then the payload. */
static void put_after_type(struct rb_buf *out, uint16_t type, struct cur c)
{
	for (int tags = 0; (type == 0x8100 || type == 0x88a8 || type == 0x9100) && tags < 8; tags++) {
		if (!cur_has(&c, 0, 4)) {
			rb_buf_printf(out, "vlan [|vlan]");
			return;
		}
		rb_buf_printf(out, "vlan %u ", be16(&c, 0) & 0xfff);
		type = be16(&c, 2);
		cur_skip(&c, 4);
	}
	put_ethertype(out, type, c);
}

static void put_ether(struct rb_buf *out, struct cur c)
{
	rb_buf_printf(out, "EN10MB ");
	if (!cur_has(&c, 0, 14)) {
		rb_buf_printf(out, "[|ether]");
		return;
	}
	uint16_t type = be16(&c, 12);
	if (type < 0x0600 || type == 0x88cc) {
		/* Not IP: show the MAC addresses, as tcpdump does for such frames. */
		put_mac(out, c.p + 6);
		rb_buf_printf(out, " > ");
		put_mac(out, c.p);
		rb_buf_printf(out, " ");
	}
	cur_skip(&c, 14);
	put_after_type(out, type, c);
}

static void put_raw(struct rb_buf *out, struct cur c)
{
	rb_buf_printf(out, "RAW ");
	if (!cur_has(&c, 0, 1))
		rb_buf_printf(out, "[|ip]");
	else if (c.p[0] >> 4 == 6)
		put_ipv6(out, c);
	else
		put_ipv4(out, c);
}

static void put_sll(struct rb_buf *out, struct cur c, bool v2)
{
	uint32_t hlen = v2 ? 20 : 16;
	rb_buf_printf(out, v2 ? "SLL2 " : "SLL ");
	if (!cur_has(&c, 0, hlen)) {
		rb_buf_printf(out, "[|sll]");
		return;
	}
	uint16_t proto = v2 ? be16(&c, 0) : be16(&c, 14);
	uint8_t pkttype = v2 ? c.p[10] : (uint8_t)be16(&c, 0);
	const char *dir = rb_strtab_at("In\0B\0M\0P\0Out\0", pkttype);
	rb_buf_printf(out, "%s ", dir ? dir : "?");
	cur_skip(&c, hlen);
	if (proto == 1 || proto == 4)  /* Novell 802.3, 802.2 LLC */
		rb_buf_printf(out, "LLC");
	else
		put_after_type(out, proto, c);
}

/* DLT_NULL's family is in the capturing host's byte order; DLT_LOOP's in
 * network order.  AF_INET is 2 everywhere; AF_INET6 is 10, 24, 28 or 30. */
static void put_null(struct rb_buf *out, struct cur c, bool loop)
{
	rb_buf_printf(out, loop ? "LOOP " : "NULL ");
	if (!cur_has(&c, 0, 4)) {
		rb_buf_printf(out, "[|null]");
		return;
	}
	uint32_t fam = (uint32_t)c.p[0] << 24 | (uint32_t)c.p[1] << 16 | (uint32_t)c.p[2] << 8 | c.p[3];
	if (!loop && fam > 0xffff)
		fam = __builtin_bswap32(fam);
	cur_skip(&c, 4);
	if (fam == 2)
		put_ipv4(out, c);
	else if (fam == 10 || fam == 24 || fam == 28 || fam == 30)
		put_ipv6(out, c);
	else
		rb_buf_printf(out, "family %u", fam);
}

void rb_pkt_summary(const struct rb_pkt *pkt, struct rb_buf *out)
{
	struct cur c = {.p = pkt->data, .len = pkt->data ? pkt->caplen : 0};
	put_time(pkt, out);
	switch (pkt->dlt) {
	case RB_DLT_EN10MB: put_ether(out, c); break;
	case RB_DLT_RAW: put_raw(out, c); break;
	case RB_DLT_LINUX_SLL: put_sll(out, c, false); break;
	case RB_DLT_LINUX_SLL2: put_sll(out, c, true); break;
	case RB_DLT_NULL: put_null(out, c, false); break;
	case RB_DLT_LOOP: put_null(out, c, true); break;
	default: rb_buf_printf(out, "linktype %d", pkt->dlt); break;
	}
	rb_buf_printf(out, ", length %u", pkt->wirelen);
}
