/* Test helper (not part of rawbpf): runs a classic-BPF program given in
 * tcpdump -dd or -ddd form over every packet of a pcap/pcapng file with
 * rawbpf's interpreter and reader, printing "INDEX VERDICT" per packet -
 * the same lines as the shared harness's `refc run`, so the two diff.
 *   cbpf_run PROG PCAP         verdicts
 *   cbpf_run -c PROG PCAP      "ACCEPTED/TOTAL"
 *   cbpf_run -e PROG PCAP      verdicts with the socket metadata Linux gives an
 *                              Ethernet frame received on a veth (ancillary loads,
 *                              SKF_NET_OFF at 14): protocol, pkttype, hatype
 *   cbpf_run -v PROG           rb_cbpf_validate's verdict ("ok" or the message; exit 1)
 * Built by the integration scripts from the module sources directly. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm/cbpf/interp.h"
#include "asm/cbpf/validate.h"
#include "loader/capture/capture.h"

static int parse_line(const char *s, bool dd, struct rb_cbpf_insn *in)
{
	unsigned long v[4];
	if (dd)
		return sscanf(s, " { %li , %li , %li , %li }", &v[0], &v[1], &v[2], &v[3]) == 4 &&
		       (in->code = (uint16_t)v[0], in->jt = (uint8_t)v[1], in->jf = (uint8_t)v[2],
			in->k = (uint32_t)v[3], 1);
	return sscanf(s, "%lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3]) == 4 &&
	       (in->code = (uint16_t)v[0], in->jt = (uint8_t)v[1], in->jf = (uint8_t)v[2],
		in->k = (uint32_t)v[3], 1);
}

static int load_prog(const char *path, struct rb_cbpf_prog *p)
{
	FILE *f = fopen(path, "r");
	char line[256];
	int first = 1, dd = 0;
	if (!f)
		return -1;
	p->insns = calloc(65536, sizeof *p->insns);
	p->len = 0;
	while (fgets(line, sizeof line, f) && p->len < 65536) {
		char *s = line;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			continue;
		if (first) {
			first = 0;
			dd = *s == '{';
			if (!dd)
				continue;  /* -ddd starts with the count */
		}
		if (!parse_line(s, dd, &p->insns[p->len++])) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

/* eth_type_trans: the ethertype, or 802.3/802.2 for a length field;
 * broadcast/multicast by the destination (no frame is sent to the device's
 * own address in the tests, so the rest are PACKET_OTHERHOST). */
static struct rb_cbpf_skb ether_skb(const struct rb_pkt *p)
{
	struct rb_cbpf_skb skb = {.hatype = 1, .net_off = 14};
	const uint8_t *d = p->data;
	static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	if (p->caplen < 14)
		return skb;
	uint16_t type = (uint16_t)(d[12] << 8 | d[13]);
	if (type >= 0x600)
		skb.protocol = type;
	else
		skb.protocol = p->caplen >= 16 && d[14] == 0xff && d[15] == 0xff ? 0x0001 : 0x0004;
	skb.pkttype = memcmp(d, bcast, 6) == 0 ? 1 : (d[0] & 1) ? 2 : 3;
	return skb;
}

int main(int argc, char **argv)
{
	int eth = argc > 1 && strcmp(argv[1], "-e") == 0;
	if (eth) {
		argv++;
		argc--;
	}
	int count = argc > 1 && strcmp(argv[1], "-c") == 0;
	int check = argc > 1 && strcmp(argv[1], "-v") == 0;
	struct rb_cbpf_prog prog;
	struct rb_err err = {0};
	if (argc != 3 + count || load_prog(argv[1 + count + check], &prog) != 0) {
		fprintf(stderr, "usage: cbpf_run [-c] PROG.dd PCAP | cbpf_run -v PROG.dd\n");
		return 2;
	}
	if (check) {
		int rc = rb_cbpf_validate(&prog, &err);
		puts(rc ? err.msg : "ok");
		free(prog.insns);
		return rc ? 1 : 0;
	}
	struct rb_pcap_reader r;
	if (rb_pcap_open_file(&r, argv[2 + count], &err) != 0) {
		fprintf(stderr, "cbpf_run: %s\n", err.msg);
		return 2;
	}
	struct rb_pkt pkt;
	long n = 0, acc = 0;
	int rc;
	while ((rc = rb_pcap_next(&r, &pkt, &err)) == 1) {
		struct rb_cbpf_skb skb = ether_skb(&pkt);
		uint32_t v = rb_cbpf_run_skb(&prog, pkt.data, pkt.caplen, pkt.wirelen, eth ? &skb : NULL);
		acc += v != 0;
		if (!count)
			printf("%ld %u\n", n, v);
		n++;
	}
	if (count)
		printf("%ld/%ld\n", acc, n);
	if (rc < 0)
		fprintf(stderr, "cbpf_run: %s\n", err.msg);
	rb_pcap_close(&r);
	free(prog.insns);
	return rc < 0 ? 2 : 0;
}
