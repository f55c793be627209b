/* BTF-aware value printing (map dump, `--set` echo, iterators): given a BTF,
 * a type id and the bytes of a value, print it as text or JSON.
 *
 * structs/unions by member name, enums by enumerator name (the number when
 * no enumerator matches), arrays element by element, char arrays as strings,
 * bitfields, pointers as hex, ints signed/unsigned/bool, floats; typedef /
 * const / volatile / type_tag are looked through.  Every read is checked
 * against size: a value shorter than its type prints what fits and returns
 * -RB_EINPUT.  Values are in host byte order (as the kernel returns them). */
#ifndef RAWBPF_ELF_BTF_PRINT_H
#define RAWBPF_ELF_BTF_PRINT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "common/err.h"
#include "common/json.h"
#include "elf/btf.h"

/* Text:  {.pid = 42, .comm = "bash", .state = TASK_RUNNING, .ptr = 0xffff8881...}
 * Nested aggregates on one line; indent > 0 breaks members onto lines
 * indented by that many spaces per level. */
int rb_btf_print_value(const struct rb_btf *btf, uint32_t type_id, const void *data, size_t size,
		       FILE *out, int indent, struct rb_err *err);
/* Same, into a growable buffer (appended, not NUL-counted). */
struct rb_buf;
int rb_btf_format_value(const struct rb_btf *btf, uint32_t type_id, const void *data, size_t size,
			struct rb_buf *out, int indent, struct rb_err *err);
/* JSON value (object, array, number, string, bool) at the writer's current
 * position, like bpftool's "formatted" map dump. */
int rb_btf_print_json(const struct rb_btf *btf, uint32_t type_id, const void *data, size_t size,
		      struct rb_json *j, struct rb_err *err);

#endif
