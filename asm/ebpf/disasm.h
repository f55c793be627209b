/* eBPF disassembler: one instruction at a time, in the kernel verifier's
 * pseudo-C notation (the text of `bpftool prog dump xlated` and of verifier
 * logs), e.g. "(61) r0 = *(u32 *)(r1 +0)".  Never touches the kernel. */
#ifndef RAWBPF_ASM_EBPF_DISASM_H
#define RAWBPF_ASM_EBPF_DISASM_H

#include <stddef.h>
#include <stdint.h>
#include <linux/bpf.h>

/* Formats insns[idx] (and insns[idx+1] for the 16-byte ld_imm64) into buf
 * without the leading "N: ".  Returns how many instructions it used (1 or 2),
 * or 0 when idx is past the end. */
size_t rb_ebpf_disasm(const struct bpf_insn *insns, size_t n, size_t idx, char *buf, size_t len);

/* Helper name for a helper id ("map_lookup_elem"), or NULL if unknown. */
const char *rb_ebpf_helper_name(int32_t id);

#endif
