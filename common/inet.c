#include "common/inet.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

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
