/* The CLI's texts, from loader/cli/help.txt: the build deflates that file into
 * help_deflate (scripts/mkhelp.sh) because plain it would be ~19 KB of the
 * static binary's size budget; the inflater is in the binary anyway (config.gz). */
#include <string.h>

#include "common/inflate.h"
#include "loader/cli/cmd.h"

#include "build/gen/help_txt.inc"

/* The inflated file with each text NUL-terminated in place; inflated once
 * per process, on the first help or usage message. */
static struct {
	char *text;
	size_t len;
} help;

static bool inflate_help(void)
{
	struct rb_buf b = {0};
	struct rb_err err = {0};
	if (rb_inflate_raw(help_deflate, sizeof(help_deflate), 1 << 20, &b, NULL, &err) < 0 || !rb_buf_str(&b) || b.oom) {
		rb_buf_free(&b);
		return false;
	}
	/* Each text ends at the newline before the next '@' line or the end. */
	for (char *p = b.data; (p = strstr(p, "\n@")); )
		*p++ = 0;
	if (b.len && b.data[b.len - 1] == '\n')
		b.data[--b.len] = 0;
	help.text = b.data;
	help.len = b.len;
	return true;
}

const char *rb_cli_text(const char *word, const char *field)
{
	if (!help.text && !inflate_help())
		return "(help text unavailable)";
	bool in_word = false;
	size_t n = strlen(field);
	for (const char *p = help.text; p < help.text + help.len; p += strlen(p) + 1) {
		if (!strncmp(p, "@@ ", 3))
			in_word = !strcmp(p + 3, word);
		else if (in_word && p[0] == '@' && !strncmp(p + 1, field, n) && p[n + 1] == '\n')
			return p + n + 2;
	}
	return "";
}
