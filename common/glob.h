/* Shell wildcards over byte strings: what fnmatch(3) with no flags does for
 * ASCII names (kprobe.multi patterns).  Our own because musl's fnmatch is
 * multibyte-aware and pulls ~17 KB of wide-character tables into the static
 * binary. */
#ifndef RAWBPF_COMMON_GLOB_H
#define RAWBPF_COMMON_GLOB_H

#include <stdbool.h>

/* '*' any run, '?' one byte, '[...]' a set ('!' or '^' negates, 'a-z' ranges,
 * '[:alpha:]'-style classes, ']' first is literal), '\' quotes the next byte.
 * A '[' with no closing ']' is an ordinary byte, as in fnmatch. */
bool rb_glob_match(const char *pattern, const char *s);

#endif
