/* rawbpf feature: what the running kernel supports, found by trying. */
#include <string.h>

#include "loader/cli/cmd.h"
#include "loader/inspect/inspect.h"

extern const struct rb_cmd rb_cmd_feature;

static int run_feature(struct rb_cli *cli, int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "probe";
	if (strcmp(sub, "probe") != 0 || argc > 2)
		return rb_cli_usage(cli, &rb_cmd_feature, "unknown subcommand '%s'", sub);
	struct rb_err err = {0};
	struct rb_show_out o = {.out = stdout, .json = cli->json, .pretty = cli->pretty};
	return rb_feature_probe(&cli->sys, &o, &err) < 0 ? rb_cli_error(cli, &err) : 0;
}

const struct rb_cmd rb_cmd_feature = {
	.name = "feature",
	.run = run_feature,
};
