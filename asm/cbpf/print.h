/* tcpdump's three program listings: -d (bpf_image text), -dd (C array
 * initializers) and -ddd (decimal, the count first), byte-identical. */
#ifndef RAWBPF_ASM_CBPF_PRINT_H
#define RAWBPF_ASM_CBPF_PRINT_H

#include <stdio.h>

#include "asm/cbpf/cbpf.h"
#include "common/buf.h"

enum rb_cbpf_fmt { RB_CBPF_D = 1, RB_CBPF_DD = 2, RB_CBPF_DDD = 3 };

/* One instruction as `-d` prints it, without newline: "(000) ldh      [12]". */
void rb_cbpf_image(const struct rb_cbpf_insn *insn, size_t pc, struct rb_buf *out);
/* The whole program in the given format, newline-terminated lines. */
void rb_cbpf_print(const struct rb_cbpf_prog *p, enum rb_cbpf_fmt fmt, struct rb_buf *out);

#endif
