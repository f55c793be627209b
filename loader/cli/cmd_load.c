/* `rawbpf load OBJ [--pin DIR] ...`: load every program and map of a BPF
 * object, print what got loaded, pin it or let it go. */
#include <stdlib.h>
#include <string.h>

#include "common/json.h"
#include "common/strtab.h"
#include "loader/cli/cmd.h"
#include "loader/externs/externs.h"
#include "loader/inspect/names.h"
#include "loader/load/load.h"

extern const struct rb_cmd rb_cmd_load;

struct load_args {
	const char *obj;
	struct rb_load_opts opts;
	const char **sets, **skip, **only, **sizes;  /* argc-sized arrays */
	struct rb_resolver_opts resolver;   /* --btf, --strict */
};

/* Options by name; the first seven take a value. */
static const char load_opt_names[] =
	"--pin\0" "--pin-root\0" "--btf\0" "--set\0" "--skip\0" "--only\0" "--map-size\0"
	"-v\0" "--verbose\0" "--strict\0";
enum {
	OPT_PIN, OPT_PIN_ROOT, OPT_BTF, OPT_SET, OPT_SKIP, OPT_ONLY, OPT_MAP_SIZE,
	OPT_VERBOSE, OPT_VERBOSE_LONG, OPT_STRICT
};

/* Stores the value of option k (< OPT_VERBOSE). */
static void set_valued(struct load_args *a, int k, const char *v)
{
	switch (k) {
	case OPT_PIN: a->opts.pin_dir = v; break;
	case OPT_PIN_ROOT: a->opts.pin_root = v; break;
	case OPT_BTF: a->resolver.btf_path = v; break;
	case OPT_SET: a->sets[a->opts.n_sets++] = v; break;
	case OPT_SKIP: a->skip[a->opts.n_skip++] = v; break;
	case OPT_ONLY: a->only[a->opts.n_only++] = v; break;
	default: a->sizes[a->opts.n_map_sizes++] = v; break;
	}
}

static int parse_args(struct rb_cli *cli, struct load_args *a, int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		int k = rb_strtab_index(load_opt_names, argv[i]);
		if (k >= 0 && k < OPT_VERBOSE) {
			if (i + 1 >= argc)
				return rb_cli_usage(cli, &rb_cmd_load, "%s needs a value", argv[i]);
			set_valued(a, k, argv[++i]);
		} else if (k == OPT_STRICT)
			a->resolver.strict = true;
		else if (k >= 0)
			cli->verbose++;
		else if (argv[i][0] == '-' && argv[i][1])
			return rb_cli_usage(cli, &rb_cmd_load, "unknown option '%s'", argv[i]);
		else if (a->obj)
			return rb_cli_usage(cli, &rb_cmd_load, "one object at a time ('%s' and '%s')",
					    a->obj, argv[i]);
		else
			a->obj = argv[i];
	}
	if (!a->obj)
		return rb_cli_usage(cli, &rb_cmd_load, "which object? (rawbpf load OBJ)");
	return 0;
}

static const char *prog_type(uint32_t t)
{
	const char *n = rb_prog_type_name(t);
	return n ? n : "?";
}

static const char *map_type(uint32_t t)
{
	const char *n = rb_map_type_name(t);
	return n ? n : "?";
}

static void print_map_line(const struct rb_loaded_map *lm)
{
	const struct rb_map *m = lm->map;
	printf("  map  %-20s %-16s id %-6u key %u value %u entries %u", m->name, map_type(m->type),
	       lm->id, m->key_size, lm->value_size, lm->max_entries);
	if (m->readonly)
		printf("  frozen");
	if (lm->by_name_path)
		printf("  %s %s", lm->reused ? "reused" : "pinned-by-name", lm->by_name_path);
	putchar('\n');
}

static void print_text(const struct rb_loaded *ld)
{
	size_t loaded = 0;
	for (size_t i = 0; i < ld->n_progs; i++)
		loaded += ld->progs[i].fd >= 0;
	printf("%s: %zu program%s, %zu map%s loaded%s\n", ld->obj->path, loaded, loaded == 1 ? "" : "s",
	       ld->n_maps, ld->n_maps == 1 ? "" : "s", ld->btf_fd >= 0 ? " (with BTF)" : "");
	for (size_t i = 0; i < ld->n_progs; i++) {
		const struct rb_loaded_prog *lp = &ld->progs[i];
		if (lp->fd < 0)
			printf("  prog %-20s skipped: %s\n", lp->prog->name, lp->skip_reason ? lp->skip_reason : "?");
		else
			printf("  prog %-20s %-16s id %-6u %5u insns  section %s%s%s\n", lp->prog->name,
			       prog_type(lp->prog->prog_type), lp->id, lp->xlated_insns, lp->prog->sec_name,
			       lp->pin_path ? "  pinned " : "", lp->pin_path ? lp->pin_path : "");
	}
	for (size_t i = 0; i < ld->n_maps; i++)
		print_map_line(&ld->maps[i]);
	if (ld->opts->pin_dir)
		printf("pinned in %s (programs) and %s/maps (maps)\n", ld->opts->pin_dir, ld->opts->pin_dir);
}

static void json_prog(struct rb_json *j, const struct rb_loaded_prog *lp)
{
	rb_json_obj_begin(j);
	rb_json_kstr(j, "name", lp->prog->name);
	rb_json_kstr(j, "section", lp->prog->sec_name);
	rb_json_kstr(j, "type", prog_type(lp->prog->prog_type));
	if (lp->fd >= 0) {
		rb_json_ku64(j, "id", lp->id);
		rb_json_ku64(j, "xlated_insns", lp->xlated_insns);
		rb_json_ku64(j, "jited_bytes", lp->jited_bytes);
		if (lp->pin_path)
			rb_json_kstr(j, "pinned", lp->pin_path);
	} else {
		rb_json_kstr(j, "skipped", lp->skip_reason ? lp->skip_reason : "?");
	}
	rb_json_obj_end(j);
}

static void json_map(struct rb_json *j, const struct rb_loaded_map *lm)
{
	rb_json_obj_begin(j);
	rb_json_kstr(j, "name", lm->map->name);
	rb_json_kstr(j, "type", map_type(lm->map->type));
	rb_json_ku64(j, "id", lm->id);
	rb_json_ku64(j, "key_size", lm->map->key_size);
	rb_json_ku64(j, "value_size", lm->value_size);
	rb_json_ku64(j, "max_entries", lm->max_entries);
	rb_json_ku64(j, "flags", lm->map_flags);
	rb_json_kbool(j, "frozen", lm->map->readonly);
	rb_json_kbool(j, "reused", lm->reused);
	if (lm->by_name_path)
		rb_json_kstr(j, "pinned_by_name", lm->by_name_path);
	if (lm->pin_path)
		rb_json_kstr(j, "pinned", lm->pin_path);
	rb_json_obj_end(j);
}

static void print_json(const struct rb_cli *cli, const struct rb_loaded *ld)
{
	struct rb_json j;
	rb_json_init(&j, stdout, cli->pretty);
	rb_json_obj_begin(&j);
	rb_json_kstr(&j, "object", ld->obj->path);
	rb_json_kstr(&j, "name", ld->obj->name);
	rb_json_kbool(&j, "btf", ld->btf_fd >= 0);
	if (ld->opts->pin_dir)
		rb_json_kstr(&j, "pin_dir", ld->opts->pin_dir);
	rb_json_key(&j, "programs");
	rb_json_arr_begin(&j);
	for (size_t i = 0; i < ld->n_progs; i++)
		json_prog(&j, &ld->progs[i]);
	rb_json_arr_end(&j);
	rb_json_key(&j, "maps");
	rb_json_arr_begin(&j);
	for (size_t i = 0; i < ld->n_maps; i++)
		json_map(&j, &ld->maps[i]);
	rb_json_arr_end(&j);
	rb_json_obj_end(&j);
	rb_json_finish(&j);
}

static void print_warnings(const struct rb_cli *cli, const struct rb_loaded *ld)
{
	for (size_t i = 0; !cli->quiet && i < ld->obj->n_warnings; i++)
		fprintf(stderr, "%s: warning: %s\n", cli->prog_name, ld->obj->warnings[i]);
}

/* The CO-RE/externs resolver with --btf/--strict; without them the load
 * pipeline uses the resolver's defaults (running kernel). */
static int load(struct rb_cli *cli, struct load_args *a, struct rb_loaded **ld, struct rb_err *err)
{
	struct rb_resolver *rs = NULL;
	if (a->resolver.btf_path || a->resolver.strict) {
		a->resolver.note = a->opts.note;
		int r = rb_resolver_new(&rs, &cli->sys, &a->resolver, err);
		if (r < 0)
			return r;
		a->opts.resolve = rb_resolve;
		a->opts.resolve_ctx = rs;
	}
	int r = rb_load_file(ld, &cli->sys, a->obj, &a->opts, err);
	rb_resolver_free(rs);
	return r;
}

static int run_load(struct rb_cli *cli, int argc, char **argv)
{
	struct load_args a = {0};
	/* one block for the four lists, argc entries each */
	const char **lists = calloc(4 * (size_t)argc, sizeof(char *));
	if (!lists)
		return RB_ESYS;
	a.sets = lists, a.skip = lists + argc, a.only = lists + 2 * argc, a.sizes = lists + 3 * argc;
	int rc = parse_args(cli, &a, argc, argv);
	if (rc == 0) {
		struct rb_err err = {0};
		struct rb_loaded *ld = NULL;
		a.opts.sets = a.sets, a.opts.skip = a.skip, a.opts.only = a.only;
		a.opts.map_sizes = a.sizes;
		a.opts.verbose = cli->verbose > 0;
		a.opts.note = cli->quiet ? NULL : stderr;
		a.opts.vlog = stderr;
		int r = load(cli, &a, &ld, &err);
		if (r < 0) {
			rc = rb_cli_error(cli, &err);
		} else {
			print_warnings(cli, ld);
			if (cli->json)
				print_json(cli, ld);
			else if (!cli->quiet)
				print_text(ld);
			rb_loaded_free(ld);
		}
	}
	free(lists);
	return rc;
}

const struct rb_cmd rb_cmd_load = {
	.name = "load",
	.run = run_load,
};
