/* inet_ntop for the static binary (musl's is ~0.8 KB of a 2-line job on top
 * of the snprintf rawbpf has anyway).  The release build's inet_ntop is this
 * (common/libc.c).  Output is musl's: IPv6 in lower-case hex with the longest
 * run of two or more zero groups as "::" (a run inside the address wins a tie
 * with one at the start), "::ffff:a.b.c.d" for IPv4-mapped addresses. */
#ifndef RAWBPF_COMMON_INET_H
#define RAWBPF_COMMON_INET_H

#include <sys/socket.h>

/* NULL with errno EAFNOSUPPORT (af not AF_INET/AF_INET6) or ENOSPC. */
const char *rb_inet_ntop(int af, const void *src, char *dst, socklen_t size);

#endif
