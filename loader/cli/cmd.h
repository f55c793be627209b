/* The CLI's command table: `rawbpf OBJECT COMMAND ...` like bpftool.
 *
 * Each top-level word (load, run, prog, map, btf, filter, ...) is one
 * struct rb_cmd defined in its own file under loader/cli/ and listed in
 * main.c.  Its texts in loader/cli/help.txt are the single source for
 * `--help`, `rawbpf help WORD`, usage errors and the man page
 * (scripts/mkman.sh runs `rawbpf help --man`). */
#ifndef RAWBPF_LOADER_CLI_CMD_H
#define RAWBPF_LOADER_CLI_CMD_H

#include <stdbool.h>
#include <stdio.h>

#include "common/err.h"
#include "loader/inspect/inspect.h"
#include "loader/sys.h"

/* Options every command understands; parsed by main.c before the word. */
struct rb_cli {
	bool json;          /* -j */
	bool pretty;        /* -p: pretty JSON */
	int verbose;        /* -v, repeatable */
	bool quiet;         /* -q */
	struct rb_sys sys;  /* the syscall chokepoint (--trace-syscalls sets sys.trace) */
	const char *prog_name;
};

struct rb_cmd {
	const char *name;      /* first word; its texts are in loader/cli/help.txt */
	/* argv[0] is the command word itself. Returns an exit code (enum rb_code);
	 * prints its own error message (through rb_cli_error) before returning. */
	int (*run)(struct rb_cli *cli, int argc, char **argv);
};

/* One text of loader/cli/help.txt: word is a command word or "rawbpf",
 * field "synopsis" (lines "  rawbpf load OBJ [--pin DIR]..."), "summary"
 * (one line) or "help" (options and examples); "" when there is none. */
const char *rb_cli_text(const char *word, const char *field);

/* Prints "rawbpf: <msg>" to stderr once and returns the code. */
int rb_cli_error(const struct rb_cli *cli, const struct rb_err *err);
int rb_cli_usage(const struct rb_cli *cli, const struct rb_cmd *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* `WORD list|show [REF]` for prog, map and link (kind says which). */
int rb_cli_show(struct rb_cli *cli, const struct rb_cmd *cmd, enum rb_obj_kind kind, int argc,
		char **argv);
struct rb_attach_req;
struct rb_loaded_prog;
/* What rb_attach_prog needs of a loaded program (run and iter). */
void rb_cli_attach_req(struct rb_attach_req *req, const struct rb_loaded_prog *lp);

/* `WORD help`: the synopsis and the help text; returns 0. */
int rb_cli_help_of(const char *word);

#endif
