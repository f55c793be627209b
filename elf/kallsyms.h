/* /proc/kallsyms text: `ADDRESS TYPE NAME [MODULE]` per line.  Used to give
 * untyped `.ksyms` externs an address.  Parsing only: reading the file is
 * the loader's job (loader/externs/). */
#ifndef RAWBPF_ELF_KALLSYMS_H
#define RAWBPF_ELF_KALLSYMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/err.h"

struct rb_ksym {
	uint64_t addr;
	char type;           /* 'T', 't', 'D', 'd', 'B', 'R', ... */
	const char *name;    /* NUL-terminated, valid until rb_kallsyms_free */
	const char *module;  /* "" for the kernel image, else the module's name */
};

struct rb_kallsyms;

/* Parses len bytes of kallsyms text (copied).  A malformed line is an error
 * naming its number.  Returns 0 or -RB_EINPUT / -RB_ESYS. */
int rb_kallsyms_parse(struct rb_kallsyms **out, const char *text, size_t len, const char *label,
		      struct rb_err *err);
/* Same, taking ownership of text (a /proc/kallsyms read is ~5 MiB: no copy).
 * text is left empty, also on failure. */
int rb_kallsyms_parse_buf(struct rb_kallsyms **out, struct rb_buf *text, const char *label,
			  struct rb_err *err);
void rb_kallsyms_free(struct rb_kallsyms *ks);
size_t rb_kallsyms_count(const struct rb_kallsyms *ks);
/* True when every address is 0: kptr_restrict hides them from this reader. */
bool rb_kallsyms_hidden(const struct rb_kallsyms *ks);

/* Finds a symbol by name (module NULL: any module).  Returns 1 and fills
 * *out when found at one address, 0 when absent, -RB_EINPUT (err names
 * both addresses) when the name has several different addresses. */
int rb_kallsyms_find(const struct rb_kallsyms *ks, const char *name, const char *module,
		     struct rb_ksym *out, struct rb_err *err);

/* The same lookup straight on the text, without parsing every line: a
 * memmem for the name, then only matching lines are read.  For a handful of
 * names in /proc/kallsyms (~120k lines) this is several times cheaper than
 * rb_kallsyms_parse + rb_kallsyms_find.  out->name and out->module point
 * into text (module: "" or the name up to its ']', not NUL-terminated:
 * out->module_len says how long). */
int rb_kallsyms_search(const char *text, size_t len, const char *name, const char *module,
		       struct rb_ksym *out, size_t *module_len, struct rb_err *err);

#endif
