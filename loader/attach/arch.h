/* Per-architecture facts the attachers need, in one place (arch.c): the
 * syscall wrapper prefix ksyscall probes, and the struct pt_regs layout and
 * operand syntax of USDT argument notes.  Everything takes the architecture
 * as a parameter so the arm64 rules are unit-tested on an x86-64 host;
 * rb_arch_host() is the one rawbpf was built for. */
#ifndef RAWBPF_LOADER_ATTACH_ARCH_H
#define RAWBPF_LOADER_ATTACH_ARCH_H

#include <stdint.h>

enum rb_arch { RB_ARCH_OTHER = 0, RB_ARCH_X86_64, RB_ARCH_ARM64 };

struct rb_usdt_arg;

enum rb_arch rb_arch_host(void);
/* From an ELF e_machine (EM_X86_64, EM_AARCH64); RB_ARCH_OTHER otherwise. */
enum rb_arch rb_arch_of_machine(uint16_t e_machine);
/* "x86-64", "arm64", "other". */
const char *rb_arch_name(enum rb_arch arch);
/* "__x64_" / "__arm64_": Linux >= 4.17 wraps every syscall in
 * <prefix>sys_NAME(struct pt_regs *); "" where there is no wrapper. */
const char *rb_arch_syscall_prefix(enum rb_arch arch);
/* One USDT operand, the text after "SIZE@", in the architecture's syntax
 * (x86-64: %reg, OFF(%reg), $CONST; arm64: xN, [xN], [xN, OFF], CONST).
 * Fills kind, reg_off and val_off; returns the characters used, or -1. */
int rb_arch_usdt_operand(enum rb_arch arch, const char *op, struct rb_usdt_arg *a);
/* The operand syntax in words, for error messages. */
const char *rb_arch_usdt_syntax(enum rb_arch arch);

#endif
