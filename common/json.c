#include "common/json.h"

#include <inttypes.h>
#include <string.h>

void rb_json_init(struct rb_json *j, FILE *out, bool pretty)
{
	*j = (struct rb_json){.out = out, .pretty = pretty};
	j->first[0] = true;
}

static void indent(struct rb_json *j)
{
	if (!j->pretty)
		return;
	fputc('\n', j->out);
	for (int i = 0; i < j->depth; i++)
		fputs("    ", j->out);
}

/* Emits the separator that must precede a new value or key at this level. */
static void before_value(struct rb_json *j)
{
	if (j->after_key) {
		j->after_key = false;
		return;
	}
	if (!j->first[j->depth])
		fputc(',', j->out);
	j->first[j->depth] = false;
	if (j->depth > 0)
		indent(j);
}

static void open_level(struct rb_json *j, char c)
{
	before_value(j);
	fputc(c, j->out);
	if (j->depth + 1 < RB_JSON_MAX_DEPTH)
		j->depth++;
	j->first[j->depth] = true;
}

static void close_level(struct rb_json *j, char c)
{
	bool empty = j->first[j->depth];
	if (j->depth > 0)
		j->depth--;
	if (!empty)
		indent(j);
	fputc(c, j->out);
}

void rb_json_obj_begin(struct rb_json *j) { open_level(j, '{'); }
void rb_json_obj_end(struct rb_json *j) { close_level(j, '}'); }
void rb_json_arr_begin(struct rb_json *j) { open_level(j, '['); }
void rb_json_arr_end(struct rb_json *j) { close_level(j, ']'); }

static void put_escaped(FILE *out, const char *s, size_t n)
{
	fputc('"', out);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c == '\t')
			fputs("\\t", out);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

void rb_json_key(struct rb_json *j, const char *key)
{
	before_value(j);
	put_escaped(j->out, key, strlen(key));
	fputs(j->pretty ? ": " : ":", j->out);
	j->after_key = true;
}

void rb_json_strn(struct rb_json *j, const char *s, size_t n)
{
	before_value(j);
	put_escaped(j->out, s, n);
}

void rb_json_str(struct rb_json *j, const char *s) { rb_json_strn(j, s, strlen(s)); }

void rb_json_u64(struct rb_json *j, uint64_t v)
{
	before_value(j);
	fprintf(j->out, "%" PRIu64, v);
}

void rb_json_i64(struct rb_json *j, int64_t v)
{
	before_value(j);
	fprintf(j->out, "%" PRId64, v);
}

void rb_json_bool(struct rb_json *j, bool v)
{
	before_value(j);
	fputs(v ? "true" : "false", j->out);
}

void rb_json_null(struct rb_json *j)
{
	before_value(j);
	fputs("null", j->out);
}

void rb_json_kstr(struct rb_json *j, const char *k, const char *s) { rb_json_key(j, k); rb_json_str(j, s); }
void rb_json_ku64(struct rb_json *j, const char *k, uint64_t v) { rb_json_key(j, k); rb_json_u64(j, v); }
void rb_json_ki64(struct rb_json *j, const char *k, int64_t v) { rb_json_key(j, k); rb_json_i64(j, v); }
void rb_json_kbool(struct rb_json *j, const char *k, bool v) { rb_json_key(j, k); rb_json_bool(j, v); }

void rb_json_finish(struct rb_json *j)
{
	fputc('\n', j->out);
	fflush(j->out);
}
