/* rawbpf's classic-BPF interpreter with Linux's semantics (the
 * cBPF -> eBPF conversion of net/core/filter.c), so a verdict computed over
 * a file equals what SO_ATTACH_FILTER would decide on a socket.
 *
 * Semantics (where libpcap's bpf_filter() differs, it says so):
 *  - A, X and M[0..15] start at 0; all arithmetic is 32-bit unsigned.
 *  - A load past caplen, division or modulo by X == 0: the program returns 0.
 *  - Shift by X: the amount is taken modulo 32 (eBPF's 32-bit shift; libpcap
 *    gives 0 for X >= 32).  A shift by a constant >= 32, division by a
 *    constant 0, M[k] with k >= 16, a bad opcode, a jump past the end or
 *    running off the end are refused by the kernel's checker; here they
 *    return 0.
 *  - IND loads use the 32-bit sum X + k as a signed offset, as the kernel
 *    does (libpcap refuses a sum that wraps).
 *  - Negative offsets (SKF_NET_OFF, SKF_LL_OFF ranges) and the ancillary
 *    loads SKF_AD_OFF + SKF_AD_* need a struct rb_cbpf_skb: without one they
 *    return 0 (what libpcap does for a savefile), except SKF_AD_ALU_XOR_X,
 *    which is plain arithmetic (A ^= X).  SKF_AD_NLATTR/NLATTR_NEST
 *    (netlink sockets only) always return 0. */
#ifndef RAWBPF_ASM_CBPF_INTERP_H
#define RAWBPF_ASM_CBPF_INTERP_H

#include <stdbool.h>
#include <stdint.h>

#include "asm/cbpf/cbpf.h"

/* The socket-buffer metadata ancillary loads read.  Values as the kernel
 * gives them to the program (protocol and vlan_tpid in host order). */
struct rb_cbpf_skb {
	uint16_t protocol;       /* SKF_AD_PROTOCOL: ethertype, e.g. 0x0800 */
	uint8_t pkttype;         /* SKF_AD_PKTTYPE: PACKET_HOST, _OUTGOING, ... */
	uint32_t ifindex;        /* SKF_AD_IFINDEX */
	uint32_t mark;           /* SKF_AD_MARK */
	uint32_t queue;          /* SKF_AD_QUEUE */
	uint32_t hatype;         /* SKF_AD_HATYPE: ARPHRD_* */
	uint32_t rxhash;         /* SKF_AD_RXHASH */
	uint32_t cpu;            /* SKF_AD_CPU */
	uint32_t random;         /* SKF_AD_RANDOM: the value every load returns */
	uint32_t pay_offset;     /* SKF_AD_PAY_OFFSET: transport payload offset */
	uint16_t vlan_tci;       /* SKF_AD_VLAN_TAG (an offloaded tag) */
	uint16_t vlan_tpid;      /* SKF_AD_VLAN_TPID */
	bool vlan_present;       /* SKF_AD_VLAN_TAG_PRESENT */
	uint32_t net_off;        /* where the network header starts (SKF_NET_OFF) */
};

/* A op b for a BPF_ALU op (BPF_NEG: -a): false for a division or modulo by
 * 0, a shift by more than 31 or an unknown op.  The interpreter, the
 * optimizer's constant folding and the code generator's share it. */
bool rb_cbpf_alu(uint16_t op, uint32_t a, uint32_t b, uint32_t *out);

/* a op b for a conditional jump op (BPF_JEQ, BPF_JGT, BPF_JGE, BPF_JSET). */
bool rb_cbpf_cond(uint16_t op, uint32_t a, uint32_t b);

/* rb_cbpf_run (asm/cbpf/cbpf.h) is this with skb == NULL. */
uint32_t rb_cbpf_run_skb(const struct rb_cbpf_prog *p, const uint8_t *pkt, uint32_t caplen,
			 uint32_t wirelen, const struct rb_cbpf_skb *skb);

#endif
