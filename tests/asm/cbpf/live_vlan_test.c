/* `vlan` compiled for a live Linux packet socket (rb_cbpf_opts.linux_live):
 * the outer tag is tested in skb metadata (SKF_AD_VLAN_TAG_PRESENT /
 * SKF_AD_VLAN_TAG) or, when the kernel left it in the packet, at offset 12,
 * as libpcap does on a live Linux handle.  Verdicts come from rawbpf's
 * interpreter given the metadata the kernel would set; every program, -O0
 * and optimized, must pass the kernel's classic checker and agree. */
#include <check.h>
#include <string.h>

#include "asm/cbpf/cbpf.h"
#include "asm/cbpf/interp.h"
#include "asm/cbpf/validate.h"
#include "check_main.h"

#define PKT_MAX 128

struct frame {
	uint8_t d[PKT_MAX];
	uint32_t len;
	struct rb_cbpf_skb skb;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* An Ethernet frame: in-packet tags (tpid, tci pairs) then an IPv4/UDP
 * header to port `dport`; `meta_tci` >= 0 puts one more, outer tag in the
 * skb metadata (what the receive path does with a tag it strips). */
static struct frame make_frame(const uint16_t *tags, int ntags, int meta_tci, uint16_t dport)
{
	struct frame f = {.len = 12};
	memset(f.d, 0, sizeof f.d);
	memset(f.d, 0xff, 6);
	f.d[6] = 0x02;
	for (int i = 0; i < ntags; i++) {
		put16(f.d + f.len, tags[2 * i]);
		put16(f.d + f.len + 2, tags[2 * i + 1]);
		f.len += 4;
	}
	put16(f.d + f.len, 0x0800);
	uint8_t *ip = f.d + f.len + 2;
	ip[0] = 0x45;
	ip[9] = 17;
	put16(ip + 22, dport);
	f.len += 2 + 20 + 8 + 8;
	if (meta_tci >= 0) {
		f.skb.vlan_present = true;
		f.skb.vlan_tci = (uint16_t)meta_tci;
		f.skb.vlan_tpid = 0x8100;
	}
	f.skb.protocol = 0x0800;
	return f;
}

static uint32_t verdict(const char *expr, bool optimize, const struct frame *f)
{
	struct rb_cbpf_opts o = {.dlt = RB_DLT_EN10MB, .optimize = optimize, .linux_live = true};
	struct rb_cbpf_prog p;
	struct rb_err err = {0};
	int pos;
	ck_assert_msg(rb_cbpf_compile(expr, &o, &p, &pos, &err) == 0, "%s: %s", expr, err.msg);
	ck_assert_msg(rb_cbpf_validate(&p, &err) == 0, "%s: kernel checker: %s", expr, err.msg);
	uint32_t v = rb_cbpf_run_skb(&p, f->d, f->len, f->len, &f->skb);
	rb_cbpf_prog_free(&p);
	return v;
}

static void expect(const char *expr, const struct frame *f, bool match)
{
	for (int opt = 0; opt < 2; opt++)
		ck_assert_msg((verdict(expr, opt, f) != 0) == match, "'%s' (%s) should %s",
			      expr, opt ? "optimized" : "-O0", match ? "match" : "not match");
}

START_TEST(tag_in_metadata)
{
	struct frame f = make_frame(NULL, 0, 100, 53);
	expect("vlan", &f, true);
	expect("vlan 100", &f, true);
	expect("vlan 200", &f, false);
	/* The tag is out of the packet: ip follows the MAC addresses. */
	expect("vlan 100 and ip", &f, true);
	expect("vlan 100 and udp port 53", &f, true);
	expect("vlan 100 and udp port 54", &f, false);
	expect("not vlan", &f, false);
	/* Priority bits are not part of the ID. */
	f.skb.vlan_tci = 0xe000 | 100;
	expect("vlan 100", &f, true);
}
END_TEST

START_TEST(untagged)
{
	struct frame f = make_frame(NULL, 0, -1, 53);
	expect("vlan", &f, false);
	expect("vlan 100", &f, false);
	expect("ip and not vlan", &f, true);
	/* libpcap's offsets move after `vlan` whatever its outcome (on a
	 * file at compile time; live when the tag was not in metadata). */
	expect("not vlan and ip", &f, false);
	expect("ip and udp port 53", &f, true);
}
END_TEST

/* A tag the kernel leaves in the packet (0x9100 is not stripped): the
 * in-packet path, with every later offset 4 further. */
START_TEST(tag_in_packet)
{
	const uint16_t tag[] = {0x9100, 100};
	struct frame f = make_frame(tag, 1, -1, 53);
	expect("vlan 100", &f, true);
	expect("vlan 200", &f, false);
	expect("vlan 100 and ip and udp port 53", &f, true);
	expect("vlan and ip", &f, true);
	expect("ip", &f, false);
}
END_TEST

/* QinQ: the outer tag in metadata, the inner one still in the packet. */
START_TEST(stacked)
{
	const uint16_t inner[] = {0x8100, 300};
	struct frame f = make_frame(inner, 1, 200, 53);
	expect("vlan 200 and vlan 300", &f, true);
	expect("vlan 200 and vlan 300 and ip and udp port 53", &f, true);
	expect("vlan 300 and vlan 200", &f, false);
	expect("vlan 200 and ip", &f, false);
	expect("vlan and vlan and ip", &f, true);
}
END_TEST

START_TEST(files_keep_in_packet_semantics)
{
	struct rb_cbpf_opts live = {.dlt = RB_DLT_EN10MB, .optimize = true, .linux_live = true};
	struct rb_cbpf_opts file = {.dlt = RB_DLT_EN10MB, .optimize = true};
	struct rb_cbpf_prog p;
	struct rb_err err = {0};
	int pos;
	ck_assert_int_eq(rb_cbpf_compile("vlan 100", &file, &p, &pos, &err), 0);
	for (size_t i = 0; i < p.len; i++)
		ck_assert_msg(p.insns[i].k < 0x80000000u, "file program uses an ancillary load");
	rb_cbpf_prog_free(&p);
	/* protochain cannot walk from an offset only known at run time. */
	ck_assert_int_lt(rb_cbpf_compile("vlan and ip6 protochain 6", &live, &p, &pos, &err), 0);
	ck_assert_msg(strstr(err.msg, "live capture"), "%s", err.msg);
	ck_assert_int_eq(rb_cbpf_compile("vlan and ip6 protochain 6", &file, &p, &pos, &err), 0);
	rb_cbpf_prog_free(&p);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("cbpf_live_vlan");
	TCase *tc = tcase_create("live_vlan");
	tcase_add_test(tc, tag_in_metadata);
	tcase_add_test(tc, untagged);
	tcase_add_test(tc, tag_in_packet);
	tcase_add_test(tc, stacked);
	tcase_add_test(tc, files_keep_in_packet_semantics);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
