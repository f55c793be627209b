/* libFuzzer target: the optimizer property.  Input: a grammar-shaped
 * expression chosen by the first half of the bytes (as parse_fuzz does)
 * and a packet from the rest.  The optimized and the -O0 program must give
 * the same verdict on the packet padded with zeros to 4 KiB (so no load
 * falls off the end: the optimizer may drop loads whose value is unused,
 * which changes only what a truncated packet gives). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asm/cbpf/cbpf.h"

static const char *const words[] = {
	"tcp", "udp", "icmp", "ip", "ip6", "arp", "host", "net", "port", "portrange", "src",
	"dst", "or", "and", "not", "(", ")", "10.0.0.1", "2001:db8::1", "80", "53", "1-1023",
	"vlan", "mpls", "pppoes", "llc", "proto", "protochain", "6", "17", "ether",
	"broadcast", "multicast", "len", "<", ">", "=", "!=", "+", "-", "&", "|", "tcp[13]",
	"ip[0]", "ip[9]", "udp[2:2]", "ether[12:2]", "icmp[icmptype]", "2", "0x800", "less",
	"greater", "100", "10.0.0.0/8", "ip6[6]", "4", "1",
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t pkt[4096];
	char expr[2048];
	size_t nw = size / 2 < 40 ? size / 2 : 40, len = 0;
	for (size_t i = 0; i < nw; i++) {
		const char *w = words[data[i] % (sizeof(words) / sizeof(words[0]))];
		size_t wl = strlen(w);
		memcpy(expr + len, w, wl);
		len += wl;
		expr[len++] = ' ';
	}
	expr[len] = 0;
	size_t plen = size - nw < sizeof(pkt) ? size - nw : sizeof(pkt);
	memset(pkt, 0, sizeof(pkt));
	memcpy(pkt, data + nw, plen);
	struct rb_cbpf_prog p[2] = {{0}, {0}};
	int ok = 0;
	for (int o = 0; o < 2; o++) {
		struct rb_cbpf_opts opts = {.dlt = RB_DLT_EN10MB, .snaplen = 262144, .optimize = o};
		struct rb_err err = {0};
		int pos;
		ok += rb_cbpf_compile(expr, &opts, &p[o], &pos, &err) == 0;
	}
	if (ok == 2 && rb_cbpf_run(&p[0], pkt, sizeof(pkt), (uint32_t)plen) !=
			       rb_cbpf_run(&p[1], pkt, sizeof(pkt), (uint32_t)plen))
		abort();
	rb_cbpf_prog_free(&p[0]);
	rb_cbpf_prog_free(&p[1]);
	return 0;
}
