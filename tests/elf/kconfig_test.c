/* Kernel config parsing, plain and gzip (python3's gzip as the compressor),
 * and the running kernel's /proc/config.gz when present. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "common/buf.h"
#include "elf/kconfig.h"

static const char sample[] = "#\n"
			     "# Automatically generated file; DO NOT EDIT.\n"
			     "#\n"
			     "CONFIG_BPF=y\n"
			     "CONFIG_NF_TABLES=m\n"
			     "# CONFIG_KPROBES is not set\n"
			     "CONFIG_LOCALVERSION=\"-fc \\\"quoted\\\" \\\\ x\"\n"
			     "CONFIG_EMPTY=\"\"\n"
			     "CONFIG_HZ=250\n"
			     "CONFIG_NEG=-17\n"
			     "CONFIG_PHYSICAL_START=0x1000000\n"
			     "CONFIG_HZ=1000\r\n"
			     "\n";

static struct rb_kconfig *parse(const void *p, size_t n)
{
	struct rb_kconfig *kc;
	struct rb_err e = {0};
	ck_assert_msg(rb_kconfig_parse(&kc, p, n, "test", &e) == 0, "%s", e.msg);
	return kc;
}

static void check_sample(struct rb_kconfig *kc)
{
	struct rb_kconfig_value v;
	ck_assert(rb_kconfig_get(kc, "CONFIG_BPF", &v) && v.kind == RB_KCONFIG_TRISTATE);
	ck_assert_int_eq(v.tristate, 'y');
	ck_assert(rb_kconfig_get(kc, "CONFIG_NF_TABLES", &v) && v.tristate == 'm');
	ck_assert(rb_kconfig_get(kc, "CONFIG_KPROBES", &v) && v.tristate == 'n');
	ck_assert(rb_kconfig_get(kc, "CONFIG_LOCALVERSION", &v) && v.kind == RB_KCONFIG_STRING);
	ck_assert_str_eq(v.str, "-fc \"quoted\" \\ x");
	ck_assert_uint_eq(v.str_len, strlen("-fc \"quoted\" \\ x"));
	ck_assert(rb_kconfig_get(kc, "CONFIG_EMPTY", &v) && v.kind == RB_KCONFIG_STRING);
	ck_assert_uint_eq(v.str_len, 0);
	ck_assert(rb_kconfig_get(kc, "CONFIG_HZ", &v) && v.kind == RB_KCONFIG_NUMBER);
	ck_assert_uint_eq(v.num, 1000); /* the last of a repeated option wins */
	ck_assert(rb_kconfig_get(kc, "CONFIG_NEG", &v) && v.negative);
	ck_assert_int_eq((int64_t)v.num, -17);
	ck_assert(rb_kconfig_get(kc, "CONFIG_PHYSICAL_START", &v) && v.num == 0x1000000);
	ck_assert(!rb_kconfig_get(kc, "CONFIG_NOPE", &v));
	ck_assert(!rb_kconfig_get(kc, "BPF", &v));
}

START_TEST(plain_text)
{
	struct rb_kconfig *kc = parse(sample, sizeof(sample) - 1);
	check_sample(kc);
	ck_assert_uint_eq(rb_kconfig_count(kc), 9);
	rb_kconfig_free(kc);
}
END_TEST

START_TEST(gzip_text)
{
	char path[] = "/tmp/rb-kconfig-XXXXXX", cmd[256];
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	FILE *f = fdopen(fd, "w");
	fputs(sample, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "python3 -c 'import gzip,sys; sys.stdout.buffer.write("
		 "gzip.compress(open(\"%s\",\"rb\").read()))' > %s.gz", path, path);
	ck_assert_int_eq(system(cmd), 0);
	struct rb_buf gz = {0};
	snprintf(cmd, sizeof(cmd), "%s.gz", path);
	ck_assert_int_eq(rb_read_file(cmd, 1 << 20, &gz), 0);
	unlink(cmd);
	unlink(path);
	struct rb_kconfig *kc = parse(gz.data, gz.len);
	check_sample(kc);
	rb_kconfig_free(kc);
	gz.data[gz.len / 2] ^= 0x10;
	struct rb_err e = {0};
	ck_assert_int_lt(rb_kconfig_parse(&kc, gz.data, gz.len, "bad.gz", &e), 0);
	ck_assert_ptr_null(kc);
	ck_assert(strncmp(e.msg, "bad.gz: ", 8) == 0);
	rb_buf_free(&gz);
}
END_TEST

static void check_rejected(const char *text, const char *want)
{
	struct rb_kconfig *kc;
	struct rb_err e = {0};
	ck_assert_int_eq(rb_kconfig_parse(&kc, text, strlen(text), "cfg", &e), -RB_EINPUT);
	ck_assert_msg(strstr(e.msg, want), "'%s' -> '%s'", text, e.msg);
}

START_TEST(malformed_lines)
{
	check_rejected("CONFIG_A=y\nCONFIG_B\n", "cfg:2:");
	check_rejected("CONFIG_A=\"open\n", "cfg:1:");
	check_rejected("CONFIG_A=\"x\"y\n", "cfg:1:");
	check_rejected("CONFIG_A=12z\n", "cfg:1:");
	check_rejected("CONFIG_A=99999999999999999999999\n", "cfg:1:");
	check_rejected("CONFIG_A=\n", "cfg:1:");
	check_rejected("FOO=y\n", "cfg:1:");
	check_rejected("\n\nCONFIG_A=0x\n", "cfg:3:");
	/* only decimal with an optional '-', or 0x hex: no blanks, '+' or negative hex */
	check_rejected("CONFIG_A=+5\n", "cfg:1:");
	check_rejected("CONFIG_A= 5\n", "cfg:1:");
	check_rejected("CONFIG_A=-0x10\n", "cfg:1:");
	check_rejected("CONFIG_A=--5\n", "cfg:1:");
	check_rejected("CONFIG_A=0xg\n", "cfg:1:");
	check_rejected("CONFIG_A=0x10000000000000000\n", "cfg:1:");
}
END_TEST

START_TEST(empty_and_comment_only)
{
	struct rb_kconfig *kc = parse("", 0);
	ck_assert_uint_eq(rb_kconfig_count(kc), 0);
	struct rb_kconfig_value v;
	ck_assert(!rb_kconfig_get(kc, "CONFIG_BPF", &v));
	rb_kconfig_free(kc);
	kc = parse("# just a comment\n# CONFIG_X is set\n", 35);
	ck_assert_uint_eq(rb_kconfig_count(kc), 0);
	rb_kconfig_free(kc);
}
END_TEST

/* The running kernel's own config, inflated by rawbpf, against python3. */
START_TEST(running_kernel_config)
{
	struct rb_buf gz = {0};
	if (rb_read_file("/proc/config.gz", 1 << 24, &gz) != 0) {
		printf("SKIP running_kernel_config: no /proc/config.gz\n");
		return;
	}
	struct rb_kconfig *kc = parse(gz.data, gz.len);
	FILE *p = popen("python3 -c 'import gzip; print(sum(1 for l in gzip.open(\"/proc/config.gz\","
			"\"rt\") if l.startswith(\"CONFIG_\") or l.endswith(\" is not set\\n\")))'", "r");
	size_t want = 0;
	ck_assert_int_eq(fscanf(p, "%zu", &want), 1);
	pclose(p);
	ck_assert_uint_eq(rb_kconfig_count(kc), want);
	struct rb_kconfig_value v;
	ck_assert(rb_kconfig_get(kc, "CONFIG_BPF", &v) && v.tristate == 'y');
	rb_kconfig_free(kc);
	rb_buf_free(&gz);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("kconfig");
	TCase *tc = tcase_create("kconfig");
	tcase_add_test(tc, plain_text);
	tcase_add_test(tc, gzip_text);
	tcase_add_test(tc, malformed_lines);
	tcase_add_test(tc, empty_and_comment_only);
	tcase_add_test(tc, running_kernel_config);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
