/* /proc/kallsyms parsing: one owned copy of the text, cut into fields in
 * place.  Lookups scan linearly: rawbpf resolves a handful of untyped ksyms
 * per object, far fewer than it would take to repay building an index. */
#include "elf/kallsyms.h"

#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/scan.h"
#include "elf/elf.h"

struct rb_kallsyms {
	struct rb_buf text;
	struct rb_ksym *syms;
	size_t n, cap;
};

/* Returns the characters used, 0 when not 1..16 hex digits. */
static size_t parse_addr(const char *s, size_t len, uint64_t *addr)
{
	size_t i = 0;
	*addr = 0;
	int d;
	for (; i < len && (d = rb_digit_value((unsigned char)s[i])) < 16; i++) {
		if (i == 16)
			return 0;
		*addr = *addr << 4 | (uint64_t)d;
	}
	return i;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t';
}

/* "[module]" after the name, or nothing. */
static bool parse_module(char *s, size_t len, const char **module)
{
	size_t i = 0;
	while (i < len && is_space(s[i]))
		i++;
	if (i == len) {
		*module = "";
		return true;
	}
	if (s[i] != '[' || s[len - 1] != ']' || len - i < 3)
		return false;
	s[len - 1] = 0;
	*module = s + i + 1;
	return true;
}

static bool parse_line(char *s, size_t len, struct rb_ksym *sym)
{
	size_t i = parse_addr(s, len, &sym->addr);
	if (i == 0 || len - i < 4 || s[i] != ' ' || s[i + 2] != ' ' || is_space(s[i + 1]))
		return false;
	sym->type = s[i + 1];
	size_t name = i + 3, end = name;
	while (end < len && !is_space(s[end]))
		end++;
	if (end == name || !parse_module(s + end, len - end, &sym->module))
		return false;
	s[end] = 0;
	sym->name = s + name;
	return true;
}

static int add_sym(struct rb_kallsyms *ks, const struct rb_ksym *sym)
{
	if (ks->n == ks->cap) {
		size_t cap = ks->cap ? ks->cap * 2 : 4096;
		struct rb_ksym *p = realloc(ks->syms, cap * sizeof(*p));
		if (!p)
			return -RB_ESYS;
		ks->syms = p;
		ks->cap = cap;
	}
	ks->syms[ks->n++] = *sym;
	return 0;
}

static int parse_lines(struct rb_kallsyms *ks, const char *label, struct rb_err *err)
{
	char *p = ks->text.data, *end = p + ks->text.len;
	for (size_t lineno = 1; p < end; lineno++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		p[len] = 0; /* the buffer keeps a spare byte past its end */
		struct rb_ksym sym;
		if (len && !parse_line(p, len, &sym))
			return rb_errf(err, RB_EINPUT, "%s:%zu: not 'ADDRESS TYPE NAME [MODULE]'",
				       label, lineno);
		if (len && add_sym(ks, &sym))
			return rb_oom_errf(err, label);
		p += len + 1;
	}
	return 0;
}

int rb_kallsyms_parse(struct rb_kallsyms **out, const char *text, size_t len, const char *label,
		      struct rb_err *err)
{
	struct rb_buf copy = {0};
	if (!rb_buf_append(&copy, text, len)) {
		rb_buf_free(&copy);
		*out = NULL;
		return rb_oom_errf(err, label);
	}
	return rb_kallsyms_parse_buf(out, &copy, label, err);
}

int rb_kallsyms_parse_buf(struct rb_kallsyms **out, struct rb_buf *text, const char *label,
			  struct rb_err *err)
{
	*out = NULL;
	struct rb_kallsyms *ks = calloc(1, sizeof(*ks));
	if (ks)
		ks->text = *text;
	*text = (struct rb_buf){0};
	if (!ks || !rb_buf_reserve(&ks->text, 1)) {
		rb_kallsyms_free(ks);
		return rb_oom_errf(err, label);
	}
	int r = parse_lines(ks, label, err);
	if (r) {
		rb_kallsyms_free(ks);
		return r;
	}
	*out = ks;
	return 0;
}

void rb_kallsyms_free(struct rb_kallsyms *ks)
{
	if (!ks)
		return;
	rb_buf_free(&ks->text);
	free(ks->syms);
	free(ks);
}

size_t rb_kallsyms_count(const struct rb_kallsyms *ks)
{
	return ks->n;
}

bool rb_kallsyms_hidden(const struct rb_kallsyms *ks)
{
	for (size_t i = 0; i < ks->n; i++)
		if (ks->syms[i].addr)
			return false;
	return true;
}

/* Both lookups' message: a name at two addresses (modules as pointer + length). */
static int ambiguous(struct rb_err *err, const char *name, uint64_t a1, const char *m1, size_t l1, uint64_t a2,
		     const char *m2, size_t l2)
{
	return rb_errf(err, RB_EINPUT, "kernel symbol '%s' is ambiguous: 0x%llx%s%.*s or 0x%llx%s%.*s", name,
		       (unsigned long long)a1, l1 ? " in " : "", (int)l1, m1, (unsigned long long)a2,
		       l2 ? " in " : "", (int)l2, m2);
}

static bool sym_matches(const struct rb_ksym *s, const char *name, const char *module)
{
	return s->name[0] == name[0] && strcmp(s->name, name) == 0 &&
	       (!module || strcmp(s->module, module) == 0);
}

int rb_kallsyms_find(const struct rb_kallsyms *ks, const char *name, const char *module,
		     struct rb_ksym *out, struct rb_err *err)
{
	const struct rb_ksym *found = NULL;
	for (size_t i = 0; i < ks->n; i++) {
		const struct rb_ksym *s = &ks->syms[i];
		if (!sym_matches(s, name, module))
			continue;
		if (found && found->addr != s->addr)
			return ambiguous(err, name, found->addr, found->module, strlen(found->module), s->addr,
					 s->module, strlen(s->module));
		found = s;
	}
	if (!found)
		return 0;
	*out = *found;
	return 1;
}

/* --- searching the text directly ------------------------------------------------ */

struct line_hit {
	uint64_t addr;
	char type;
	const char *module;
	size_t module_len;
};

/* hit points at a name inside text: is it a whole NAME field of a valid line? */
static bool hit_line(const char *text, const char *end, const char *hit, size_t nlen,
		     struct line_hit *h)
{
	const char *after = hit + nlen;
	if (hit - text < 4 || hit[-1] != ' ' || hit[-3] != ' ' || is_space(hit[-2]))
		return false;
	if (after < end && *after != '\n' && *after != '\t')
		return false;
	const char *start = hit - 3;
	while (start > text && start[-1] != '\n')
		start--;
	if (parse_addr(start, (size_t)(hit - 3 - start), &h->addr) != (size_t)(hit - 3 - start))
		return false;
	h->type = hit[-2];
	h->module = "";
	h->module_len = 0;
	if (after < end && *after == '\t' && after + 2 < end && after[1] == '[') {
		const char *close = memchr(after + 2, ']', (size_t)(end - after - 2));
		if (!close)
			return false;
		h->module = after + 2;
		h->module_len = (size_t)(close - after - 2);
	}
	return true;
}

static bool module_ok(const struct line_hit *h, const char *module)
{
	return !module || (strlen(module) == h->module_len && !memcmp(module, h->module, h->module_len));
}

/* memmem, which costs the static binary ~450 bytes of libc for this one use. */
static const char *find_bytes(const char *p, const char *end, const char *needle, size_t n)
{
	while ((size_t)(end - p) >= n) {
		p = memchr(p, needle[0], (size_t)(end - p) - n + 1);
		if (!p || memcmp(p, needle, n) == 0)
			return p;
		p++;
	}
	return NULL;
}

int rb_kallsyms_search(const char *text, size_t len, const char *name, const char *module,
		       struct rb_ksym *out, size_t *module_len, struct rb_err *err)
{
	const char *end = text + len, *p = text;
	size_t nlen = strlen(name);
	struct line_hit found = {0}, h;
	bool any = false;
	while (nlen && p < end) {
		const char *hit = find_bytes(p, end, name, nlen);
		if (!hit)
			break;
		p = hit + nlen;
		if (!hit_line(text, end, hit, nlen, &h) || !module_ok(&h, module))
			continue;
		if (any && found.addr != h.addr)
			return ambiguous(err, name, found.addr, found.module, found.module_len, h.addr, h.module,
					 h.module_len);
		found = h;
		any = true;
	}
	if (!any)
		return 0;
	*out = (struct rb_ksym){.addr = found.addr, .type = found.type, .name = name,
				.module = found.module};
	if (module_len)
		*module_len = found.module_len;
	return 1;
}
