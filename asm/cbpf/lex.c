/* Tokenizer for pcap-filter(7); see lex.h. */
#include "asm/cbpf/lex.h"

#include "common/buf.h"
#include "common/strtab.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

/* The words of the filter language: keywords, protocol names (TK_PNAME with
 * the enum rb_pname in val) and named numbers (libpcap's scanner returns NUM
 * for them).  One packed string and two byte arrays rather than a pointer
 * per word. */
#define WORDS(X) \
	X("src", TK_SRC, 0) X("dst", TK_DST, 0) X("host", TK_HOST, 0) X("net", TK_NET, 0) \
	X("mask", TK_MASK, 0) X("port", TK_PORT, 0) X("portrange", TK_PORTRANGE, 0) \
	X("proto", TK_PROTO, 0) X("protochain", TK_PROTOCHAIN, 0) \
	X("gateway", TK_GATEWAY, 0) X("less", TK_LESS, 0) X("greater", TK_GREATER, 0) \
	X("broadcast", TK_BROADCAST, 0) X("multicast", TK_MULTICAST, 0) \
	X("len", TK_LEN, 0) X("length", TK_LEN, 0) X("vlan", TK_VLAN, 0) \
	X("mpls", TK_MPLS, 0) X("pppoed", TK_PPPOED, 0) X("pppoes", TK_PPPOES, 0) \
	X("geneve", TK_GENEVE, 0) X("llc", TK_LLC, 0) X("byte", TK_BYTE, 0) \
	X("and", TK_AND, 0) X("or", TK_OR, 0) X("not", TK_NOT, 0) \
	X("link", TK_PNAME, P_LINK) X("ether", TK_PNAME, P_LINK) \
	X("fddi", TK_PNAME, P_LINK) X("tr", TK_PNAME, P_LINK) X("wlan", TK_PNAME, P_LINK) \
	X("ppp", TK_PNAME, P_LINK) X("slip", TK_PNAME, P_LINK) X("ip", TK_PNAME, P_IP) \
	X("arp", TK_PNAME, P_ARP) X("rarp", TK_PNAME, P_RARP) X("sctp", TK_PNAME, P_SCTP) \
	X("tcp", TK_PNAME, P_TCP) X("udp", TK_PNAME, P_UDP) X("icmp", TK_PNAME, P_ICMP) \
	X("igmp", TK_PNAME, P_IGMP) X("igrp", TK_PNAME, P_IGRP) X("pim", TK_PNAME, P_PIM) \
	X("vrrp", TK_PNAME, P_VRRP) X("carp", TK_PNAME, P_CARP) X("ip6", TK_PNAME, P_IP6) \
	X("icmp6", TK_PNAME, P_ICMP6) X("ah", TK_PNAME, P_AH) X("esp", TK_PNAME, P_ESP) \
	X("atalk", TK_PNAME, P_ATALK) X("aarp", TK_PNAME, P_AARP) \
	X("decnet", TK_PNAME, P_DECNET) X("lat", TK_PNAME, P_LAT) X("sca", TK_PNAME, P_SCA) \
	X("mopdl", TK_PNAME, P_MOPDL) X("moprc", TK_PNAME, P_MOPRC) X("iso", TK_PNAME, P_ISO) \
	X("esis", TK_PNAME, P_ESIS) X("es-is", TK_PNAME, P_ESIS) X("isis", TK_PNAME, P_ISIS) \
	X("is-is", TK_PNAME, P_ISIS) X("clnp", TK_PNAME, P_CLNP) X("stp", TK_PNAME, P_STP) \
	X("ipx", TK_PNAME, P_IPX) X("netbeui", TK_PNAME, P_NETBEUI) X("l1", TK_PNAME, P_L1) \
	X("l2", TK_PNAME, P_L2) X("iih", TK_PNAME, P_IIH) X("lsp", TK_PNAME, P_LSP) \
	X("snp", TK_PNAME, P_SNP) X("csnp", TK_PNAME, P_CSNP) X("psnp", TK_PNAME, P_PSNP) \
	X("radio", TK_PNAME, P_RADIO) \
	/* Words of libpcap's language for other link types or live captures: \
	 * they are keywords (so never names) that rawbpf does not compile. */ \
	X("type", TK_UNSUPPORTED_KW, 0) X("subtype", TK_UNSUPPORTED_KW, 0) \
	X("dir", TK_UNSUPPORTED_KW, 0) X("direction", TK_UNSUPPORTED_KW, 0) \
	X("address1", TK_UNSUPPORTED_KW, 0) X("addr1", TK_UNSUPPORTED_KW, 0) \
	X("address2", TK_UNSUPPORTED_KW, 0) X("addr2", TK_UNSUPPORTED_KW, 0) \
	X("address3", TK_UNSUPPORTED_KW, 0) X("addr3", TK_UNSUPPORTED_KW, 0) \
	X("address4", TK_UNSUPPORTED_KW, 0) X("addr4", TK_UNSUPPORTED_KW, 0) \
	X("ra", TK_UNSUPPORTED_KW, 0) X("ta", TK_UNSUPPORTED_KW, 0) \
	X("inbound", TK_UNSUPPORTED_KW, 0) X("outbound", TK_UNSUPPORTED_KW, 0) \
	X("ifindex", TK_UNSUPPORTED_KW, 0) X("vpi", TK_UNSUPPORTED_KW, 0) \
	X("vci", TK_UNSUPPORTED_KW, 0) X("lane", TK_UNSUPPORTED_KW, 0) \
	X("oamf4", TK_UNSUPPORTED_KW, 0) X("oamf4ec", TK_UNSUPPORTED_KW, 0) \
	X("oamf4sc", TK_UNSUPPORTED_KW, 0) X("oam", TK_UNSUPPORTED_KW, 0) \
	X("metac", TK_UNSUPPORTED_KW, 0) X("bcc", TK_UNSUPPORTED_KW, 0) \
	X("sc", TK_UNSUPPORTED_KW, 0) X("ilmic", TK_UNSUPPORTED_KW, 0) \
	X("metaconnect", TK_UNSUPPORTED_KW, 0) X("connectmsg", TK_UNSUPPORTED_KW, 0) \
	X("on", TK_UNSUPPORTED_KW, 0) X("ifname", TK_UNSUPPORTED_KW, 0) \
	X("rset", TK_UNSUPPORTED_KW, 0) X("rnr", TK_UNSUPPORTED_KW, 0) \
	X("rulenum", TK_UNSUPPORTED_KW, 0) X("srnr", TK_UNSUPPORTED_KW, 0) \
	X("subrulenum", TK_UNSUPPORTED_KW, 0) X("reason", TK_UNSUPPORTED_KW, 0) \
	X("action", TK_UNSUPPORTED_KW, 0) X("fisu", TK_UNSUPPORTED_KW, 0) \
	X("lssu", TK_UNSUPPORTED_KW, 0) X("lsu", TK_UNSUPPORTED_KW, 0) \
	X("msu", TK_UNSUPPORTED_KW, 0) X("hfisu", TK_UNSUPPORTED_KW, 0) \
	X("hlssu", TK_UNSUPPORTED_KW, 0) X("hmsu", TK_UNSUPPORTED_KW, 0) \
	X("sio", TK_UNSUPPORTED_KW, 0) X("opc", TK_UNSUPPORTED_KW, 0) \
	X("dpc", TK_UNSUPPORTED_KW, 0) X("sls", TK_UNSUPPORTED_KW, 0) \
	X("hsio", TK_UNSUPPORTED_KW, 0) X("hopc", TK_UNSUPPORTED_KW, 0) \
	X("hdpc", TK_UNSUPPORTED_KW, 0) X("hsls", TK_UNSUPPORTED_KW, 0) \
	X("vxlan", TK_UNSUPPORTED_KW, 0) \
	/* Named numbers. */ \
	X("icmptype", TK_NUM, 0) X("icmpcode", TK_NUM, 1) \
	X("icmp-echoreply", TK_NUM, 0) X("icmp-unreach", TK_NUM, 3) \
	X("icmp-sourcequench", TK_NUM, 4) X("icmp-redirect", TK_NUM, 5) \
	X("icmp-echo", TK_NUM, 8) X("icmp-routeradvert", TK_NUM, 9) \
	X("icmp-routersolicit", TK_NUM, 10) X("icmp-timxceed", TK_NUM, 11) \
	X("icmp-paramprob", TK_NUM, 12) X("icmp-tstamp", TK_NUM, 13) \
	X("icmp-tstampreply", TK_NUM, 14) X("icmp-ireq", TK_NUM, 15) \
	X("icmp-ireqreply", TK_NUM, 16) X("icmp-maskreq", TK_NUM, 17) \
	X("icmp-maskreply", TK_NUM, 18) \
	X("icmp6type", TK_NUM, 0) X("icmp6code", TK_NUM, 1) \
	X("icmp6-destinationunreach", TK_NUM, 1) X("icmp6-packettoobig", TK_NUM, 2) \
	X("icmp6-timeexceeded", TK_NUM, 3) X("icmp6-parameterproblem", TK_NUM, 4) \
	X("icmp6-echo", TK_NUM, 128) X("icmp6-echoreply", TK_NUM, 129) \
	X("icmp6-multicastlistenerquery", TK_NUM, 130) \
	X("icmp6-multicastlistenerreportv1", TK_NUM, 131) \
	X("icmp6-multicastlistenerdone", TK_NUM, 132) \
	X("icmp6-routersolicit", TK_NUM, 133) X("icmp6-routeradvert", TK_NUM, 134) \
	X("icmp6-neighborsolicit", TK_NUM, 135) X("icmp6-neighboradvert", TK_NUM, 136) \
	X("icmp6-redirect", TK_NUM, 137) X("icmp6-routerrenum", TK_NUM, 138) \
	X("icmp6-nodeinformationquery", TK_NUM, 139) \
	X("icmp6-nodeinformationresponse", TK_NUM, 140) \
	X("icmp6-ineighbordiscoverysolicit", TK_NUM, 141) \
	X("icmp6-ineighbordiscoveryadvert", TK_NUM, 142) \
	X("icmp6-multicastlistenerreportv2", TK_NUM, 143) \
	X("icmp6-homeagentdiscoveryrequest", TK_NUM, 144) \
	X("icmp6-homeagentdiscoveryreply", TK_NUM, 145) \
	X("icmp6-mobileprefixsolicit", TK_NUM, 146) \
	X("icmp6-mobileprefixadvert", TK_NUM, 147) \
	X("icmp6-certpathsolicit", TK_NUM, 148) X("icmp6-certpathadvert", TK_NUM, 149) \
	X("icmp6-multicastrouteradvert", TK_NUM, 151) \
	X("icmp6-multicastroutersolicit", TK_NUM, 152) \
	X("icmp6-multicastrouterterm", TK_NUM, 153) \
	X("tcpflags", TK_NUM, 13) X("tcp-fin", TK_NUM, 0x01) X("tcp-syn", TK_NUM, 0x02) \
	X("tcp-rst", TK_NUM, 0x04) X("tcp-push", TK_NUM, 0x08) X("tcp-ack", TK_NUM, 0x10) \
	X("tcp-urg", TK_NUM, 0x20) X("tcp-ece", TK_NUM, 0x40) X("tcp-cwr", TK_NUM, 0x80) \

#define WORD_TEXT(w, k, v) w "\0"
#define WORD_KIND(w, k, v) k,
#define WORD_VAL(w, k, v) v,
static const char word_texts[] = WORDS(WORD_TEXT);
static const uint8_t word_kinds[] = {WORDS(WORD_KIND)};
static const uint8_t word_vals[] = {WORDS(WORD_VAL)};

const char *rb_lex_pname(int p)
{
	const char *w = word_texts;
	for (size_t i = 0; i < sizeof(word_kinds); i++, w = rb_strtab_next(w))
		if (word_kinds[i] == TK_PNAME && word_vals[i] == p)
			return w;
	return "?";
}

void rb_lex_init(struct rb_lexer *lx, const char *src)
{
	lx->src = src;
	lx->len = strlen(src);
	lx->pos = 0;
}

static int digit_value(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return 99;
}

int rb_lex_number(const char *s, size_t n, uint32_t *out)
{
	unsigned base = 10;
	size_t i = 0;
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		i = 2;
	} else if (n > 1 && s[0] == '0') {
		base = 8;
		i = 1;
	}
	if (i >= n)
		return -1;
	uint64_t v = 0;
	for (; i < n; i++) {
		int d = digit_value((unsigned char)s[i]);
		if (d < 0 || (unsigned)d >= base)
			return -1;
		v = v * base + (unsigned)d;
		if (v > UINT32_MAX)
			return -2;
	}
	*out = (uint32_t)v;
	return 0;
}

static int word_char(int c)
{
	return isalnum(c) || c == '-' || c == '_' || c == '.';
}

/* The longest [A-Za-z0-9][-_.A-Za-z0-9]*[.A-Za-z0-9] prefix. */
static size_t word_len(const char *s, size_t n)
{
	if (n == 0 || !isalnum((unsigned char)s[0]))
		return 0;
	size_t i = 1;
	while (i < n && word_char((unsigned char)s[i]))
		i++;
	while (i > 1 && (s[i - 1] == '-' || s[i - 1] == '_'))
		i--;
	return i;
}

static size_t run_len(const char *s, size_t n, const char *set)
{
	size_t i = 0;
	while (i < n && (isxdigit((unsigned char)s[i]) || strchr(set, s[i])))
		i++;
	return i;
}

static int is_number(const char *s, size_t n)
{
	uint32_t v;
	return rb_lex_number(s, n, &v) != -1;
}

/* N.N, N.N.N or N.N.N.N with N a libpcap number. */
static int is_hid(const char *s, size_t n)
{
	int parts = 0;
	size_t start = 0;
	for (size_t i = 0; i <= n; i++) {
		if (i < n && s[i] != '.')
			continue;
		if (i == start || !is_number(s + start, i - start))
			return 0;
		parts++;
		start = i + 1;
	}
	return parts >= 2 && parts <= 4;
}

static int hex_run(const char *s, size_t n, size_t lo, size_t hi)
{
	if (n < lo || n > hi)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

/* MAC forms: 6 groups of 1-2 hex digits split by one of ":-.", three
 * 4-digit groups split by ".", or 12 hex digits. */
static int is_eid(const char *s, size_t n)
{
	if (hex_run(s, n, 12, 12))
		return 1;
	const char *seps = ":-.";
	for (const char *sep = seps; *sep; sep++) {
		int groups = 0, ok4 = 1, ok2 = 1;
		size_t start = 0;
		for (size_t i = 0; i <= n; i++) {
			if (i < n && s[i] != *sep)
				continue;
			size_t g = i - start;
			ok2 &= hex_run(s + start, g, 1, 2);
			ok4 &= hex_run(s + start, g, 4, 4);
			groups++;
			start = i + 1;
		}
		if ((groups == 6 && ok2) || (groups == 3 && ok4 && *sep == '.'))
			return 1;
	}
	return 0;
}

static int is_ipv6(const char *s, size_t n)
{
	char buf[64];
	unsigned char addr[16];
	if (n == 0 || n >= sizeof(buf) || !memchr(s, ':', n))
		return 0;
	memcpy(buf, s, n);
	buf[n] = 0;
	return inet_pton(AF_INET6, buf, addr) == 1;
}

static void classify_word(struct rb_token *t)
{
	char w[40];
	t->kind = TK_ID;
	if (t->len < sizeof(w)) {
		for (size_t i = 0; i < t->len; i++)
			w[i] = (char)tolower((unsigned char)t->text[i]);
		w[t->len] = 0;
		int i = rb_strtab_index(word_texts, w);
		if (i >= 0) {
			t->kind = word_kinds[i];
			t->val = word_vals[i];
			return;
		}
	}
	if (is_eid(t->text, t->len))
		t->kind = TK_EID;
	else if (is_number(t->text, t->len))
		t->kind = TK_NUM;
	else if (is_hid(t->text, t->len))
		t->kind = TK_HID;
}

static int lex_word(struct rb_lexer *lx, struct rb_token *t, int *err_pos, struct rb_err *err)
{
	const char *s = lx->src + lx->pos;
	size_t rest = lx->len - lx->pos;
	size_t wl = word_len(s, rest);
	size_t v6 = run_len(s, rest, ":.");
	/* An address with ':' is longer than any word it starts with. */
	while (v6 > wl && !is_ipv6(s, v6) && !is_eid(s, v6))
		v6--;
	t->text = s;
	if (v6 > wl) {
		t->len = v6;
		t->kind = is_ipv6(s, v6) ? TK_HID6 : TK_EID;
		return 0;
	}
	t->len = wl;
	classify_word(t);
	if (t->kind == TK_NUM && t->text[0] >= '0' && t->text[0] <= '9') {
		int r = rb_lex_number(t->text, t->len, &t->val);
		if (r == -2) {
			*err_pos = (int)t->pos;
			return rb_errf(err, RB_EUSAGE, "number %.*s does not fit in 32 bits",
				       (int)t->len, t->text);
		}
	}
	return 0;
}

/* Operators, two-character ones first: text (a second NUL when one
 * character long) and token kind. */
static const struct {
	char text[2];
	uint8_t kind;
} ops[] = {
	{">=", TK_GE}, {"<=", TK_LE}, {"!=", TK_NE}, {"==", TK_EQ}, {"<<", TK_LSH},
	{">>", TK_RSH}, {"&&", TK_AND}, {"||", TK_OR}, {"(", TK_LPAREN},
	{")", TK_RPAREN}, {"[", TK_LBRACK}, {"]", TK_RBRACK}, {":", TK_COLON},
	{"/", TK_SLASH}, {"+", TK_PLUS}, {"-", TK_MINUS}, {"*", TK_STAR},
	{"%", TK_PERCENT}, {"&", TK_AMP}, {"|", TK_PIPE}, {"^", TK_CARET},
	{">", TK_GT}, {"<", TK_LT}, {"=", TK_EQ}, {"!", TK_NOT},
};

static int lex_escaped(struct rb_lexer *lx, struct rb_token *t, int *err_pos, struct rb_err *err)
{
	size_t i = lx->pos + 1;
	while (i < lx->len && !strchr(" \t\n!()", lx->src[i]))
		i++;
	if (i == lx->pos + 1) {
		*err_pos = (int)lx->pos;
		return rb_errf(err, RB_EUSAGE, "a backslash must be followed by a name");
	}
	t->kind = TK_ID;
	t->escaped = 1;
	t->text = lx->src + lx->pos + 1;
	t->len = i - lx->pos - 1;
	lx->pos = i;
	return 0;
}

int rb_lex_next(struct rb_lexer *lx, struct rb_token *t, int *err_pos, struct rb_err *err)
{
	while (lx->pos < lx->len && isspace((unsigned char)lx->src[lx->pos]))
		lx->pos++;
	memset(t, 0, sizeof(*t));
	t->pos = lx->pos;
	t->text = lx->src + lx->pos;
	if (lx->pos >= lx->len)
		return 0;
	const char *s = lx->src + lx->pos;
	if (*s == '\\')
		return lex_escaped(lx, t, err_pos, err);
	if (isalnum((unsigned char)*s) || *s == ':') {
		int r = lex_word(lx, t, err_pos, err);
		if (r < 0)
			return r;
		if (t->len > 0) {
			lx->pos += t->len;
			return 0;
		}
	}
	for (size_t i = 0; i < RB_ARRAY_SIZE(ops); i++) {
		size_t n = ops[i].text[1] ? 2 : 1;
		if (lx->len - lx->pos >= n && !memcmp(s, ops[i].text, n)) {
			t->kind = ops[i].kind;
			t->len = n;
			lx->pos += n;
			return 0;
		}
	}
	*err_pos = (int)lx->pos;
	return rb_errf(err, RB_EUSAGE, "unexpected character '%c'", *s);
}
