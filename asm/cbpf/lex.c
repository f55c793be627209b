/* Tokenizer for pcap-filter(7); see lex.h. */
#include "asm/cbpf/lex.h"

#include "common/buf.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>

struct keyword {
	const char *word;
	enum rb_tok kind;
	uint32_t val;
};

/* Named numbers of the filter language (libpcap's scanner returns NUM). */
static const struct keyword numeric_words[] = {
	{"icmptype", TK_NUM, 0}, {"icmpcode", TK_NUM, 1},
	{"icmp-echoreply", TK_NUM, 0}, {"icmp-unreach", TK_NUM, 3},
	{"icmp-sourcequench", TK_NUM, 4}, {"icmp-redirect", TK_NUM, 5},
	{"icmp-echo", TK_NUM, 8}, {"icmp-routeradvert", TK_NUM, 9},
	{"icmp-routersolicit", TK_NUM, 10}, {"icmp-timxceed", TK_NUM, 11},
	{"icmp-paramprob", TK_NUM, 12}, {"icmp-tstamp", TK_NUM, 13},
	{"icmp-tstampreply", TK_NUM, 14}, {"icmp-ireq", TK_NUM, 15},
	{"icmp-ireqreply", TK_NUM, 16}, {"icmp-maskreq", TK_NUM, 17},
	{"icmp-maskreply", TK_NUM, 18},
	{"icmp6type", TK_NUM, 0}, {"icmp6code", TK_NUM, 1},
	{"icmp6-destinationunreach", TK_NUM, 1}, {"icmp6-packettoobig", TK_NUM, 2},
	{"icmp6-timeexceeded", TK_NUM, 3}, {"icmp6-parameterproblem", TK_NUM, 4},
	{"icmp6-echo", TK_NUM, 128}, {"icmp6-echoreply", TK_NUM, 129},
	{"icmp6-multicastlistenerquery", TK_NUM, 130},
	{"icmp6-multicastlistenerreportv1", TK_NUM, 131},
	{"icmp6-multicastlistenerdone", TK_NUM, 132},
	{"icmp6-routersolicit", TK_NUM, 133}, {"icmp6-routeradvert", TK_NUM, 134},
	{"icmp6-neighborsolicit", TK_NUM, 135}, {"icmp6-neighboradvert", TK_NUM, 136},
	{"icmp6-redirect", TK_NUM, 137}, {"icmp6-routerrenum", TK_NUM, 138},
	{"icmp6-nodeinformationquery", TK_NUM, 139},
	{"icmp6-nodeinformationresponse", TK_NUM, 140},
	{"icmp6-ineighbordiscoverysolicit", TK_NUM, 141},
	{"icmp6-ineighbordiscoveryadvert", TK_NUM, 142},
	{"icmp6-multicastlistenerreportv2", TK_NUM, 143},
	{"icmp6-homeagentdiscoveryrequest", TK_NUM, 144},
	{"icmp6-homeagentdiscoveryreply", TK_NUM, 145},
	{"icmp6-mobileprefixsolicit", TK_NUM, 146},
	{"icmp6-mobileprefixadvert", TK_NUM, 147},
	{"icmp6-certpathsolicit", TK_NUM, 148}, {"icmp6-certpathadvert", TK_NUM, 149},
	{"icmp6-multicastrouteradvert", TK_NUM, 151},
	{"icmp6-multicastroutersolicit", TK_NUM, 152},
	{"icmp6-multicastrouterterm", TK_NUM, 153},
	{"tcpflags", TK_NUM, 13}, {"tcp-fin", TK_NUM, 0x01}, {"tcp-syn", TK_NUM, 0x02},
	{"tcp-rst", TK_NUM, 0x04}, {"tcp-push", TK_NUM, 0x08}, {"tcp-ack", TK_NUM, 0x10},
	{"tcp-urg", TK_NUM, 0x20}, {"tcp-ece", TK_NUM, 0x40}, {"tcp-cwr", TK_NUM, 0x80},
};

static const struct keyword keywords[] = {
	{"src", TK_SRC, 0}, {"dst", TK_DST, 0}, {"host", TK_HOST, 0}, {"net", TK_NET, 0},
	{"mask", TK_MASK, 0}, {"port", TK_PORT, 0}, {"portrange", TK_PORTRANGE, 0},
	{"proto", TK_PROTO, 0}, {"protochain", TK_PROTOCHAIN, 0},
	{"gateway", TK_GATEWAY, 0}, {"less", TK_LESS, 0}, {"greater", TK_GREATER, 0},
	{"broadcast", TK_BROADCAST, 0}, {"multicast", TK_MULTICAST, 0},
	{"len", TK_LEN, 0}, {"length", TK_LEN, 0}, {"vlan", TK_VLAN, 0},
	{"mpls", TK_MPLS, 0}, {"pppoed", TK_PPPOED, 0}, {"pppoes", TK_PPPOES, 0},
	{"geneve", TK_GENEVE, 0}, {"llc", TK_LLC, 0}, {"byte", TK_BYTE, 0},
	{"and", TK_AND, 0}, {"or", TK_OR, 0}, {"not", TK_NOT, 0},
	{"link", TK_PNAME, P_LINK}, {"ether", TK_PNAME, P_LINK},
	{"fddi", TK_PNAME, P_LINK}, {"tr", TK_PNAME, P_LINK}, {"wlan", TK_PNAME, P_LINK},
	{"ppp", TK_PNAME, P_LINK}, {"slip", TK_PNAME, P_LINK}, {"ip", TK_PNAME, P_IP},
	{"arp", TK_PNAME, P_ARP}, {"rarp", TK_PNAME, P_RARP}, {"sctp", TK_PNAME, P_SCTP},
	{"tcp", TK_PNAME, P_TCP}, {"udp", TK_PNAME, P_UDP}, {"icmp", TK_PNAME, P_ICMP},
	{"igmp", TK_PNAME, P_IGMP}, {"igrp", TK_PNAME, P_IGRP}, {"pim", TK_PNAME, P_PIM},
	{"vrrp", TK_PNAME, P_VRRP}, {"carp", TK_PNAME, P_CARP}, {"ip6", TK_PNAME, P_IP6},
	{"icmp6", TK_PNAME, P_ICMP6}, {"ah", TK_PNAME, P_AH}, {"esp", TK_PNAME, P_ESP},
	{"atalk", TK_PNAME, P_ATALK}, {"aarp", TK_PNAME, P_AARP},
	{"decnet", TK_PNAME, P_DECNET}, {"lat", TK_PNAME, P_LAT}, {"sca", TK_PNAME, P_SCA},
	{"mopdl", TK_PNAME, P_MOPDL}, {"moprc", TK_PNAME, P_MOPRC}, {"iso", TK_PNAME, P_ISO},
	{"esis", TK_PNAME, P_ESIS}, {"es-is", TK_PNAME, P_ESIS}, {"isis", TK_PNAME, P_ISIS},
	{"is-is", TK_PNAME, P_ISIS}, {"clnp", TK_PNAME, P_CLNP}, {"stp", TK_PNAME, P_STP},
	{"ipx", TK_PNAME, P_IPX}, {"netbeui", TK_PNAME, P_NETBEUI}, {"l1", TK_PNAME, P_L1},
	{"l2", TK_PNAME, P_L2}, {"iih", TK_PNAME, P_IIH}, {"lsp", TK_PNAME, P_LSP},
	{"snp", TK_PNAME, P_SNP}, {"csnp", TK_PNAME, P_CSNP}, {"psnp", TK_PNAME, P_PSNP},
	{"radio", TK_PNAME, P_RADIO},
	/* Words of libpcap's language for other link types or live captures:
	 * they are keywords (so never names) that rawbpf does not compile. */
	{"type", TK_UNSUPPORTED_KW, 0}, {"subtype", TK_UNSUPPORTED_KW, 0},
	{"dir", TK_UNSUPPORTED_KW, 0}, {"direction", TK_UNSUPPORTED_KW, 0},
	{"address1", TK_UNSUPPORTED_KW, 0}, {"addr1", TK_UNSUPPORTED_KW, 0},
	{"address2", TK_UNSUPPORTED_KW, 0}, {"addr2", TK_UNSUPPORTED_KW, 0},
	{"address3", TK_UNSUPPORTED_KW, 0}, {"addr3", TK_UNSUPPORTED_KW, 0},
	{"address4", TK_UNSUPPORTED_KW, 0}, {"addr4", TK_UNSUPPORTED_KW, 0},
	{"ra", TK_UNSUPPORTED_KW, 0}, {"ta", TK_UNSUPPORTED_KW, 0},
	{"inbound", TK_UNSUPPORTED_KW, 0}, {"outbound", TK_UNSUPPORTED_KW, 0},
	{"ifindex", TK_UNSUPPORTED_KW, 0}, {"vpi", TK_UNSUPPORTED_KW, 0},
	{"vci", TK_UNSUPPORTED_KW, 0}, {"lane", TK_UNSUPPORTED_KW, 0},
	{"oamf4", TK_UNSUPPORTED_KW, 0}, {"oamf4ec", TK_UNSUPPORTED_KW, 0},
	{"oamf4sc", TK_UNSUPPORTED_KW, 0}, {"oam", TK_UNSUPPORTED_KW, 0},
	{"metac", TK_UNSUPPORTED_KW, 0}, {"bcc", TK_UNSUPPORTED_KW, 0},
	{"sc", TK_UNSUPPORTED_KW, 0}, {"ilmic", TK_UNSUPPORTED_KW, 0},
	{"metaconnect", TK_UNSUPPORTED_KW, 0}, {"connectmsg", TK_UNSUPPORTED_KW, 0},
	{"on", TK_UNSUPPORTED_KW, 0}, {"ifname", TK_UNSUPPORTED_KW, 0},
	{"rset", TK_UNSUPPORTED_KW, 0}, {"rnr", TK_UNSUPPORTED_KW, 0},
	{"rulenum", TK_UNSUPPORTED_KW, 0}, {"srnr", TK_UNSUPPORTED_KW, 0},
	{"subrulenum", TK_UNSUPPORTED_KW, 0}, {"reason", TK_UNSUPPORTED_KW, 0},
	{"action", TK_UNSUPPORTED_KW, 0}, {"fisu", TK_UNSUPPORTED_KW, 0},
	{"lssu", TK_UNSUPPORTED_KW, 0}, {"lsu", TK_UNSUPPORTED_KW, 0},
	{"msu", TK_UNSUPPORTED_KW, 0}, {"hfisu", TK_UNSUPPORTED_KW, 0},
	{"hlssu", TK_UNSUPPORTED_KW, 0}, {"hmsu", TK_UNSUPPORTED_KW, 0},
	{"sio", TK_UNSUPPORTED_KW, 0}, {"opc", TK_UNSUPPORTED_KW, 0},
	{"dpc", TK_UNSUPPORTED_KW, 0}, {"sls", TK_UNSUPPORTED_KW, 0},
	{"hsio", TK_UNSUPPORTED_KW, 0}, {"hopc", TK_UNSUPPORTED_KW, 0},
	{"hdpc", TK_UNSUPPORTED_KW, 0}, {"hsls", TK_UNSUPPORTED_KW, 0},
	{"vxlan", TK_UNSUPPORTED_KW, 0},
};

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
		for (size_t i = 0; i < RB_ARRAY_SIZE(keywords); i++)
			if (!strcmp(keywords[i].word, w)) {
				t->kind = keywords[i].kind;
				t->val = keywords[i].val;
				return;
			}
		for (size_t i = 0; i < RB_ARRAY_SIZE(numeric_words); i++)
			if (!strcmp(numeric_words[i].word, w)) {
				t->kind = TK_NUM;
				t->val = numeric_words[i].val;
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

struct op {
	const char *text;
	enum rb_tok kind;
};

static const struct op ops[] = {
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
		size_t n = strlen(ops[i].text);
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
