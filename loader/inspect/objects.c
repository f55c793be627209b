/* Finding BPF objects by id, pin path, name or tag. */
#include "loader/inspect/inspect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/strtab.h"
#include "loader/bpf.h"

const char *rb_obj_kind_word(enum rb_obj_kind kind)
{
	const char *w = rb_strtab_at("program\0map\0link\0BTF object\0", kind);
	return w ? w : "object";
}

static int parse_id(const char *s, uint32_t *id)
{
	char *end;
	errno = 0;
	unsigned long v = strtoul(s, &end, 0);
	if (!*s || *end || errno || v == 0 || v > UINT32_MAX || s[0] == '-')
		return -1;
	*id = (uint32_t)v;
	return 0;
}

static int parse_tag(const char *s, uint8_t tag[BPF_TAG_SIZE])
{
	if (strlen(s) != 2 * BPF_TAG_SIZE)
		return -1;
	for (int i = 0; i < BPF_TAG_SIZE; i++) {
		char pair[3] = {s[2 * i], s[2 * i + 1], 0};
		char *end;
		tag[i] = (uint8_t)strtoul(pair, &end, 16);
		if (*end || pair[0] == '-' || pair[0] == '+' || pair[0] == ' ')
			return -1;
	}
	return 0;
}

static int ref_usage(enum rb_obj_kind kind, const char *got, struct rb_err *err)
{
	const char *forms = kind == RB_OBJ_PROG ? "id ID | pinned PATH | name NAME | tag TAG"
						: "id ID | pinned PATH | name NAME";
	if (!got)
		return rb_errf(err, RB_EUSAGE, "missing %s: give %s", rb_obj_kind_word(kind), forms);
	return rb_errf(err, RB_EUSAGE, "'%s' names no %s: give %s", got, rb_obj_kind_word(kind), forms);
}

static int ref_value(struct rb_obj_ref *ref, enum rb_obj_kind kind, struct rb_err *err)
{
	const char *what = rb_obj_kind_word(kind);
	if (ref->by == RB_REF_ID && parse_id(ref->arg, &ref->id))
		return rb_errf(err, RB_EUSAGE, "'%s' is not a %s id (a number > 0)", ref->arg, what);
	if (ref->by == RB_REF_TAG && parse_tag(ref->arg, ref->tag))
		return rb_errf(err, RB_EUSAGE, "'%s' is not a program tag (16 hex digits, as `prog list` shows)",
			       ref->arg);
	if (ref->by == RB_REF_NAME && !ref->arg[0])
		return rb_errf(err, RB_EUSAGE, "an empty %s name matches nothing", what);
	return 0;
}

int rb_obj_ref_parse(struct rb_obj_ref *ref, enum rb_obj_kind kind, int argc, char **argv,
		     int *i, struct rb_err *err)
{
	memset(ref, 0, sizeof(*ref));
	if (*i >= argc)
		return ref_usage(kind, NULL, err);
	const char *w = argv[*i];
	if (parse_id(w, &ref->id) == 0) { /* bare id, as in `rawbpf map dump 5` */
		ref->by = RB_REF_ID;
		ref->arg = w;
		(*i)++;
		return 0;
	}
	/* the words in enum rb_ref_by's order; tags only name programs */
	int by = rb_strtab_index("id\0pinned\0name\0tag\0", w);
	if (by < 0 || (by == RB_REF_TAG && kind != RB_OBJ_PROG))
		return ref_usage(kind, w, err);
	ref->by = (enum rb_ref_by)by;
	if (*i + 1 >= argc)
		return rb_errf(err, RB_EUSAGE, "'%s' needs a value", w);
	ref->arg = argv[*i + 1];
	*i += 2;
	return ref_value(ref, kind, err);
}

static const int next_id_cmds[] = {BPF_PROG_GET_NEXT_ID, BPF_MAP_GET_NEXT_ID,
				   BPF_LINK_GET_NEXT_ID, BPF_BTF_GET_NEXT_ID};
static const int fd_by_id_cmds[] = {BPF_PROG_GET_FD_BY_ID, BPF_MAP_GET_FD_BY_ID,
				    BPF_LINK_GET_FD_BY_ID, BPF_BTF_GET_FD_BY_ID};

int rb_obj_next_id(const struct rb_sys *sys, enum rb_obj_kind kind, uint32_t id, uint32_t *next)
{
	return rb_bpf_get_next_id(sys, next_id_cmds[kind], id, next);
}

static int kernel_refused(struct rb_err *err, int e, const char *fmt, const char *what, const char *arg)
{
	char msg[600];
	snprintf(msg, sizeof(msg), fmt, what, arg);
	if (e == EPERM || e == EACCES)
		return rb_errnof(err, RB_EKERNEL, e, "%s; run as root (CAP_BPF and CAP_SYS_ADMIN)", msg);
	return rb_errnof(err, RB_EKERNEL, e, "%s", msg);
}

int rb_obj_try_fd_by_id(const struct rb_sys *sys, enum rb_obj_kind kind, uint32_t id)
{
	return rb_bpf_fd_by_id(sys, fd_by_id_cmds[kind], id);
}

int rb_obj_fd_by_id(const struct rb_sys *sys, enum rb_obj_kind kind, uint32_t id,
		    struct rb_err *err)
{
	int fd = rb_obj_try_fd_by_id(sys, kind, id);
	if (fd >= 0)
		return fd;
	char arg[16];
	snprintf(arg, sizeof(arg), "%u", id);
	if (fd == -ENOENT)
		return rb_errf(err, RB_EKERNEL, "no %s with id %u; `rawbpf %s list` shows the ids",
			       rb_obj_kind_word(kind), id, rb_strtab_at("prog\0map\0link\0btf\0", kind));
	return kernel_refused(err, -fd, "cannot open %s %s", rb_obj_kind_word(kind), arg);
}

int rb_obj_fd_path_kind(const char *fd_path, enum rb_obj_kind *kind)
{
	static const uint8_t kinds[] = {RB_OBJ_PROG, RB_OBJ_MAP, RB_OBJ_LINK, RB_OBJ_LINK, RB_OBJ_BTF};
	char target[64];
	ssize_t n = readlink(fd_path, target, sizeof(target) - 1);
	if (n < 0)
		return -RB_ESYS; /* no /proc: the kind cannot be told this way */
	target[n] = 0;
	int k = strncmp(target, "anon_inode:", 11) ? -1
		: rb_strtab_index("bpf-prog\0bpf-map\0bpf_link\0bpf-link\0btf\0", target + 11);
	if (k < 0)
		return -RB_EUSAGE;
	*kind = kinds[k];
	return 0;
}

int rb_obj_fd_kind(int fd, enum rb_obj_kind *kind)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	return rb_obj_fd_path_kind(path, kind);
}

static int open_pinned(const struct rb_sys *sys, enum rb_obj_kind kind, const char *path,
		       struct rb_err *err)
{
	struct stat st;
	if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
		return rb_errf(err, RB_EUSAGE, "%s is a directory, not a %s; give the path of the pin inside it",
			       path, rb_obj_kind_word(kind));
	int fd = rb_bpf_obj_get(sys, path, 0);
	if (fd == -ENOENT)
		return rb_errf(err, RB_ESYS, "%s: no such pinned object; check the path (pins live on bpffs, e.g. /sys/fs/bpf)", path);
	if (fd == -EPERM || fd == -EACCES)
		return kernel_refused(err, -fd, "%s: cannot open the pinned %s", path, rb_obj_kind_word(kind));
	if (fd < 0)
		return rb_errnof(err, RB_ESYS, -fd, "%s: not a pinned BPF object (it must be a file on bpffs)", path);
	enum rb_obj_kind got;
	int known = rb_obj_fd_kind(fd, &got);
	if ((known == 0 && got == kind) || known == -RB_ESYS)
		return fd; /* without /proc the kind goes unchecked rather than refused */
	rb_sys_close(sys, fd);
	if (known < 0)
		return rb_errf(err, RB_EUSAGE, "%s is no BPF object, not a %s", path, rb_obj_kind_word(kind));
	return rb_errf(err, RB_EUSAGE, "%s is a %s, not a %s", path, rb_obj_kind_word(got), rb_obj_kind_word(kind));
}

/* The kernel keeps 15 characters of a name: a longer name given on the
 * command line (a C function's full name) matches its truncation. */
static bool name_matches(const char kernel_name[BPF_OBJ_NAME_LEN], const char *want)
{
	size_t have = strnlen(kernel_name, BPF_OBJ_NAME_LEN);
	if (strlen(want) < BPF_OBJ_NAME_LEN)
		return have == strlen(want) && memcmp(kernel_name, want, have) == 0;
	return have == BPF_OBJ_NAME_LEN - 1 && memcmp(kernel_name, want, have) == 0;
}

/* Name and tag come from the object's info. */
static bool info_matches(const struct rb_sys *sys, enum rb_obj_kind kind, int fd,
			 const struct rb_obj_ref *ref)
{
	union {
		struct bpf_prog_info prog;
		struct bpf_map_info map;
	} info;
	uint32_t len = kind == RB_OBJ_PROG ? sizeof(info.prog) : sizeof(info.map);
	memset(&info, 0, sizeof(info));
	if (kind > RB_OBJ_MAP || rb_bpf_obj_get_info(sys, fd, &info, &len) < 0)
		return false;
	if (ref->by == RB_REF_TAG)
		return memcmp(info.prog.tag, ref->tag, BPF_TAG_SIZE) == 0;
	return name_matches(kind == RB_OBJ_PROG ? info.prog.name : info.map.name, ref->arg);
}

/* Walks every id of the kind; objects that vanish meanwhile are skipped. */
static int open_matching(const struct rb_sys *sys, enum rb_obj_kind kind, const struct rb_obj_ref *ref,
			 int *fds, size_t max, struct rb_err *err)
{
	size_t n = 0;
	uint32_t id = 0;
	int r = 0;
	while (n < max && (r = rb_obj_next_id(sys, kind, id, &id)) == 0) {
		int fd = rb_obj_try_fd_by_id(sys, kind, id);
		if (fd < 0)
			continue;
		if (info_matches(sys, kind, fd, ref))
			fds[n++] = fd;
		else
			rb_sys_close(sys, fd);
	}
	if (n == 0 && r != -ENOENT && r < 0)
		return kernel_refused(err, -r, "cannot walk the %s ids%s", rb_obj_kind_word(kind), "");
	if (n == 0)
		return rb_errf(err, RB_EKERNEL, "no %s with %s '%s'; `rawbpf %s list` shows them",
			       rb_obj_kind_word(kind), ref->by == RB_REF_TAG ? "tag" : "name", ref->arg,
			       kind == RB_OBJ_PROG ? "prog" : "map");
	return (int)n;
}

int rb_obj_open_all(const struct rb_sys *sys, enum rb_obj_kind kind, const struct rb_obj_ref *ref,
		    int *fds, size_t max, struct rb_err *err)
{
	int fd;
	switch (ref->by) {
	case RB_REF_ID:
		fd = rb_obj_fd_by_id(sys, kind, ref->id, err);
		break;
	case RB_REF_PINNED:
		fd = open_pinned(sys, kind, ref->arg, err);
		break;
	default:
		return open_matching(sys, kind, ref, fds, max, err);
	}
	if (fd < 0)
		return fd;
	fds[0] = fd;
	return 1;
}

int rb_obj_open_one(const struct rb_sys *sys, enum rb_obj_kind kind, const struct rb_obj_ref *ref,
		    struct rb_err *err)
{
	int fds[2];
	int n = rb_obj_open_all(sys, kind, ref, fds, 2, err);
	if (n < 0)
		return n;
	if (n > 1) {
		rb_sys_close(sys, fds[0]);
		rb_sys_close(sys, fds[1]);
		return rb_errf(err, RB_EUSAGE, "several %ss are named '%s'; name one by id instead",
			       rb_obj_kind_word(kind), ref->arg);
	}
	return fds[0];
}
