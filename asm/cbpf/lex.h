/* Tokenizer for pcap-filter(7) expressions.  Follows libpcap's scanner:
 * a word is matched greedily ([A-Za-z0-9][-_.A-Za-z0-9]*), then classified
 * as keyword, number, dotted host id, MAC address, IPv6 address or name, so
 * `portrange 25-smtp` gives one word and `len-14` is a name, as in tcpdump.
 * Every token keeps its byte offset for the error caret. */
#ifndef RAWBPF_ASM_CBPF_LEX_H
#define RAWBPF_ASM_CBPF_LEX_H

#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

enum rb_tok {
	TK_EOF, TK_NUM, TK_HID, TK_HID6, TK_EID, TK_ID,
	TK_LPAREN, TK_RPAREN, TK_LBRACK, TK_RBRACK, TK_COLON, TK_SLASH,
	TK_PLUS, TK_MINUS, TK_STAR, TK_PERCENT, TK_AMP, TK_PIPE, TK_CARET,
	TK_LSH, TK_RSH, TK_GT, TK_GE, TK_LT, TK_LE, TK_EQ, TK_NE,
	TK_AND, TK_OR, TK_NOT,
	/* keywords */
	TK_SRC, TK_DST, TK_HOST, TK_NET, TK_MASK, TK_PORT, TK_PORTRANGE,
	TK_PROTO, TK_PROTOCHAIN, TK_GATEWAY, TK_LESS, TK_GREATER, TK_BROADCAST,
	TK_MULTICAST, TK_LEN, TK_VLAN, TK_MPLS, TK_PPPOED, TK_PPPOES, TK_GENEVE,
	TK_LLC, TK_BYTE, TK_UNSUPPORTED_KW,
	TK_PNAME,      /* protocol name; tok.val = enum rb_pname */
	TK_PNAME_ONLY, /* protocol abbreviation usable only alone (stp, l1...) */
};

/* Protocol qualifiers and abbreviations (libpcap's Q_* protocols). */
enum rb_pname {
	P_DEFAULT, P_LINK, P_ETHER, P_FDDI, P_TR, P_WLAN, P_PPP, P_SLIP, P_IP,
	P_ARP, P_RARP, P_SCTP, P_TCP, P_UDP, P_ICMP, P_IGMP, P_IGRP, P_PIM,
	P_VRRP, P_CARP, P_IP6, P_ICMP6, P_AH, P_ESP, P_ATALK, P_AARP, P_DECNET,
	P_LAT, P_SCA, P_MOPDL, P_MOPRC, P_ISO, P_ESIS, P_ISIS, P_CLNP, P_STP,
	P_IPX, P_NETBEUI, P_L1, P_L2, P_IIH, P_LSP, P_SNP, P_CSNP, P_PSNP,
	P_RADIO,
};

struct rb_token {
	enum rb_tok kind;
	uint32_t val;       /* TK_NUM value, TK_PNAME protocol */
	size_t pos, len;    /* byte span in the expression */
	const char *text;   /* points into the expression (not NUL-terminated) */
	int escaped;        /* ID written with a leading backslash */
};

struct rb_lexer {
	const char *src;
	size_t len, pos;
};

/* A protocol qualifier (enum rb_pname) as written, its first spelling
 * ("link" for P_LINK), for messages. */
const char *rb_lex_pname(int p);

void rb_lex_init(struct rb_lexer *lx, const char *src);
/* Reads the next token.  Returns 0, or -RB_EUSAGE (err filled, *err_pos
 * set) for a character or number libpcap's scanner refuses. */
int rb_lex_next(struct rb_lexer *lx, struct rb_token *t, int *err_pos, struct rb_err *err);

/* libpcap's bpf_atoi rules: decimal, 0x hex, leading-0 octal, 32-bit. */
int rb_lex_number(const char *s, size_t n, uint32_t *out);

#endif
