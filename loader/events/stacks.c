/* Stack symbolisation for --dump-maps: instruction pointers of a stack id
 * (BPF_MAP_TYPE_STACK_TRACE) turned into "function+0xoff", kernel ones from
 * /proc/kallsyms, user ones through /proc/PID/maps and the mapped file's
 * .symtab/.dynsym (rawbpf's ELF reader). */
#include "loader/events/events.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/scan.h"
#include "common/sort.h"
#include "elf/elf.h"

struct ksym {
	uint64_t addr;
	char *name;
};

/* One ELF file kept open for user stacks. */
struct elf_cache {
	char path[512];
	struct rb_elf elf;
	bool ok;
};

#define RB_SYM_MAX_ELFS 32

struct rb_symbolizer {
	struct rb_buf kallsyms;  /* /proc/kallsyms cut in place: the ksym names point into it */
	struct ksym *ksyms;
	size_t n_ksyms;
	struct elf_cache elfs[RB_SYM_MAX_ELFS];
	size_t n_elfs;
};

static int cmp_ksym(const void *a, const void *b)
{
	const struct ksym *x = a, *y = b;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* "ffffffff81000000 T _stext" lines; only text symbols. */
static void add_kallsyms_line(char *line, struct rb_buf *ksyms)
{
	char *end, type, *name;
	uint64_t addr = strtoull(line, &end, 16);
	if (end == line || end[0] != ' ' || !end[1] || end[2] != ' ')
		return;
	type = end[1];
	name = end + 3;
	if (!addr || !strchr("tTwW", type))
		return;
	name[strcspn(name, " \t")] = 0;
	struct ksym k = {addr, name};
	rb_buf_append(ksyms, &k, sizeof(k));  /* out of memory: one symbol fewer */
}

struct rb_symbolizer *rb_sym_new(void)
{
	struct rb_symbolizer *s = calloc(1, sizeof(*s));
	if (!s || rb_read_file("/proc/kallsyms", 1 << 28, &s->kallsyms) < 0)
		return s;  /* no kernel symbols: kernel frames print as addresses */
	struct rb_buf ksyms = {0};
	char *save = NULL;
	for (char *l = strtok_r((char *)rb_buf_str(&s->kallsyms), "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		add_kallsyms_line(l, &ksyms);
	s->ksyms = (struct ksym *)(void *)ksyms.data;
	s->n_ksyms = ksyms.len / sizeof(*s->ksyms);
	rb_sort(s->ksyms, s->n_ksyms, sizeof(*s->ksyms), cmp_ksym);
	return s;
}

void rb_sym_free(struct rb_symbolizer *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n_elfs; i++)
		rb_elf_close(&s->elfs[i].elf);
	free(s->ksyms);
	rb_buf_free(&s->kallsyms);
	free(s);
}

void rb_sym_kernel(const struct rb_symbolizer *s, uint64_t addr, char *out, size_t cap)
{
	size_t lo = 0, hi = s ? s->n_ksyms : 0;
	while (lo < hi) {  /* last symbol with ksym.addr <= addr */
		size_t mid = lo + (hi - lo) / 2;
		if (s->ksyms[mid].addr <= addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		snprintf(out, cap, "0x%llx", (unsigned long long)addr);
	else
		snprintf(out, cap, "%s+0x%llx", s->ksyms[lo - 1].name,
			 (unsigned long long)(addr - s->ksyms[lo - 1].addr));
}

/* Past the blanks and then the word at p (sscanf's "%*s"). */
static const char *skip_field(const char *p)
{
	p += strspn(p, " \t");
	return p + strcspn(p, " \t");
}

/* The mapping of pid holding addr: its file and the file offset of addr. */
static bool find_mapping(int pid, uint64_t addr, char *path, size_t cap, uint64_t *off)
{
	char p[64];
	struct rb_buf b = {0};
	snprintf(p, sizeof(p), "/proc/%d/maps", pid);
	if (rb_read_file(p, 1 << 24, &b) < 0)
		return false;
	bool found = false;
	char *save = NULL;
	for (char *l = strtok_r((char *)rb_buf_str(&b), "\n", &save); l && !found; l = strtok_r(NULL, "\n", &save)) {
		/* "start-end perms offset dev inode   /path" */
		uint64_t start, end, moff;
		const char *f = l;
		if (!rb_scan_u64(&f, 16, &start) || *f++ != '-' || !rb_scan_u64(&f, 16, &end))
			continue;
		f = skip_field(f);
		if (!rb_scan_u64(&f, 16, &moff))
			continue;
		/* dev and inode have no '/'; a path starts with one after a blank
		 * ("[anon:a/b]" names do not) */
		f = strchr(f, '/');
		if (!f || f[-1] != ' ' || addr < start || addr >= end)
			continue;
		snprintf(path, cap, "%s", f);
		*off = addr - start + moff;
		found = true;
	}
	rb_buf_free(&b);
	return found;
}

static struct rb_elf *cached_elf(struct rb_symbolizer *s, const char *path)
{
	for (size_t i = 0; i < s->n_elfs; i++)
		if (!strcmp(s->elfs[i].path, path))
			return s->elfs[i].ok ? &s->elfs[i].elf : NULL;
	if (s->n_elfs == RB_SYM_MAX_ELFS)
		return NULL;
	struct elf_cache *c = &s->elfs[s->n_elfs++];
	snprintf(c->path, sizeof(c->path), "%s", path);
	c->ok = rb_elf_open_file(&c->elf, path, NULL) == 0;
	return c->ok ? &c->elf : NULL;
}

/* File offset -> virtual address through the PT_LOAD containing it. */
static bool offset_to_vaddr(const struct rb_elf *elf, uint64_t off, uint64_t *vaddr)
{
	for (uint32_t i = 0; i < elf->phnum; i++) {
		const struct rb_elf_phdr *ph = &elf->phdrs[i];
		if (ph->type == 1 /* PT_LOAD */ && off >= ph->offset && off < ph->offset + ph->filesz) {
			*vaddr = off - ph->offset + ph->vaddr;
			return true;
		}
	}
	return false;
}

/* The function symbol of tab containing vaddr. */
static bool symbol_at(const struct rb_elf *elf, const struct rb_elf_sec *tab, uint64_t vaddr,
		      struct rb_elf_sym *best)
{
	size_t n = tab ? rb_elf_sym_count(elf, tab) : 0;
	bool found = false;
	for (size_t i = 1; i < n; i++) {
		struct rb_elf_sym sym;
		if (rb_elf_sym(elf, tab, i, &sym, NULL) < 0 || sym.type != 2 /* STT_FUNC */ || !sym.name[0])
			continue;
		if (vaddr >= sym.value && vaddr < sym.value + (sym.size ? sym.size : 1)) {
			*best = sym;
			found = true;
			break;
		}
	}
	return found;
}

void rb_sym_user(struct rb_symbolizer *s, int pid, uint64_t addr, char *out, size_t cap)
{
	char path[512];
	uint64_t off = 0, vaddr = 0;
	struct rb_elf_sym sym;
	struct rb_elf *elf = NULL;
	if (s && pid > 0 && find_mapping(pid, addr, path, sizeof(path), &off))
		elf = cached_elf(s, path);
	if (elf && offset_to_vaddr(elf, off, &vaddr) &&
	    (symbol_at(elf, elf->symtab, vaddr, &sym) || symbol_at(elf, elf->dynsym, vaddr, &sym))) {
		const char *base = strrchr(path, '/');
		snprintf(out, cap, "%s+0x%llx (%s)", sym.name, (unsigned long long)(vaddr - sym.value),
			 base ? base + 1 : path);
		return;
	}
	snprintf(out, cap, "0x%llx", (unsigned long long)addr);
}
