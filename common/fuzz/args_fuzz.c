/* libFuzzer target: the small text parsers that take command-line words and
 * /proc or /sys lines: number scanning (rb_scan_*), the glob matcher (the
 * input split at its first newline into pattern and name), --map-size and
 * --nf arguments. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/glob.h"
#include "common/scan.h"
#include "loader/attach/attach.h"
#include "loader/load/load.h"

static void scan_all(const char *s)
{
	const char *p = s;
	uint64_t v;
	unsigned parts[4];
	int i;
	char *end;
	rb_scan_u64(&p, 0, &v);
	rb_scan_dotted(s, parts, 4);
	rb_scan_prefixed_int(s, "0x", &i);
	rb_scan_double(s, &end);
}

static void args_all(const char *s)
{
	struct rb_err err = {0};
	struct rb_map_size_arg a;
	rb_map_size_parse(s, &a, &err);
	rb_err_clear(&err);
	struct rb_nf_hook h;
	rb_nf_hook_parse(s, &h, &err);
	rb_err_clear(&err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = 0;
	scan_all(s);
	args_all(s);
	char *nl = strchr(s, '\n');
	if (nl) {
		*nl = 0;
		rb_glob_match(s, nl + 1);
	}
	free(s);
	return 0;
}
