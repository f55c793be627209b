/* Streaming JSON writer for `-j` output (bpftool-compatible shapes).
 * Keeps a small nesting stack so commas are placed automatically. */
#ifndef RAWBPF_COMMON_JSON_H
#define RAWBPF_COMMON_JSON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define RB_JSON_MAX_DEPTH 32

struct rb_json {
	FILE *out;
	int depth;
	bool pretty;
	bool first[RB_JSON_MAX_DEPTH];
	bool after_key;
};

void rb_json_init(struct rb_json *j, FILE *out, bool pretty);
void rb_json_obj_begin(struct rb_json *j);
void rb_json_obj_end(struct rb_json *j);
void rb_json_arr_begin(struct rb_json *j);
void rb_json_arr_end(struct rb_json *j);
void rb_json_key(struct rb_json *j, const char *key);
void rb_json_str(struct rb_json *j, const char *s);
void rb_json_strn(struct rb_json *j, const char *s, size_t n);
void rb_json_u64(struct rb_json *j, uint64_t v);
void rb_json_i64(struct rb_json *j, int64_t v);
void rb_json_bool(struct rb_json *j, bool v);
void rb_json_null(struct rb_json *j);
/* key + value shorthands */
void rb_json_kstr(struct rb_json *j, const char *key, const char *s);
void rb_json_ku64(struct rb_json *j, const char *key, uint64_t v);
void rb_json_ki64(struct rb_json *j, const char *key, int64_t v);
void rb_json_kbool(struct rb_json *j, const char *key, bool v);
/* Ends the document with a newline. */
void rb_json_finish(struct rb_json *j);

#endif
