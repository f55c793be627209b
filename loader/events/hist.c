/* BCC-style log2 histograms: slot i counts values in [2^i, 2^(i+1)), slot 0
 * also holds 0 -- the layout libbpf-tools' `struct hist { __u32 slots[N]; }`
 * and bpf_log2l() produce.  Drawn like BCC's print_log2_hist. */
#include "loader/events/events.h"

#include <string.h>

#include "common/buf.h"
#include "elf/btf.h"

/* An array of 4- or 8-byte integers at type id; fills h->n_slots/slot_size. */
static bool int_array(const struct rb_btf *btf, uint32_t id, struct rb_hist_layout *h)
{
	const struct btf_type *t = rb_btf_resolve(btf, id, NULL);
	if (!t || rb_btf_kind(t) != BTF_KIND_ARRAY)
		return false;
	const struct btf_array *arr = rb_btf_array(t);
	const struct btf_type *e = rb_btf_resolve(btf, arr->type, NULL);
	if (!e || rb_btf_kind(e) != BTF_KIND_INT || (e->size != 4 && e->size != 8) || !arr->nelems ||
	    arr->nelems > 128)
		return false;
	h->n_slots = arr->nelems;
	h->slot_size = e->size;
	return true;
}

bool rb_hist_layout(const struct rb_btf *btf, uint32_t value_type_id, struct rb_hist_layout *h)
{
	*h = (struct rb_hist_layout){0};
	if (!btf || !value_type_id)
		return false;
	if (int_array(btf, value_type_id, h))
		return true;
	struct rb_btf_member_info m;
	if (rb_btf_find_member(btf, value_type_id, "slots", &m, NULL) != 1 || m.bit_offset % 8)
		return false;
	h->offset = m.bit_offset / 8;
	return int_array(btf, m.type_id, h);
}

void rb_hist_slots(const struct rb_hist_layout *h, const void *value, size_t size, uint64_t *out)
{
	for (uint32_t i = 0; i < h->n_slots; i++) {
		uint64_t off = h->offset + (uint64_t)i * h->slot_size;
		out[i] = 0;
		if (!rb_range_ok(off, h->slot_size, size))
			continue;
		if (h->slot_size == 4) {
			uint32_t v;
			memcpy(&v, (const uint8_t *)value + off, 4);
			out[i] = v;
		} else {
			memcpy(&out[i], (const uint8_t *)value + off, 8);
		}
	}
}

static void print_stars(FILE *out, uint64_t val, uint64_t max, int width)
{
	int n = max ? (int)((val * (uint64_t)width + max - 1) / max) : 0;
	if (n > width)
		n = width;
	for (int i = 0; i < width; i++)
		fputc(i < n ? '*' : ' ', out);
}

void rb_hist_print_log2(FILE *out, const char *unit, const uint64_t *slots, uint32_t n)
{
	uint64_t max = 0;
	int last = -1;
	for (uint32_t i = 0; i < n; i++) {
		if (slots[i] > max)
			max = slots[i];
		if (slots[i])
			last = (int)i;
	}
	fprintf(out, "%*s%-*s : count    distribution\n", 10, unit, 12, "");
	for (int i = 0; i <= last; i++) {
		uint64_t low = (1ULL << (i + 1)) >> 1, high = (1ULL << (i + 1)) - 1;
		if (i >= 63)
			high = UINT64_MAX;
		if (low == high)
			low -= 1;
		fprintf(out, "%10llu -> %-10llu : %-8llu |", (unsigned long long)low,
			(unsigned long long)high, (unsigned long long)slots[i]);
		print_stars(out, slots[i], max, 40);
		fputs("|\n", out);
	}
}
