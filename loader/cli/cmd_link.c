/* rawbpf link: list and show the kernel's BPF links. */
#include <string.h>

#include "loader/cli/cmd.h"
#include "loader/inspect/inspect.h"

extern const struct rb_cmd rb_cmd_link;

static int link_show(struct rb_cli *cli, int argc, char **argv)
{
	struct rb_err err = {0};
	struct rb_show_out o = {.out = stdout, .json = cli->json, .pretty = cli->pretty};
	struct rb_obj_ref ref;
	int i = 2, r;
	if (argc <= 2)
		r = rb_inspect_show(&cli->sys, RB_OBJ_LINK, NULL, &o, &err);
	else if ((r = rb_obj_ref_parse(&ref, RB_OBJ_LINK, argc, argv, &i, &err)) == 0) {
		if (i < argc)
			r = rb_errf(&err, RB_EUSAGE, "unexpected '%s'", argv[i]);
		else if (ref.by == RB_REF_NAME)
			r = rb_errf(&err, RB_EUSAGE, "links have no names: give `id ID` or `pinned PATH`");
		else
			r = rb_inspect_show(&cli->sys, RB_OBJ_LINK, &ref, &o, &err);
	}
	return r < 0 ? rb_cli_error(cli, &err) : 0;
}

static int run_link(struct rb_cli *cli, int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "list";
	if (!strcmp(sub, "list") || !strcmp(sub, "show"))
		return link_show(cli, argc, argv);
	if (!strcmp(sub, "help"))
		return printf("usage:\n%s\n\n%s\n", rb_cli_text("link", "synopsis"), rb_cli_text("link", "help")), 0;
	return rb_cli_usage(cli, &rb_cmd_link, "unknown subcommand '%s'", sub);
}

const struct rb_cmd rb_cmd_link = {
	.name = "link",
	.run = run_link,
};
