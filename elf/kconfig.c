/* Kernel config parsing: one owned copy of the text, string values unescaped
 * in place, and an array of options sorted by name for binary search. */
#include "elf/kconfig.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "elf/elf.h"
#include "common/inflate.h"
#include "common/sort.h"

struct kc_opt {
	const char *name;
	size_t name_len;
	size_t order; /* position in the file: a repeated option's last value wins */
	struct rb_kconfig_value val;
};

struct rb_kconfig {
	struct rb_buf text; /* NUL-terminated copy; lines are cut in place */
	struct kc_opt *opts;
	size_t n, cap;
};

static int take_text(struct rb_kconfig *kc, const void *data, size_t len, const char *label,
		     struct rb_err *err)
{
	bool ok = true;
	if (rb_is_gzip(data, len)) {
		int r = rb_gunzip(data, len, RB_KCONFIG_MAX_SIZE, &kc->text, err);
		if (r) {
			rb_err_prefix(err, "%s", label);
			return r;
		}
	} else if (len > RB_KCONFIG_MAX_SIZE) {
		return rb_errf(err, RB_EINPUT, "%s: larger than %u bytes; not a kernel config?", label,
			       RB_KCONFIG_MAX_SIZE);
	} else {
		ok = rb_buf_append(&kc->text, data, len);
	}
	/* parse_lines cuts lines with a NUL, one past the last: a spare byte, even for no text */
	if (!ok || !rb_buf_reserve(&kc->text, 1))
		return rb_oom_errf(err, label);
	return 0;
}

/* Decimal with an optional '-', or 0x-prefixed hex; nothing else (no
 * blanks, no '+', no octal), and no overflow. */
static bool parse_number(const char *s, size_t len, struct rb_kconfig_value *v)
{
	v->negative = s[0] == '-';
	bool hex = !v->negative && len > 2 && s[0] == '0' && (s[1] | 0x20) == 'x';
	if ((unsigned)(s[v->negative] - '0') > 9)
		return false;
	char *end;
	errno = 0;
	uint64_t n = strtoull(s, &end, hex ? 16 : 10);
	if (errno || end != s + len)
		return false;
	v->kind = RB_KCONFIG_NUMBER;
	v->num = n;
	return true;
}

/* Undoes \" and \\ in place; false when the closing quote is missing or
 * something follows it. */
static bool parse_string(char *s, size_t len, struct rb_kconfig_value *v)
{
	if (len < 2 || s[0] != '"')
		return false;
	size_t out = 0, i = 1;
	for (; i < len && s[i] != '"'; i++) {
		if (s[i] == '\\' && i + 1 < len)
			i++;
		s[1 + out++] = s[i];
	}
	if (i != len - 1)
		return false;
	s[1 + out] = 0;
	v->kind = RB_KCONFIG_STRING;
	v->str = s + 1;
	v->str_len = out;
	return true;
}

static bool parse_value(char *s, size_t len, struct rb_kconfig_value *v)
{
	*v = (struct rb_kconfig_value){.str = s, .str_len = len};
	if (len == 1 && (s[0] == 'y' || s[0] == 'm' || s[0] == 'n')) {
		v->kind = RB_KCONFIG_TRISTATE;
		v->tristate = s[0];
		return true;
	}
	if (len > 0 && s[0] == '"')
		return parse_string(s, len, v);
	return parse_number(s, len, v);
}

static int add_opt(struct rb_kconfig *kc, const char *name, size_t nlen,
		   const struct rb_kconfig_value *v)
{
	if (kc->n == kc->cap) {
		size_t cap = kc->cap ? kc->cap * 2 : 512;
		struct kc_opt *p = realloc(kc->opts, cap * sizeof(*p));
		if (!p)
			return -RB_ESYS;
		kc->opts = p;
		kc->cap = cap;
	}
	kc->opts[kc->n] = (struct kc_opt){.name = name, .name_len = nlen, .order = kc->n, .val = *v};
	kc->n++;
	return 0;
}

static bool is_name_char(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
}

static size_t name_len(const char *s, size_t len)
{
	size_t i = 0;
	while (i < len && is_name_char(s[i]))
		i++;
	return i;
}

/* "# CONFIG_X is not set" is how Kconfig writes an n option. */
static int comment_line(struct rb_kconfig *kc, char *line, size_t len)
{
	static const char tail[] = " is not set";
	if (len < 9 || memcmp(line, "# CONFIG_", 9) != 0)
		return 0;
	size_t nl = name_len(line + 2, len - 2);
	if (len - 2 - nl != sizeof(tail) - 1 || memcmp(line + 2 + nl, tail, sizeof(tail) - 1))
		return 0;
	static const char n_text[] = "n";
	struct rb_kconfig_value v = {.kind = RB_KCONFIG_TRISTATE, .tristate = 'n', .str = n_text,
				     .str_len = 1};
	line[2 + nl] = 0;
	return add_opt(kc, line + 2, nl, &v);
}

static int option_line(struct rb_kconfig *kc, char *line, size_t len)
{
	size_t nl = name_len(line, len);
	struct rb_kconfig_value v;
	if (nl < 8 || memcmp(line, "CONFIG_", 7) != 0 || nl == len || line[nl] != '=')
		return -RB_EINPUT;
	if (!parse_value(line + nl + 1, len - nl - 1, &v))
		return -RB_EINPUT;
	line[nl] = 0;
	return add_opt(kc, line, nl, &v);
}

static int one_line(struct rb_kconfig *kc, char *line, size_t len)
{
	while (len > 0 && (line[len - 1] == '\r' || line[len - 1] == ' ' || line[len - 1] == '\t'))
		line[--len] = 0;
	if (len == 0)
		return 0;
	if (line[0] == '#')
		return comment_line(kc, line, len);
	return option_line(kc, line, len);
}

static int parse_lines(struct rb_kconfig *kc, const char *label, struct rb_err *err)
{
	char *p = kc->text.data, *end = p + kc->text.len;
	for (size_t lineno = 1; p < end; lineno++) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		p[len] = 0; /* the buffer has a spare byte past its end */
		int r = one_line(kc, p, len);
		if (r == -RB_ESYS)
			return rb_oom_errf(err, label);
		if (r)
			return rb_errf(err, RB_EINPUT,
				       "%s:%zu: not CONFIG_NAME=VALUE (y, m, n, \"string\" or a number)",
				       label, lineno);
		p += len + 1;
	}
	return 0;
}

static int cmp_opt(const void *a, const void *b)
{
	const struct kc_opt *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->order > y->order) - (x->order < y->order);
}

int rb_kconfig_parse(struct rb_kconfig **out, const void *data, size_t len, const char *label,
		     struct rb_err *err)
{
	*out = NULL;
	struct rb_kconfig *kc = calloc(1, sizeof(*kc));
	if (!kc)
		return rb_oom_errf(err, label);
	int r = take_text(kc, data, len, label, err);
	if (!r)
		r = parse_lines(kc, label, err);
	if (r) {
		rb_kconfig_free(kc);
		return r;
	}
	if (kc->n)
		rb_sort(kc->opts, kc->n, sizeof(*kc->opts), cmp_opt);
	*out = kc;
	return 0;
}

void rb_kconfig_free(struct rb_kconfig *kc)
{
	if (!kc)
		return;
	rb_buf_free(&kc->text);
	free(kc->opts);
	free(kc);
}

bool rb_kconfig_get(const struct rb_kconfig *kc, const char *name, struct rb_kconfig_value *val)
{
	/* the last of the entries named `name` (sorted by name, then file order):
	 * a binary search for the first one greater */
	size_t lo = 0, hi = kc->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcmp(kc->opts[mid].name, name) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || strcmp(kc->opts[lo - 1].name, name) != 0)
		return false;
	*val = kc->opts[lo - 1].val;
	return true;
}

size_t rb_kconfig_count(const struct rb_kconfig *kc)
{
	return kc->n;
}
