/* The optimizer property: for every expression of the differential corpus
 * (../shared/cbpf/exprs.txt when present, plus a built-in list), the
 * optimized program and the -O0 program give the same verdict on every
 * packet (the harness's generated corpus when present, plus synthetic
 * packets and mutants), with rawbpf's interpreter.  Packets are padded with
 * zeros so no load falls off the end: dropping a dead load may change what
 * a truncated packet gives (libpcap's optimizer does the same).  Both
 * programs must also pass the kernel's classic checker. */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "asm/cbpf/cbpf.h"
#include "asm/cbpf/validate.h"
#include "check_main.h"
#include "loader/capture/capture.h"

#define PAD 4096
#define MAX_PKTS 3000

static const char *const builtin_exprs[] = {
	"tcp port 80", "host 10.0.0.1 or host 10.0.0.2 or 192.168.1.1",
	"port 80 or port 443 or port 53", "not (port 22 or port 53) and ip",
	"tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn", "vlan 100 and (tcp or udp)",
	"mpls 100 and ip and udp port 53", "ip6 protochain 6 or ip protochain 17",
	"icmp[icmptype] != icmp-echo and icmp[icmptype] != icmp-echoreply",
	"ip[2:2] / ip[1] > 10", "len - 14 > 100 and ip[9] = 17",
	"net 10.0.0.0/8 and not net 10.1.0.0/16", "ether multicast and not broadcast",
	"geneve 0xb and ip", "pppoes 0x27 and ip6", "ip[ip[0] & 0xf] != 0",
	"tcp[((tcp[12] & 0xf0) >> 2):4] = 0x47455420", "udp and (port 67 or port 68)",
	"(tcp and (port 80 or port 443)) or (udp and port 53)", "portrange 6000-6008",
};

struct pkts {
	uint8_t (*data)[PAD];
	uint32_t *len;
	size_t n, cap;
};

static void add_pkt(struct pkts *p, const uint8_t *d, uint32_t len)
{
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 256;
		p->data = realloc(p->data, p->cap * PAD);
		p->len = realloc(p->len, p->cap * sizeof(uint32_t));
		ck_assert(p->data && p->len);
	}
	if (len > PAD)
		len = PAD;
	memset(p->data[p->n], 0, PAD);
	memcpy(p->data[p->n], d, len);
	p->len[p->n++] = len;
}

/* Ethernet + IPv4/IPv6 + TCP/UDP seeds, then deterministic mutants. */
static void synth_pkts(struct pkts *p)
{
	static const uint8_t v4tcp[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x08, 0x00, 0x45, 0, 0, 40, 0, 1, 0x40, 0,
		64, 6, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2, 0x1f, 0x90, 0, 80, 0, 0, 0, 1, 0, 0, 0, 0,
		0x50, 0x02, 0x20, 0, 0, 0, 0, 0};
	static const uint8_t v6udp[] = {
		0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 0x86, 0xdd, 0x60, 0, 0, 0, 0, 8, 17, 64,
		0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x20, 0x01, 0x0d, 0xb8,
		0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 0, 53, 0, 53, 0, 8, 0, 0};
	static const uint8_t vlan[] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 6, 7, 8, 9, 10, 11, 0x81, 0x00, 0, 100, 0x08,
		0x00, 0x45, 0, 0, 28, 0, 0, 0x20, 0, 64, 17, 0, 0, 192, 168, 1, 1, 224, 0, 0, 1,
		0, 67, 0, 68, 0, 8, 0, 0};
	const uint8_t *seeds[] = {v4tcp, v6udp, vlan};
	const size_t sizes[] = {sizeof(v4tcp), sizeof(v6udp), sizeof(vlan)};
	uint32_t rnd = 12345;
	for (int s = 0; s < 3; s++) {
		add_pkt(p, seeds[s], (uint32_t)sizes[s]);
		for (int m = 0; m < 300; m++) {
			uint8_t buf[128];
			memcpy(buf, seeds[s], sizes[s]);
			for (int f = 0; f < 3; f++) {
				rnd = rnd * 1103515245u + 12345u;
				buf[(rnd >> 8) % sizes[s]] = (uint8_t)(rnd >> 20);
			}
			add_pkt(p, buf, (uint32_t)sizes[s]);
		}
	}
}

static void corpus_pkts(struct pkts *p, const char *path)
{
	struct rb_pcap_reader r;
	struct rb_err err = {0};
	struct rb_pkt pkt;
	if (rb_pcap_open_file(&r, path, &err) < 0)
		return;
	size_t start = p->n;
	while (p->n - start < MAX_PKTS && rb_pcap_next(&r, &pkt, &err) == 1)
		add_pkt(p, pkt.data, pkt.wirelen < pkt.caplen ? pkt.caplen : pkt.wirelen);
	rb_pcap_close(&r);
}

static void compile_ok(const char *expr, int dlt, bool opt, struct rb_cbpf_prog *prog, bool *ok)
{
	struct rb_cbpf_opts o = {.dlt = dlt, .snaplen = 262144, .optimize = opt};
	struct rb_err err = {0};
	int pos;
	*ok = rb_cbpf_compile(expr, &o, prog, &pos, &err) == 0;
	if (*ok) {
		ck_assert_msg(rb_cbpf_validate(prog, &err) == 0, "%s (%s): kernel checker: %s", expr,
			      opt ? "-O" : "-O0", err.msg);
	}
}

/* Returns the number of packets checked. */
static size_t check_expr(const char *expr, int dlt, const struct pkts *p)
{
	struct rb_cbpf_prog o = {0}, u = {0};
	bool ok_o, ok_u;
	compile_ok(expr, dlt, true, &o, &ok_o);
	compile_ok(expr, dlt, false, &u, &ok_u);
	size_t n = 0;
	if (ok_o && ok_u) {
		for (size_t i = 0; i < p->n; i++, n++) {
			uint32_t a = rb_cbpf_run(&o, p->data[i], PAD, p->len[i]);
			uint32_t b = rb_cbpf_run(&u, p->data[i], PAD, p->len[i]);
			ck_assert_msg(a == b, "'%s' dlt %d packet %zu: optimized %u, -O0 %u", expr, dlt,
				      i, a, b);
		}
	}
	rb_cbpf_prog_free(&o);
	rb_cbpf_prog_free(&u);
	return n;
}

static void load_pkts(struct pkts *p, int dlt)
{
	const char *dir = getenv("CBPF_DATA") ? getenv("CBPF_DATA") : "/tmp/rawbpf-cbpf";
	char path[512];
	snprintf(path, sizeof(path), "%s/%s", dir, dlt == RB_DLT_RAW ? "raw.pcap" : "pkts.pcap");
	corpus_pkts(p, path);
	if (dlt == RB_DLT_EN10MB)
		synth_pkts(p);
	else
		for (size_t i = 0; i < 20; i++)   /* at least some packets for RAW */
			add_pkt(p, (const uint8_t[]){0x45, 0, 0, 20, 0, 0, 0, 0, 64, (uint8_t)i}, 10);
}

static void run_corpus(int dlt)
{
	struct pkts p = {0};
	size_t checked = 0;
	load_pkts(&p, dlt);
	for (size_t i = 0; i < sizeof(builtin_exprs) / sizeof(builtin_exprs[0]); i++)
		checked += check_expr(builtin_exprs[i], dlt, &p);
	FILE *f = fopen("../shared/cbpf/exprs.txt", "r");
	char line[1024];
	while (f && fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == 'E' || strlen(line) < 3)
			continue;
		line[strcspn(line, "\n")] = 0;
		checked += check_expr(line + 2, dlt, &p);
	}
	if (f)
		fclose(f);
	ck_assert_uint_gt(checked, 0);
	free(p.data);
	free(p.len);
}

START_TEST(optimized_equals_unoptimized_en10mb)
{
	run_corpus(RB_DLT_EN10MB);
}
END_TEST

START_TEST(optimized_equals_unoptimized_raw)
{
	run_corpus(RB_DLT_RAW);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cbpf optimizer property");
	TCase *tc = tcase_create("property");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, optimized_equals_unoptimized_en10mb);
	tcase_add_test(tc, optimized_equals_unoptimized_raw);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
