/* rawbpf btf: list the kernel's BTF objects and dump BTF from files or ids,
 * as bpftool's raw listing, C declarations or JSON. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/json.h"
#include "common/strtab.h"
#include "elf/btf.h"
#include "elf/btf_dump.h"
#include "loader/bpf.h"
#include "loader/cli/cmd.h"
#include "loader/inspect/inspect.h"

extern const struct rb_cmd rb_cmd_btf;

#define SYS_BTF_DIR "/sys/kernel/btf/"
#define VMLINUX_NAME "vmlinux"

enum dump_format { FMT_RAW, FMT_C };

struct dump_args {
	const char *source;   /* "file" or "id" */
	const char *what;     /* the path or the id */
	const char *base;     /* base BTF file for split BTF, or NULL */
	enum dump_format format;
};

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

static int parse_dump_args(struct rb_cli *cli, int argc, char **argv, struct dump_args *a)
{
	if (argc < 4)
		return rb_cli_usage(cli, &rb_cmd_btf, "dump needs 'file PATH' or 'id ID'");
	a->source = argv[2];
	a->what = argv[3];
	if (strcmp(a->source, "file") && strcmp(a->source, "id"))
		return rb_cli_usage(cli, &rb_cmd_btf, "dump from 'file' or 'id', not '%s'", a->source);
	for (int i = 4; i < argc; i += 2) {
		if (i + 1 >= argc)
			return rb_cli_usage(cli, &rb_cmd_btf, "'%s' needs a value", argv[i]);
		int fmt = rb_strtab_index("raw\0c\0", argv[i + 1]);  /* enum dump_format's order */
		if (!strcmp(argv[i], "base"))
			a->base = argv[i + 1];
		else if (strcmp(argv[i], "format"))
			return rb_cli_usage(cli, &rb_cmd_btf, "unknown option '%s'", argv[i]);
		else if (fmt < 0)
			return rb_cli_usage(cli, &rb_cmd_btf, "format is 'raw' or 'c', not '%s'", argv[i + 1]);
		else
			a->format = (enum dump_format)fmt;
	}
	if (a->format == FMT_C && cli->json)
		return rb_cli_usage(cli, &rb_cmd_btf, "format c has no JSON form; drop -j");
	return 0;
}

static int print_btf(const struct rb_cli *cli, const struct rb_btf *btf, enum dump_format fmt,
		     struct rb_err *err)
{
	if (fmt == FMT_C)
		return rb_btf_dump_c(btf, stdout, err);
	if (!cli->json)
		return rb_btf_dump_raw(btf, stdout, err);
	struct rb_json j;
	rb_json_init(&j, stdout, cli->pretty);
	int r = rb_btf_dump_json(btf, &j, err);
	rb_json_finish(&j);
	return r;
}

/* Module BTF under /sys/kernel/btf is split on vmlinux's. */
static const char *implied_base(const char *path)
{
	size_t n = strlen(SYS_BTF_DIR);
	if (strncmp(path, SYS_BTF_DIR, n) == 0 && strcmp(path + n, VMLINUX_NAME) != 0)
		return SYS_BTF_DIR VMLINUX_NAME;
	return NULL;
}

static int load_with_base(struct rb_btf **btf, struct rb_btf **base, const char *path,
			  const char *base_path, struct rb_err *err)
{
	*base = NULL;
	if (base_path) {
		int r = rb_btf_load_file(base, base_path, NULL, err);
		if (r < 0)
			return r;
	}
	return rb_btf_load_file(btf, path, *base, err);
}

static int dump_file(const struct rb_cli *cli, const struct dump_args *a, struct rb_err *err)
{
	struct rb_btf *btf = NULL, *base = NULL;
	int r = load_with_base(&btf, &base, a->what, a->base ? a->base : implied_base(a->what), err);
	if (r == 0)
		r = print_btf(cli, btf, a->format, err);
	rb_btf_free(btf);
	rb_btf_free(base);
	return r;
}

/* --- BTF objects in the kernel ---------------------------------------------------------- */

struct kernel_btf {
	struct bpf_btf_info info;
	char name[64];
	struct rb_buf data;
};

static int fetch_btf(const struct rb_sys *sys, uint32_t id, struct kernel_btf *k, bool want_data,
		     struct rb_err *err)
{
	memset(k, 0, sizeof(*k));
	int fd = rb_bpf_btf_fd_by_id(sys, id);
	if (fd == -ENOENT)
		return rb_errf(err, RB_EUSAGE, "BTF id %u: the kernel has no such BTF object; `rawbpf btf list` shows the ids",
			       id);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "BTF id %u: BPF_BTF_GET_FD_BY_ID failed", id);
	int r = rb_btf_info_read(sys, fd, &k->info, k->name, sizeof(k->name), want_data ? &k->data : NULL);
	rb_sys_close(sys, fd);
	k->name[sizeof(k->name) - 1] = 0;
	if (r < 0) {
		rb_buf_free(&k->data);
		return rb_errnof(err, RB_EKERNEL, -r, "BTF id %u: BPF_OBJ_GET_INFO_BY_FD failed", id);
	}
	return 0;
}

static bool is_split_kernel_btf(const struct kernel_btf *k)
{
	return k->info.kernel_btf && strcmp(k->name, VMLINUX_NAME) != 0;
}

static int dump_id(const struct rb_cli *cli, const struct dump_args *a, struct rb_err *err)
{
	uint32_t id;
	if (parse_u32(a->what, &id) < 0)
		return rb_errf(err, RB_EUSAGE, "btf dump id: '%s' is not an id", a->what);
	struct kernel_btf k;
	int r = fetch_btf(&cli->sys, id, &k, true, err);
	if (r < 0)
		return r;
	struct rb_btf *base = NULL, *btf = NULL;
	const char *base_path = a->base ? a->base : is_split_kernel_btf(&k) ? SYS_BTF_DIR VMLINUX_NAME : NULL;
	if (base_path)
		r = rb_btf_load_file(&base, base_path, NULL, err);
	char label[96];
	snprintf(label, sizeof(label), "BTF id %u%s%s", id, k.name[0] ? " " : "", k.name);
	if (r == 0)
		r = rb_btf_parse(&btf, k.data.data, k.data.len, base, label, err);
	if (r == 0)
		r = print_btf(cli, btf, a->format, err);
	rb_btf_free(btf);
	rb_btf_free(base);
	rb_buf_free(&k.data);
	return r;
}

static int btf_dump(struct rb_cli *cli, int argc, char **argv)
{
	struct dump_args a = {0};
	int r = parse_dump_args(cli, argc, argv, &a);
	if (r)
		return r;
	struct rb_err err = {0};
	r = !strcmp(a.source, "file") ? dump_file(cli, &a, &err) : dump_id(cli, &a, &err);
	return r < 0 ? rb_cli_error(cli, &err) : 0;
}

static void list_one(const struct rb_cli *cli, struct rb_json *j, const struct kernel_btf *k)
{
	if (!cli->json) {
		printf("%u: name %s  size %uB%s\n", k->info.id, k->name[0] ? k->name : "<anon>", k->info.btf_size,
		       k->info.kernel_btf ? "  kernel" : "");
		return;
	}
	rb_json_obj_begin(j);
	rb_json_ku64(j, "id", k->info.id);
	rb_json_kstr(j, "name", k->name);
	rb_json_ku64(j, "size", k->info.btf_size);
	rb_json_kbool(j, "kernel", k->info.kernel_btf);
	rb_json_obj_end(j);
}

static int btf_list(struct rb_cli *cli, int argc, char **argv)
{
	if (argc > 2)
		return rb_cli_usage(cli, &rb_cmd_btf, "unexpected '%s'", argv[2]);
	struct rb_err err = {0};
	struct rb_json j;
	rb_json_init(&j, stdout, cli->pretty);
	if (cli->json)
		rb_json_arr_begin(&j);
	uint32_t id = 0;
	int r;
	while ((r = rb_bpf_btf_get_next_id(&cli->sys, id, &id)) == 0) {
		struct kernel_btf k;
		if (fetch_btf(&cli->sys, id, &k, false, &err) < 0) {
			rb_err_clear(&err); /* unloaded between the two calls */
			continue;
		}
		list_one(cli, &j, &k);
	}
	if (cli->json) {
		rb_json_arr_end(&j);
		rb_json_finish(&j);
	}
	if (r != -ENOENT) {
		rb_errnof(&err, RB_EKERNEL, -r, "BPF_BTF_GET_NEXT_ID failed");
		return rb_cli_error(cli, &err);
	}
	return 0;
}

static int run_btf(struct rb_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return rb_cli_usage(cli, &rb_cmd_btf, "missing subcommand");
	if (!strcmp(argv[1], "dump"))
		return btf_dump(cli, argc, argv);
	if (!strcmp(argv[1], "list") || !strcmp(argv[1], "show"))
		return btf_list(cli, argc, argv);
	return rb_cli_usage(cli, &rb_cmd_btf, "unknown subcommand '%s'", argv[1]);
}

const struct rb_cmd rb_cmd_btf = {
	.name = "btf",
	.run = run_btf,
};
