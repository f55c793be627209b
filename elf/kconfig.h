/* Kernel configuration text (`.config`, /proc/config.gz, /boot/config-*):
 * `CONFIG_X=y|m|n`, `CONFIG_X="string"`, `CONFIG_X=123|-5|0x1f`, and
 * `# CONFIG_X is not set` (recorded as n).  Gzip input is inflated first
 * (common/inflate.h).  Reading the files of the running kernel is the
 * loader's job (loader/externs/); this module only parses bytes. */
#ifndef RAWBPF_ELF_KCONFIG_H
#define RAWBPF_ELF_KCONFIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"

/* Largest config text accepted (decompressed); real ones are ~250 KiB. */
#define RB_KCONFIG_MAX_SIZE (16u << 20)

enum rb_kconfig_kind {
	RB_KCONFIG_TRISTATE, /* y, m or n */
	RB_KCONFIG_STRING,   /* "..." (escapes \" and \\ undone) */
	RB_KCONFIG_NUMBER,   /* decimal (maybe negative) or 0x hex */
};

struct rb_kconfig_value {
	enum rb_kconfig_kind kind;
	char tristate;       /* 'y', 'm', 'n' for TRISTATE */
	const char *str;     /* STRING: unquoted text; every kind: the raw text */
	size_t str_len;
	uint64_t num;        /* NUMBER: the value (two's complement when negative) */
	bool negative;       /* NUMBER: had a leading '-' */
};

struct rb_kconfig;

/* Parses len bytes of config text, gzip-compressed or plain (told by the
 * magic).  label names the source in messages.  A line that is neither a
 * comment nor CONFIG_NAME=VALUE is an error naming the line number.
 * Returns 0 or -RB_EINPUT / -RB_ESYS. */
int rb_kconfig_parse(struct rb_kconfig **out, const void *data, size_t len, const char *label,
		     struct rb_err *err);
void rb_kconfig_free(struct rb_kconfig *kc);

/* Looks up a full option name ("CONFIG_BPF").  Returns true and fills *val
 * (pointers valid until rb_kconfig_free) when the option is present. */
bool rb_kconfig_get(const struct rb_kconfig *kc, const char *name, struct rb_kconfig_value *val);
/* Number of options recorded. */
size_t rb_kconfig_count(const struct rb_kconfig *kc);

#endif
