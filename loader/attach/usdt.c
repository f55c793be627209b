/* usdt/PATH:PROVIDER:NAME: a uprobe at every site of the probe listed in
 * the target's .note.stapsdt (systemtap SDT notes, type 3), with the
 * semaphore (if any) counted up by the kernel while attached (uprobe
 * ref_ctr_offset, Linux >= 4.20).
 *
 * Arguments: each site has its own argument locations ("-4@%edi 8@-8(%rbp)").
 * They are parsed into struct rb_usdt_spec records written to the object's
 * rawbpf_usdt_specs ARRAY map (declared by rawbpf/usdt.h), and the slot
 * index is the site's BPF cookie (Linux >= 5.15), so rawbpf_usdt_arg(ctx, N)
 * in the program finds its site's spec with bpf_get_attach_cookie. */
#include "loader/attach/attach.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "elf/elf.h"
#include "loader/bpf.h"

/* Where the token at s ends: at a blank outside brackets (arm64's
 * "[sp, 12]" has one inside). */
static size_t token_len(const char *s)
{
	size_t i = 0;
	int depth = 0;
	for (; s[i] && (depth > 0 || s[i] != ' '); i++)
		depth += s[i] == '[' ? 1 : s[i] == ']' ? -1 : 0;
	return i;
}

/* One "SIZE@OPERAND" token of len characters. */
static int parse_one(enum rb_arch arch, const char *tok, size_t len, struct rb_usdt_arg *a)
{
	char *end;
	long size = strtol(tok, &end, 10);
	if (end == tok || *end != '@' || size == 0 || labs(size) > 8 || (labs(size) & (labs(size) - 1)))
		return -1;
	a->size = (uint8_t)labs(size);
	a->is_signed = size < 0;
	const char *op = end + 1;
	int n = rb_arch_usdt_operand(arch, op, a);
	return n > 0 && op + n == tok + len ? 0 : -1;
}

int rb_usdt_parse_args_arch(enum rb_arch arch, const char *text, struct rb_usdt_spec *spec,
			    struct rb_err *err)
{
	*spec = (struct rb_usdt_spec){0};
	const char *p = text;
	while (*p) {
		while (*p == ' ')
			p++;
		if (!*p)
			break;
		if (spec->nr_args == RB_USDT_MAX_ARGS)
			return rb_errf(err, RB_EINPUT, "usdt: more than %d arguments in '%s'", RB_USDT_MAX_ARGS, text);
		size_t len = token_len(p);
		if (parse_one(arch, p, len, &spec->args[spec->nr_args]) < 0)
			return rb_errf(err, RB_EINPUT, "usdt: argument %u of '%s' is not %s",
				       spec->nr_args + 1, text, rb_arch_usdt_syntax(arch));
		spec->nr_args++;
		p += len;
	}
	return 0;
}

int rb_usdt_parse_args(const char *text, struct rb_usdt_spec *spec, struct rb_err *err)
{
	return rb_usdt_parse_args_arch(rb_arch_host(), text, spec, err);
}

/* ---- notes ------------------------------------------------------------------ */

struct note_fields {
	uint64_t pc, base, sema;
	const char *provider, *name, *args;
};

/* desc: pc, base, semaphore (8 bytes each), provider\0 name\0 args\0. */
static bool read_note(const struct rb_elf *elf, const struct rb_elf_note *n, struct note_fields *f)
{
	if (n->type != 3 || strcmp(n->name, "stapsdt") != 0 || n->desc_size < 24 + 3)
		return false;
	f->pc = rb_elf_u64(elf, n->desc);
	f->base = rb_elf_u64(elf, n->desc + 8);
	f->sema = rb_elf_u64(elf, n->desc + 16);
	const char *s = (const char *)n->desc + 24, *end = (const char *)n->desc + n->desc_size;
	const char **out[3] = {&f->provider, &f->name, &f->args};
	for (int i = 0; i < 3; i++) {
		const char *nul = memchr(s, 0, (size_t)(end - s));
		if (!nul)
			return false;
		*out[i] = s;
		s = nul + 1;
		if (s >= end && i < 2)
			return false;
	}
	return true;
}

static int add_site(const struct rb_elf *elf, const struct note_fields *f, uint64_t base_addr,
		    struct rb_usdt_site **sites, size_t *n, struct rb_err *err)
{
	struct rb_usdt_site s = {0};
	/* prelink moved the binary: shift by what .stapsdt.base moved */
	uint64_t pc = base_addr && f->base ? f->pc + base_addr - f->base : f->pc;
	int rc = rb_elf_vaddr_to_offset(elf, pc, &s.file_offset, err);
	if (rc == 0 && f->sema)
		rc = rb_elf_vaddr_to_offset(elf, f->sema, &s.sema_offset, err);
	if (rc == 0)
		rc = rb_usdt_parse_args(f->args, &s.spec, err);
	if (rc < 0)
		return rc;
	struct rb_usdt_site *p = realloc(*sites, (*n + 1) * sizeof(*p));
	if (!p)
		return rb_errf(err, RB_ESYS, "usdt: out of memory");
	p[(*n)++] = s;
	*sites = p;
	return 0;
}

static int scan_notes(const struct rb_elf *elf, const char *provider, const char *name,
		      struct rb_usdt_site **sites, size_t *n, struct rb_err *err)
{
	const struct rb_elf_sec *sec = rb_elf_sec_by_name(elf, ".note.stapsdt");
	const struct rb_elf_sec *base = rb_elf_sec_by_name(elf, ".stapsdt.base");
	if (!sec)
		return rb_errf(err, RB_EUSAGE, "usdt: %s has no .note.stapsdt section (no USDT probes)", elf->name);
	struct rb_elf_note_iter it;
	struct rb_elf_note note;
	int rc;
	rb_elf_note_iter_init(&it, elf, sec);
	while ((rc = rb_elf_note_next(&it, &note, err)) > 0) {
		struct note_fields f;
		if (!read_note(elf, &note, &f) || strcmp(f.provider, provider) || strcmp(f.name, name))
			continue;
		rc = add_site(elf, &f, base ? base->addr : 0, sites, n, err);
		if (rc < 0)
			return rc;
	}
	return rc;
}

int rb_usdt_find_sites(const char *path, const char *provider, const char *name,
		       struct rb_usdt_site **sites, size_t *n, struct rb_err *err)
{
	struct rb_elf elf;
	*sites = NULL;
	*n = 0;
	int rc = rb_elf_open_file(&elf, path, err);
	if (rc < 0)
		return rc;
	/* the notes' operands name registers of the binary's machine, and the
	 * spec offsets must be this kernel's pt_regs: both must be the host's */
	if (rb_arch_of_machine(elf.machine) != rb_arch_host())
		rc = rb_errf(err, RB_EUSAGE, "usdt: %s is a %s binary but this rawbpf runs on %s; "
			     "trace it with the rawbpf built for its architecture", path,
			     rb_elf_machine_name(elf.machine), rb_arch_name(rb_arch_host()));
	else
		rc = scan_notes(&elf, provider, name, sites, n, err);
	rb_elf_close(&elf);
	if (rc == 0 && *n == 0)
		rc = rb_errf(err, RB_EUSAGE, "usdt: no probe %s:%s in %s; `readelf -n %s` lists the "
			     "stapsdt notes", provider, name, path, path);
	if (rc < 0) {
		free(*sites);
		*sites = NULL;
	}
	return rc;
}

/* ---- attaching ---------------------------------------------------------------- */

/* "PATH:PROVIDER:NAME" (PATH may be a library name). */
static int split_target(const char *t, char *path, size_t cap, const char **provider,
			const char **name, char *buf, size_t bcap, struct rb_err *err)
{
	const char *last = strrchr(t, ':'), *mid = NULL;
	for (const char *p = last; p && p > t && !mid;)  /* the ':' before the last */
		mid = *--p == ':' ? p : NULL;
	if (!rb_uprobe_cut_path(t, mid, path, cap) || strlen(mid) >= bcap)
		return rb_errf(err, RB_EUSAGE, "usdt target '%s': expected PATH:PROVIDER:NAME", t);
	snprintf(buf, bcap, "%s", mid + 1);
	char *colon = strchr(buf, ':');
	*colon = 0;
	*provider = buf;
	*name = colon + 1;
	return 0;
}

static int attach_site(struct rb_attach *a, const struct rb_attach_req *req, const char *path,
		       const struct rb_usdt_site *s, const char *what, struct rb_err *err)
{
	uint32_t slot = a->usdt_next_spec;
	int rc = rb_bpf_map_update(a->sys, a->usdt_specs_fd, &slot, &s->spec, 0);
	if (rc < 0)
		return rb_errnof(err, RB_EKERNEL, -rc, "usdt %s: writing the argument spec to slot %u of "
				 "rawbpf_usdt_specs failed (too many sites for its max_entries?)", what, slot);
	a->usdt_next_spec++;
	return rb_uprobe_attach_at(a, req, path, s->file_offset, s->sema_offset, false, slot, what, err);
}

int rb_attach_usdt(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	char lib[512], path[512], buf[256], what[800];
	const char *provider = "", *name = "";
	int rc = split_target(req->target ? req->target : "", lib, sizeof(lib), &provider, &name,
			      buf, sizeof(buf), err);
	if (rc == 0)
		rc = rb_uprobe_find_library(lib, a->opts->pid, path, sizeof(path), err);
	if (rc < 0)
		return rc;
	if (a->usdt_specs_fd < 0)
		return rb_errf(err, RB_EUSAGE, "usdt: the object has no rawbpf_usdt_specs map; "
			       "#include <rawbpf/usdt.h> in the program");
	struct rb_usdt_site *sites;
	size_t n;
	rc = rb_usdt_find_sites(path, provider, name, &sites, &n, err);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		snprintf(what, sizeof(what), "%s:%s:%s site %zu", path, provider, name, i);
		rc = attach_site(a, req, path, &sites[i], what, err);
	}
	free(sites);
	return rc;
}
