/* Which processes hold BPF objects open: bpftool's "pids", found through
 * /proc instead of a BPF iterator (no program to load just to look). */
#include "loader/inspect/inspect.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/strtab.h"

static void read_comm(int pid, char comm[16])
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	FILE *f = fopen(path, "r");
	comm[0] = 0;
	if (f) {
		if (fgets(comm, 16, f))
			comm[strcspn(comm, "\n")] = 0;
		fclose(f);
	}
}

/* The id line of a BPF fd's fdinfo: "prog_id:", "map_id:" or "link_id:". */
static int fdinfo_id(int pid, const char *fd, enum rb_obj_kind kind, uint32_t *id)
{
	char path[300];
	uint64_t v;
	snprintf(path, sizeof(path), "/proc/%d/fdinfo/%s", pid, fd);
	if (rb_fdinfo_read(path, rb_strtab_at("prog_id\0map_id\0link_id\0", kind), &v) < 0)
		return -1;
	*id = (uint32_t)v;
	return 0;
}

/* Programs, maps and links (BTF objects have no fdinfo id). */
static int fd_kind(int pid, const char *fd, uint8_t *kind)
{
	char path[300];
	enum rb_obj_kind k;
	snprintf(path, sizeof(path), "/proc/%d/fd/%s", pid, fd);
	if (rb_obj_fd_path_kind(path, &k) < 0 || k > RB_OBJ_LINK)
		return -1;
	*kind = (uint8_t)k;
	return 0;
}

static void add_ref(struct rb_pid_index *ix, const struct rb_pid_ref *ref)
{
	for (size_t i = 0; i < ix->n; i++) /* one entry per process and object */
		if (ix->refs[i].pid == ref->pid && ix->refs[i].id == ref->id && ix->refs[i].kind == ref->kind)
			return;
	if (ix->n == ix->cap) {
		size_t cap = ix->cap ? ix->cap * 2 : 32;
		struct rb_pid_ref *p = realloc(ix->refs, cap * sizeof(*p));
		if (!p)
			return; /* the list is informational; an incomplete one is still right */
		ix->refs = p;
		ix->cap = cap;
	}
	ix->refs[ix->n++] = *ref;
}

static void scan_process(struct rb_pid_index *ix, int pid)
{
	char path[64];
	snprintf(path, sizeof(path), "/proc/%d/fd", pid);
	DIR *d = opendir(path);
	if (!d)
		return;
	struct rb_pid_ref ref = {.pid = pid};
	bool have_comm = false;
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.' || fd_kind(pid, e->d_name, &ref.kind) < 0 ||
		    fdinfo_id(pid, e->d_name, ref.kind, &ref.id) < 0)
			continue;
		if (!have_comm)
			read_comm(pid, ref.comm);
		have_comm = true;
		add_ref(ix, &ref);
	}
	closedir(d);
}

void rb_pid_index_build(struct rb_pid_index *ix)
{
	memset(ix, 0, sizeof(*ix));
	DIR *d = opendir("/proc");
	if (!d)
		return;
	int self = getpid();
	for (struct dirent *e; (e = readdir(d));) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);
		if (*end || pid <= 0 || pid == self)
			continue;
		scan_process(ix, (int)pid);
	}
	closedir(d);
}

void rb_pid_index_free(struct rb_pid_index *ix)
{
	free(ix->refs);
	memset(ix, 0, sizeof(*ix));
}
