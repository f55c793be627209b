/* rawbpf entry point: global options, then dispatch on the first word. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

static const char exit_codes[] =
	"EXIT STATUS\n"
	"  0  success\n"
	"  1  usage error or invalid filter expression\n"
	"  2  malformed input file (ELF, BTF, pcap, asm)\n"
	"  3  the kernel refused (verifier, permission, object exists)\n"
	"  4  system error (I/O, missing file, out of memory)\n"
	"  5  the running kernel lacks a needed feature\n";

static const char global_opts[] =
	"GLOBAL OPTIONS\n"
	"  -j, --json          machine-readable JSON output\n"
	"  -p, --pretty        pretty-printed JSON (implies -j)\n"
	"  -v, --verbose       more detail (repeatable)\n"
	"  -q, --quiet         only errors\n"
	"  --trace-syscalls    print every kernel call, decoded, to stderr\n"
	"  -h, --help          this text; `rawbpf help WORD` for one command\n"
	"  -V, --version       version\n";

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
	fprintf(stderr, "\nusage:\n%s\n", cmd->synopsis);
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
	fprintf(out, "usage: rawbpf [GLOBAL OPTIONS] OBJECT COMMAND [ARGS]\n\n"
		     "rawbpf is a BPF toolkit in one static binary: it loads clang-built BPF\n"
		     "objects with raw bpf(2), attaches them, streams their events, inspects\n"
		     "the kernel's programs and maps, and compiles tcpdump filter expressions.\n\n"
		     "COMMANDS\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (commands[i])
			fprintf(out, "  %-10s %s\n", commands[i]->name, commands[i]->summary);
	fprintf(out, "\n%s\n%s", global_opts, exit_codes);
}

/* `help --man` emits the text scripts/mkman.sh turns into the man page. */
static void print_man_source(FILE *out)
{
	fprintf(out, "@SECTION NAME\nrawbpf - BPF toolkit in one static binary\n");
	fprintf(out, "@SECTION SYNOPSIS\nrawbpf [GLOBAL OPTIONS] OBJECT COMMAND [ARGS]\n");
	fprintf(out, "@SECTION COMMANDS\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!commands[i] || commands[i] == &rb_cmd_help)
			continue;
		fprintf(out, "@COMMAND %s\n%s\n@TEXT\n%s\n%s\n", commands[i]->name,
			commands[i]->synopsis, commands[i]->summary, commands[i]->help);
	}
	fprintf(out, "@RAW\n%s\n%s", global_opts, exit_codes);
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
		printf("usage:\n%s\n\n%s\n\n%s\n", c->synopsis, c->summary, c->help);
		return 0;
	}
	print_overview(stdout);
	return 0;
}

const struct rb_cmd rb_cmd_help = {
	.name = "help",
	.synopsis = "  rawbpf help [COMMAND]",
	.summary = "show the commands, or one command's options",
	.help = "  `rawbpf help --man` prints the source of the man page.",
	.run = run_help,
};

/* Global options stand before the command word; returns how many were used. */
static int parse_global(struct rb_cli *cli, int argc, char **argv)
{
	int i = 1;
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];
		if (!strcmp(a, "-j") || !strcmp(a, "--json"))
			cli->json = true;
		else if (!strcmp(a, "-p") || !strcmp(a, "--pretty"))
			cli->json = cli->pretty = true;
		else if (!strcmp(a, "-v") || !strcmp(a, "--verbose"))
			cli->verbose++;
		else if (!strcmp(a, "-q") || !strcmp(a, "--quiet"))
			cli->quiet = true;
		else if (!strcmp(a, "--trace-syscalls"))
			cli->sys.trace = stderr;
		else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
			return -1;
		else if (!strcmp(a, "-V") || !strcmp(a, "--version"))
			return -2;
		else
			break;
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
