/* `rawbpf disasm OBJ [PROG...]`: every program of an object, linked as it
 * will be loaded, in the verifier's pseudo-C, with the C source line above
 * the instructions it produced (from .BTF.ext line_info) and map names where
 * the loader will put map fds. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "asm/ebpf/disasm.h"
#include "elf/obj/object.h"
#include "loader/cli/cmd.h"

extern const struct rb_cmd rb_cmd_disasm;

static const struct rb_fixup *fixup_at(const struct rb_prog *p, size_t insn)
{
	for (size_t i = 0; i < p->n_fixups; i++)
		if (p->fixups[i].insn == insn)
			return &p->fixups[i];
	return NULL;
}

/* The source line that starts at insn, if line_info has one and it is not the
 * line printed last (clang repeats a line for each piece of its code). */
static void print_source_line(const struct rb_obj *obj, const struct rb_prog *p, size_t insn,
			      uint32_t *last_line_off)
{
	if (!obj->btf)
		return;
	for (size_t i = 0; i < p->n_line_info; i++) {
		const struct bpf_line_info *li = &p->line_info[i];
		if (li->insn_off != insn)
			continue;
		if (li->line_off == *last_line_off)
			return;
		*last_line_off = li->line_off;
		const char *src = rb_btf_str(obj->btf, li->line_off);
		const char *file = rb_btf_str(obj->btf, li->file_name_off);
		if (src && *src)
			printf("; %s  [%s:%u]\n", src, file ? file : "?", BPF_LINE_INFO_LINE_NUM(li->line_col));
		return;
	}
}

static void print_insn(const struct rb_obj *obj, const struct rb_prog *p, size_t i, size_t *used)
{
	char text[160];
	*used = rb_ebpf_disasm(p->insns, p->insn_cnt, i, text, sizeof(text));
	const struct rb_fixup *f = fixup_at(p, i);
	if (f && f->map < obj->n_maps) {
		const char *mname = obj->maps[f->map].name;
		printf("%5zu: (%02x) r%d = map[%s]", i, p->insns[i].code, p->insns[i].dst_reg, mname);
		if (f->kind == RB_FIXUP_MAP_VALUE)
			printf("+%u", f->off);
		putchar('\n');
		return;
	}
	printf("%5zu: %s\n", i, text);
}

static void print_prog(const struct rb_obj *obj, const struct rb_prog *p)
{
	printf("%s:  section '%s', %zu instructions (%zu of its own)\n", p->name, p->sec_name,
	       p->insn_cnt, p->main_cnt);
	uint32_t last_line_off = UINT32_MAX;
	for (size_t i = 0; i < p->insn_cnt;) {
		size_t used = 1;
		print_source_line(obj, p, i, &last_line_off);
		print_insn(obj, p, i, &used);
		i += used ? used : 1;
	}
	printf("\n");
}

static bool wanted(const struct rb_prog *p, int argc, char **argv)
{
	if (argc <= 2)
		return true;
	for (int i = 2; i < argc; i++)
		if (strcmp(argv[i], p->name) == 0)
			return true;
	return false;
}

static int run_disasm(struct rb_cli *cli, int argc, char **argv)
{
	if (argc < 2)
		return rb_cli_usage(cli, &rb_cmd_disasm, "missing the object file");
	struct rb_err err = {0};
	struct rb_obj *obj = NULL;
	if (rb_obj_open_file(&obj, argv[1], &err) < 0)
		return rb_cli_error(cli, &err);
	int shown = 0;
	for (size_t i = 0; i < obj->n_progs; i++)
		if (wanted(&obj->progs[i], argc, argv)) {
			print_prog(obj, &obj->progs[i]);
			shown++;
		}
	if (argc > 2 && shown != argc - 2)
		rb_errf(&err, RB_EUSAGE, "%s: %d of the %d programs named are not in the object",
			argv[1], argc - 2 - shown, argc - 2);
	rb_obj_free(obj);
	return err.code ? rb_cli_error(cli, &err) : 0;
}

const struct rb_cmd rb_cmd_disasm = {
	.name = "disasm",
	.run = run_disasm,
};
