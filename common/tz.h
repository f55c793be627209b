/* localtime_r for the static binary: musl's (__tz.c with its helpers, ~6.5 KB)
 * is the largest piece of libc left that rawbpf uses for two timestamps.  The
 * release build's localtime_r is this (common/libc.c); tests compare it with
 * the C library's.
 *
 * The zone follows musl's rules: TZ unset = /etc/localtime; TZ "" = UTC; a
 * zone name followed by an offset ("CET-1CEST,M3.5.0,M10.5.0/3", "EST5EDT"),
 * or UTC/GMT alone, is a POSIX string; anything else (":PATH", "Japan",
 * "Europe/Berlin") names a TZif file (absolute, or below
 * /usr/share/zoneinfo, /share/zoneinfo, /etc/zoneinfo).  Past a file's last
 * transition its POSIX footer decides.  An unreadable or malformed file is
 * UTC.  The file of the last TZ value is kept, as libc keeps its tzset state;
 * tm_zone is "" (rawbpf prints numeric offsets). */
#ifndef RAWBPF_COMMON_TZ_H
#define RAWBPF_COMMON_TZ_H

#include <time.h>

/* NULL with errno EOVERFLOW when the year does not fit an int. */
struct tm *rb_localtime(const time_t *t, struct tm *tm);

#endif
