/* ELF reader: hand-made objects in both byte orders, hostile headers,
 * truncation at every length, bit flips, clang-built and system binaries. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "common/buf.h"
#include "elf/btf.h"
#include "elf/btf_ext.h"
#include "elf/elf.h"
#include "elf/builders.h"

static void check_handmade(bool be)
{
	struct tb b;
	struct elf_layout lo;
	struct rb_elf e;
	struct rb_err err = {0};
	build_elf(&b, be, EM_BPF, &lo);
	ck_assert_msg(rb_elf_open_mem(&e, b.d, b.len, "t.o", &err) == 0, "%s", err.msg);
	ck_assert(e.big_endian == be);
	ck_assert_uint_eq(e.machine, EM_BPF);
	ck_assert_uint_eq(e.type, ET_REL);
	ck_assert_uint_eq(e.shnum, ES_COUNT);
	ck_assert_str_eq(e.secs[ES_TEXT].name, ".text");
	ck_assert_ptr_eq(rb_elf_sec_by_name(&e, ".rel.text"), &e.secs[ES_REL]);
	ck_assert_ptr_eq(e.symtab, &e.secs[ES_SYMTAB]);
	ck_assert_uint_eq(rb_elf_sym_count(&e, e.symtab), 3);

	struct rb_elf_sym s;
	ck_assert_int_eq(rb_elf_sym(&e, e.symtab, 2, &s, &err), 0);
	ck_assert_str_eq(s.name, "cnt");
	ck_assert_uint_eq(s.value, 8);
	ck_assert_uint_eq(s.type, STT_OBJECT);
	ck_assert_int_eq(rb_elf_find_sym(&e, "prog", &s, &err), 1);
	ck_assert_uint_eq(s.size, 16);
	ck_assert_int_eq(rb_elf_find_sym(&e, "nope", &s, &err), 0);

	struct rb_elf_rel r;
	ck_assert_uint_eq(rb_elf_rel_count(&e, &e.secs[ES_REL]), 1);
	ck_assert_int_eq(rb_elf_rel(&e, &e.secs[ES_REL], 0, &r, &err), 0);
	ck_assert_uint_eq(r.sym, 2);
	ck_assert_uint_eq(r.type, 1);

	struct rb_elf_note_iter it;
	struct rb_elf_note n;
	rb_elf_note_iter_init(&it, &e, &e.secs[ES_NOTE]);
	ck_assert_int_eq(rb_elf_note_next(&it, &n, &err), 1);
	ck_assert_str_eq(n.name, "stapsdt");
	ck_assert_uint_eq(n.type, 3);
	ck_assert_uint_eq(n.desc_size, 8);
	ck_assert_uint_eq(rb_elf_u64(&e, n.desc), 0x1122334455667788ull);
	ck_assert_int_eq(rb_elf_note_next(&it, &n, &err), 0);
	rb_elf_close(&e);
}

START_TEST(handmade_little_endian) { check_handmade(false); }
END_TEST

START_TEST(handmade_big_endian) { check_handmade(true); }
END_TEST

START_TEST(reports_machine)
{
	struct tb b;
	struct elf_layout lo;
	struct rb_elf e;
	struct rb_err err = {0};
	build_elf(&b, false, EM_X86_64, &lo);
	ck_assert_int_eq(rb_elf_open_mem(&e, b.d, b.len, "x.o", &err), 0);
	ck_assert_uint_eq(e.machine, EM_X86_64);
	ck_assert_str_eq(rb_elf_machine_name(e.machine), "x86-64");
	rb_elf_close(&e);
}
END_TEST

static int open_err(struct tb *b, struct rb_err *err)
{
	struct rb_elf e;
	memset(err, 0, sizeof(*err));
	int r = rb_elf_open_mem(&e, b->d, b->len, "prog.o", err);
	if (r == 0)
		rb_elf_close(&e);
	return r;
}

START_TEST(refuses_elf32_and_garbage)
{
	struct tb b;
	struct elf_layout lo;
	struct rb_err err;
	build_elf(&b, false, EM_BPF, &lo);
	b.d[EI_CLASS] = ELFCLASS32;
	ck_assert_int_eq(open_err(&b, &err), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "ELF64 only"));
	memcpy(b.d, "hello", 5);
	ck_assert_int_eq(open_err(&b, &err), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "not an ELF file"));
}
END_TEST

START_TEST(section_past_end_is_named)
{
	struct tb b;
	struct elf_layout lo;
	struct rb_err err;
	build_elf(&b, false, EM_BPF, &lo);
	tb_put(&b, lo.sec_hdr[ES_REL] + 24, 0x100000, 8); /* sh_offset */
	ck_assert_int_eq(open_err(&b, &err), -RB_EINPUT);
	ck_assert_msg(strstr(err.msg, "prog.o: section 4 (.rel.text): sh_offset 0x100000+0x10 past the end of the file"),
		      "%s", err.msg);
}
END_TEST

START_TEST(huge_counts_are_rejected)
{
	struct tb b;
	struct elf_layout lo;
	struct rb_err err;
	build_elf(&b, false, EM_BPF, &lo);
	tb_put(&b, 60, 0xfeff, 2); /* e_shnum */
	ck_assert_int_eq(open_err(&b, &err), -RB_EINPUT);
	ck_assert_ptr_nonnull(strstr(err.msg, "section headers"));
	/* e_shnum = 0: the count lives in section 0's sh_size */
	build_elf(&b, false, EM_BPF, &lo);
	tb_put(&b, 60, 0, 2);
	tb_put(&b, lo.sec_hdr[0] + 32, 0xffffffffffull, 8);
	ck_assert_int_eq(open_err(&b, &err), -RB_EINPUT);
	/* a symbol table claiming more entries than the file holds */
	build_elf(&b, false, EM_BPF, &lo);
	tb_put(&b, lo.sec_hdr[ES_SYMTAB] + 32, 24ull << 40, 8);
	ck_assert_int_eq(open_err(&b, &err), -RB_EINPUT);
}
END_TEST

START_TEST(extended_section_numbering)
{
	struct tb b;
	struct elf_layout lo;
	struct rb_elf e;
	struct rb_err err = {0};
	build_elf(&b, true, EM_BPF, &lo);
	tb_put(&b, 60, 0, 2);                         /* e_shnum = 0 */
	tb_put(&b, 62, SHN_XINDEX, 2);                /* e_shstrndx = SHN_XINDEX */
	tb_put(&b, lo.sec_hdr[0] + 32, ES_COUNT, 8);  /* real count */
	tb_put(&b, lo.sec_hdr[0] + 40, ES_SHSTRTAB, 4); /* real shstrndx */
	ck_assert_msg(rb_elf_open_mem(&e, b.d, b.len, "x.o", &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(e.shnum, ES_COUNT);
	ck_assert_str_eq(e.secs[ES_NOTE].name, ".note.stapsdt");
	rb_elf_close(&e);
}
END_TEST

START_TEST(bad_symbol_and_relocation_indexes)
{
	struct tb b;
	struct elf_layout lo;
	struct rb_elf e;
	struct rb_err err = {0};
	build_elf(&b, false, EM_BPF, &lo);
	/* relocation naming symbol 99 */
	size_t rel_off = 0;
	for (size_t i = 0; i < 8; i++)
		rel_off |= (size_t)b.d[lo.sec_hdr[ES_REL] + 24 + i] << (8 * i);
	tb_put(&b, rel_off + 8, ((uint64_t)99 << 32) | 1, 8);
	ck_assert_int_eq(rb_elf_open_mem(&e, b.d, b.len, "prog.o", &err), 0);
	struct rb_elf_rel r;
	ck_assert_int_eq(rb_elf_rel(&e, &e.secs[ES_REL], 0, &r, &err), -RB_EINPUT);
	ck_assert_msg(strstr(err.msg, "names symbol 99"), "%s", err.msg);
	struct rb_elf_sym s;
	ck_assert_int_eq(rb_elf_sym(&e, e.symtab, 3, &s, &err), -RB_EINPUT);
	rb_elf_close(&e);
}
END_TEST

/* Walks everything an opened file offers; the sanitizer build catches any
 * out-of-bounds read. */
static void exercise(const struct rb_elf *e)
{
	struct rb_err err = {0};
	for (uint32_t i = 0; i < e->shnum; i++) {
		const struct rb_elf_sec *s = &e->secs[i];
		struct rb_elf_sym sym;
		struct rb_elf_rel rel;
		struct rb_elf_note n;
		struct rb_elf_note_iter it;
		for (size_t k = 0; k < rb_elf_sym_count(e, s); k++)
			rb_elf_sym(e, s, k, &sym, &err);
		for (size_t k = 0; k < rb_elf_rel_count(e, s); k++)
			rb_elf_rel(e, s, k, &rel, &err);
		rb_elf_note_iter_init(&it, e, s);
		for (int k = 0; k < 100 && rb_elf_note_next(&it, &n, &err) > 0; k++)
			;
		rb_err_clear(&err);
	}
	struct rb_elf_sym sym;
	rb_elf_find_sym(e, "cnt", &sym, &err);
	uint64_t off;
	rb_elf_vaddr_to_offset(e, 0x1000, &off, &err);
}

START_TEST(truncated_at_every_length)
{
	struct tb b;
	struct elf_layout lo;
	build_elf(&b, false, EM_BPF, &lo);
	for (size_t len = 0; len < b.len; len++) {
		uint8_t *copy = malloc(len ? len : 1);
		memcpy(copy, b.d, len);
		struct rb_elf e;
		struct rb_err err = {0};
		int r = rb_elf_open_mem(&e, copy, len, "t.o", &err);
		/* section headers sit at the end: every truncation loses them */
		ck_assert_msg(r == -RB_EINPUT, "length %zu accepted", len);
		ck_assert(err.msg[0] != 0);
		free(copy);
	}
}
END_TEST

static uint32_t lcg(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

START_TEST(bit_flips)
{
	struct tb orig;
	struct elf_layout lo;
	uint32_t seed = 12345;
	int opened = 0;
	for (int iter = 0; iter < 5000; iter++) {
		build_elf(&orig, iter & 1, EM_BPF, &lo);
		int flips = 1 + (int)(lcg(&seed) % 4);
		for (int f = 0; f < flips; f++) {
			uint32_t pos = lcg(&seed) % (uint32_t)orig.len;
			orig.d[pos] ^= (uint8_t)(1u << (lcg(&seed) % 8));
		}
		uint8_t *copy = malloc(orig.len);
		memcpy(copy, orig.d, orig.len);
		struct rb_elf e;
		struct rb_err err = {0};
		if (rb_elf_open_mem(&e, copy, orig.len, "flip.o", &err) == 0) {
			exercise(&e);
			rb_elf_close(&e);
			opened++;
		} else {
			ck_assert(err.msg[0] != 0);
		}
		free(copy);
	}
	ck_assert_int_gt(opened, 0);
}
END_TEST

START_TEST(file_errors)
{
	struct rb_elf e;
	struct rb_err err = {0};
	ck_assert_int_eq(rb_elf_open_file(&e, "/nonexistent/x.o", &err), -RB_ESYS);
	ck_assert_str_eq(err.msg, "/nonexistent/x.o: cannot read: No such file or directory");
	/* too big: refused by its size (a sparse file), for ELF and for BTF */
	char path[] = "/tmp/rawbpf_big_XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)RB_ELF_MAX_FILE_SIZE + 1), 0);
	close(fd);
	char want[128];
	rb_err_clear(&err);
	ck_assert_int_eq(rb_elf_open_file(&e, path, &err), -RB_EINPUT);
	snprintf(want, sizeof(want), "%s: larger than 1024 MiB, the most rawbpf reads as an ELF file", path);
	ck_assert_str_eq(err.msg, want);
	struct rb_btf *btf;
	rb_err_clear(&err);
	ck_assert_int_eq(rb_btf_load_file(&btf, path, NULL, &err), -RB_EINPUT);
	snprintf(want, sizeof(want), "%s: larger than 256 MiB, too big for a BTF file", path);
	ck_assert_str_eq(err.msg, want);
	unlink(path);
}
END_TEST

START_TEST(shared_library_symbols)
{
	static const char *const libs[] = {"/lib/x86_64-linux-gnu/libc.so.6", "/usr/lib/x86_64-linux-gnu/libc.so.6",
					   "/lib64/libc.so.6"};
	const char *lib = NULL;
	for (size_t i = 0; i < RB_ARRAY_SIZE(libs) && !lib; i++)
		if (access(libs[i], R_OK) == 0)
			lib = libs[i];
	if (!lib) {
		printf("SKIP shared_library_symbols: no libc.so.6\n");
		return;
	}
	struct rb_elf e;
	struct rb_err err = {0};
	ck_assert_msg(rb_elf_open_file(&e, lib, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(e.type, ET_DYN);
	ck_assert_ptr_nonnull(e.dynsym);
	ck_assert_uint_gt(e.phnum, 0);
	struct rb_elf_sym plain, versioned;
	ck_assert_int_eq(rb_elf_find_sym(&e, "malloc", &plain, &err), 1);
	ck_assert_ptr_nonnull(plain.version);
	char full[128];
	snprintf(full, sizeof(full), "malloc@@%s", plain.version);
	ck_assert_int_eq(rb_elf_find_sym(&e, full, &versioned, &err), 1);
	ck_assert_uint_eq(plain.value, versioned.value);
	ck_assert_int_eq(rb_elf_find_sym(&e, "malloc@@NO_SUCH_VERSION", &versioned, &err), 0);
	uint64_t off;
	ck_assert_int_eq(rb_elf_vaddr_to_offset(&e, plain.value, &off, &err), 0);
	ck_assert_uint_lt(off, e.size);
	/* imports from ld.so carry versions from .gnu.version_r */
	int needed = 0;
	for (size_t i = 1; i < rb_elf_sym_count(&e, e.dynsym); i++) {
		struct rb_elf_sym s;
		ck_assert_int_eq(rb_elf_sym(&e, e.dynsym, i, &s, &err), 0);
		needed += s.shndx == SHN_UNDEF && s.version && strncmp(s.version, "GLIBC_", 6) == 0;
	}
	ck_assert_int_gt(needed, 0);
	exercise(&e);
	rb_elf_close(&e);
}
END_TEST

/* --- clang-built objects ------------------------------------------------------------ */

static const char bpf_src[] =
	"struct ev { int pid; char comm[16]; unsigned flag:3, other:5; long long big; };\n"
	"struct { int type; int *key; struct ev *value; int max_entries; } m __attribute__((section(\".maps\")));\n"
	"const volatile int knob = 3;\n"
	"int counter;\n"
	"static __attribute__((noinline)) int helper(int x) { return x * knob; }\n"
	"__attribute__((section(\"socket\"), used)) int prog(void *ctx) { struct ev e = {}; e.pid = helper(counter); return e.pid; }\n"
	"char _license[] __attribute__((section(\"license\"), used)) = \"GPL\";\n";

/* Compiles bpf_src for target ("bpfel"/"bpfeb") into dir; false when clang is missing. */
static bool compile_bpf(const char *target, char *obj, size_t n)
{
	char dir[] = "/tmp/rb-elf-test-XXXXXX";
	if (!mkdtemp(dir))
		return false;
	char src[256], cmd[1024];
	snprintf(src, sizeof(src), "%s/t.bpf.c", dir);
	snprintf(obj, n, "%s/t.o", dir);
	FILE *f = fopen(src, "w");
	if (!f)
		return false;
	fputs(bpf_src, f);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "clang -target %s -O2 -g -c %s -o %s 2>/dev/null", target, src, obj);
	bool ok = system(cmd) == 0;
	unlink(src);
	return ok;
}

static void remove_obj(const char *obj)
{
	char dir[256];
	unlink(obj);
	snprintf(dir, sizeof(dir), "%s", obj);
	*strrchr(dir, '/') = 0;
	rmdir(dir);
}

static void check_clang_object(const char *target, bool be)
{
	char obj[256];
	if (!compile_bpf(target, obj, sizeof(obj))) {
		printf("SKIP clang %s object: clang with the BPF target is missing\n", target);
		return;
	}
	struct rb_elf e;
	struct rb_err err = {0};
	ck_assert_msg(rb_elf_open_file(&e, obj, &err) == 0, "%s", err.msg);
	ck_assert_uint_eq(e.machine, EM_BPF);
	ck_assert(e.big_endian == be);
	ck_assert(e.needs_swap == be); /* x86 host */
	ck_assert_ptr_nonnull(rb_elf_sec_by_name(&e, "socket"));
	struct rb_elf_sym s;
	ck_assert_int_eq(rb_elf_find_sym(&e, "helper", &s, &err), 1);
	ck_assert_uint_eq(s.type, STT_FUNC);
	struct rb_btf *btf;
	struct rb_btf_ext *ext;
	ck_assert_msg(rb_btf_from_elf(&btf, &e, NULL, &err) == 0 && btf, "%s", err.msg);
	ck_assert(rb_btf_big_endian(btf) == be);
	uint32_t ev = rb_btf_find(btf, "ev", BTF_KIND_STRUCT);
	ck_assert_uint_gt(ev, 0);
	struct rb_btf_member_info mi;
	ck_assert_int_eq(rb_btf_find_member(btf, ev, "other", &mi, &err), 1);
	ck_assert_uint_eq(mi.bit_offset, 163);
	ck_assert_uint_eq(mi.bitfield_size, 5);
	ck_assert_msg(rb_btf_ext_from_elf(&ext, &e, btf, &err) == 0 && ext, "%s", err.msg);
	ck_assert_ptr_nonnull(rb_btf_ext_find(&ext->func_info, "socket"));
	const struct rb_btf_ext_sec *li = rb_btf_ext_find(&ext->line_info, ".text");
	ck_assert_ptr_nonnull(li);
	ck_assert_uint_gt(li->count, 0);
	const struct bpf_line_info *l = rb_btf_ext_line_info(li, 0);
	ck_assert_ptr_nonnull(strstr(rb_btf_str(btf, l->file_name_off), "t.bpf.c"));
	ck_assert_ptr_nonnull(strstr(rb_btf_str(btf, l->line_off), "helper"));
	rb_btf_ext_free(ext);
	rb_btf_free(btf);
	rb_elf_close(&e);
	remove_obj(obj);
}

START_TEST(clang_little_endian_object) { check_clang_object("bpfel", false); }
END_TEST

START_TEST(clang_big_endian_object) { check_clang_object("bpfeb", true); }
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("elf");
	TCase *tc = tcase_create("elf");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, handmade_little_endian);
	tcase_add_test(tc, handmade_big_endian);
	tcase_add_test(tc, reports_machine);
	tcase_add_test(tc, refuses_elf32_and_garbage);
	tcase_add_test(tc, section_past_end_is_named);
	tcase_add_test(tc, huge_counts_are_rejected);
	tcase_add_test(tc, extended_section_numbering);
	tcase_add_test(tc, bad_symbol_and_relocation_indexes);
	tcase_add_test(tc, truncated_at_every_length);
	tcase_add_test(tc, bit_flips);
	tcase_add_test(tc, file_errors);
	tcase_add_test(tc, shared_library_symbols);
	tcase_add_test(tc, clang_little_endian_object);
	tcase_add_test(tc, clang_big_endian_object);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
