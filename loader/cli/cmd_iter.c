/* `rawbpf iter OBJ`: loads the object, runs each iter/ program once and
 * prints what it wrote (bpf_seq_printf), then detaches and exits. */
#include <string.h>

#include "loader/attach/attach.h"
#include "loader/cli/cmd.h"
#include "loader/load/load.h"

extern const struct rb_cmd rb_cmd_iter;

static int iterate(struct rb_cli *cli, struct rb_loaded *ld, struct rb_attach *at, struct rb_err *err)
{
	int found = 0;
	for (size_t i = 0; i < ld->n_progs; i++) {
		struct rb_loaded_prog *lp = &ld->progs[i];
		if (lp->fd < 0 || lp->prog->def->attach != RB_ATTACH_ITER)
			continue;
		struct rb_attach_req req;
		rb_cli_attach_req(&req, lp);
		int rc = rb_attach_iter(at, &req, err);
		if (rc == 0) {
			long n = rb_attach_iter_read(at, &at->links[at->n_links - 1], stdout, err);
			rc = n < 0 ? (int)n : 0;
		}
		if (rc < 0)
			return rc;
		found++;
	}
	return found ? 0 : rb_errf(err, RB_EUSAGE, "%s: no iter/ program in the object", ld->obj->path);
}

static int run_iter(struct rb_cli *cli, int argc, char **argv)
{
	const char *obj = NULL, *pin = NULL;
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--pin") && i + 1 < argc)
			pin = argv[++i];
		else if (argv[i][0] != '-' && !obj)
			obj = argv[i];
		else
			return rb_cli_usage(cli, &rb_cmd_iter, "unexpected '%s'", argv[i]);
	}
	if (!obj)
		return rb_cli_usage(cli, &rb_cmd_iter, "which object? give OBJ");
	struct rb_err err = {0};
	struct rb_load_opts lo = {.pin_dir = pin, .note = cli->quiet ? NULL : stderr, .vlog = stderr,
				  .verbose = cli->verbose > 0};
	struct rb_loaded *ld;
	int rc = rb_load_file(&ld, &cli->sys, obj, &lo, &err);
	if (rc < 0)
		return rb_cli_error(cli, &err);
	struct rb_attach_opts ao = {.pid = -1};
	struct rb_attach at;
	rb_attach_init(&at, &cli->sys, &ao, cli->quiet ? NULL : stderr);
	rc = iterate(cli, ld, &at, &err);
	rb_attach_detach_all(&at);
	rb_loaded_free(ld);
	return rc < 0 ? rb_cli_error(cli, &err) : 0;
}

const struct rb_cmd rb_cmd_iter = {
	.name = "iter",
	.run = run_iter,
};
