/* `rawbpf filter`: compiles a tcpdump filter expression to classic BPF and
 * prints it like tcpdump -d/-dd/-ddd, or runs it over a capture file or a
 * live interface (loader/capture). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "asm/cbpf/cbpf.h"
#include "asm/cbpf/print.h"
#include "common/buf.h"
#include "common/strtab.h"
#include "loader/capture/capture.h"
#include "loader/cli/cmd.h"

extern const struct rb_cmd rb_cmd_filter;

struct filter_args {
	enum rb_cbpf_fmt fmt;
	struct rb_cbpf_opts copts;
	bool have_dlt;
	struct rb_capture_opts cap;
	struct rb_buf expr;
};

/* -y names (any case), in the order of their link types in dlt_values. */
static const char dlt_names[] = "EN10MB\0RAW\0LINUX_SLL\0LINUX_SLL2\0NULL\0LOOP\0";
static const uint16_t dlt_values[] = {RB_DLT_EN10MB, RB_DLT_RAW, RB_DLT_LINUX_SLL,
				      RB_DLT_LINUX_SLL2, RB_DLT_NULL, RB_DLT_LOOP};

static int parse_dlt(const char *s, int *dlt)
{
	const char *n = dlt_names;
	for (size_t i = 0; i < RB_ARRAY_SIZE(dlt_values); i++, n = rb_strtab_next(n))
		if (!strcasecmp(s, n)) {
			*dlt = dlt_values[i];
			return 0;
		}
	char *end;
	long v = strtol(s, &end, 10);
	if (*s && !*end) {
		for (size_t i = 0; i < RB_ARRAY_SIZE(dlt_values); i++)
			if (v == dlt_values[i] || (v == 101 && dlt_values[i] == RB_DLT_RAW)) {
				*dlt = dlt_values[i];
				return 0;
			}
	}
	return -1;
}

static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;
	if (!*s || *s == '-')
		return -1;
	unsigned long v = strtoul(s, &end, 0);
	if (*end || v > max)
		return -1;
	*out = v;
	return 0;
}

/* Options by name: the first six take a value. */
static const char filter_opt_names[] =
	"-y\0" "-s\0" "-c\0" "-r\0" "-w\0" "-i\0" "-d\0" "-dd\0" "-ddd\0" "-O0\0" "-O\0" "--\0";
enum { OPT_Y, OPT_S, OPT_C, OPT_R, OPT_W, OPT_I, OPT_D, OPT_O0 = OPT_D + 3, OPT_O, OPT_END };

/* Stores the value of option k (<= OPT_I); returns 0 or the usage error. */
static int set_valued(struct rb_cli *cli, struct filter_args *a, int k, const char *val)
{
	unsigned long v;
	if (k == OPT_Y) {
		if (parse_dlt(val, &a->copts.dlt) < 0)
			return rb_cli_usage(cli, &rb_cmd_filter, "unknown link type '%s' (EN10MB, RAW, "
					    "LINUX_SLL, LINUX_SLL2, NULL, LOOP or a DLT number)", val);
		a->have_dlt = true;
	} else if (k == OPT_S) {
		if (parse_ulong(val, 262144, &v) < 0)
			return rb_cli_usage(cli, &rb_cmd_filter, "-s wants 0..262144, not '%s'", val);
		a->copts.snaplen = (uint32_t)(v ? v : 262144);
		a->cap.snaplen = a->copts.snaplen;
	} else if (k == OPT_C) {
		if (parse_ulong(val, 1ul << 62, &v) < 0 || v == 0)
			return rb_cli_usage(cli, &rb_cmd_filter, "-c wants a positive count, not '%s'", val);
		a->cap.count = (long)v;
	} else {
		const char **files[] = {&a->cap.read_file, &a->cap.write_file, &a->cap.iface};
		*files[k - OPT_R] = val;
	}
	return 0;
}

static int parse_args(struct rb_cli *cli, struct filter_args *a, int argc, char **argv)
{
	int i = 1;
	/* An argument with a space ("- ip[8] = -64") is the expression. */
	for (; i < argc && argv[i][0] == '-' && argv[i][1] && !strpbrk(argv[i], " \t"); i++) {
		const char *o = argv[i];
		int k = rb_strtab_index(filter_opt_names, o), rc = 0;
		if (k < 0)
			return rb_cli_usage(cli, &rb_cmd_filter, "unknown option '%s'", o);
		if (k <= OPT_I && i + 1 >= argc)
			return rb_cli_usage(cli, &rb_cmd_filter, "%s needs a value", o);
		if (k <= OPT_I)
			rc = set_valued(cli, a, k, argv[++i]);
		else if (k < OPT_O0)
			a->fmt = (enum rb_cbpf_fmt[]){RB_CBPF_D, RB_CBPF_DD, RB_CBPF_DDD}[k - OPT_D];
		else if (k < OPT_END)
			a->copts.optimize = k == OPT_O;
		else {
			i++;
			break;
		}
		if (rc)
			return rc;
	}
	/* Words are joined with single spaces, as tcpdump does. */
	for (int first = i; i < argc; i++) {
		if (i > first)
			rb_buf_append(&a->expr, " ", 1);
		rb_buf_append(&a->expr, argv[i], strlen(argv[i]));
	}
	if (a->cap.read_file && a->cap.iface)
		return rb_cli_usage(cli, &rb_cmd_filter, "-r and -i exclude each other");
	if ((a->cap.write_file || a->cap.count) && !a->cap.read_file && !a->cap.iface)
		return rb_cli_usage(cli, &rb_cmd_filter, "-w and -c need -r FILE or -i IFACE");
	return a->expr.oom ? RB_ESYS : 0;
}

/* "what" line, then the expression with a caret under the culprit. */
static int report_compile_error(const struct rb_cli *cli, const char *expr, int pos,
				const struct rb_err *err)
{
	fprintf(stderr, "%s: filter: %s\n", cli->prog_name, err->msg);
	if (pos >= 0 && err->code == RB_EUSAGE) {
		fprintf(stderr, "  %s\n  %*s^\n", expr, pos, "");
	}
	return err->code ? err->code : RB_EUSAGE;
}

static int pick_dlt(const struct rb_cli *cli, struct filter_args *a, struct rb_err *err)
{
	/* On a live socket the kernel has taken the outer VLAN tag out. */
	a->copts.linux_live = a->cap.iface != NULL;
	if (a->have_dlt)
		return 0;
	if (a->cap.read_file && strcmp(a->cap.read_file, "-"))
		return rb_capture_file_dlt(a->cap.read_file, &a->copts.dlt, err);
	if (a->cap.iface)
		return rb_capture_iface_dlt(&cli->sys, a->cap.iface, &a->copts.dlt, err);
	return 0;
}

static int print_program(const struct rb_cbpf_prog *prog, enum rb_cbpf_fmt fmt)
{
	struct rb_buf out = {0};
	rb_cbpf_print(prog, fmt, &out);
	int bad = out.oom || fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout);
	rb_buf_free(&out);
	return bad ? RB_ESYS : 0;
}

static int run_filter(struct rb_cli *cli, int argc, char **argv)
{
	struct filter_args a = {.fmt = RB_CBPF_D,
				.copts = {.dlt = RB_DLT_EN10MB, .snaplen = 262144, .optimize = true}};
	struct rb_err err = {0};
	struct rb_cbpf_prog prog = {0};
	int pos = -1, rc = parse_args(cli, &a, argc, argv);
	if (rc) {
		rb_buf_free(&a.expr);
		return rc;
	}
	const char *expr = rb_buf_str(&a.expr);
	if (pick_dlt(cli, &a, &err) < 0)
		rc = rb_cli_error(cli, &err);
	else if (rb_cbpf_compile(expr, &a.copts, &prog, &pos, &err) < 0)
		rc = report_compile_error(cli, expr, pos, &err);
	else if (a.cap.read_file || a.cap.iface) {
		a.cap.sys = &cli->sys;
		a.cap.quiet = cli->quiet;
		if (rb_capture_run(&a.cap, &prog, &err) < 0)
			rc = rb_cli_error(cli, &err);
	} else
		rc = print_program(&prog, a.fmt);
	rb_cbpf_prog_free(&prog);
	rb_buf_free(&a.expr);
	return rc;
}

const struct rb_cmd rb_cmd_filter = {
	.name = "filter",
	.run = run_filter,
};
