/* libFuzzer target: the pcap-filter compiler.  The first byte picks the
 * mode: even = the input is the expression itself (random bytes); odd =
 * the input bytes choose words from the filter vocabulary (grammar-shaped
 * expressions that reach the code generator).  Properties: no crash, no
 * hang, an error always has a message and a caret inside the expression,
 * every program passes the kernel's classic checker and ends in a RET. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asm/cbpf/cbpf.h"
#include "asm/cbpf/validate.h"

static const char *const words[] = {
	"tcp", "udp", "icmp", "ip", "ip6", "arp", "host", "net", "port", "portrange", "src",
	"dst", "or", "and", "not", "(", ")", "10.0.0.1", "2001:db8::1", "80", "1-1023",
	"vlan", "mpls", "pppoes", "geneve", "llc", "proto", "protochain", "ether",
	"00:11:22:33:44:55", "broadcast", "multicast", "len", "<", ">", "=", "!=", "+", "-",
	"*", "/", "%", "&", "|", "^", "<<", ">>", "[", "]", ":", "2", "tcp[13]", "ip[0]",
	"icmp[icmptype]", "tcp-syn", "less", "greater", "10.0.0.0/8", "mask", "255.0.0.0",
	"\\tcp", "sctp", "decnet", "iso", "isis", "l1", "stp", "ipx", "atalk", "gateway",
	"ip6[6]", "udp[2:2]", "100", "4095", "0", "-1", "!", "&&", "||", "http", "domain",
};

static void from_words(const uint8_t *d, size_t n, char *out, size_t cap)
{
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		const char *w = words[d[i] % (sizeof(words) / sizeof(words[0]))];
		size_t wl = strlen(w);
		if (len + wl + 2 >= cap)
			break;
		memcpy(out + len, w, wl);
		len += wl;
		out[len++] = ' ';
	}
	out[len] = 0;
}

static void check_prog(const struct rb_cbpf_prog *p)
{
	struct rb_err err = {0};
	if (p->len == 0 || rb_cbpf_validate(p, &err) < 0)
		abort();
	if ((p->insns[p->len - 1].code & 0x07) != 0x06)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char expr[4096];
	if (size < 1 || size > 2048)
		return 0;
	if (data[0] & 1)
		from_words(data + 1, size - 1, expr, sizeof(expr));
	else {
		memcpy(expr, data + 1, size - 1);
		expr[size - 1] = 0;
	}
	static const int dlts[] = {RB_DLT_EN10MB, RB_DLT_RAW, RB_DLT_LINUX_SLL, RB_DLT_NULL};
	for (int o = 0; o < 2; o++) {
		struct rb_cbpf_opts opts = {.dlt = dlts[(data[0] >> 1) & 3], .snaplen = 262144,
					    .optimize = o};
		struct rb_cbpf_prog p = {0};
		struct rb_err err = {0};
		int pos = -1;
		if (rb_cbpf_compile(expr, &opts, &p, &pos, &err) < 0) {
			if (!err.msg[0] || pos > (int)strlen(expr))
				abort();
			continue;
		}
		check_prog(&p);
		rb_cbpf_prog_free(&p);
	}
	return 0;
}
