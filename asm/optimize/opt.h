/* The classic-BPF optimizer: works on the block graph (asm/cbpf/ir.h) the
 * filter compiler builds.  It removes loads and comparisons whose outcome
 * is known on every path (global value numbering plus facts learnt from
 * the branches taken), threads jumps past decided tests, merges equal
 * blocks, drops dead statements and unreachable blocks.  Every result
 * accepts exactly the packets the input accepts (truncated packets aside:
 * a removed dead load no longer rejects a short packet, as in libpcap). */
#ifndef RAWBPF_ASM_OPTIMIZE_OPT_H
#define RAWBPF_ASM_OPTIMIZE_OPT_H

#include "asm/cbpf/ir.h"
#include "common/err.h"

/* RB_OPT_LIBPCAP_FACTS: decide branches only from earlier comparisons (as
 * libpcap does), not from the range a load's size allows; used to tell
 * whether libpcap, too, would find that an expression matches nothing. */
#define RB_OPT_LIBPCAP_FACTS 1u

int rb_opt_run(struct rb_ir *ir, unsigned flags, struct rb_err *err);

#endif
