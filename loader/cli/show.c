/* What prog, map and link share: `WORD list|show [REF]` and `WORD help`. */
#include "loader/cli/cmd.h"

/* Usage errors of `prog show` print the synopsis; those of map and link
 * are one line (the message says what to give). */
int rb_cli_show(struct rb_cli *cli, const struct rb_cmd *cmd, enum rb_obj_kind kind, int argc,
		char **argv)
{
	struct rb_err err = {0};
	struct rb_show_out o = {.out = stdout, .json = cli->json, .pretty = cli->pretty};
	struct rb_obj_ref ref;
	int i = 2, r = 0;
	if (argc > 2) {
		r = rb_obj_ref_parse(&ref, kind, argc, argv, &i, &err);
		if (r == 0 && i < argc)
			r = rb_errf(&err, RB_EUSAGE, "unexpected '%s'", argv[i]);
		else if (r == 0 && kind == RB_OBJ_LINK && ref.by == RB_REF_NAME)
			r = rb_errf(&err, RB_EUSAGE, "links have no names: give `id ID` or `pinned PATH`");
		if (r < 0 && kind == RB_OBJ_PROG)
			return rb_cli_usage(cli, cmd, "%s", err.msg);
	}
	if (r == 0)
		r = rb_inspect_show(&cli->sys, kind, argc > 2 ? &ref : NULL, &o, &err);
	return r < 0 ? rb_cli_error(cli, &err) : 0;
}

int rb_cli_help_of(const char *word)
{
	printf("usage:\n%s\n\n%s\n", rb_cli_text(word, "synopsis"), rb_cli_text(word, "help"));
	return 0;
}
