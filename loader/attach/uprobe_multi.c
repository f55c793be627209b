/* uprobe.multi/PATH:PATTERN and uretprobe.multi/PATH:PATTERN: one
 * BPF_TRACE_UPROBE_MULTI link (Linux >= 6.6) over every function of PATH
 * whose name matches the glob, instead of one perf event per function.
 * PATH is resolved like a uprobe's (bare library names through -p PID's
 * maps and the standard folders), --uprobe BIN:PATTERN overrides the
 * section's target, and -p PID restricts the link to one process. */
#include "loader/attach/attach.h"

#include <elf.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/glob.h"
#include "common/sort.h"
#include "common/uapi_compat.h"
#include "elf/elf.h"
#include "loader/bpf.h"

#define RB_UMULTI_RETURN 1U  /* BPF_F_UPROBE_MULTI_RETURN */
/* the kernel's MAX_UPROBE_MULTI_CNT */
#define RB_UMULTI_MAX (1U << 20)

/* Defined functions only: data symbols (a semaphore named like the
 * pattern) and imports must not become probes. */
static bool probe_candidate(const struct rb_elf_sym *s, const char *pattern)
{
	return s->shndx != SHN_UNDEF && s->type == STT_FUNC && s->value != 0 && s->name[0] &&
	       rb_glob_match(pattern, s->name);
}

/* Appends the file offset (u64) of every matching function of tab to o. */
static int match_table(const struct rb_elf *elf, const struct rb_elf_sec *tab, const char *pattern,
		       struct rb_buf *o, struct rb_err *err)
{
	size_t n = tab ? rb_elf_sym_count(elf, tab) : 0;
	for (size_t i = 1; i < n; i++) {
		struct rb_elf_sym s;
		int rc = rb_elf_sym(elf, tab, i, &s, err);
		if (rc < 0)
			return rc;
		if (!probe_candidate(&s, pattern))
			continue;
		uint64_t off;
		rc = rb_elf_vaddr_to_offset(elf, s.value, &off, err);
		if (rc < 0)
			return rc;
		if (!rb_buf_append(o, &off, sizeof(off)))
			return rb_errf(err, RB_ESYS, "uprobe.multi: out of memory");
	}
	return 0;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* A function in both .symtab and .dynsym, or under two aliases, is one
 * probe: the kernel refuses the same offset twice in one link. */
static size_t sort_unique(uint64_t *v, size_t n)
{
	if (n)
		rb_sort(v, n, sizeof(*v), cmp_u64);
	size_t u = 0;
	for (size_t i = 0; i < n; i++)
		if (u == 0 || v[u - 1] != v[i])
			v[u++] = v[i];
	return u;
}

int rb_uprobe_match(const char *path, const char *pattern, uint64_t **offsets, size_t *n,
		    struct rb_err *err)
{
	*offsets = NULL;
	*n = 0;
	struct rb_elf elf;
	int rc = rb_elf_open_file(&elf, path, err);
	if (rc < 0)
		return rc;
	struct rb_buf o = {0};
	rc = match_table(&elf, elf.symtab, pattern, &o, err);
	if (rc == 0)
		rc = match_table(&elf, elf.dynsym, pattern, &o, err);
	rb_elf_close(&elf);
	if (rc < 0) {
		rb_buf_free(&o);
		return rc;
	}
	*offsets = (uint64_t *)(void *)o.data;
	*n = sort_unique(*offsets, o.len / sizeof(uint64_t));
	if (*n <= RB_UMULTI_MAX)
		return 0;
	rb_buf_free(&o);
	*offsets = NULL;
	return rb_errf(err, RB_EUSAGE, "uprobe.multi %s:%s: %zu functions match; one link takes at "
		       "most %u: narrow the pattern", path, pattern, *n, RB_UMULTI_MAX);
}

/* "PATH:PATTERN" (the last ':' after the last '/') into its parts. */
static int split_target(const char *spec, char *path, size_t cap, const char **pattern,
			struct rb_err *err)
{
	const char *slash = strrchr(spec, '/');
	const char *colon = strrchr(slash ? slash : spec, ':');
	if (!rb_uprobe_cut_path(spec, colon, path, cap))
		return rb_errf(err, RB_EUSAGE, "uprobe.multi target '%s': expected PATH:PATTERN, "
			       "e.g. /usr/bin/bash:readline* or libc.so.6:str*", spec);
	*pattern = colon + 1;
	return 0;
}

static int create_link(struct rb_attach *a, const struct rb_attach_req *req, const char *path,
		       const char *pattern, const uint64_t *offs, size_t n, bool ret, struct rb_err *err)
{
	/* link_create.uprobe_multi: path, offsets, ref_ctr_offsets, cookies,
	 * cnt, flags, pid (Linux >= 6.6; pid filters by thread-group id) */
	struct {
		uint64_t path, offsets, ref_ctr_offsets, cookies;
		uint32_t cnt, flags, pid, pad;
	} tail = {(uint64_t)(uintptr_t)path, (uint64_t)(uintptr_t)offs, 0, 0, (uint32_t)n,
		  ret ? RB_UMULTI_RETURN : 0, a->opts->pid > 0 ? (uint32_t)a->opts->pid : 0, 0};
	struct rb_link_create_opts o = {.prog_fd = req->prog_fd, .attach_type = RB_BPF_TRACE_UPROBE_MULTI,
					.tail = &tail, .tail_size = sizeof(tail)};
	const char *kind = ret ? "uretprobe.multi" : "uprobe.multi";
	int fd = rb_bpf_link_create(a->sys, &o);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, -fd, "%s %s: BPF_LINK_CREATE(UPROBE_MULTI) over %zu "
				 "functions failed (Linux >= 6.6 with CONFIG_UPROBES)", kind, path, n);
	/* a long path keeps its tail: the file name says which binary */
	size_t len = strlen(path);
	return rb_attach_keep(a, req, RB_LINK_BPF, kind, fd, err, "%s%.64s:%.24s (%zu functions)",
			      len > 64 ? "..." : "", len > 64 ? path + len - 64 : path, pattern, n);
}

int rb_attach_uprobe_multi(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	const char *spec = a->opts->uprobe ? a->opts->uprobe : req->target;
	if (!spec || !*spec)
		return rb_errf(err, RB_EUSAGE, "uprobe.multi: the section names no target; write "
			       "SEC(\"uprobe.multi/PATH:PATTERN\") or pass --uprobe BIN:PATTERN");
	char name[512], path[512];
	const char *pattern = "";
	int rc = split_target(spec, name, sizeof(name), &pattern, err);
	if (rc == 0)
		rc = rb_uprobe_find_library(name, a->opts->pid, path, sizeof(path), err);
	uint64_t *offs = NULL;
	size_t n = 0;
	if (rc == 0)
		rc = rb_uprobe_match(path, pattern, &offs, &n, err);
	if (rc == 0 && n == 0)
		rc = rb_errf(err, RB_EUSAGE, "uprobe.multi: no function in %s matches '%s' (.symtab "
			     "or .dynsym); `nm %s` lists them", path, pattern, path);
	bool ret = req->kind == RB_ATTACH_URETPROBE_MULTI;
	if (rc == 0)
		rc = create_link(a, req, path, pattern, offs, n, ret, err);
	free(offs);
	return rc;
}
