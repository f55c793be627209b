/* pcap-filter(7) parser; see parse.h.  Follows libpcap's grammar.y,
 * including its quirks: '^' has no precedence (it always shifts), a name
 * after and/or reuses the previous qualifiers. */
#include "asm/cbpf/parse.h"

#include <linux/filter.h>
#include <string.h>
#include <strings.h>

#define MAX_DEPTH 200

struct parser {
	struct rb_gen *g;
	struct rb_lexer lx;
	struct rb_token tok;     /* current token */
	int depth;
};

/* The qualifiers an implicit identifier inherits; valid=false after a term
 * that has none (a protocol alone, a relation, ...). */
struct qstate {
	struct rb_qual q;
	bool valid;
};

static int advance(struct parser *p)
{
	return rb_lex_next(&p->lx, &p->tok, p->g->err_pos, p->g->err);
}

/* The token n places after the current one (n >= 1), without consuming. */
static enum rb_tok peek(const struct parser *p, int n, struct rb_token *out)
{
	struct rb_lexer copy = p->lx;
	struct rb_token t = {0};
	struct rb_err scratch = {0};
	int pos = -1;
	for (int i = 0; i < n; i++)
		if (rb_lex_next(&copy, &t, &pos, &scratch) < 0) {
			t.kind = TK_EOF;   /* the real read reports the error */
			break;
		}
	if (out)
		*out = t;
	return t.kind;
}

static int syntax_error(struct parser *p)
{
	if (p->tok.kind == TK_EOF)
		return rb_gen_fail(p->g, p->tok.pos, "syntax error: the expression ends too early");
	return rb_gen_fail_tok(p->g, &p->tok, "syntax error at '%.*s'");
}

static int expect(struct parser *p, enum rb_tok kind)
{
	if (p->tok.kind != kind)
		return syntax_error(p);
	return advance(p);
}

static int enter(struct parser *p)
{
	if (++p->depth > MAX_DEPTH)
		return rb_gen_fail(p->g, p->tok.pos, "expression nested too deeply");
	return 0;
}

/* Parentheses: one nesting level more, past the '('; back out, past the ')'. */
static int open_paren(struct parser *p)
{
	int r = enter(p);
	return r < 0 ? r : advance(p);
}

static int close_paren(struct parser *p)
{
	p->depth--;
	return expect(p, TK_RPAREN);
}

static void join(struct parser *p, bool is_and, struct rb_cond *out, struct rb_cond b)
{
	if (is_and)
		rb_gen_and(p->g, out, b);
	else
		rb_gen_or(p->g, out, b);
}

/* ------------------------------------------------------------ arithmetic */

static bool is_relop(enum rb_tok k)
{
	return k == TK_GT || k == TK_GE || k == TK_EQ || k == TK_LT || k == TK_LE || k == TK_NE;
}

/* The arithmetic operators are the tokens TK_SLASH..TK_RSH: each with
 * libpcap's yacc precedence (0 for '%' and '^', which have none) and
 * its operation. */
static const struct {
	uint8_t prec, op;
} binops[TK_RSH - TK_SLASH + 1] = {
	[TK_PIPE - TK_SLASH] = {1, AR_OR}, [TK_AMP - TK_SLASH] = {2, AR_AND},
	[TK_LSH - TK_SLASH] = {3, AR_LSH}, [TK_RSH - TK_SLASH] = {3, AR_RSH},
	[TK_PLUS - TK_SLASH] = {4, AR_ADD}, [TK_MINUS - TK_SLASH] = {4, AR_SUB},
	[TK_STAR - TK_SLASH] = {5, AR_MUL}, [TK_SLASH - TK_SLASH] = {5, AR_DIV},
	[TK_PERCENT - TK_SLASH] = {0, AR_MOD}, [TK_CARET - TK_SLASH] = {0, AR_XOR},
};

static bool is_arith_op(enum rb_tok k)
{
	return k >= TK_SLASH && k <= TK_RSH;
}

static int binop_prec(enum rb_tok k)
{
	return is_arith_op(k) ? binops[k - TK_SLASH].prec : 0;
}

static int parse_arith(struct parser *p, int min_prec, int *out);

static int parse_pnum(struct parser *p, uint32_t *v)
{
	if (p->tok.kind == TK_LPAREN) {
		int r;
		if ((r = open_paren(p)) < 0 || (r = parse_pnum(p, v)) < 0)
			return r;
		return close_paren(p);
	}
	if (p->tok.kind != TK_NUM)
		return syntax_error(p);
	*v = p->tok.val;
	return advance(p);
}

static int parse_accessor(struct parser *p, int *out)
{
	int proto = (int)p->tok.val, index, r;
	size_t pos = p->tok.pos;
	uint32_t size = 1;
	if ((r = advance(p)) < 0 || (r = expect(p, TK_LBRACK)) < 0 ||
	    (r = parse_arith(p, 0, &index)) < 0)
		return r;
	if (p->tok.kind == TK_COLON) {
		if ((r = advance(p)) < 0)
			return r;
		if (p->tok.kind != TK_NUM)
			return syntax_error(p);
		size = p->tok.val;
		if ((r = advance(p)) < 0)
			return r;
	}
	if ((r = expect(p, TK_RBRACK)) < 0)
		return r;
	*out = rb_gen_load(p->g, proto, index, (int)size, pos);
	return *out;
}

static int parse_primary(struct parser *p, int *out)
{
	int r;
	struct rb_arth n = {.l = -1, .r = -1, .pos = (uint32_t)p->tok.pos};
	switch (p->tok.kind) {
	case TK_NUM:
		n.op = AR_NUM;
		n.k = n.lead = p->tok.val;
		if ((r = advance(p)) < 0)
			return r;
		return *out = rb_gen_arth_new(p->g, &n);
	case TK_LEN:
		n.op = AR_LEN;
		if ((r = advance(p)) < 0)
			return r;
		return *out = rb_gen_arth_new(p->g, &n);
	case TK_PNAME:
		return parse_accessor(p, out);
	case TK_LPAREN:
		if ((r = open_paren(p)) < 0 || (r = parse_arith(p, 0, out)) < 0)
			return r;
		return close_paren(p);
	default:
		return syntax_error(p);
	}
}

/* Unary minus binds tighter than any operator, but libpcap's grammar
 * gives '^' and '%' no precedence, so yacc always shifts on them: `-a ^ b`
 * is -(a ^ b), `a + b ^ c` is a + (b ^ c), `a % b & c` is a % (b & c). */
static int parse_unary(struct parser *p, int *out)
{
	int r, x;
	size_t pos = p->tok.pos;
	if ((r = enter(p)) < 0)
		return r;
	if (p->tok.kind == TK_MINUS) {
		if ((r = advance(p)) < 0 || (r = parse_unary(p, &x)) < 0)
			return r;
		r = *out = rb_gen_binop(p->g, AR_NEG, x, -1, pos);
	} else if ((r = parse_primary(p, out)) >= 0 &&
		   (p->tok.kind == TK_CARET || p->tok.kind == TK_PERCENT)) {
		int op = binops[p->tok.kind - TK_SLASH].op;
		pos = p->tok.pos;
		if ((r = advance(p)) < 0 || (r = parse_arith(p, 0, &x)) < 0)
			return r;
		r = *out = rb_gen_binop(p->g, op, *out, x, pos);
	}
	p->depth--;
	return r;
}

static int parse_arith(struct parser *p, int min_prec, int *out)
{
	int r = parse_unary(p, out), prec;
	while (r >= 0 && (prec = binop_prec(p->tok.kind)) > min_prec) {
		int op = binops[p->tok.kind - TK_SLASH].op;
		size_t pos = p->tok.pos;
		int rhs;
		if ((r = advance(p)) < 0 || (r = parse_arith(p, prec, &rhs)) < 0)
			return r;
		r = *out = rb_gen_binop(p->g, op, *out, rhs, pos);
	}
	return r < 0 ? r : 0;
}

static int parse_relation(struct parser *p, struct rb_cond *out)
{
	int l, rr, r;
	if ((r = parse_arith(p, 0, &l)) < 0)
		return r;
	enum rb_tok k = p->tok.kind;
	size_t pos = p->tok.pos;
	if (!is_relop(k))
		return syntax_error(p);
	if ((r = advance(p)) < 0 || (r = parse_arith(p, 0, &rr)) < 0)
		return r;
	uint16_t jop = (k == TK_GT || k == TK_LE) ? BPF_JGT : (k == TK_GE || k == TK_LT) ? BPF_JGE
										     : BPF_JEQ;
	bool negate = k == TK_LT || k == TK_LE || k == TK_NE;
	return rb_gen_relation(p->g, jop, negate, l, rr, pos, out);
}

/* '(' starts arithmetic when the token after its matching ')' continues an
 * arithmetic expression or a relation. */
static bool paren_is_arith(const struct parser *p)
{
	struct rb_lexer copy = p->lx;
	struct rb_token t;
	struct rb_err scratch = {0};
	int pos = -1, level = 1;
	while (level > 0) {
		if (rb_lex_next(&copy, &t, &pos, &scratch) < 0 || t.kind == TK_EOF)
			return false;
		level += t.kind == TK_LPAREN ? 1 : t.kind == TK_RPAREN ? -1 : 0;
	}
	if (rb_lex_next(&copy, &t, &pos, &scratch) < 0)
		return false;
	return is_relop(t.kind) || is_arith_op(t.kind);
}

/* ------------------------------------------------------------ identifiers */

static bool is_id_token(enum rb_tok k)
{
	return k == TK_ID || k == TK_HID || k == TK_HID6 || k == TK_EID || k == TK_NUM;
}

static int parse_id(struct parser *p, struct qstate qs, struct rb_cond *out);

/* nid: ID | HID [/NUM | mask HID] | HID6 [/NUM] | EID | NUM | not id */
static int parse_nid(struct parser *p, struct qstate qs, struct rb_cond *out)
{
	int r;
	if (p->tok.kind == TK_NOT) {
		if ((r = advance(p)) < 0 || (r = parse_id(p, qs, out)) < 0)
			return r;
		rb_gen_not(out);
		return 0;
	}
	if (!is_id_token(p->tok.kind))
		return syntax_error(p);
	if (!qs.valid)
		return rb_gen_fail_tok(p->g, &p->tok, "syntax error: '%.*s' needs a qualifier such "
				   "as host, net or port");
	struct rb_token id = p->tok, mask = {0};
	bool has_len = false, has_mask = false;
	uint32_t len = 0;
	if ((r = advance(p)) < 0)
		return r;
	if ((id.kind == TK_HID || id.kind == TK_HID6) && p->tok.kind == TK_SLASH) {
		if ((r = advance(p)) < 0)
			return r;
		if (p->tok.kind != TK_NUM)
			return syntax_error(p);
		len = p->tok.val;
		has_len = true;
		if ((r = advance(p)) < 0)
			return r;
	} else if (id.kind == TK_HID && p->tok.kind == TK_MASK) {
		if ((r = advance(p)) < 0)
			return r;
		if (p->tok.kind != TK_HID)
			return syntax_error(p);
		mask = p->tok;
		has_mask = true;
		if ((r = advance(p)) < 0)
			return r;
	}
	return rb_gen_id(p->g, qs.q, &id, has_mask ? &mask : NULL, has_len, len, out);
}

/* id: nid | '(' pid ')' where pid chains ids with and/or */
static int parse_id(struct parser *p, struct qstate qs, struct rb_cond *out)
{
	int r;
	if (p->tok.kind != TK_LPAREN)
		return parse_nid(p, qs, out);
	if ((r = open_paren(p)) < 0 || (r = parse_id(p, qs, out)) < 0)
		return r;
	while (p->tok.kind == TK_AND || p->tok.kind == TK_OR) {
		bool is_and = p->tok.kind == TK_AND;
		struct rb_cond b;
		if ((r = advance(p)) < 0 || (r = parse_id(p, qs, &b)) < 0)
			return r;
		join(p, is_and, out, b);
	}
	return close_paren(p);
}

/* ------------------------------------------------------------ terms */

static int parse_expr(struct parser *p, struct qstate *qs, struct rb_cond *out);

static int parse_dir(struct parser *p, uint8_t *dir)
{
	enum rb_tok first = p->tok.kind;
	if (first != TK_SRC && first != TK_DST)
		return 0;
	*dir = first == TK_SRC ? D_SRC : D_DST;
	int r = advance(p);
	enum rb_tok other = first == TK_SRC ? TK_DST : TK_SRC;
	if (r == 0 && (p->tok.kind == TK_OR || p->tok.kind == TK_AND) && peek(p, 1, NULL) == other) {
		*dir = p->tok.kind == TK_OR ? D_OR : D_AND;
		if ((r = advance(p)) == 0)
			r = advance(p);
	}
	return r;
}

/* The qualifier keywords TK_HOST..TK_GATEWAY as enum rb_addr (-1: mask). */
static int addr_kind(enum rb_tok k)
{
	static const int8_t kinds[] = {A_HOST, A_NET, -1, A_PORT, A_PORTRANGE, A_PROTO,
				       A_PROTOCHAIN, A_GATEWAY};
	return k >= TK_HOST && k <= TK_GATEWAY ? kinds[k - TK_HOST] : -1;
}

static int parse_optional_num(struct parser *p, bool *has, uint32_t *v)
{
	*has = p->tok.kind == TK_NUM || (p->tok.kind == TK_LPAREN && peek(p, 1, NULL) == TK_NUM);
	return *has ? parse_pnum(p, v) : 0;
}

typedef int (*num_gen)(struct rb_gen *g, bool has, uint32_t v, size_t pos, struct rb_cond *out);

static int parse_with_num(struct parser *p, num_gen fn, struct rb_cond *out)
{
	size_t pos = p->tok.pos;
	bool has;
	uint32_t v = 0;
	int r = advance(p);
	if (r < 0 || (r = parse_optional_num(p, &has, &v)) < 0)
		return r;
	return fn(p->g, has, v, pos, out);
}

static int parse_len_test(struct parser *p, bool less, struct rb_cond *out)
{
	uint32_t v;
	int r = advance(p);
	if (r < 0 || (r = parse_pnum(p, &v)) < 0)
		return r;
	/* less N is len <= N; greater N is len >= N (libpcap). */
	*out = rb_gen_len(p->g, less ? BPF_JGT : BPF_JGE, v);
	if (less)
		rb_gen_not(out);
	return 0;
}

static int parse_llc(struct parser *p, struct rb_cond *out)
{
	size_t pos = p->tok.pos;
	int r = advance(p);
	if (r < 0)
		return r;
	/* "rnr" is also a pf keyword, so it arrives as one. */
	if (p->tok.kind == TK_ID || (p->tok.kind == TK_UNSUPPORTED_KW && p->tok.len == 3 &&
				     !strncasecmp(p->tok.text, "rnr", 3))) {
		struct rb_token kind = p->tok;
		if ((r = advance(p)) < 0)
			return r;
		return rb_gen_llc(p->g, &kind, pos, out);
	}
	return rb_gen_llc(p->g, NULL, pos, out);
}

static int gen_pppoed_num(struct rb_gen *g, bool has, uint32_t v, size_t pos, struct rb_cond *out)
{
	(void)v;
	if (has)
		return rb_gen_fail(g, pos, "'pppoed' takes no session number");
	return rb_gen_pppoed(g, pos, out);
}

/* Terms that start with a keyword other than a qualifier. */
static int parse_other(struct parser *p, struct rb_cond *out)
{
	switch (p->tok.kind) {
	case TK_LESS: return parse_len_test(p, true, out);
	case TK_GREATER: return parse_len_test(p, false, out);
	case TK_VLAN: return parse_with_num(p, rb_gen_vlan, out);
	case TK_MPLS: return parse_with_num(p, rb_gen_mpls, out);
	case TK_PPPOES: return parse_with_num(p, rb_gen_pppoes, out);
	case TK_GENEVE: return parse_with_num(p, rb_gen_geneve, out);
	case TK_PPPOED: return parse_with_num(p, gen_pppoed_num, out);
	case TK_LLC: return parse_llc(p, out);
	case TK_UNSUPPORTED_KW: case TK_BYTE:
		return rb_gen_fail_tok(p->g, &p->tok, "'%.*s' is not supported for these link "
				   "types (or not by rawbpf)");
	default:
		return syntax_error(p);
	}
}

/* head id | pname | pname broadcast/multicast | pname proto/protochain id */
static int parse_qualified(struct parser *p, struct qstate *qs, struct rb_cond *out)
{
	struct rb_qual q = {P_DEFAULT, D_DEFAULT, A_DEFAULT};
	size_t ppos = p->tok.pos;
	bool have_p = false, have_da = false;
	int r;
	if (p->tok.kind == TK_PNAME) {
		q.proto = (uint8_t)p->tok.val;
		have_p = true;
		if ((r = advance(p)) < 0)
			return r;
	}
	if (p->tok.kind == TK_BROADCAST || p->tok.kind == TK_MULTICAST) {
		bool bc = p->tok.kind == TK_BROADCAST;
		size_t pos = p->tok.pos;
		if ((r = advance(p)) < 0)
			return r;
		qs->valid = false;
		return bc ? rb_gen_broadcast(p->g, q.proto, pos, out)
			  : rb_gen_multicast(p->g, q.proto, pos, out);
	}
	if ((r = parse_dir(p, &q.dir)) < 0)
		return r;
	have_da = q.dir != D_DEFAULT;
	if (addr_kind(p->tok.kind) >= 0) {
		q.addr = (uint8_t)addr_kind(p->tok.kind);
		if ((q.addr == A_PROTO || q.addr == A_PROTOCHAIN || q.addr == A_GATEWAY) && have_da)
			return syntax_error(p);
		have_da = true;
		if ((r = advance(p)) < 0)
			return r;
	}
	if (!have_da) {
		qs->valid = false;
		return rb_gen_proto_abbrev(p->g, q.proto, ppos, out);
	}
	(void)have_p;
	qs->q = q;
	qs->valid = true;
	return parse_id(p, *qs, out);
}

static int parse_term(struct parser *p, struct qstate *qs, struct rb_cond *out);

static int parse_rterm(struct parser *p, struct qstate *qs, struct rb_cond *out)
{
	enum rb_tok k = p->tok.kind;
	int r;
	if (k == TK_LPAREN && !paren_is_arith(p)) {
		struct qstate inner = *qs;
		if ((r = open_paren(p)) < 0 || (r = parse_expr(p, &inner, out)) < 0)
			return r;
		return close_paren(p);
	}
	if (k == TK_NUM || k == TK_LEN || k == TK_MINUS || k == TK_LPAREN ||
	    (k == TK_PNAME && peek(p, 1, NULL) == TK_LBRACK)) {
		qs->valid = false;
		return parse_relation(p, out);
	}
	if (k == TK_PNAME || k == TK_SRC || k == TK_DST || addr_kind(k) >= 0 ||
	    k == TK_BROADCAST || k == TK_MULTICAST)
		return parse_qualified(p, qs, out);
	qs->valid = false;
	return parse_other(p, out);
}

static int parse_term(struct parser *p, struct qstate *qs, struct rb_cond *out)
{
	int r;
	if (p->tok.kind != TK_NOT)
		return parse_rterm(p, qs, out);
	if ((r = enter(p)) < 0 || (r = advance(p)) < 0 || (r = parse_term(p, qs, out)) < 0)
		return r;
	p->depth--;
	rb_gen_not(out);
	return 0;
}

/* After and/or: an identifier (possibly behind not/!) continues the
 * previous qualifiers, unless it starts a relation (`... and 1 = 1`). */
static bool next_is_id(const struct parser *p)
{
	struct rb_token t = p->tok;
	int n = 0;
	while (t.kind == TK_NOT)
		peek(p, ++n, &t);
	if (!is_id_token(t.kind))
		return false;
	enum rb_tok after = peek(p, n + 1, NULL);
	return t.kind != TK_NUM || !(is_relop(after) || is_arith_op(after));
}

static int parse_expr(struct parser *p, struct qstate *qs, struct rb_cond *out)
{
	int r = parse_term(p, qs, out);
	while (r == 0 && (p->tok.kind == TK_AND || p->tok.kind == TK_OR)) {
		bool is_and = p->tok.kind == TK_AND;
		struct rb_cond b;
		if ((r = advance(p)) < 0)
			return r;
		if (next_is_id(p))
			r = parse_id(p, *qs, &b);
		else
			r = parse_term(p, qs, &b);
		if (r < 0)
			return r;
		join(p, is_and, out, b);
	}
	return r;
}

int rb_parse_filter(struct rb_gen *g, const char *expr, struct rb_cond *out)
{
	struct parser p = {.g = g};
	struct qstate qs = {{P_DEFAULT, D_DEFAULT, A_DEFAULT}, false};
	int r;
	rb_lex_init(&p.lx, expr);
	if ((r = advance(&p)) < 0)
		return r;
	if (p.tok.kind == TK_EOF) {
		*out = rb_gen_const(g, true);
		return 0;
	}
	if ((r = parse_expr(&p, &qs, out)) < 0)
		return r;
	if (p.tok.kind != TK_EOF)
		return syntax_error(&p);
	return 0;
}
