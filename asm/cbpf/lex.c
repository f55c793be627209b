/* Tokenizer for pcap-filter(7); see lex.h. */
#include "asm/cbpf/lex.h"

#include "common/buf.h"
#include "common/scan.h"
#include "common/strtab.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdbool.h>
#include <string.h>

/* The words of the filter language, in groups that share a token kind, so
 * the tables hold only what differs: each group is one packed string (no
 * pointer per word) with, where needed, a parallel byte array. */
#define KEYWORDS(X) \
	X("src", TK_SRC) X("dst", TK_DST) X("host", TK_HOST) X("net", TK_NET) X("mask", TK_MASK) \
	X("port", TK_PORT) X("portrange", TK_PORTRANGE) X("proto", TK_PROTO) \
	X("protochain", TK_PROTOCHAIN) X("gateway", TK_GATEWAY) X("less", TK_LESS) \
	X("greater", TK_GREATER) X("broadcast", TK_BROADCAST) X("multicast", TK_MULTICAST) \
	X("len", TK_LEN) X("length", TK_LEN) X("vlan", TK_VLAN) X("mpls", TK_MPLS) \
	X("pppoed", TK_PPPOED) X("pppoes", TK_PPPOES) X("geneve", TK_GENEVE) X("llc", TK_LLC) \
	X("byte", TK_BYTE) X("and", TK_AND) X("or", TK_OR) X("not", TK_NOT)

/* Protocol names: TK_PNAME, the enum rb_pname in val. */
#define PNAMES(X) \
	X("link", P_LINK) X("ether", P_LINK) X("fddi", P_LINK) X("tr", P_LINK) X("wlan", P_LINK) \
	X("ppp", P_LINK) X("slip", P_LINK) X("ip", P_IP) X("arp", P_ARP) X("rarp", P_RARP) \
	X("sctp", P_SCTP) X("tcp", P_TCP) X("udp", P_UDP) X("icmp", P_ICMP) X("igmp", P_IGMP) \
	X("igrp", P_IGRP) X("pim", P_PIM) X("vrrp", P_VRRP) X("carp", P_CARP) X("ip6", P_IP6) \
	X("icmp6", P_ICMP6) X("ah", P_AH) X("esp", P_ESP) X("atalk", P_ATALK) X("aarp", P_AARP) \
	X("decnet", P_DECNET) X("lat", P_LAT) X("sca", P_SCA) X("mopdl", P_MOPDL) \
	X("moprc", P_MOPRC) X("iso", P_ISO) X("esis", P_ESIS) X("es-is", P_ESIS) X("isis", P_ISIS) \
	X("is-is", P_ISIS) X("clnp", P_CLNP) X("stp", P_STP) X("ipx", P_IPX) \
	X("netbeui", P_NETBEUI) X("l1", P_L1) X("l2", P_L2) X("iih", P_IIH) X("lsp", P_LSP) \
	X("snp", P_SNP) X("csnp", P_CSNP) X("psnp", P_PSNP) X("radio", P_RADIO)

/* Words of libpcap's language for other link types or live captures: they
 * are keywords (so never names) that rawbpf does not compile. */
#define UNSUPPORTED(X) \
	X("type") X("subtype") X("dir") X("direction") X("address1") X("addr1") X("address2") \
	X("addr2") X("address3") X("addr3") X("address4") X("addr4") X("ra") X("ta") X("inbound") \
	X("outbound") X("ifindex") X("vpi") X("vci") X("lane") X("oamf4") X("oamf4ec") \
	X("oamf4sc") X("oam") X("metac") X("bcc") X("sc") X("ilmic") X("metaconnect") \
	X("connectmsg") X("on") X("ifname") X("rset") X("rnr") X("rulenum") X("srnr") \
	X("subrulenum") X("reason") X("action") X("fisu") X("lssu") X("lsu") X("msu") X("hfisu") \
	X("hlssu") X("hmsu") X("sio") X("opc") X("dpc") X("sls") X("hsio") X("hopc") X("hdpc") \
	X("hsls") X("vxlan")

/* Named numbers (libpcap's scanner returns NUM for them), grouped by the
 * prefix their spellings share, which is stored once. */
#define NUMBERS(X) \
	X("icmptype", 0) X("icmpcode", 1) X("icmp6type", 0) X("icmp6code", 1) X("tcpflags", 13)
#define ICMP_NUMBERS(X) \
	X("echoreply", 0) X("unreach", 3) X("sourcequench", 4) X("redirect", 5) X("echo", 8) \
	X("routeradvert", 9) X("routersolicit", 10) X("timxceed", 11) X("paramprob", 12) \
	X("tstamp", 13) X("tstampreply", 14) X("ireq", 15) X("ireqreply", 16) X("maskreq", 17) \
	X("maskreply", 18)
#define ICMP6_NUMBERS(X) \
	X("destinationunreach", 1) X("packettoobig", 2) X("timeexceeded", 3) \
	X("parameterproblem", 4) X("echo", 128) X("echoreply", 129) \
	X("multicastlistenerquery", 130) X("multicastlistenerreportv1", 131) \
	X("multicastlistenerdone", 132) X("routersolicit", 133) X("routeradvert", 134) \
	X("neighborsolicit", 135) X("neighboradvert", 136) X("redirect", 137) \
	X("routerrenum", 138) X("nodeinformationquery", 139) X("nodeinformationresponse", 140) \
	X("ineighbordiscoverysolicit", 141) X("ineighbordiscoveryadvert", 142) \
	X("multicastlistenerreportv2", 143) X("homeagentdiscoveryrequest", 144) \
	X("homeagentdiscoveryreply", 145) X("mobileprefixsolicit", 146) \
	X("mobileprefixadvert", 147) X("certpathsolicit", 148) X("certpathadvert", 149) \
	X("multicastrouteradvert", 151) X("multicastroutersolicit", 152) \
	X("multicastrouterterm", 153)
#define TCP_NUMBERS(X) \
	X("fin", 0x01) X("syn", 0x02) X("rst", 0x04) X("push", 0x08) X("ack", 0x10) X("urg", 0x20) \
	X("ece", 0x40) X("cwr", 0x80)

#define WORD_TEXT(w, ...) w "\0"
#define WORD_DATA(w, v) v,
static const char keyword_words[] = KEYWORDS(WORD_TEXT);
static const uint8_t keyword_kinds[] = {KEYWORDS(WORD_DATA)};
static const char pname_words[] = PNAMES(WORD_TEXT);
static const uint8_t pname_vals[] = {PNAMES(WORD_DATA)};
static const char unsupported_words[] = UNSUPPORTED(WORD_TEXT);
static const char number_words[] = NUMBERS(WORD_TEXT);
static const uint8_t number_vals[] = {NUMBERS(WORD_DATA)};
static const char icmp_words[] = ICMP_NUMBERS(WORD_TEXT);
static const uint8_t icmp_vals[] = {ICMP_NUMBERS(WORD_DATA)};
static const char icmp6_words[] = ICMP6_NUMBERS(WORD_TEXT);
static const uint8_t icmp6_vals[] = {ICMP6_NUMBERS(WORD_DATA)};
static const char tcp_words[] = TCP_NUMBERS(WORD_TEXT);
static const uint8_t tcp_vals[] = {TCP_NUMBERS(WORD_DATA)};

static const struct {
	char prefix[7];
	const char *words;
	const uint8_t *vals;
} number_groups[] = {
	{"", number_words, number_vals}, {"icmp-", icmp_words, icmp_vals},
	{"icmp6-", icmp6_words, icmp6_vals}, {"tcp-", tcp_words, tcp_vals},
};

const char *rb_lex_pname(int p)
{
	const char *w = pname_words;
	for (size_t i = 0; i < sizeof(pname_vals); i++, w = rb_strtab_next(w))
		if (pname_vals[i] == p)
			return w;
	return "?";
}

void rb_lex_init(struct rb_lexer *lx, const char *src)
{
	lx->src = src;
	lx->len = strlen(src);
	lx->pos = 0;
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
		int d = rb_digit_value((unsigned char)s[i]);
		if ((unsigned)d >= base)
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

static bool named_number(const char *w, uint32_t *val)
{
	for (size_t g = 0; g < RB_ARRAY_SIZE(number_groups); g++) {
		size_t n = strlen(number_groups[g].prefix);
		int i;
		if (!strncmp(w, number_groups[g].prefix, n) &&
		    (i = rb_strtab_index(number_groups[g].words, w + n)) >= 0) {
			*val = number_groups[g].vals[i];
			return true;
		}
	}
	return false;
}

/* Keyword, protocol name or named number (w in lower case): false if w is
 * none of them. */
static bool lookup_word(const char *w, struct rb_token *t)
{
	int i;
	if ((i = rb_strtab_index(keyword_words, w)) >= 0) {
		t->kind = keyword_kinds[i];
	} else if ((i = rb_strtab_index(pname_words, w)) >= 0) {
		t->kind = TK_PNAME;
		t->val = pname_vals[i];
	} else if (rb_strtab_index(unsupported_words, w) >= 0) {
		t->kind = TK_UNSUPPORTED_KW;
	} else if (named_number(w, &t->val)) {
		t->kind = TK_NUM;
	} else
		return false;
	return true;
}

static void classify_word(struct rb_token *t)
{
	char w[40];
	t->kind = TK_ID;
	if (t->len < sizeof(w)) {
		for (size_t i = 0; i < t->len; i++)
			w[i] = (char)tolower((unsigned char)t->text[i]);
		w[t->len] = 0;
		if (lookup_word(w, t))
			return;
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
