/* uprobe/PATH:SYMBOL[+OFF] and uretprobe/...: symbol -> file offset with
 * rawbpf's ELF reader, then a uprobe perf event (the "uprobe" PMU, Linux >=
 * 4.17) carrying the program; tracefs uprobe_events as the fallback for
 * kernels without the PMU.  --uprobe BIN:SYM overrides the section's target
 * and -p PID restricts the probe to one process (and resolves bare library
 * names through its /proc/PID/maps). */
#include "loader/attach/attach.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/strtab.h"
#include "elf/elf.h"

#if defined(__x86_64__)
#define RB_MULTIARCH "x86_64-linux-gnu"
#elif defined(__aarch64__)
#define RB_MULTIARCH "aarch64-linux-gnu"
#else
#define RB_MULTIARCH "unknown-linux-gnu"
#endif

/* As a strtab. */
static const char lib_dirs[] = "/lib/" RB_MULTIARCH "\0/usr/lib/" RB_MULTIARCH "\0/lib64\0/usr/lib64\0"
			       "/lib\0/usr/lib\0/usr/local/lib\0";

/* "libc" matches "libc.so.6" and "libc-2.31.so"; "libc.so.6" matches itself. */
static bool lib_name_matches(const char *base, const char *name)
{
	size_t n = strlen(name);
	if (strcmp(base, name) == 0)
		return true;
	return strncmp(base, name, n) == 0 && (base[n] == '.' || base[n] == '-') && strstr(base + n, ".so");
}

static int find_in_maps(const char *name, int pid, char *out, size_t cap)
{
	char p[64];
	struct rb_buf b = {0};
	snprintf(p, sizeof(p), "/proc/%d/maps", pid);
	if (rb_read_file(p, 1 << 24, &b) < 0)
		return -ENOENT;
	int rc = -ENOENT;
	char *save = NULL;
	for (char *line = strtok_r((char *)rb_buf_str(&b), "\n", &save); line && rc; line = strtok_r(NULL, "\n", &save)) {
		char *path = strchr(line, '/');
		const char *base = path ? strrchr(path, '/') + 1 : NULL;
		if (base && lib_name_matches(base, name) && (size_t)snprintf(out, cap, "%s", path) < cap)
			rc = 0;
	}
	rb_buf_free(&b);
	return rc;
}

static int find_in_dir(const char *dir, const char *name, char *out, size_t cap)
{
	DIR *d = opendir(dir);
	if (!d)
		return -ENOENT;
	int rc = -ENOENT;
	for (struct dirent *e; rc && (e = readdir(d));)
		if (lib_name_matches(e->d_name, name) && (size_t)snprintf(out, cap, "%s/%s", dir, e->d_name) < cap)
			rc = 0;
	closedir(d);
	return rc;
}

/* An executable name without a slash is looked up in PATH. */
static int find_in_path(const char *name, char *out, size_t cap)
{
	const char *path = getenv("PATH");
	char dirs[4096];
	snprintf(dirs, sizeof(dirs), "%s", path ? path : "/usr/bin:/bin:/usr/sbin:/sbin");
	char *save = NULL;
	for (char *d = strtok_r(dirs, ":", &save); d; d = strtok_r(NULL, ":", &save))
		if ((size_t)snprintf(out, cap, "%s/%s", d, name) < cap && access(out, X_OK) == 0)
			return 0;
	return -ENOENT;
}

int rb_uprobe_find_library(const char *name, int pid, char *out, size_t cap, struct rb_err *err)
{
	if (strchr(name, '/')) {
		if (access(name, R_OK) != 0)
			return rb_errnof(err, RB_EUSAGE, errno, "uprobe: %s", name);
		snprintf(out, cap, "%s", name);
		return 0;
	}
	if (pid > 0 && find_in_maps(name, pid, out, cap) == 0)
		return 0;
	for (const char *dir = lib_dirs; *dir; dir = rb_strtab_next(dir))
		if (find_in_dir(dir, name, out, cap) == 0)
			return 0;
	if (!strstr(name, ".so") && find_in_path(name, out, cap) == 0)
		return 0;
	return rb_errf(err, RB_EUSAGE, "uprobe: no library or program '%s' in %s the standard library "
		       "folders or PATH; give its full path", name, pid > 0 ? "the maps of -p PID," : "");
}

bool rb_uprobe_cut_path(const char *spec, const char *colon, char *path, size_t cap)
{
	if (!colon || colon == spec || !colon[1] || (size_t)(colon - spec) >= cap)
		return false;
	memcpy(path, spec, (size_t)(colon - spec));
	path[colon - spec] = 0;
	return true;
}

/* Splits "PATH:SYM+OFF" into its parts. */
static int split_spec(const char *spec, char *path, size_t pcap, char *sym, size_t scap,
		      uint64_t *off, struct rb_err *err)
{
	const char *slash = strrchr(spec, '/');
	const char *colon = strchr(slash ? slash : spec, ':');
	if (!rb_uprobe_cut_path(spec, colon, path, pcap))
		return rb_errf(err, RB_EUSAGE, "uprobe target '%s': expected PATH:SYMBOL[+OFFSET], "
			       "e.g. /bin/bash:readline or libc.so.6:getaddrinfo", spec);
	snprintf(sym, scap, "%s", colon + 1);
	return rb_attach_cut_offset(strrchr(sym, '+'), "uprobe", spec, off, err);
}

static int resolve_symbol(struct rb_uprobe_target *t, struct rb_err *err)
{
	struct rb_elf elf;
	int rc = rb_elf_open_file(&elf, t->path, err);
	if (rc < 0)
		return rc;
	uint64_t vaddr;
	char *end;
	uint64_t raw = strtoull(t->symbol, &end, 0);
	if (isdigit((unsigned char)t->symbol[0]) && !*end) {
		vaddr = raw;  /* PATH:0xADDR */
		t->symbol[0] = 0;
	} else {
		struct rb_elf_sym s;
		rc = rb_elf_find_sym(&elf, t->symbol, &s, err);
		if (rc == 0)
			rc = rb_errf(err, RB_EUSAGE, "uprobe: no symbol '%s' in %s (.symtab or .dynsym); "
				     "`nm -D %s` lists them", t->symbol, t->path, t->path);
		if (rc < 0) {
			rb_elf_close(&elf);
			return rc;
		}
		vaddr = s.value;
	}
	rc = rb_elf_vaddr_to_offset(&elf, vaddr + t->sym_off, &t->file_offset, err);
	rb_elf_close(&elf);
	return rc;
}

int rb_uprobe_resolve(const char *spec, int pid, struct rb_uprobe_target *t, struct rb_err *err)
{
	char name[512];
	*t = (struct rb_uprobe_target){0};
	int rc = split_spec(spec, name, sizeof(name), t->symbol, sizeof(t->symbol), &t->sym_off, err);
	if (rc < 0)
		return rc;
	rc = rb_uprobe_find_library(name, pid, t->path, sizeof(t->path), err);
	return rc < 0 ? rc : resolve_symbol(t, err);
}

/* ---- attaching -------------------------------------------------------------- */

int rb_uprobe_attach_at(struct rb_attach *a, const struct rb_attach_req *req, const char *path,
			uint64_t offset, uint64_t ref_ctr_off, bool retprobe, uint64_t cookie,
			const char *what, struct rb_err *err)
{
	char def[700];
	const char *base = strrchr(path, '/');
	int n = snprintf(def, sizeof(def), "%s:0x%llx", path, (unsigned long long)offset);
	if (ref_ctr_off && n > 0 && (size_t)n < sizeof(def))
		snprintf(def + n, sizeof(def) - (size_t)n, "(0x%llx)", (unsigned long long)ref_ctr_off);
	int pid = a->opts->pid > 0 ? a->opts->pid : -1;
	const struct rb_probe p = {.pmu = "uprobe", .kind = retprobe ? "uretprobe" : "uprobe", .what = what,
				   .tag = base ? base + 1 : path, .def = def, .ret = retprobe, .pid = pid,
				   /* ref_ctr_offset in config[63:32]: Linux >= 4.20 */
				   .config = ref_ctr_off << 32,
				   .config1 = (uint64_t)(uintptr_t)path,  /* uprobe_path */
				   .config2 = offset,                     /* probe_offset */
				   .wakeup_events = 1, .cookie = cookie};
	return rb_attach_probe(a, req, &p, err);
}

int rb_attach_uprobe(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	const char *spec = a->opts->uprobe ? a->opts->uprobe : req->target;
	if (!spec || !*spec)
		return rb_errf(err, RB_EUSAGE, "uprobe: the section names no target; write "
			       "SEC(\"uprobe/PATH:SYMBOL\") or pass --uprobe BIN:SYMBOL");
	struct rb_uprobe_target t;
	int rc = rb_uprobe_resolve(spec, a->opts->pid, &t, err);
	if (rc < 0)
		return rc;
	char what[800];
	snprintf(what, sizeof(what), "%s:%s+0x%llx", t.path, t.symbol[0] ? t.symbol : "",
		 (unsigned long long)(t.symbol[0] ? t.sym_off : t.file_offset));
	bool ret = req->kind == RB_ATTACH_URETPROBE;
	return rb_uprobe_attach_at(a, req, t.path, t.file_offset, 0, ret, 0, what, err);
}
