/* rawbpf prog: list, show and test-run the kernel's BPF programs. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/strtab.h"
#include "loader/cli/cmd.h"
#include "loader/inspect/inspect.h"

extern const struct rb_cmd rb_cmd_prog;

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
	int k = rb_strtab_index("data_in\0ctx_in\0cpu\0data_size_out\0ctx_size_out\0repeat\0", word);
	if (k < 0)
		return rb_errf(err, RB_EUSAGE, "unknown option '%s'", word);
	if (k < 2)
		return rb_parse_data_arg(value, k ? &t->ctx_in : &t->data_in, err);
	if (k == 2) {
		uint32_t cpu;
		if (parse_u32(value, &cpu) < 0 || cpu > INT32_MAX)
			return rb_errf(err, RB_EUSAGE, "cpu: '%s' is not a CPU number", value);
		t->cpu = (int32_t)cpu;
		return 0;
	}
	uint32_t *nums[] = {&t->data_size_out, &t->ctx_size_out, &t->repeat};
	if (parse_u32(value, nums[k - 3]) < 0)
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
		struct rb_show_out o = {.out = stdout, .json = cli->json, .pretty = cli->pretty};
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
		return rb_cli_show(cli, &rb_cmd_prog, RB_OBJ_PROG, argc, argv);
	if (!strcmp(sub, "run"))
		return prog_run(cli, argc, argv);
	if (!strcmp(sub, "help"))
		return rb_cli_help_of("prog");
	return rb_cli_usage(cli, &rb_cmd_prog, "unknown subcommand '%s'", sub);
}

const struct rb_cmd rb_cmd_prog = {
	.name = "prog",
	.run = run_prog,
};
