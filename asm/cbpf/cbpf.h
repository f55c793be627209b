/* Classic BPF: the program type shared by the pcap-filter compiler, its
 * optimizer, printers, interpreter and the capture code.
 * struct rb_cbpf_insn has the layout of the kernel's struct sock_filter, so
 * a program is handed to SO_ATTACH_FILTER as is. */
#ifndef RAWBPF_ASM_CBPF_CBPF_H
#define RAWBPF_ASM_CBPF_CBPF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

struct rb_cbpf_insn {
	uint16_t code;
	uint8_t jt, jf;
	uint32_t k;
};

struct rb_cbpf_prog {
	struct rb_cbpf_insn *insns;  /* malloc'd; rb_cbpf_prog_free */
	size_t len;
};

/* DLT_* link types the compiler knows (values are libpcap's DLT numbers). */
enum rb_dlt {
	RB_DLT_NULL = 0,
	RB_DLT_EN10MB = 1,
	RB_DLT_RAW = 12,        /* LINKTYPE_RAW is 101 in files; -y RAW means this */
	RB_DLT_LOOP = 108,
	RB_DLT_LINUX_SLL = 113,
	RB_DLT_LINUX_SLL2 = 276,
};

struct rb_cbpf_opts {
	int dlt;                /* enum rb_dlt */
	uint32_t snaplen;       /* returned on accept; default 262144 */
	bool optimize;          /* false = -O0 */
	/* The program runs on a live Linux packet socket (rawbpf filter -i),
	 * where the receive path has moved the outer VLAN tag into skb
	 * metadata: the first `vlan` tests SKF_AD_VLAN_TAG_PRESENT and
	 * SKF_AD_VLAN_TAG as libpcap does on a live Linux handle.  Files keep
	 * the in-packet 0x8100 tests. */
	bool linux_live;
};

/* Compiles a pcap-filter(7) expression.  On a syntax or semantic error fills
 * err with a message and err_pos (byte offset into expr for the caret, or -1)
 * and returns -RB_EUSAGE. */
int rb_cbpf_compile(const char *expr, const struct rb_cbpf_opts *opts,
		    struct rb_cbpf_prog *out, int *err_pos, struct rb_err *err);
void rb_cbpf_prog_free(struct rb_cbpf_prog *p);

/* Runs a program over one packet with the kernel's semantics (out-of-bounds
 * load or division by zero rejects, scratch memory zeroed).  wirelen is the
 * original length, caplen the bytes present.  Returns the accept length (0 =
 * reject). */
uint32_t rb_cbpf_run(const struct rb_cbpf_prog *p, const uint8_t *pkt, uint32_t caplen,
		     uint32_t wirelen);

#endif
