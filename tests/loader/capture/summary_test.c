/* One-line packet summaries for each link type, VLAN, IPv6 extension
 * headers, ARP, ICMP, TCP flags, and cut-short packets. */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check_main.h"
#include "common/buf.h"
#include "loader/capture/capture.h"

#define ETH(type) 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, (type) >> 8, (type) & 0xff
#define IP4(proto, len) 0x45, 0, 0, (len), 0, 0, 0, 0, 64, (proto), 0, 0, 10, 0, 0, 1, 10, 0, 0, 2
#define TCP(flags) 0x1f, 0x90, 0x04, 0xd2, 0, 0, 0, 0, 0, 0, 0, 0, 0x50, (flags), 0, 0, 0, 0, 0, 0
#define IP6_SRC 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1
#define IP6_DST 0xff, 0x02, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1

static void expect(int dlt, const uint8_t *d, uint32_t n, const char *want)
{
	struct rb_pkt p = {.data = d, .caplen = n, .wirelen = n, .dlt = dlt,
			   .ts_sec = 3600 + 60 + 1, .ts_nsec = 2000};
	struct rb_buf b = {0};
	rb_pkt_summary(&p, &b);
	ck_assert_str_eq(rb_buf_str(&b), want);
	rb_buf_free(&b);
}

#define EXPECT(dlt, want, ...) do { \
	static const uint8_t pk[] = {__VA_ARGS__}; \
	expect(dlt, pk, sizeof pk, want); \
} while (0)

START_TEST(ethernet_ipv4_tcp_udp_icmp)
{
	setenv("TZ", "UTC", 1);
	tzset();
	EXPECT(RB_DLT_EN10MB, "01:01:01.000002 EN10MB IP 10.0.0.1.8080 > 10.0.0.2.1234: TCP [S.], length 54",
	       ETH(0x0800), IP4(6, 40), TCP(0x12));
	EXPECT(RB_DLT_EN10MB, "01:01:01.000002 EN10MB IP 10.0.0.1.8080 > 10.0.0.2.1234: TCP [none], length 54",
	       ETH(0x0800), IP4(6, 40), TCP(0));
	EXPECT(RB_DLT_EN10MB, "01:01:01.000002 EN10MB IP 10.0.0.1.8080 > 10.0.0.2.1234: TCP [FSRP.UEW], length 54",
	       ETH(0x0800), IP4(6, 40), TCP(0xff));
	EXPECT(RB_DLT_EN10MB, "01:01:01.000002 EN10MB IP 10.0.0.1.53 > 10.0.0.2.4660: UDP, length 42",
	       ETH(0x0800), IP4(17, 28), 0, 53, 0x12, 0x34, 0, 8, 0, 0);
	EXPECT(RB_DLT_EN10MB, "01:01:01.000002 EN10MB vlan 10 IP 10.0.0.1 > 10.0.0.2: ICMP echo-request, length 46",
	       ETH(0x8100), 0, 10, 0x08, 0x00, IP4(1, 28), 8, 0, 0, 0, 0, 0, 0, 0);
	EXPECT(RB_DLT_EN10MB, "01:01:01.000002 EN10MB IP 10.0.0.1 > 10.0.0.2: [|tcp], length 38",
	       ETH(0x0800), IP4(6, 40), 0x1f, 0x90, 0, 0);
	EXPECT(RB_DLT_EN10MB, "01:01:01.000002 EN10MB IP [|ip], length 20", ETH(0x0800), 0x45, 0, 0, 0, 0, 0);
	EXPECT(RB_DLT_EN10MB, "01:01:01.000002 EN10MB [|ether], length 3", 1, 2, 3);
}
END_TEST

START_TEST(arp_and_other_ethertypes)
{
	EXPECT(RB_DLT_EN10MB, "01:01:01.000002 EN10MB ARP who-has 10.0.0.2 tell 10.0.0.1, length 42",
	       ETH(0x0806), 0, 1, 8, 0, 6, 4, 0, 1, 0, 1, 2, 3, 4, 5, 10, 0, 0, 1,
	       0, 0, 0, 0, 0, 0, 10, 0, 0, 2);
	EXPECT(RB_DLT_EN10MB, "01:01:01.000002 EN10MB ARP reply 10.0.0.2 is-at 00:01:02:03:04:05, length 42",
	       ETH(0x0806), 0, 1, 8, 0, 6, 4, 0, 2, 0, 1, 2, 3, 4, 5, 10, 0, 0, 2,
	       0, 0, 0, 0, 0, 0, 10, 0, 0, 1);
	EXPECT(RB_DLT_EN10MB, "01:01:01.000002 EN10MB 06:07:08:09:0a:0b > 00:01:02:03:04:05 LLC length 3, length 17",
	       ETH(3), 0x42, 0x42, 3);
}
END_TEST

START_TEST(ipv6_with_extension_headers)
{
	/* hop-by-hop (8 bytes) then UDP */
	EXPECT(RB_DLT_EN10MB, "01:01:01.000002 EN10MB IP6 2001:db8::1.53 > ff02::1.53: UDP, length 70",
	       ETH(0x86dd), 0x60, 0, 0, 0, 0, 16, 0, 64, IP6_SRC, IP6_DST,
	       17, 0, 0, 0, 0, 0, 0, 0, 0, 53, 0, 53, 0, 8, 0, 0);
	/* a later fragment: no transport header */
	EXPECT(RB_DLT_EN10MB, "01:01:01.000002 EN10MB IP6 2001:db8::1 > ff02::1: fragment, length 62",
	       ETH(0x86dd), 0x60, 0, 0, 0, 0, 8, 44, 64, IP6_SRC, IP6_DST,
	       6, 0, 0, 0x10, 0, 0, 0, 1);
	EXPECT(RB_DLT_RAW, "01:01:01.000002 RAW IP6 2001:db8::1 > ff02::1: ICMP6 neighbor-solicit, length 44",
	       0x60, 0, 0, 0, 0, 4, 58, 255, IP6_SRC, IP6_DST, 135, 0, 0, 0);
}
END_TEST

/* Every ICMP and ICMPv6 type with a name, and one without. */
START_TEST(icmp_type_names)
{
	static const struct { bool v6; uint8_t type; const char *name; } cases[] = {
		{0, 0, "echo-reply"}, {0, 3, "unreachable"}, {0, 4, "source-quench"}, {0, 5, "redirect"},
		{0, 8, "echo-request"}, {0, 9, "router-advert"}, {0, 10, "router-solicit"},
		{0, 11, "time-exceeded"}, {0, 12, "param-problem"}, {0, 13, "timestamp"},
		{0, 14, "timestamp-reply"}, {0, 1, "type 1"}, {0, 128, "type 128"},
		{1, 1, "unreachable"}, {1, 2, "packet-too-big"}, {1, 3, "time-exceeded"},
		{1, 4, "param-problem"}, {1, 128, "echo-request"}, {1, 129, "echo-reply"},
		{1, 130, "mld-query"}, {1, 131, "mld-report"}, {1, 133, "router-solicit"},
		{1, 134, "router-advert"}, {1, 135, "neighbor-solicit"}, {1, 136, "neighbor-advert"},
		{1, 137, "redirect"}, {1, 143, "mld2-report"}, {1, 0, "type 0"}, {1, 132, "type 132"},
	};
	setenv("TZ", "UTC", 1);
	tzset();
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		uint8_t v4[] = {IP4(1, 24), cases[i].type, 0, 0, 0};
		uint8_t v6[] = {0x60, 0, 0, 0, 0, 4, 58, 255, IP6_SRC, IP6_DST, cases[i].type, 0, 0, 0};
		char want[128];
		if (cases[i].v6)
			snprintf(want, sizeof want, "01:01:01.000002 RAW IP6 2001:db8::1 > ff02::1: ICMP6 %s, "
				 "length 44", cases[i].name);
		else
			snprintf(want, sizeof want, "01:01:01.000002 RAW IP 10.0.0.1 > 10.0.0.2: ICMP %s, "
				 "length 24", cases[i].name);
		if (cases[i].v6)
			expect(RB_DLT_RAW, v6, sizeof v6, want);
		else
			expect(RB_DLT_RAW, v4, sizeof v4, want);
	}
}
END_TEST

START_TEST(cooked_null_and_loop_links)
{
	EXPECT(RB_DLT_LINUX_SLL, "01:01:01.000002 SLL Out IP 10.0.0.1 > 10.0.0.2: ip-proto-47, length 36",
	       0, 4, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 8, 0, IP4(47, 20));
	EXPECT(RB_DLT_LINUX_SLL2, "01:01:01.000002 SLL2 In IP 10.0.0.1 > 10.0.0.2: ip-proto-47, length 40",
	       8, 0, 0, 0, 0, 0, 0, 2, 0, 1, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, IP4(47, 20));
	EXPECT(RB_DLT_NULL, "01:01:01.000002 NULL IP 10.0.0.1 > 10.0.0.2: ip-proto-47, length 24",
	       2, 0, 0, 0, IP4(47, 20));
	EXPECT(RB_DLT_LOOP, "01:01:01.000002 LOOP IP 10.0.0.1 > 10.0.0.2: ip-proto-47, length 24",
	       0, 0, 0, 2, IP4(47, 20));
	EXPECT(RB_DLT_NULL, "01:01:01.000002 NULL family 99, length 4", 99, 0, 0, 0);
	EXPECT(RB_DLT_RAW, "01:01:01.000002 RAW [|ip], length 0");
	EXPECT(147, "01:01:01.000002 linktype 147, length 1", 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("capture-summary");
	TCase *tc = tcase_create("summary");
	tcase_add_test(tc, ethernet_ipv4_tcp_udp_icmp);
	tcase_add_test(tc, arp_and_other_ethertypes);
	tcase_add_test(tc, ipv6_with_extension_headers);
	tcase_add_test(tc, icmp_type_names);
	tcase_add_test(tc, cooked_null_and_loop_links);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
