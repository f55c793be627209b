/* Test-only: rawbpf's `run` or `load` command behind a syscall chokepoint
 * that refuses one kind of BPF_MAP_CREATE, so a fallback can be driven on a
 * kernel that has the feature (tests/loader/attach/ringbuf_fallback.sh).
 *   RB_REFUSE_MAP_TYPE=N fault_run run|load ARGS...
 * (an environment variable, so scripts can use it where they use rawbpf)
 * Refused calls fail with EINVAL, as on a kernel without the map type; the
 * count goes to stderr at exit ("fault_run: refused K calls"). */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>

#include "loader/cli/cmd.h"

extern const struct rb_cmd rb_cmd_run, rb_cmd_load;

/* main.c's two printers (main.c itself is not linked in) */
int rb_cli_error(const struct rb_cli *cli, const struct rb_err *err)
{
	fprintf(stderr, "%s: %s\n", cli->prog_name, err->msg);
	return err->code ? err->code : RB_ESYS;
}

int rb_cli_usage(const struct rb_cli *cli, const struct rb_cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fprintf(stderr, "%s %s: ", cli->prog_name, cmd->name);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return RB_EUSAGE;
}

struct refusal {
	unsigned map_type;
	unsigned refused;
};

static long refusing_call(const struct rb_sys *sys, long nr, const long args[6])
{
	struct refusal *r = sys->ctx;
	const union bpf_attr *attr = (const union bpf_attr *)args[1];
	if (nr == SYS_bpf && args[0] == BPF_MAP_CREATE && attr && attr->map_type == r->map_type) {
		r->refused++;
		return -EINVAL;
	}
	return rb_sys_raw(sys, nr, args);
}

int main(int argc, char **argv)
{
	const char *type = getenv("RB_REFUSE_MAP_TYPE");
	const struct rb_cmd *cmd = argc < 2 ? NULL : strcmp(argv[1], "run") == 0 ? &rb_cmd_run
				 : strcmp(argv[1], "load") == 0 ? &rb_cmd_load : NULL;
	if (!type || !cmd) {
		fprintf(stderr, "usage: RB_REFUSE_MAP_TYPE=N fault_run run|load ARGS...\n");
		return 1;
	}
	struct refusal r = {.map_type = (unsigned)atoi(type)};
	struct rb_cli cli = {.prog_name = "rawbpf"};
	rb_sys_init(&cli.sys);
	cli.sys.call = refusing_call;
	cli.sys.ctx = &r;
	int rc = cmd->run(&cli, argc - 1, argv + 1);
	fprintf(stderr, "fault_run: refused %u calls\n", r.refused);
	return rc;
}
