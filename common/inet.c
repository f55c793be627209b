#include "common/inet.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "common/scan.h"

/* Every group written out ("0:0:1:..."), then the longest stretch of ":0"
 * characters that starts at a group boundary becomes "::". */
static void ipv6_text(const unsigned char *a, char *buf, size_t cap)
{
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	bool v4 = !memcmp(a, mapped, sizeof(mapped));
	size_t n = 0, best = 0, max = 2;
	for (int i = 0; i < (v4 ? 6 : 8); i++)
		n += (size_t)snprintf(buf + n, cap - n, "%x:", a[2 * i] << 8 | a[2 * i + 1]);
	if (v4)
		snprintf(buf + n, cap - n, "%u.%u.%u.%u", a[12], a[13], a[14], a[15]);
	else
		buf[n - 1] = 0;
	for (size_t i = 0; buf[i]; i++) {
		size_t run = i && buf[i] != ':' ? 0 : strspn(buf + i, ":0");
		if (run > max) {
			best = i;
			max = run;
		}
	}
	if (max > 3) {
		buf[best] = buf[best + 1] = ':';
		memmove(buf + best + 2, buf + best + max, strlen(buf + best + max) + 1);
	}
}

const char *rb_inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	const unsigned char *a = src;
	char buf[64];
	if (af == AF_INET) {
		snprintf(buf, sizeof(buf), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	} else if (af == AF_INET6) {
		ipv6_text(a, buf, sizeof(buf));
	} else {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	if (strlen(buf) >= size) {
		errno = ENOSPC;
		return NULL;
	}
	return strcpy(dst, buf);
}

/* Exactly "a.b.c.d" at s, each 0-255 without leading zeros. */
static bool parse_v4(const char *s, unsigned char *out)
{
	for (int i = 0; i < 4; i++, s++) {
		size_t n = strspn(s, "0123456789");
		if (!n || n > 3 || (n > 1 && *s == '0'))
			return false;
		unsigned v = 0;
		for (size_t k = 0; k < n; k++)
			v = v * 10 + (unsigned)(s[k] - '0');
		s += n;
		if (v > 255 || *s != (i < 3 ? '.' : 0))
			return false;
		out[i] = (unsigned char)v;
	}
	return true;
}

/* One hex group (1-4 digits) at *s, or the dotted quad ending the text. */
static int parse_group(const char **s, unsigned char *g, int n)
{
	const char *e = *s + strspn(*s, "0123456789abcdefABCDEF");
	if (*e == '.')
		return n <= 6 && parse_v4(*s, g) ? 2 : -1;
	if (e == *s || e - *s > 4)
		return -1;
	unsigned v = 0;
	for (; *s < e; (*s)++)
		v = v << 4 | (unsigned)rb_digit_value((unsigned char)**s);
	g[0] = (unsigned char)(v >> 8);
	g[1] = (unsigned char)v;
	return 1;
}

/* Groups into g[0..n), "::" remembered as gap, then the gap widened. */
static bool parse_v6(const char *s, unsigned char *out)
{
	unsigned char g[16];
	int n = 0, gap = -1, k;
	if (s[0] == ':' && s[1] != ':')
		return false;
	if (s[0] == ':') {
		gap = 0;
		s += 2;
	}
	while (*s) {
		if (n >= 8 || (k = parse_group(&s, g + 2 * n, n)) < 0)
			return false;
		n += k;
		if (k == 2 || !*s)
			break;
		if (*s++ != ':' || (*s == ':' && gap >= 0) || !*s)
			return false;
		if (*s == ':') {
			gap = n;
			s++;
		}
	}
	if (gap < 0 ? n != 8 : n > 7)
		return false;
	int fill = 8 - n, tail = gap < 0 ? 0 : n - gap;
	memset(out, 0, 16);
	memcpy(out, g, 2 * (size_t)(n - tail));
	memcpy(out + 2 * (n - tail + fill * (gap >= 0)), g + 2 * (n - tail), 2 * (size_t)tail);
	return true;
}

int rb_inet_pton(int af, const char *src, void *dst)
{
	if (af == AF_INET)
		return parse_v4(src, dst);
	if (af == AF_INET6)
		return parse_v6(src, dst);
	errno = EAFNOSUPPORT;
	return -1;
}
