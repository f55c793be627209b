#include "common/glob.h"

#include <ctype.h>
#include <string.h>

static const struct {
	char name[7];
	int (*is)(int);
} classes[] = {
	{"alnum", isalnum}, {"alpha", isalpha}, {"blank", isblank}, {"cntrl", iscntrl},
	{"digit", isdigit}, {"graph", isgraph}, {"lower", islower}, {"print", isprint},
	{"punct", ispunct}, {"space", isspace}, {"upper", isupper}, {"xdigit", isxdigit},
};

/* p is just after "[:", "[." or "[="; returns the position of the closing
 * "X]" with X = kind, or NULL. */
static const char *group_end(const char *p, char kind)
{
	for (; *p; p++)
		if (p[0] == kind && p[1] == ']')
			return p;
	return NULL;
}

/* Where the bracket expression starting at p ('[') ends (its ']'), or NULL
 * when it is not closed. */
static const char *bracket_end(const char *p)
{
	p += 1 + (p[1] == '!' || p[1] == '^');
	p += *p == ']';
	for (; *p && *p != ']'; p++)
		if (p[0] == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			const char *e = group_end(p + 2, p[1]);
			if (!e)
				return NULL;
			p = e + 1;
		}
	return *p ? p : NULL;
}

static bool in_class(const char *name, size_t len, unsigned char c)
{
	for (size_t i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		if (len == strlen(classes[i].name) && memcmp(name, classes[i].name, len) == 0)
			return classes[i].is(c);
	return false;
}

/* Whether c is in the set [p, end) (p just after '[').  As in musl, the end
 * of a range is also taken as a member by itself ("[a-9]" holds '9'). */
static bool bracket_has(const char *p, const char *end, unsigned char c)
{
	bool neg = *p == '!' || *p == '^';
	p += neg;
	if (*p == ']' || *p == '-') {
		if (c == (unsigned char)*p)
			return !neg;
		p++;
	}
	unsigned char prev = (unsigned char)p[-1];
	for (; p < end; p++) {
		if (p[0] == '-' && p + 1 < end) {
			if (prev <= c && c <= (unsigned char)p[1])
				return !neg;
		} else if (p[0] == '[' && (p[1] == ':' || p[1] == '.' || p[1] == '=')) {
			const char *e = group_end(p + 2, p[1]);
			if (p[1] == ':' && in_class(p + 2, (size_t)(e - p - 2), c))
				return !neg;
			p = e + 1;
		} else if (c == (prev = (unsigned char)*p)) {
			return !neg;
		}
	}
	return neg;
}

/* One pattern element at *p against byte c; advances *p past it. */
static bool element_matches(const char **p, unsigned char c)
{
	const char *q = *p, *end;
	if (*q == '?') {
		*p = q + 1;
		return true;
	}
	if (*q == '[' && (end = bracket_end(q))) {
		*p = end + 1;
		return bracket_has(q + 1, end, c);
	}
	q += q[0] == '\\' && q[1];
	*p = q + 1;
	return (unsigned char)*q == c;
}

/* A '*' first matches nothing; each later mismatch lets the last '*' take one
 * more byte (earlier stars never need to: the last one can absorb it). */
bool rb_glob_match(const char *pattern, const char *s)
{
	const char *star = NULL, *resume = NULL;
	for (;;) {
		const char *p = pattern;
		if (*p == '*') {
			star = pattern = p + 1;
			resume = s;
			continue;
		}
		if (!*s && !*p)
			return true;
		if (*s && *p && element_matches(&p, (unsigned char)*s)) {
			pattern = p;
			s++;
			continue;
		}
		if (!star || !*resume)
			return false;
		pattern = star;
		s = ++resume;
	}
}
