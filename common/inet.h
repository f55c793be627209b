/* inet_ntop and inet_pton for the static binary (musl's are ~1.6 KB).  The
 * release build's are these (common/libc.c).  Output is musl's: IPv6 in lower-case hex with the longest
 * run of two or more zero groups as "::" (a run inside the address wins a tie
 * with one at the start), "::ffff:a.b.c.d" for IPv4-mapped addresses. */
#ifndef RAWBPF_COMMON_INET_H
#define RAWBPF_COMMON_INET_H

#include <sys/socket.h>

/* NULL with errno EAFNOSUPPORT (af not AF_INET/AF_INET6) or ENOSPC. */
const char *rb_inet_ntop(int af, const void *src, char *dst, socklen_t size);

/* inet_pton: 1 and the address in dst, 0 for text that is no address of
 * af (dotted quads without leading zeros; IPv6 with at most one "::" and an
 * optional dotted quad as its last 32 bits), -1 with EAFNOSUPPORT. */
int rb_inet_pton(int af, const char *src, void *dst);

#endif
