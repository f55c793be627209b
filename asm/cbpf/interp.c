/* Classic-BPF interpreter with the kernel's semantics; see interp.h for
 * every place where it departs from libpcap's bpf_filter(). */
#include "asm/cbpf/interp.h"

#include <linux/filter.h>
#include <stddef.h>
#include <string.h>

#include "common/buf.h"

struct vm {
	const uint8_t *pkt;
	uint32_t caplen, wirelen;
	const struct rb_cbpf_skb *skb;
	uint32_t a, x;
	uint32_t mem[BPF_MEMWORDS];
};

/* Maps a load offset to a packet index the way the kernel's load helpers
 * do: the 32-bit offset is signed; negative ones address from the network
 * header (SKF_NET_OFF) or the link header (SKF_LL_OFF, packet start here)
 * and need skb metadata. */
static bool resolve_offset(const struct vm *vm, uint32_t off, uint64_t *idx)
{
	int32_t s = (int32_t)off;
	if (s >= 0) {
		*idx = (uint32_t)s;
		return true;
	}
	if (!vm->skb || s < SKF_LL_OFF)
		return false;
	if (s >= SKF_NET_OFF)
		*idx = (uint64_t)vm->skb->net_off + (uint64_t)((int64_t)s - SKF_NET_OFF);
	else
		*idx = (uint64_t)((int64_t)s - SKF_LL_OFF);
	return true;
}

/* Big-endian load of size bytes at off; false when it does not fit. */
static bool load_bytes(const struct vm *vm, uint32_t off, unsigned size, uint32_t *out)
{
	uint64_t idx;
	if (!resolve_offset(vm, off, &idx) || !rb_range_ok(idx, size, vm->caplen))
		return false;
	uint32_t v = 0;
	for (unsigned i = 0; i < size; i++)
		v = v << 8 | vm->pkt[idx + i];
	*out = v;
	return true;
}

/* Bytes a load of BPF_W, BPF_H, BPF_B reads (0: BPF_DW, not classic BPF). */
static unsigned size_bytes(uint16_t code)
{
	static const uint8_t bytes[] = {4, 2, 1, 0};
	return bytes[BPF_SIZE(code) >> 3];
}

/* Where each SKF_AD_* extension's value lives in struct rb_cbpf_skb
 * (indexed by n / 4); size 0: no such extension for a packet socket. */
#define AD(n, field) [(n) / 4] = {offsetof(struct rb_cbpf_skb, field), \
				  sizeof(((struct rb_cbpf_skb *)0)->field)}
static const struct {
	uint8_t off, size;
} ad_fields[SKF_AD_MAX / 4] = {
	AD(SKF_AD_PROTOCOL, protocol), AD(SKF_AD_PKTTYPE, pkttype),
	AD(SKF_AD_IFINDEX, ifindex), AD(SKF_AD_MARK, mark), AD(SKF_AD_QUEUE, queue),
	AD(SKF_AD_HATYPE, hatype), AD(SKF_AD_RXHASH, rxhash), AD(SKF_AD_CPU, cpu),
	AD(SKF_AD_VLAN_TAG, vlan_tci), AD(SKF_AD_VLAN_TAG_PRESENT, vlan_present),
	AD(SKF_AD_PAY_OFFSET, pay_offset), AD(SKF_AD_RANDOM, random),
	AD(SKF_AD_VLAN_TPID, vlan_tpid),
};
#undef AD

/* SKF_AD_OFF + n in an ABS load.  Returns false to reject (no metadata, a
 * netlink-only or unknown extension). */
static bool load_ancillary(struct vm *vm, uint32_t n)
{
	if (n == SKF_AD_ALU_XOR_X) {
		vm->a ^= vm->x;
		return true;
	}
	if (!vm->skb || n % 4 || n >= SKF_AD_MAX || !ad_fields[n / 4].size)
		return false;
	const uint8_t *f = (const uint8_t *)vm->skb + ad_fields[n / 4].off;
	uint32_t v32;
	uint16_t v16;
	switch (ad_fields[n / 4].size) {
	case 4: memcpy(&v32, f, 4); vm->a = v32; break;
	case 2: memcpy(&v16, f, 2); vm->a = v16; break;
	default: vm->a = *f; break;
	}
	return true;
}

static bool exec_ld(struct vm *vm, const struct rb_cbpf_insn *in)
{
	unsigned size = size_bytes(in->code);
	switch (BPF_MODE(in->code)) {
	case BPF_ABS:
		if (in->k >= (uint32_t)SKF_AD_OFF)
			return size && load_ancillary(vm, in->k - (uint32_t)SKF_AD_OFF);
		return size && load_bytes(vm, in->k, size, &vm->a);
	case BPF_IND:
		return size && load_bytes(vm, vm->x + in->k, size, &vm->a);
	case BPF_IMM:
		vm->a = in->k;
		return BPF_SIZE(in->code) == BPF_W;
	case BPF_MEM:
		if (in->k >= BPF_MEMWORDS || BPF_SIZE(in->code) != BPF_W)
			return false;
		vm->a = vm->mem[in->k];
		return true;
	case BPF_LEN:
		vm->a = vm->wirelen;
		return BPF_SIZE(in->code) == BPF_W;
	default:
		return false;
	}
}

static bool exec_ldx(struct vm *vm, const struct rb_cbpf_insn *in)
{
	uint32_t b;
	switch (in->code) {
	case BPF_LDX | BPF_W | BPF_IMM: vm->x = in->k; return true;
	case BPF_LDX | BPF_W | BPF_LEN: vm->x = vm->wirelen; return true;
	case BPF_LDX | BPF_W | BPF_MEM:
		if (in->k >= BPF_MEMWORDS)
			return false;
		vm->x = vm->mem[in->k];
		return true;
	case BPF_LDX | BPF_B | BPF_MSH:
		if (!load_bytes(vm, in->k, 1, &b))
			return false;
		vm->x = 4 * (b & 0xf);
		return true;
	default:
		return false;
	}
}

static bool exec_store(struct vm *vm, const struct rb_cbpf_insn *in)
{
	if (in->k >= BPF_MEMWORDS)
		return false;
	vm->mem[in->k] = BPF_CLASS(in->code) == BPF_ST ? vm->a : vm->x;
	return true;
}

bool rb_cbpf_alu(uint16_t op, uint32_t a, uint32_t b, uint32_t *out)
{
	switch (op) {
	case BPF_ADD: *out = a + b; return true;
	case BPF_SUB: *out = a - b; return true;
	case BPF_MUL: *out = a * b; return true;
	case BPF_DIV: if (!b) return false; *out = a / b; return true;
	case BPF_MOD: if (!b) return false; *out = a % b; return true;
	case BPF_AND: *out = a & b; return true;
	case BPF_OR: *out = a | b; return true;
	case BPF_XOR: *out = a ^ b; return true;
	case BPF_LSH: if (b > 31) return false; *out = a << b; return true;
	case BPF_RSH: if (b > 31) return false; *out = a >> b; return true;
	case BPF_NEG: *out = 0u - a; return true;
	default: return false;
	}
}

/* A shift by X takes the amount modulo 32; by a constant past 31 (the
 * kernel's checker refuses it) and division by zero reject. */
static bool exec_alu(struct vm *vm, const struct rb_cbpf_insn *in)
{
	uint16_t op = BPF_OP(in->code);
	uint32_t src = BPF_SRC(in->code) == BPF_X ? vm->x : in->k;
	if (BPF_SRC(in->code) == BPF_X && (op == BPF_LSH || op == BPF_RSH))
		src &= 31;
	return (op != BPF_NEG || in->code == (BPF_ALU | BPF_NEG)) &&
	       rb_cbpf_alu(op, vm->a, src, &vm->a);
}

bool rb_cbpf_cond(uint16_t op, uint32_t a, uint32_t b)
{
	switch (op) {
	case BPF_JEQ: return a == b;
	case BPF_JGT: return a > b;
	case BPF_JGE: return a >= b;
	default: return (a & b) != 0;
	}
}

/* Returns the number of instructions to skip, or -1 for a bad opcode. */
static long jump_offset(const struct vm *vm, const struct rb_cbpf_insn *in)
{
	uint16_t op = BPF_OP(in->code);
	if (op == BPF_JA)
		return BPF_SRC(in->code) == BPF_K ? (long)in->k : -1;
	if (op > BPF_JSET)
		return -1;
	uint32_t src = BPF_SRC(in->code) == BPF_X ? vm->x : in->k;
	return rb_cbpf_cond(op, vm->a, src) ? in->jt : in->jf;
}

static bool exec_misc(struct vm *vm, const struct rb_cbpf_insn *in)
{
	switch (in->code) {
	case BPF_MISC | BPF_TAX: vm->x = vm->a; return true;
	case BPF_MISC | BPF_TXA: vm->a = vm->x; return true;
	default: return false;
	}
}

static bool exec_simple(struct vm *vm, const struct rb_cbpf_insn *in)
{
	switch (BPF_CLASS(in->code)) {
	case BPF_LD: return exec_ld(vm, in);
	case BPF_LDX: return exec_ldx(vm, in);
	case BPF_ST:
	case BPF_STX: return in->code == BPF_CLASS(in->code) && exec_store(vm, in);
	case BPF_ALU: return exec_alu(vm, in);
	case BPF_MISC: return exec_misc(vm, in);
	default: return false;
	}
}

static uint32_t run(struct vm *vm, const struct rb_cbpf_prog *p)
{
	size_t pc = 0;
	while (pc < p->len) {
		const struct rb_cbpf_insn *in = &p->insns[pc];
		if (in->code > 0xff)
			return 0;
		if (in->code == (BPF_RET | BPF_K))
			return in->k;
		if (in->code == (BPF_RET | BPF_A))
			return vm->a;
		if (BPF_CLASS(in->code) == BPF_JMP) {
			long skip = jump_offset(vm, in);
			/* Jumps only go forward, so the loop ends; past the end rejects. */
			if (skip < 0 || (uint64_t)skip >= p->len - pc)
				return 0;
			pc += (size_t)skip + 1;
			continue;
		}
		if (!exec_simple(vm, in))
			return 0;
		pc++;
	}
	return 0;
}

uint32_t rb_cbpf_run_skb(const struct rb_cbpf_prog *p, const uint8_t *pkt, uint32_t caplen,
			 uint32_t wirelen, const struct rb_cbpf_skb *skb)
{
	if (!p || !p->insns)
		return 0;
	struct vm vm = {.pkt = pkt, .caplen = pkt ? caplen : 0, .wirelen = wirelen, .skb = skb};
	memset(vm.mem, 0, sizeof vm.mem);
	return run(&vm, p);
}

uint32_t rb_cbpf_run(const struct rb_cbpf_prog *p, const uint8_t *pkt, uint32_t caplen,
		     uint32_t wirelen)
{
	return rb_cbpf_run_skb(p, pkt, caplen, wirelen, NULL);
}
