#include "common/scan.h"

#include <stdlib.h>
#include <string.h>

bool rb_scan_u64(const char **s, int base, uint64_t *v)
{
	char *end;
	unsigned long long x = strtoull(*s, &end, base);
	if (end == *s)
		return false;
	*v = x;
	*s = end;
	return true;
}

int rb_scan_dotted(const char *s, unsigned *parts, int max)
{
	int n = 0;
	uint64_t v;
	while (n < max && (n == 0 || *s++ == '.') && rb_scan_u64(&s, 10, &v))
		parts[n++] = (unsigned)v;
	return n;
}

bool rb_scan_prefixed_int(const char *s, const char *prefix, int *v)
{
	size_t n = strlen(prefix);
	char *end;
	if (strncmp(s, prefix, n) != 0)
		return false;
	long x = strtol(s + n, &end, 10);
	*v = (int)x;
	return end != s + n;
}
