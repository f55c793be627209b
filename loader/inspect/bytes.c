/* Keys and values typed on the command line: bpftool's byte lists, hex
 * strings, JSON arrays of bytes, and single integers. */
#include "loader/inspect/inspect.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/scan.h"
#include "common/strtab.h"

int rb_inspect_oom(struct rb_err *err)
{
	return rb_errf(err, RB_ESYS, "out of memory");
}

static int append_byte(struct rb_buf *out, uint8_t b, struct rb_err *err)
{
	return rb_buf_append(out, &b, 1) ? 0 : rb_inspect_oom(err);
}

bool rb_bytes_is_stop_word(const char *w)
{
	return rb_strtab_index("key\0value\0any\0noexist\0exist\0", w) >= 0;
}

/* Appends the hex digits of s (spaces allowed, "0x" in front of a group
 * allowed); *half carries an odd digit over to the next word. */
static int append_hex(const char *s, struct rb_buf *out, int *half, const char *what,
		      struct rb_err *err)
{
	for (const char *p = s; *p; p++) {
		if (isspace((unsigned char)*p))
			continue;
		if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X') && *half < 0) {
			p++;
			continue;
		}
		int d = rb_digit_value((unsigned char)*p);
		if (d >= 16)
			return rb_errf(err, RB_EUSAGE, "%s: '%c' in '%s' is not a hex digit", what, *p, s);
		if (*half < 0) {
			*half = d;
			continue;
		}
		uint8_t byte = (uint8_t)(*half << 4 | d);
		*half = -1;
		int r = append_byte(out, byte, err);
		if (r < 0)
			return r;
	}
	return 0;
}

static int parse_hex_words(char **words, int n, const char *what, struct rb_buf *out,
			   struct rb_err *err)
{
	int half = -1;
	for (int k = 0; k < n; k++) {
		int r = append_hex(words[k], out, &half, what, err);
		if (r < 0)
			return r;
	}
	if (half >= 0)
		return rb_errf(err, RB_EUSAGE, "%s: odd number of hex digits; give two per byte", what);
	return 0;
}

/* A byte in C notation (bpftool: 0x1f, 31, 037). */
static int parse_byte(const char *s, uint8_t *b)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (!*s || *end || errno || v > 255 || s[0] == '-')
		return -1;
	*b = (uint8_t)v;
	return 0;
}

/* One JSON array element: a number 0..255 or a string "0x1f" / "31". */
static const char *json_byte(const char *p, uint8_t *b)
{
	char tmp[16];
	size_t n = 0;
	bool quoted = *p == '"';
	if (quoted)
		p++;
	while (*p && (isalnum((unsigned char)*p)) && n < sizeof(tmp) - 1)
		tmp[n++] = *p++;
	tmp[n] = 0;
	if (quoted && *p++ != '"')
		return NULL;
	return parse_byte(tmp, b) == 0 ? p : NULL;
}

static int parse_json_array(const char *text, const char *what, struct rb_buf *out,
			    struct rb_err *err)
{
	const char *p = text + 1; /* past '[' */
	for (bool first = true;; first = false) {
		while (isspace((unsigned char)*p))
			p++;
		if (*p == ']' && first)
			break;
		uint8_t b;
		const char *next = json_byte(p, &b);
		if (!next)
			return rb_errf(err, RB_EUSAGE, "%s: bad JSON array element at '%.20s': give numbers 0..255 or \"0xNN\" strings", what, p);
		int r = append_byte(out, b, err);
		if (r < 0)
			return r;
		for (p = next; isspace((unsigned char)*p); p++)
			;
		if (*p == ']')
			break;
		if (*p++ != ',')
			return rb_errf(err, RB_EUSAGE, "%s: expected ',' or ']' in the JSON array at '%.20s'", what, p - 1);
	}
	for (p++; isspace((unsigned char)*p); p++)
		;
	if (*p)
		return rb_errf(err, RB_EUSAGE, "%s: text after the JSON array: '%.20s'", what, p);
	return 0;
}

static int join_and_parse_json(char **words, int n, const char *what, struct rb_buf *out,
			       struct rb_err *err)
{
	struct rb_buf text = {0};
	for (int k = 0; k < n; k++)
		rb_buf_printf(&text, "%s%s", k ? " " : "", words[k]);
	int r = text.oom ? rb_inspect_oom(err)
			 : parse_json_array(rb_buf_str(&text), what, out, err);
	rb_buf_free(&text);
	return r;
}

/* A single number for a 2-, 4- or 8-byte operand: an integer in host order,
 * signed or unsigned, range-checked for the size. */
static int parse_integer(const char *s, size_t size, uint8_t *bytes)
{
	char *end;
	errno = 0;
	uint64_t u;
	if (s[0] == '-') {
		long long v = strtoll(s, &end, 0);
		int bits = (int)size * 8;
		if (bits < 64 && v < -(1LL << (bits - 1)))
			return -1;
		u = (uint64_t)v;
	} else {
		u = strtoull(s, &end, 0);
		if (size < 8 && u >> (size * 8))
			return -1;
	}
	if (!*s || *end || errno)
		return -1;
	uint16_t u16 = (uint16_t)u;
	uint32_t u32 = (uint32_t)u;
	memcpy(bytes, size == 2 ? (void *)&u16 : size == 4 ? (void *)&u32 : (void *)&u, size);
	return 0;
}

static int parse_byte_words(char **words, int n, const char *what, struct rb_buf *out,
			    struct rb_err *err)
{
	for (int k = 0; k < n; k++) {
		uint8_t b;
		if (parse_byte(words[k], &b) < 0)
			return rb_errf(err, RB_EUSAGE, "%s: '%s' is not a byte (0..255, e.g. 0x1f); "
				       "use `hex 0102...` for hex digits", what, words[k]);
		int r = append_byte(out, b, err);
		if (r < 0)
			return r;
	}
	return 0;
}

int rb_parse_bytes(int argc, char **argv, int *i, size_t size, const char *what,
		   struct rb_buf *out, struct rb_err *err)
{
	int start = *i, n = 0;
	while (start + n < argc && !rb_bytes_is_stop_word(argv[start + n]))
		n++;
	*i = start + n;
	if (n == 0)
		return rb_errf(err, RB_EUSAGE, "%s: missing bytes (e.g. `%s 0x01 0 0 0` or `%s hex 01000000`)",
			       what, what, what);
	char **w = argv + start;
	size_t before = out->len;
	int r;
	if (!strcmp(w[0], "hex"))
		r = n > 1 ? parse_hex_words(w + 1, n - 1, what, out, err)
			  : rb_errf(err, RB_EUSAGE, "%s: `hex` needs hex digits after it", what);
	else if (w[0][0] == '[')
		r = join_and_parse_json(w, n, what, out, err);
	else if (w[0][0] == '{')
		r = rb_errf(err, RB_EUSAGE, "%s: JSON objects are not accepted; give the bytes "
			    "(a JSON array, `hex ...`, or one integer)", what);
	else if (n == 1 && (size == 2 || size == 4 || size == 8)) {
		uint8_t bytes[8];
		r = parse_integer(w[0], size, bytes);
		if (r < 0)
			return rb_errf(err, RB_EUSAGE, "%s: '%s' is not a %zu-byte integer", what, w[0], size);
		r = rb_buf_append(out, bytes, size) ? 0 : rb_inspect_oom(err);
	} else
		r = parse_byte_words(w, n, what, out, err);
	return r < 0 ? r : (int)(out->len - before);
}

int rb_parse_data_arg(const char *arg, struct rb_buf *out, struct rb_err *err)
{
	if (arg[0] == '@') {
		int r = rb_read_file(arg + 1, 64u << 20, out);
		if (r < 0)
			return rb_errnof(err, RB_ESYS, -r, "cannot read %s", arg + 1);
		return 0;
	}
	int half = -1;
	int r = append_hex(arg, out, &half, "data", err);
	if (r == 0 && half >= 0)
		return rb_errf(err, RB_EUSAGE, "data '%.40s': odd number of hex digits", arg);
	return r;
}
