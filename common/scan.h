/* The few number scans rawbpf needs from text (uname, /proc, sysfs, filter
 * tokens).  Our own because sscanf pulls musl's whole scanf engine (~5 KB)
 * into the static binary for them. */
#ifndef RAWBPF_COMMON_SCAN_H
#define RAWBPF_COMMON_SCAN_H

#include <stdbool.h>
#include <stdint.h>

/* A number at *s as sscanf's %llu / %llx reads it (strtoull's rules: blanks
 * and a sign first, "0x" allowed in base 16); advances *s past it.  False,
 * with *s unchanged, when there is none. */
bool rb_scan_u64(const char **s, int base, uint64_t *v);

/* sscanf(s, "%u.%u.%u"...) for up to max parts: how many it read. */
int rb_scan_dotted(const char *s, unsigned *parts, int max);

/* sscanf(s, "PREFIX%d", v) == 1. */
bool rb_scan_prefixed_int(const char *s, const char *prefix, int *v);

#endif
