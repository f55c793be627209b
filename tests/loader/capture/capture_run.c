/* Test helper (not part of rawbpf): rb_capture_run with a program given in
 * tcpdump -dd/-ddd form, until `rawbpf filter` can compile expressions.
 *   capture_run (-i IFACE | -r FILE) [-c N] [-w OUT] PROG
 * Built by the integration scripts from the module sources directly. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "loader/capture/capture.h"

static int load_prog(const char *path, struct rb_cbpf_prog *p)
{
	FILE *f = fopen(path, "r");
	char line[256];
	unsigned long v[4];
	int first = 1;
	if (!f)
		return -1;
	p->insns = calloc(65536, sizeof *p->insns);
	p->len = 0;
	while (fgets(line, sizeof line, f) && p->len < 65536) {
		char *s = line;
		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			continue;
		int dd = *s == '{';
		if (first-- > 0 && !dd)
			continue;  /* -ddd starts with the count */
		int n = dd ? sscanf(s, " { %li , %li , %li , %li }", &v[0], &v[1], &v[2], &v[3])
			   : sscanf(s, "%lu %lu %lu %lu", &v[0], &v[1], &v[2], &v[3]);
		if (n != 4) {
			fclose(f);
			return -1;
		}
		p->insns[p->len++] = (struct rb_cbpf_insn){(uint16_t)v[0], (uint8_t)v[1],
							   (uint8_t)v[2], (uint32_t)v[3]};
	}
	fclose(f);
	return 0;
}

int main(int argc, char **argv)
{
	struct rb_capture_opts o = {0};
	int c;
	while ((c = getopt(argc, argv, "i:r:c:w:q")) != -1) {
		switch (c) {
		case 'i': o.iface = optarg; break;
		case 'r': o.read_file = optarg; break;
		case 'c': o.count = atol(optarg); break;
		case 'w': o.write_file = optarg; break;
		case 'q': o.quiet = true; break;
		default: return 2;
		}
	}
	struct rb_cbpf_prog prog;
	if (optind + 1 != argc || load_prog(argv[optind], &prog) != 0) {
		fprintf(stderr, "usage: capture_run (-i IFACE | -r FILE) [-c N] [-w OUT] PROG.dd\n");
		return 2;
	}
	struct rb_err err = {0};
	int rc = rb_capture_run(&o, &prog, &err);
	if (rc)
		fprintf(stderr, "capture_run: %s\n", err.msg);
	free(prog.insns);
	return rc ? -rc : 0;
}
