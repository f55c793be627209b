/* rawbpf map: list, show, dump, read and write the kernel's BPF maps. */
#include <string.h>

#include "common/strtab.h"
#include "loader/bpf.h"
#include "loader/cli/cmd.h"
#include "loader/inspect/inspect.h"

extern const struct rb_cmd rb_cmd_map;

/* What one invocation works on; freed by map_args_free. */
struct map_args {
	struct rb_map_view view;
	struct rb_buf key, value;
	int value_fd;        /* prog/map fd stored into a prog array or map-in-map */
	uint64_t flags;      /* BPF_ANY / BPF_NOEXIST / BPF_EXIST */
	bool has_key;
};

static void map_args_free(struct rb_cli *cli, struct map_args *a)
{
	rb_map_view_close(&cli->sys, &a->view);
	if (a->value_fd >= 0)
		rb_sys_close(&cli->sys, a->value_fd);
	rb_buf_free(&a->key);
	rb_buf_free(&a->value);
}

static int open_map(struct rb_cli *cli, int argc, char **argv, int *i, struct map_args *a,
		    struct rb_err *err)
{
	struct rb_obj_ref ref;
	a->view.fd = -1;
	a->value_fd = -1;
	int r = rb_obj_ref_parse(&ref, RB_OBJ_MAP, argc, argv, i, err);
	if (r < 0)
		return r;
	int fd = rb_obj_open_one(&cli->sys, RB_OBJ_MAP, &ref, err);
	if (fd < 0)
		return fd;
	return rb_map_view_open(&cli->sys, fd, &a->view, err);
}

/* The update flags by name, in the order of their values BPF_ANY (0),
 * BPF_NOEXIST (1), BPF_EXIST (2). */
_Static_assert(BPF_ANY == 0 && BPF_NOEXIST == 1 && BPF_EXIST == 2, "update flags by index");
static int parse_flag(const char *w, uint64_t *flags)
{
	int f = rb_strtab_index("any\0noexist\0exist\0", w);
	if (f < 0)
		return -1;
	*flags = (uint64_t)f;
	return 0;
}

/* What an element subcommand takes after MAP. */
enum { NEED_KEY = 1, NEED_VALUE = 2, TAKES_FLAG = 4, KEY_OPTIONAL = 8 };

/* The words after MAP: [key K] [value V] [any|noexist|exist], as the
 * subcommand allows (need: NEED_* bits). */
static int parse_operands(struct rb_cli *cli, int argc, char **argv, int i, struct map_args *a,
			  unsigned need, struct rb_err *err)
{
	int r = 0, no_fd;
	while (i < argc && r == 0) {
		const char *w = argv[i++];
		if (!strcmp(w, "key") && (need & NEED_KEY)) {
			r = rb_map_parse_operand(&cli->sys, &a->view, false, argc, argv, &i, &a->key,
						 &no_fd, err);
			a->has_key = true;
		} else if (!strcmp(w, "value") && (need & NEED_VALUE))
			r = rb_map_parse_operand(&cli->sys, &a->view, true, argc, argv, &i, &a->value,
						 &a->value_fd, err);
		else if (!((need & TAKES_FLAG) && parse_flag(w, &a->flags) == 0))
			r = rb_errf(err, RB_EUSAGE, "unexpected '%s'", w);
	}
	if (r == 0 && (need & (NEED_KEY | KEY_OPTIONAL)) == NEED_KEY && !a->has_key)
		r = rb_errf(err, RB_EUSAGE, "missing `key BYTES`");
	if (r == 0 && (need & NEED_VALUE) && !a->value.len)
		r = rb_errf(err, RB_EUSAGE, "missing `value BYTES`");
	return r;
}

static struct rb_show_out show_out(const struct rb_cli *cli)
{
	return (struct rb_show_out){.out = stdout, .json = cli->json, .pretty = cli->pretty};
}

/* The element subcommands, in the order of the switch below, and what each
 * takes after MAP. */
static const char element_ops[] = "dump\0lookup\0update\0delete\0getnext\0freeze\0peek\0pop\0push\0";
enum { OP_DUMP, OP_LOOKUP, OP_UPDATE, OP_DELETE, OP_GETNEXT, OP_FREEZE, OP_PEEK, OP_POP, OP_PUSH };
static const uint8_t element_needs[] = {
	0, NEED_KEY, NEED_KEY | NEED_VALUE | TAKES_FLAG, NEED_KEY, NEED_KEY | KEY_OPTIONAL, 0, 0, 0,
	NEED_VALUE | TAKES_FLAG,
};

/* Runs element subcommand op on an opened map with parsed operands. */
static int map_element_op(struct rb_cli *cli, int op, struct map_args *a, struct rb_err *err)
{
	struct rb_show_out o = show_out(cli);
	const struct rb_sys *sys = &cli->sys;
	switch (op) {
	case OP_DUMP: return rb_map_dump(sys, &a->view, &o, err);
	case OP_LOOKUP: return rb_map_lookup_print(sys, &a->view, a->key.data, &o, err);
	case OP_UPDATE: return rb_map_update(sys, &a->view, a->key.data, a->value.data, a->flags, err);
	case OP_DELETE: return rb_map_delete(sys, &a->view, a->key.data, err);
	case OP_PEEK: case OP_POP: return rb_map_peek_print(sys, &a->view, op == OP_POP, &o, err);
	case OP_PUSH: return rb_map_update(sys, &a->view, NULL, a->value.data, a->flags, err);
	case OP_GETNEXT:
		return rb_map_getnext_print(sys, &a->view, a->has_key ? a->key.data : NULL, &o, err);
	default: {
		int r = rb_bpf_map_freeze(sys, a->view.fd);
		return r < 0 ? rb_map_elem_error(&a->view, -r, "freeze", err) : 0;
	}
	}
}

static int map_element(struct rb_cli *cli, int argc, char **argv, int op)
{
	struct rb_err err = {0};
	struct map_args a = {0};
	int i = 2;
	int r = open_map(cli, argc, argv, &i, &a, &err);
	if (r == 0)
		r = parse_operands(cli, argc, argv, i, &a, element_needs[op], &err);
	if (r == 0)
		r = map_element_op(cli, op, &a, &err);
	map_args_free(cli, &a);
	return r < 0 ? rb_cli_error(cli, &err) : 0; /* one line: the message says what to do */
}

static int run_map(struct rb_cli *cli, int argc, char **argv)
{
	const char *sub = argc >= 2 ? argv[1] : "list";
	if (!strcmp(sub, "list") || !strcmp(sub, "show"))
		return rb_cli_show(cli, &rb_cmd_map, RB_OBJ_MAP, argc, argv);
	int op = rb_strtab_index(element_ops, sub);
	if (op >= 0)
		return map_element(cli, argc, argv, op);
	if (!strcmp(sub, "help"))
		return rb_cli_help_of("map");
	return rb_cli_usage(cli, &rb_cmd_map, "unknown subcommand '%s'", sub);
}

const struct rb_cmd rb_cmd_map = {
	.name = "map",
	.run = run_map,
};
