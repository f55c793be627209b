/* Recursive-descent parser for pcap-filter(7) with tcpdump's precedence:
 * `and`/`or` equal and left-associative, `not` tighter; implicit
 * qualifiers carry over (`host a or b`, `port 80 or 443`).  It drives the
 * code generator directly (gen.h). */
#ifndef RAWBPF_ASM_CBPF_PARSE_H
#define RAWBPF_ASM_CBPF_PARSE_H

#include "asm/cbpf/gen.h"

/* Parses expr and leaves the whole condition in *out (an empty expression
 * means "accept everything", as in tcpdump). */
int rb_parse_filter(struct rb_gen *g, const char *expr, struct rb_cond *out);

#endif
