/* `.BTF.ext` reader.  Layout: a header (hdr_len, then offset/length pairs
 * relative to the header's end for func_info, line_info and, when hdr_len
 * allows, core_relo); each subsection is a u32 rec_size followed by groups
 * {u32 sec_name_off; u32 num_info; num_info records of rec_size bytes}. */
#include "elf/btf_ext.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"

#define EXT_HDR_MIN 24u       /* without core_relo_off/len */
#define EXT_HDR_CORE 32u
#define GROUP_HDR 8u

struct sub_spec {
	const char *what;
	uint32_t min_rec;
	uint32_t off, len;
	struct rb_btf_ext_info *info;
};

struct ext_ctx {
	struct rb_btf_ext *ext;
	const struct rb_btf *btf;
	const char *name;
	uint32_t hdr_len;
	struct rb_err *err;
};

static uint32_t word(const uint8_t *p)
{
	uint32_t v;
	memcpy(&v, p, 4);
	return v;
}

static void swap_words(uint8_t *p, uint64_t len)
{
	for (uint64_t i = 0; i + 4 <= len; i += 4) {
		uint32_t v = __builtin_bswap32(word(p + i));
		memcpy(p + i, &v, 4);
	}
}

static int sub_fail(const struct ext_ctx *c, const struct sub_spec *s, const char *what, uint64_t v)
{
	return rb_input_errf(c->err, c->name, ".BTF.ext %s: %s (%llu)", s->what, what, (unsigned long long)v);
}

/* --- header ---------------------------------------------------------------------------- */

static int read_header(struct ext_ctx *c, struct sub_spec specs[3])
{
	struct rb_btf_ext *ext = c->ext;
	if (ext->size < EXT_HDR_MIN)
		return rb_input_errf(c->err, c->name, ".BTF.ext is %zu bytes, shorter than its header (%u)",
				     ext->size, EXT_HDR_MIN);
	uint16_t magic;
	memcpy(&magic, ext->data, 2);
	if (magic != BTF_MAGIC && magic != __builtin_bswap16(BTF_MAGIC))
		return rb_input_errf(c->err, c->name, "bad .BTF.ext magic 0x%04x (want 0xeb9f)", magic);
	ext->swapped = magic != BTF_MAGIC;
	if (c->btf && ext->swapped != rb_btf_swapped(c->btf))
		return rb_input_errf(c->err, c->name, ".BTF.ext and .BTF are in different byte orders");
	if (ext->data[2] != 1)
		return rb_input_errf(c->err, c->name, ".BTF.ext version %u, rawbpf reads version 1",
				     ext->data[2]);
	uint32_t hdr_len = word(ext->data + 4);
	hdr_len = ext->swapped ? __builtin_bswap32(hdr_len) : hdr_len;
	if (hdr_len < EXT_HDR_MIN || hdr_len > ext->size || hdr_len % 4)
		return rb_input_errf(c->err, c->name,
				     ".BTF.ext hdr_len %u is not a 4-byte multiple in 24..%zu", hdr_len,
				     ext->size);
	c->hdr_len = hdr_len;
	if (ext->swapped)
		swap_words(ext->data + 4, (hdr_len < EXT_HDR_CORE ? hdr_len : EXT_HDR_CORE) - 4);
	for (int i = 0; i < 3; i++) {
		bool present = i < 2 || hdr_len >= EXT_HDR_CORE;
		specs[i].off = present ? word(ext->data + 8 + 8 * i) : 0;
		specs[i].len = present ? word(ext->data + 12 + 8 * i) : 0;
	}
	return 0;
}

/* --- subsections ------------------------------------------------------------------------- */

static int check_sub_bounds(const struct ext_ctx *c, const struct sub_spec *s)
{
	uint64_t body = c->ext->size - c->hdr_len;
	if (!rb_range_ok(s->off, s->len, body))
		return sub_fail(c, s, "subsection runs past the end of .BTF.ext, offset", s->off);
	if (s->off % 4 || s->len % 4)
		return sub_fail(c, s, "subsection offset/length not 4-byte aligned, offset", s->off);
	if (s->len < 4)
		return sub_fail(c, s, "subsection too short for rec_size, length", s->len);
	return 0;
}

/* Walks the groups once: counts them (secs == NULL) or fills secs. */
static int walk_groups(const struct ext_ctx *c, const struct sub_spec *s, uint32_t rec_size,
		       struct rb_btf_ext_sec *secs, uint32_t *nsecs)
{
	const uint8_t *base = c->ext->data + c->hdr_len + s->off;
	uint64_t pos = 4, n = 0;
	while (pos < s->len) {
		if (!rb_range_ok(pos, GROUP_HDR, s->len))
			return sub_fail(c, s, "truncated section group header at offset", pos);
		uint32_t name_off = word(base + pos), num = word(base + pos + 4);
		uint64_t bytes = (uint64_t)num * rec_size;
		if (!rb_range_ok(pos + GROUP_HDR, bytes, s->len))
			return sub_fail(c, s, "records run past the subsection end, record count", num);
		if (secs)
			secs[n] = (struct rb_btf_ext_sec){NULL, name_off, rec_size, num, base + pos + GROUP_HDR};
		n++;
		pos += GROUP_HDR + bytes;
	}
	*nsecs = (uint32_t)n;
	return 0;
}

static int parse_sub(const struct ext_ctx *c, struct sub_spec *s)
{
	if (s->len == 0)
		return 0;
	int r = check_sub_bounds(c, s);
	if (r < 0)
		return r;
	uint8_t *base = c->ext->data + c->hdr_len + s->off;
	if (c->ext->swapped)
		swap_words(base, s->len);
	uint32_t rec_size = word(base), n = 0;
	if (rec_size < s->min_rec || rec_size % 4)
		return sub_fail(c, s, "rec_size smaller than known or not a multiple of 4", rec_size);
	r = walk_groups(c, s, rec_size, NULL, &n);
	if (r < 0)
		return r;
	s->info->rec_size = rec_size;
	s->info->secs = calloc(n ? n : 1, sizeof(*s->info->secs));
	if (!s->info->secs)
		return rb_errf(c->err, RB_ESYS, "%s: out of memory for .BTF.ext %s", c->name, s->what);
	s->info->nsecs = n;
	return walk_groups(c, s, rec_size, s->info->secs, &n);
}

/* --- checking strings and type ids against the BTF ---------------------------------------------- */

static int bad_str(const struct ext_ctx *c, const struct sub_spec *s, uint32_t sec, uint32_t rec,
		   const char *what, uint32_t v)
{
	return rb_input_errf(c->err, c->name, ".BTF.ext %s group %u record %u: %s %u is out of range",
			     s->what, sec, rec, what, v);
}

static bool str_ok(const struct ext_ctx *c, uint32_t off)
{
	return rb_btf_str(c->btf, off) != NULL;
}

static bool id_ok(const struct ext_ctx *c, uint32_t id)
{
	return id < rb_btf_type_cnt(c->btf);
}

static int check_record(const struct ext_ctx *c, const struct sub_spec *s, const struct rb_btf_ext_sec *g,
			uint32_t sec, uint32_t i)
{
	if (s->info == &c->ext->func_info) {
		const struct bpf_func_info *f = rb_btf_ext_func_info(g, i);
		return id_ok(c, f->type_id) ? 0 : bad_str(c, s, sec, i, "type id", f->type_id);
	}
	if (s->info == &c->ext->line_info) {
		const struct bpf_line_info *l = rb_btf_ext_line_info(g, i);
		if (!str_ok(c, l->file_name_off))
			return bad_str(c, s, sec, i, "file name offset", l->file_name_off);
		return str_ok(c, l->line_off) ? 0 : bad_str(c, s, sec, i, "line offset", l->line_off);
	}
	const struct bpf_core_relo *cr = rb_btf_ext_core_relo(g, i);
	if (!id_ok(c, cr->type_id))
		return bad_str(c, s, sec, i, "type id", cr->type_id);
	return str_ok(c, cr->access_str_off) ? 0 : bad_str(c, s, sec, i, "access string offset", cr->access_str_off);
}

static int check_refs(const struct ext_ctx *c, const struct sub_spec *s)
{
	for (uint32_t k = 0; k < s->info->nsecs; k++) {
		struct rb_btf_ext_sec *g = &s->info->secs[k];
		g->name = rb_btf_str(c->btf, g->name_off);
		if (!g->name)
			return bad_str(c, s, k, 0, "section name offset", g->name_off);
		for (uint32_t i = 0; i < g->count; i++) {
			int r = check_record(c, s, g, k, i);
			if (r < 0)
				return r;
		}
	}
	return 0;
}

/* --- public ------------------------------------------------------------------------------------- */

static int parse_all(struct ext_ctx *c)
{
	struct rb_btf_ext *ext = c->ext;
	struct sub_spec specs[3] = {
		{"func_info", sizeof(struct bpf_func_info), 0, 0, &ext->func_info},
		{"line_info", sizeof(struct bpf_line_info), 0, 0, &ext->line_info},
		{"core_relo", sizeof(struct bpf_core_relo), 0, 0, &ext->core_relo},
	};
	int r = read_header(c, specs);
	for (int i = 0; r == 0 && i < 3; i++)
		r = parse_sub(c, &specs[i]);
	for (int i = 0; r == 0 && i < 3; i++)
		r = check_refs(c, &specs[i]);
	return r;
}

int rb_btf_ext_parse(struct rb_btf_ext **out, const void *data, size_t size,
		     const struct rb_btf *btf, const char *name, struct rb_err *err)
{
	*out = NULL;
	name = name ? name : ".BTF.ext";
	if (!btf)
		return rb_input_errf(err, name, ".BTF.ext needs the object's .BTF, which is missing");
	struct rb_btf_ext *ext = calloc(1, sizeof(*ext));
	uint8_t *copy = malloc(size ? size : 1);
	if (!ext || !copy) {
		free(ext);
		free(copy);
		return rb_errf(err, RB_ESYS, "%s: out of memory for .BTF.ext", name);
	}
	if (size)
		memcpy(copy, data, size);
	ext->data = copy;
	ext->size = size;
	struct ext_ctx c = {.ext = ext, .btf = btf, .name = name, .err = err};
	int r = parse_all(&c);
	if (r < 0) {
		rb_btf_ext_free(ext);
		return r;
	}
	*out = ext;
	return 0;
}

int rb_btf_ext_from_elf(struct rb_btf_ext **out, const struct rb_elf *elf,
			const struct rb_btf *btf, struct rb_err *err)
{
	*out = NULL;
	const struct rb_elf_sec *sec = rb_elf_sec_by_name(elf, ".BTF.ext");
	if (!sec)
		return 0;
	if (!sec->data)
		return rb_input_errf(err, elf->name, "section .BTF.ext has no contents");
	return rb_btf_ext_parse(out, sec->data, sec->size, btf, elf->name, err);
}

void rb_btf_ext_free(struct rb_btf_ext *ext)
{
	if (!ext)
		return;
	free(ext->func_info.secs);
	free(ext->line_info.secs);
	free(ext->core_relo.secs);
	free(ext->data);
	free(ext);
}

const struct rb_btf_ext_sec *rb_btf_ext_find(const struct rb_btf_ext_info *info,
					     const char *sec_name)
{
	for (uint32_t i = 0; i < info->nsecs; i++)
		if (info->secs[i].name && strcmp(info->secs[i].name, sec_name) == 0)
			return &info->secs[i];
	return NULL;
}
