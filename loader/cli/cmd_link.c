/* rawbpf link: list and show the kernel's BPF links. */
#include <string.h>

#include "loader/cli/cmd.h"

extern const struct rb_cmd rb_cmd_link;

static int run_link(struct rb_cli *cli, int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "list";
	if (!strcmp(sub, "list") || !strcmp(sub, "show"))
		return rb_cli_show(cli, &rb_cmd_link, RB_OBJ_LINK, argc, argv);
	if (!strcmp(sub, "help"))
		return rb_cli_help_of("link");
	return rb_cli_usage(cli, &rb_cmd_link, "unknown subcommand '%s'", sub);
}

const struct rb_cmd rb_cmd_link = {
	.name = "link",
	.run = run_link,
};
