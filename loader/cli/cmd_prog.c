/* rawbpf prog: list, show and test-run the kernel's BPF programs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader/cli/cmd.h"
#include "loader/inspect/inspect.h"

extern const struct rb_cmd rb_cmd_prog;

static struct rb_show_out show_out(const struct rb_cli *cli)
{
	return (struct rb_show_out){.out = stdout, .json = cli->json, .pretty = cli->pretty};
}

static int prog_show(struct rb_cli *cli, int argc, char **argv)
{
	struct rb_err err = {0};
	struct rb_show_out o = show_out(cli);
	struct rb_obj_ref ref;
	int i = 2;
	if (argc == 2)
		return rb_inspect_show(&cli->sys, RB_OBJ_PROG, NULL, &o, &err) < 0 ? rb_cli_error(cli, &err) : 0;
	if (rb_obj_ref_parse(&ref, RB_OBJ_PROG, argc, argv, &i, &err) < 0)
		return rb_cli_usage(cli, &rb_cmd_prog, "%s", err.msg);
	if (i < argc)
		return rb_cli_usage(cli, &rb_cmd_prog, "unexpected '%s'", argv[i]);
	return rb_inspect_show(&cli->sys, RB_OBJ_PROG, &ref, &o, &err) < 0 ? rb_cli_error(cli, &err) : 0;
}

static int parse_u32(const char *s, uint32_t *v)
{
	char *end;
	errno = 0;
	unsigned long x = strtoul(s, &end, 0);
	if (!*s || *end || errno || x > UINT32_MAX || s[0] == '-')
		return -1;
	*v = (uint32_t)x;
	return 0;
}

/* One `word value` option of `prog run`. */
static int run_option(struct rb_test_run *t, const char *word, const char *value, struct rb_err *err)
{
	if (!strcmp(word, "data_in"))
		return rb_parse_data_arg(value, &t->data_in, err);
	if (!strcmp(word, "ctx_in"))
		return rb_parse_data_arg(value, &t->ctx_in, err);
	if (!strcmp(word, "cpu")) {
		uint32_t cpu;
		if (parse_u32(value, &cpu) < 0 || cpu > INT32_MAX)
			return rb_errf(err, RB_EUSAGE, "cpu: '%s' is not a CPU number", value);
		t->cpu = (int32_t)cpu;
		return 0;
	}
	uint32_t *num = !strcmp(word, "data_size_out") ? &t->data_size_out
		      : !strcmp(word, "ctx_size_out")  ? &t->ctx_size_out
		      : !strcmp(word, "repeat")        ? &t->repeat
						       : NULL;
	if (!num)
		return rb_errf(err, RB_EUSAGE, "unknown option '%s'", word);
	if (parse_u32(value, num) < 0)
		return rb_errf(err, RB_EUSAGE, "%s: '%s' is not a number", word, value);
	return 0;
}

static int prog_run(struct rb_cli *cli, int argc, char **argv)
{
	struct rb_err err = {0};
	struct rb_obj_ref ref;
	struct rb_test_run t = {.cpu = -1};
	int i = 2, r = 0;
	if (rb_obj_ref_parse(&ref, RB_OBJ_PROG, argc, argv, &i, &err) < 0)
		return rb_cli_usage(cli, &rb_cmd_prog, "%s", err.msg);
	for (; i < argc && r == 0; i += 2)
		r = i + 1 < argc ? run_option(&t, argv[i], argv[i + 1], &err)
				 : rb_errf(&err, RB_EUSAGE, "'%s' needs a value", argv[i]);
	int fd = r < 0 ? r : rb_obj_open_one(&cli->sys, RB_OBJ_PROG, &ref, &err);
	if (fd >= 0) {
		struct rb_show_out o = show_out(cli);
		r = rb_prog_test_run_print(&cli->sys, fd, &t, &o, &err);
		rb_sys_close(&cli->sys, fd);
	} else
		r = fd;
	rb_buf_free(&t.data_in);
	rb_buf_free(&t.ctx_in);
	return r < 0 ? rb_cli_error(cli, &err) : 0;
}

static int run_prog(struct rb_cli *cli, int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "list";
	if (!strcmp(sub, "list") || !strcmp(sub, "show"))
		return prog_show(cli, argc < 2 ? 2 : argc, argv);
	if (!strcmp(sub, "run"))
		return prog_run(cli, argc, argv);
	if (!strcmp(sub, "help"))
		return printf("usage:\n%s\n\n%s\n", rb_cmd_prog.synopsis, rb_cmd_prog.help), 0;
	return rb_cli_usage(cli, &rb_cmd_prog, "unknown subcommand '%s'", sub);
}

const struct rb_cmd rb_cmd_prog = {
	.name = "prog",
	.synopsis = "  rawbpf prog list\n"
		    "  rawbpf prog show [PROG]\n"
		    "  rawbpf prog run PROG [data_in HEX|@FILE] [data_size_out N] [ctx_in HEX|@FILE]\n"
		    "                       [ctx_size_out N] [repeat N] [cpu N]\n"
		    "  PROG := id ID | pinned PATH | name NAME | tag TAG",
	.summary = "list, show and test-run the kernel's BPF programs",
	.help = "  list / show      id, type, name, tag, gpl, load time, uid, translated and JIT\n"
		"                   sizes, locked memory, map ids, BTF id, the processes holding\n"
		"                   it (pids, from /proc); -j gives bpftool's JSON\n"
		"                   (id, type, name, tag, gpl_compatible, loaded_at, uid,\n"
		"                   bytes_xlated, jited, bytes_jited, bytes_memlock, map_ids, btf_id,\n"
		"                   pids [{pid, comm}]).\n"
		"                   `show name NAME` shows every program of that name.\n"
		"  run PROG         BPF_PROG_TEST_RUN: runs the program once (repeat N: N times)\n"
		"                   on data_in (hex digits like 0a0b0c or @FILE for a file's bytes)\n"
		"                   and optional ctx_in (struct __sk_buff, xdp_md, raw_tp args,\n"
		"                   syscall program arguments ... as bytes); cpu N runs a\n"
		"                   raw_tp program on that CPU.  ctx_size_out N returns the context\n"
		"                   after the run (ctx_out); not every type accepts it.\n"
		"                   Prints `retval R  duration Dns` and the output packet\n"
		"                   (`data_out 0a 0b ...`), -j: {\"retval\":R,\"duration\":D,\n"
		"                   \"data_size_out\":N,\"data_out\":\"0a0b..\",\"ctx_out\":\"..\"}.\n"
		"                   data_size_out defaults to data_in's size + 256; the kernel wants\n"
		"                   packets for socket/tc programs to hold a whole Ethernet header\n"
		"                   and, for an IP ethertype, a whole IP header (34+ bytes).\n"
		"  PROG names one program; a name must be unique for `run`.  The kernel keeps\n"
		"  15 characters of a name: a longer one matches its first 15.  A bare number\n"
		"  is an id.\n"
		"EXAMPLES\n"
		"  rawbpf prog show name my_xdp\n"
		"  rawbpf -j prog run pinned /sys/fs/bpf/x/my_xdp data_in @packet.bin repeat 100\n"
		"ERRORS\n"
		"  exit 1: bad arguments, ambiguous name, a pinned path that is a map or link;\n"
		"  exit 3: no such id/name, the kernel refused (permission: run as root);\n"
		"  exit 4: pinned path missing; exit 5: the type cannot be test-run.",
	.run = run_prog,
};
