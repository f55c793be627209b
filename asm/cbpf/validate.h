/* The kernel's classic-BPF checker (net/core/filter.c: bpf_check_classic and
 * check_load_and_stores), so rawbpf can tell before SO_ATTACH_FILTER, and for
 * a program it only prints, whether Linux would load it. */
#ifndef RAWBPF_ASM_CBPF_VALIDATE_H
#define RAWBPF_ASM_CBPF_VALIDATE_H

#include "asm/cbpf/cbpf.h"
#include "common/err.h"

/* Returns 0 when Linux accepts p, else -RB_EINPUT with a message naming the
 * first offending instruction (0-based, as in `rawbpf filter -d`):
 *  - length 1..4096 (BPF_MAXINSNS);
 *  - only the opcodes the kernel knows (chk_code_allowed);
 *  - division or modulo by the constant 0, shift by a constant >= 32;
 *  - scratch memory index < 16;
 *  - jumps land inside the program (all jumps go forward by encoding);
 *  - ABS loads at SKF_AD_OFF + n only for a known ancillary n;
 *  - the last instruction is a RET;
 *  - every M[k] read is preceded by a store to M[k] on every path. */
int rb_cbpf_validate(const struct rb_cbpf_prog *p, struct rb_err *err);

#endif
