/* BTF as text: the raw listing of `bpftool btf dump file X` and C
 * declarations like `bpftool btf dump file X format c`. */
#ifndef RAWBPF_ELF_BTF_DUMP_H
#define RAWBPF_ELF_BTF_DUMP_H

#include <stdio.h>

#include "common/err.h"
#include "common/json.h"
#include "elf/btf.h"

/* One type per line (plus indented member/param/enumerator lines), in
 * bpftool's layout:  [1] INT 'int' size=4 bits_offset=0 nr_bits=32 encoding=SIGNED
 * Only this BTF's own ids (split BTF: from start_id). */
int rb_btf_dump_raw(const struct rb_btf *btf, FILE *out, struct rb_err *err);
/* Only one type id (same layout). */
int rb_btf_dump_raw_type(const struct rb_btf *btf, uint32_t id, FILE *out, struct rb_err *err);
/* The raw listing as JSON: {"types":[{"id":1,"kind":"INT","name":"int",...}]}. */
int rb_btf_dump_json(const struct rb_btf *btf, struct rb_json *j, struct rb_err *err);
/* Compilable C: forward declarations, then named types in dependency order
 * (a struct embedded by value comes before its user). */
int rb_btf_dump_c(const struct rb_btf *btf, FILE *out, struct rb_err *err);

#endif
