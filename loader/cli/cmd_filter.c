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

struct dlt_name {
	const char *name;
	int dlt;
};

static const struct dlt_name dlt_names[] = {
	{"EN10MB", RB_DLT_EN10MB}, {"RAW", RB_DLT_RAW}, {"LINUX_SLL", RB_DLT_LINUX_SLL},
	{"LINUX_SLL2", RB_DLT_LINUX_SLL2}, {"NULL", RB_DLT_NULL}, {"LOOP", RB_DLT_LOOP},
};

static int parse_dlt(const char *s, int *dlt)
{
	for (size_t i = 0; i < RB_ARRAY_SIZE(dlt_names); i++)
		if (!strcasecmp(s, dlt_names[i].name)) {
			*dlt = dlt_names[i].dlt;
			return 0;
		}
	char *end;
	long v = strtol(s, &end, 10);
	if (*s && !*end) {
		for (size_t i = 0; i < RB_ARRAY_SIZE(dlt_names); i++)
			if (v == dlt_names[i].dlt || (v == 101 && dlt_names[i].dlt == RB_DLT_RAW)) {
				*dlt = dlt_names[i].dlt;
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

/* Options that take a value; returns 1 if argv[*i] was one, -1 on error. */
static int parse_valued(struct rb_cli *cli, struct filter_args *a, int argc, char **argv, int *i)
{
	const char *o = argv[*i];
	unsigned long v;
	if (strcmp(o, "-y") && strcmp(o, "-s") && strcmp(o, "-r") && strcmp(o, "-w") &&
	    strcmp(o, "-c") && strcmp(o, "-i"))
		return 0;
	if (*i + 1 >= argc)
		return rb_cli_usage(cli, &rb_cmd_filter, "%s needs a value", o), -1;
	const char *val = argv[++*i];
	if (!strcmp(o, "-y")) {
		if (parse_dlt(val, &a->copts.dlt) < 0)
			return rb_cli_usage(cli, &rb_cmd_filter, "unknown link type '%s' (EN10MB, RAW, "
					    "LINUX_SLL, LINUX_SLL2, NULL, LOOP or a DLT number)", val), -1;
		a->have_dlt = true;
	} else if (!strcmp(o, "-s")) {
		if (parse_ulong(val, 262144, &v) < 0)
			return rb_cli_usage(cli, &rb_cmd_filter, "-s wants 0..262144, not '%s'", val), -1;
		a->copts.snaplen = (uint32_t)(v ? v : 262144);
		a->cap.snaplen = a->copts.snaplen;
	} else if (!strcmp(o, "-c")) {
		if (parse_ulong(val, 1ul << 62, &v) < 0 || v == 0)
			return rb_cli_usage(cli, &rb_cmd_filter, "-c wants a positive count, not '%s'",
					    val), -1;
		a->cap.count = (long)v;
	} else if (!strcmp(o, "-r"))
		a->cap.read_file = val;
	else if (!strcmp(o, "-w"))
		a->cap.write_file = val;
	else
		a->cap.iface = val;
	return 1;
}

static int parse_args(struct rb_cli *cli, struct filter_args *a, int argc, char **argv)
{
	int i = 1;
	/* An argument with a space ("- ip[8] = -64") is the expression. */
	for (; i < argc && argv[i][0] == '-' && argv[i][1] && !strpbrk(argv[i], " \t"); i++) {
		const char *o = argv[i];
		int r = parse_valued(cli, a, argc, argv, &i);
		if (r < 0)
			return RB_EUSAGE;
		if (r > 0)
			continue;
		if (!strcmp(o, "-d"))
			a->fmt = RB_CBPF_D;
		else if (!strcmp(o, "-dd"))
			a->fmt = RB_CBPF_DD;
		else if (!strcmp(o, "-ddd"))
			a->fmt = RB_CBPF_DDD;
		else if (!strcmp(o, "-O0"))
			a->copts.optimize = false;
		else if (!strcmp(o, "-O"))
			a->copts.optimize = true;
		else if (!strcmp(o, "--")) {
			i++;
			break;
		} else
			return rb_cli_usage(cli, &rb_cmd_filter, "unknown option '%s'", o);
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
