/* Name tables as one string, "unspec\0hash\0array\0" (the literal's own NUL
 * ends the list): no 8-byte pointer per entry, which in the static binary's
 * tables added up to kilobytes.  Entries are never empty.  Lookups walk the
 * list; the tables are small and looked up rarely (printing, parsing). */
#ifndef RAWBPF_COMMON_STRTAB_H
#define RAWBPF_COMMON_STRTAB_H

#include <stddef.h>

/* The entry after name (walking a table by hand, beside a parallel array). */
const char *rb_strtab_next(const char *name);

/* Entry i of tab, or NULL past its end. */
const char *rb_strtab_at(const char *tab, size_t i);

/* The index of name in tab, or -1. */
int rb_strtab_index(const char *tab, const char *name);

#endif
