/* rb_capture_run over files: the interpreter decides, -c stops, -w writes,
 * the final counts are printed, mixed link types and bad options are refused. */
#include <linux/filter.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "loader/capture/capture.h"

static const uint8_t frame[60] = {[12] = 0x08, [13] = 0x00, [14] = 0x45};

/* A pcap of n Ethernet frames; frame i has wire length 60 + i. */
static void make_pcap(const char *path, int n, int dlt)
{
	struct rb_err e = {0};
	struct rb_pcap_writer w;
	ck_assert_int_eq(rb_pcap_writer_open(&w, path, dlt, 0, false, &e), 0);
	for (int i = 0; i < n; i++) {
		struct rb_pkt p = {.data = frame, .caplen = sizeof frame, .wirelen = 60u + (uint32_t)i,
				   .ts_sec = i};
		ck_assert_int_eq(rb_pcap_write(&w, &p, &e), 0);
	}
	ck_assert_int_eq(rb_pcap_writer_close(&w, &e), 0);
}

/* "len >= min": ld len; jge #min; ret #262144; ret #0 */
static struct rb_cbpf_prog len_at_least(struct rb_cbpf_insn *buf, uint32_t min)
{
	buf[0] = (struct rb_cbpf_insn){.code = BPF_LD | BPF_W | BPF_LEN};
	buf[1] = (struct rb_cbpf_insn){.code = BPF_JMP | BPF_JGE | BPF_K, .jt = 0, .jf = 1, .k = min};
	buf[2] = (struct rb_cbpf_insn){.code = BPF_RET | BPF_K, .k = 262144};
	buf[3] = (struct rb_cbpf_insn){.code = BPF_RET | BPF_K, .k = 0};
	return (struct rb_cbpf_prog){.insns = buf, .len = 4};
}

struct run {
	char out[4096], stats[256];
	int rc;
	struct rb_err e;
};

static void slurp(FILE *f, char *buf, size_t size)
{
	rewind(f);
	size_t n = fread(buf, 1, size - 1, f);
	buf[n] = 0;
	fclose(f);
}

static void run(struct run *r, struct rb_capture_opts o, const struct rb_cbpf_prog *prog)
{
	FILE *out = tmpfile(), *stats = tmpfile();
	o.out = out;
	o.stats = stats;
	memset(&r->e, 0, sizeof r->e);
	r->rc = rb_capture_run(&o, prog, &r->e);
	slurp(out, r->out, sizeof r->out);
	slurp(stats, r->stats, sizeof r->stats);
}

static int lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

START_TEST(filters_with_the_interpreter)
{
	char path[] = "/tmp/rawbpf-cap-XXXXXX";
	close(mkstemp(path));
	make_pcap(path, 10, RB_DLT_EN10MB);
	struct rb_cbpf_insn buf[4];
	struct rb_cbpf_prog p = len_at_least(buf, 66);
	struct run r;
	run(&r, (struct rb_capture_opts){.read_file = path}, &p);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_int_eq(lines(r.out), 4);
	ck_assert_msg(strstr(r.out, "EN10MB IP 0.0.0.0 > 0.0.0.0: ip-proto-0, length 66\n"), "%s", r.out);
	ck_assert_str_eq(r.stats, "10 packets read, 4 matched\n");
	run(&r, (struct rb_capture_opts){.read_file = path, .count = 2}, &p);
	ck_assert_int_eq(lines(r.out), 2);
	ck_assert_str_eq(r.stats, "8 packets read, 2 matched\n");
	run(&r, (struct rb_capture_opts){.read_file = path, .quiet = true}, &p);
	ck_assert_str_eq(r.stats, "");
	unlink(path);
}
END_TEST

START_TEST(writes_matches_to_a_pcap)
{
	char in[] = "/tmp/rawbpf-cap-XXXXXX", out[] = "/tmp/rawbpf-cap-XXXXXX";
	close(mkstemp(in));
	close(mkstemp(out));
	make_pcap(in, 10, RB_DLT_RAW);
	struct rb_cbpf_insn buf[4];
	struct rb_cbpf_prog p = len_at_least(buf, 65);
	struct run r;
	run(&r, (struct rb_capture_opts){.read_file = in, .write_file = out}, &p);
	ck_assert_int_eq(r.rc, 0);
	ck_assert_str_eq(r.out, "");
	struct rb_pcap_reader rd;
	struct rb_pkt pkt;
	ck_assert_int_eq(rb_pcap_open_file(&rd, out, &r.e), 0);
	ck_assert_int_eq(rd.dlt, RB_DLT_RAW);
	int n = 0;
	while (rb_pcap_next(&rd, &pkt, &r.e) == 1) {
		ck_assert_uint_eq(pkt.wirelen, 65u + (uint32_t)n);
		ck_assert_int_eq(pkt.ts_sec, 5 + n);
		n++;
	}
	ck_assert_int_eq(n, 5);
	rb_pcap_close(&rd);
	int dlt;
	ck_assert_int_eq(rb_capture_file_dlt(out, &dlt, &r.e), 0);
	ck_assert_int_eq(dlt, RB_DLT_RAW);
	unlink(in);
	unlink(out);
}
END_TEST

START_TEST(truncated_file_reports_after_counting)
{
	char path[] = "/tmp/rawbpf-cap-XXXXXX";
	close(mkstemp(path));
	make_pcap(path, 3, RB_DLT_EN10MB);
	ck_assert_int_eq(truncate(path, 24 + 2 * 76 + 20), 0);
	struct rb_cbpf_insn buf[4];
	struct rb_cbpf_prog p = len_at_least(buf, 0);
	struct run r;
	run(&r, (struct rb_capture_opts){.read_file = path}, &p);
	ck_assert_int_eq(r.rc, -RB_EINPUT);
	ck_assert_msg(strstr(r.e.msg, "record 3 at offset 176: packet data cut short"), "%s", r.e.msg);
	ck_assert_str_eq(r.stats, "2 packets read, 2 matched\n");
	unlink(path);
}
END_TEST

START_TEST(bad_options_are_refused)
{
	struct rb_cbpf_insn buf[4];
	struct rb_cbpf_prog p = len_at_least(buf, 0), empty = {0};
	struct run r;
	run(&r, (struct rb_capture_opts){.read_file = "x", .iface = "lo"}, &p);
	ck_assert_int_eq(r.rc, -RB_EUSAGE);
	run(&r, (struct rb_capture_opts){0}, &p);
	ck_assert_int_eq(r.rc, -RB_EUSAGE);
	run(&r, (struct rb_capture_opts){.read_file = "x"}, &empty);
	ck_assert_int_eq(r.rc, -RB_EUSAGE);
	run(&r, (struct rb_capture_opts){.read_file = "x", .count = -1}, &p);
	ck_assert_int_eq(r.rc, -RB_EUSAGE);
	run(&r, (struct rb_capture_opts){.read_file = "/nonexistent.pcap"}, &p);
	ck_assert_int_eq(r.rc, -RB_ESYS);
	ck_assert(strstr(r.e.msg, "/nonexistent.pcap"));
}
END_TEST

/* pcapng with an Ethernet and a RAW interface: the program was compiled for
 * the first, so the RAW packet is an error, as libpcap refuses such files. */
START_TEST(mixed_link_types_are_refused)
{
	static const uint8_t ng[] = {
		0x0a, 0x0d, 0x0d, 0x0a, 28, 0, 0, 0, 0x4d, 0x3c, 0x2b, 0x1a, 1, 0, 0, 0,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 28, 0, 0, 0,
		1, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0,
		1, 0, 0, 0, 20, 0, 0, 0, 101, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0,
		6, 0, 0, 0, 36, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		4, 0, 0, 0, 4, 0, 0, 0, 0x45, 0, 0, 0, 36, 0, 0, 0,
	};
	char path[] = "/tmp/rawbpf-cap-XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_eq(write(fd, ng, sizeof ng), (ssize_t)sizeof ng);
	close(fd);
	struct rb_cbpf_insn buf[4];
	struct rb_cbpf_prog p = len_at_least(buf, 0);
	struct run r;
	run(&r, (struct rb_capture_opts){.read_file = path}, &p);
	ck_assert_int_eq(r.rc, -RB_EINPUT);
	ck_assert_msg(strstr(r.e.msg, "interface 1 has link type 12 but the filter was compiled for 1"),
		      "%s", r.e.msg);
	unlink(path);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("capture-run");
	TCase *tc = tcase_create("run");
	tcase_add_test(tc, filters_with_the_interpreter);
	tcase_add_test(tc, writes_matches_to_a_pcap);
	tcase_add_test(tc, truncated_file_reports_after_counting);
	tcase_add_test(tc, bad_options_are_refused);
	tcase_add_test(tc, mixed_link_types_are_refused);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
