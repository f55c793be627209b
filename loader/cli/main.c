/* rawbpf entry point: global options, then dispatch on the first word. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/strtab.h"
#include "loader/cli/cmd.h"

/* Every command word, each defined in loader/cli/cmd_<word>.c.  Weak, so a
 * word whose file is not built yet is simply absent from the table. */
#define RB_CMD(word) extern const struct rb_cmd rb_cmd_##word __attribute__((weak));
#define RB_CMD_LIST                                                               \
	RB_CMD(load) RB_CMD(run) RB_CMD(prog) RB_CMD(map) RB_CMD(link) RB_CMD(btf) \
	RB_CMD(iter) RB_CMD(detach) RB_CMD(filter) RB_CMD(asm) RB_CMD(disasm)     \
	RB_CMD(feature) RB_CMD(help)
RB_CMD_LIST
#undef RB_CMD
#define RB_CMD(word) &rb_cmd_##word,
static const struct rb_cmd *const commands[] = {RB_CMD_LIST};
#undef RB_CMD

int rb_cli_error(const struct rb_cli *cli, const struct rb_err *err)
{
	fprintf(stderr, "%s: %s\n", cli->prog_name, err->msg[0] ? err->msg : "unknown error");
	return err->code ? err->code : RB_ESYS;
}

int rb_cli_usage(const struct rb_cli *cli, const struct rb_cmd *cmd, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "%s %s: ", cli->prog_name, cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage:\n%s\n", rb_cli_text(cmd->name, "synopsis"));
	return RB_EUSAGE;
}

static const struct rb_cmd *find_command(const char *word)
{
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i] && strcmp(commands[i]->name, word) == 0)
			return commands[i];
	return NULL;
}

static void print_overview(FILE *out)
{
	fprintf(out, "usage: %s\n\n%s\n\nCOMMANDS\n", rb_cli_text("rawbpf", "synopsis"),
		rb_cli_text("rawbpf", "intro"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i])
			fprintf(out, "  %-10s %s\n", commands[i]->name, rb_cli_text(commands[i]->name, "summary"));
	fprintf(out, "\n%s\n%s", rb_cli_text("rawbpf", "options"), rb_cli_text("rawbpf", "exit"));
}

/* `help --man` emits the text scripts/mkman.sh turns into the man page. */
static void print_man_source(FILE *out)
{
	fprintf(out, "@SECTION NAME\n%s\n@SECTION SYNOPSIS\n%s\n@SECTION COMMANDS\n",
		rb_cli_text("rawbpf", "summary"), rb_cli_text("rawbpf", "synopsis"));
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!commands[i] || commands[i] == &rb_cmd_help)
			continue;
		const char *w = commands[i]->name;
		fprintf(out, "@COMMAND %s\n%s\n@TEXT\n%s\n%s\n", w, rb_cli_text(w, "synopsis"),
			rb_cli_text(w, "summary"), rb_cli_text(w, "help"));
	}
	fprintf(out, "@RAW\n%s\n%s", rb_cli_text("rawbpf", "options"), rb_cli_text("rawbpf", "exit"));
}

static int run_help(struct rb_cli *cli, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "--man") == 0) {
		print_man_source(stdout);
		return 0;
	}
	if (argc >= 2) {
		const struct rb_cmd *c = find_command(argv[1]);
		if (!c) {
			fprintf(stderr, "%s: no command '%s'; `rawbpf help` lists them\n", cli->prog_name, argv[1]);
			return RB_EUSAGE;
		}
		printf("usage:\n%s\n\n%s\n\n%s\n", rb_cli_text(c->name, "synopsis"), rb_cli_text(c->name, "summary"),
		       rb_cli_text(c->name, "help"));
		return 0;
	}
	print_overview(stdout);
	return 0;
}

const struct rb_cmd rb_cmd_help = {
	.name = "help",
	.run = run_help,
};

/* Global options stand before the command word, each a short and a long
 * spelling (--trace-syscalls has only the one); returns how many were used,
 * -1 for --help, -2 for --version. */
static int parse_global(struct rb_cli *cli, int argc, char **argv)
{
	static const char names[] = "-j\0--json\0-p\0--pretty\0-v\0--verbose\0-q\0--quiet\0"
				    "-h\0--help\0-V\0--version\0--trace-syscalls\0";
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		int k = rb_strtab_index(names, argv[i]);
		if (k < 0)
			break;
		k /= 2;
		if (k == 0 || k == 1)
			cli->json = true;
		if (k == 1)
			cli->pretty = true;
		else if (k == 2)
			cli->verbose++;
		else if (k == 3)
			cli->quiet = true;
		else if (k == 4 || k == 5)
			return -1 - (k == 5);
		else if (k == 6)
			cli->sys.trace = stderr;
	}
	return i;
}

int main(int argc, char **argv)
{
	struct rb_cli cli = {.prog_name = "rawbpf"};
	rb_sys_init(&cli.sys);
	int first = parse_global(&cli, argc, argv);
	if (first == -2) {
		puts("rawbpf " RAWBPF_VERSION);
		return 0;
	}
	if (first == -1 || first >= argc) {
		print_overview(first == -1 ? stdout : stderr);
		return first == -1 ? 0 : RB_EUSAGE;
	}
	const struct rb_cmd *cmd = find_command(argv[first]);
	if (!cmd) {
		fprintf(stderr, "rawbpf: unknown command '%s'; `rawbpf help` lists them\n", argv[first]);
		return RB_EUSAGE;
	}
	return cmd->run(&cli, argc - first, argv + first);
}
