/* Per-architecture facts (see arch.h).  The register offsets are those of
 * the kernel's struct pt_regs, which is what a uprobe program's context
 * points at and what rawbpf/usdt.h reads at spec.reg_off. */
#include "loader/attach/arch.h"

#include <ctype.h>
#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/strtab.h"
#include "loader/attach/attach.h"

enum rb_arch rb_arch_host(void)
{
#if defined(__x86_64__)
	return RB_ARCH_X86_64;
#elif defined(__aarch64__)
	return RB_ARCH_ARM64;
#else
	return RB_ARCH_OTHER;
#endif
}

enum rb_arch rb_arch_of_machine(uint16_t e_machine)
{
	if (e_machine == EM_X86_64)
		return RB_ARCH_X86_64;
	if (e_machine == EM_AARCH64)
		return RB_ARCH_ARM64;
	return RB_ARCH_OTHER;
}

const char *rb_arch_name(enum rb_arch arch)
{
	return rb_strtab_at("other\0x86-64\0arm64\0", arch <= RB_ARCH_ARM64 ? arch : RB_ARCH_OTHER);
}

const char *rb_arch_syscall_prefix(enum rb_arch arch)
{
	if (arch == RB_ARCH_X86_64)
		return "__x64_";
	if (arch == RB_ARCH_ARM64)
		return "__arm64_";
	return "";
}

const char *rb_attach_syscall_prefix(void)
{
	return rb_arch_syscall_prefix(rb_arch_host());
}

/* A signed integer starting right at s (no blanks, which strtoll would
 * skip): decimal or 0x hex.  Returns the characters used or -1. */
static int parse_int(const char *s, int64_t *v)
{
	const char *digits = (*s == '-' || *s == '+') ? s + 1 : s;
	if (!isdigit((unsigned char)*digits))
		return -1;
	char *end;
	*v = strtoll(s, &end, 0);
	return (int)(end - s);
}

/* ---- x86-64: AT&T operands ---------------------------------------------------- */

/* arch/x86/include/asm/ptrace.h: struct pt_regs, r15 first.  Four names
 * per register (64, 32, 16, 8-bit spellings; rip has no 8-bit one and
 * repeats its first), the register's offset at x86_reg_offs[index / 4]. */
static const char x86_reg_names[] =
	"rax\0eax\0ax\0al\0" "rbx\0ebx\0bx\0bl\0" "rcx\0ecx\0cx\0cl\0" "rdx\0edx\0dx\0dl\0"
	"rsi\0esi\0si\0sil\0" "rdi\0edi\0di\0dil\0" "rbp\0ebp\0bp\0bpl\0" "rsp\0esp\0sp\0spl\0"
	"r8\0r8d\0r8w\0r8b\0" "r9\0r9d\0r9w\0r9b\0" "r10\0r10d\0r10w\0r10b\0" "r11\0r11d\0r11w\0r11b\0"
	"r12\0r12d\0r12w\0r12b\0" "r13\0r13d\0r13w\0r13b\0" "r14\0r14d\0r14w\0r14b\0"
	"r15\0r15d\0r15w\0r15b\0" "rip\0eip\0ip\0rip\0";
static const uint8_t x86_reg_offs[] = {80, 40, 88, 96, 104, 112, 32, 152, 72, 64, 56, 48, 24, 16, 8, 0, 128};
#define X86_RIP_OFF 128

static int x86_reg_offset(const char *name, size_t len)
{
	char n[8];
	if (len >= sizeof(n))
		return -1;
	memcpy(n, name, len);
	n[len] = 0;
	int i = rb_strtab_index(x86_reg_names, n);
	return i < 0 ? -1 : x86_reg_offs[i / 4];
}

/* "%reg" at s: sets *off; returns chars used or -1. */
static int x86_reg(const char *s, int16_t *off)
{
	if (*s != '%')
		return -1;
	size_t len = strcspn(s + 1, ") ");
	int o = x86_reg_offset(s + 1, len);
	if (o < 0)
		return -1;
	*off = (int16_t)o;
	return (int)len + 1;
}

/* $CONST, %reg, OFF(%reg) or (%reg). */
static int x86_operand(const char *op, struct rb_usdt_arg *a)
{
	int64_t v = 0;
	if (*op == '$') {
		a->kind = RB_USDT_CONST;
		int n = parse_int(op + 1, &v);
		a->val_off = (uint64_t)v;
		return n < 0 ? -1 : n + 1;
	}
	if (*op == '%') {
		a->kind = RB_USDT_REG;
		return x86_reg(op, &a->reg_off);
	}
	a->kind = RB_USDT_REG_DEREF;
	int i = *op == '(' ? 0 : parse_int(op, &v);
	if (i < 0 || op[i] != '(')
		return -1;
	a->val_off = (uint64_t)v;
	int n = x86_reg(op + i + 1, &a->reg_off);
	if (n <= 0 || op[i + 1 + n] != ')' || a->reg_off == X86_RIP_OFF)
		return -1;  /* %rip-relative operands name symbols: not supported */
	return i + n + 2;
}

/* ---- arm64: GNU as operands ------------------------------------------------------ */

/* arch/arm64/include/asm/ptrace.h: struct pt_regs starts with
 * struct user_pt_regs { u64 regs[31]; u64 sp; u64 pc; u64 pstate; }. */
#define ARM64_SP_OFF (31 * 8)

/* xN or wN (N 0-30; wN is the low half of xN, which the size truncates
 * to on this little-endian layout) or sp.  Returns chars used or -1. */
static int arm64_reg(const char *s, bool allow_w, int16_t *off)
{
	if (s[0] == 's' && s[1] == 'p' && !isalnum((unsigned char)s[2])) {
		*off = ARM64_SP_OFF;
		return 2;
	}
	if ((s[0] != 'x' && !(allow_w && s[0] == 'w')) || !isdigit((unsigned char)s[1]))
		return -1;
	int n = s[1] - '0', len = 2;
	if (isdigit((unsigned char)s[2]) && s[1] != '0') {
		n = n * 10 + (s[2] - '0');
		len = 3;
	}
	if (n > 30 || isalnum((unsigned char)s[len]))
		return -1;
	*off = (int16_t)(n * 8);
	return len;
}

/* [xN] or [xN, OFF] (also sp as the base). */
static int arm64_deref(const char *op, struct rb_usdt_arg *a)
{
	a->kind = RB_USDT_REG_DEREF;
	a->val_off = 0;
	int i = arm64_reg(op + 1, false, &a->reg_off);
	if (i < 0)
		return -1;
	i += 1;
	if (op[i] == ',') {
		i++;
		while (op[i] == ' ')
			i++;
		int64_t v;
		int n = parse_int(op + i, &v);
		if (n < 0)
			return -1;
		a->val_off = (uint64_t)v;
		i += n;
	}
	return op[i] == ']' ? i + 1 : -1;
}

static int arm64_operand(const char *op, struct rb_usdt_arg *a)
{
	if (*op == '[')
		return arm64_deref(op, a);
	int n = arm64_reg(op, true, &a->reg_off);
	if (n > 0) {
		a->kind = RB_USDT_REG;
		return n;
	}
	int64_t v;
	a->kind = RB_USDT_CONST;
	n = parse_int(op, &v);
	a->val_off = (uint64_t)v;
	return n;
}

int rb_arch_usdt_operand(enum rb_arch arch, const char *op, struct rb_usdt_arg *a)
{
	a->reg_off = 0;
	a->val_off = 0;
	if (arch == RB_ARCH_X86_64)
		return x86_operand(op, a);
	if (arch == RB_ARCH_ARM64)
		return arm64_operand(op, a);
	return -1;
}

const char *rb_arch_usdt_syntax(enum rb_arch arch)
{
	if (arch == RB_ARCH_X86_64)
		return "SIZE@%REG, SIZE@OFF(%REG) or SIZE@$CONST (x86-64)";
	if (arch == RB_ARCH_ARM64)
		return "SIZE@xN, SIZE@[xN], SIZE@[xN, OFF] or SIZE@CONST (arm64)";
	return "nothing: USDT arguments are read on x86-64 and arm64 only";
}
