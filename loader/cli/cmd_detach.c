/* `rawbpf detach DIR`: removes the links `rawbpf run --pin DIR --keep`
 * pinned under DIR/links, which detaches their programs (a bpf link lives
 * while a pin or an fd holds it). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "loader/bpf.h"
#include "loader/cli/cmd.h"

extern const struct rb_cmd rb_cmd_detach;

/* Only bpf links are removed: other files in the folder are left alone. */
static int remove_link(struct rb_cli *cli, const char *path, struct rb_err *err)
{
	int fd = rb_bpf_obj_get(&cli->sys, path, 0);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "detach: %s is not a pinned BPF object", path);
	struct bpf_link_info info;
	uint32_t len = sizeof(info);
	memset(&info, 0, sizeof(info));
	int rc = rb_bpf_obj_get_info(&cli->sys, fd, &info, &len);
	rb_sys_close(&cli->sys, fd);
	if (rc < 0 || info.id == 0 || info.type == 0)
		return rb_errf(err, RB_EUSAGE, "detach: %s is not a link; left in place", path);
	if (unlink(path) < 0)
		return rb_errnof(err, RB_ESYS, errno, "detach: removing %s", path);
	if (!cli->quiet)
		printf("detached link %u (%s)\n", info.id, path);
	return 0;
}

static int detach_dir(struct rb_cli *cli, const char *links, struct rb_err *err)
{
	DIR *d = opendir(links);
	if (!d)
		return rb_errnof(err, errno == ENOENT ? RB_EUSAGE : RB_ESYS, errno,
				 "detach: no pinned links in %s (made by `rawbpf run --pin DIR --keep`)", links);
	int rc = 0, n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char path[4096 + 256 + 2];
		snprintf(path, sizeof(path), "%s/%s", links, e->d_name);
		int r = remove_link(cli, path, err);
		rc = rc < 0 ? rc : r;
		n += r == 0;
	}
	closedir(d);
	if (rc == 0 && rmdir(links) < 0)
		return rb_errnof(err, RB_ESYS, errno, "detach: removing the folder %s", links);
	return rc < 0 ? rc : n;
}

static int run_detach(struct rb_cli *cli, int argc, char **argv)
{
	if (argc != 2 || argv[1][0] == '-')
		return rb_cli_usage(cli, &rb_cmd_detach, "give the DIR that `run --pin DIR --keep` used");
	char links[4096];
	snprintf(links, sizeof(links), "%s/links", argv[1]);
	struct rb_err err = {0};
	int rc = detach_dir(cli, links, &err);
	if (rc < 0)
		return rb_cli_error(cli, &err);
	return 0;
}

const struct rb_cmd rb_cmd_detach = {
	.name = "detach",
	.run = run_detach,
};
