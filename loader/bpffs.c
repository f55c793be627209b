#include "loader/bpffs.h"

#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>

int rb_bpffs_is(const char *path)
{
	struct statfs st;
	if (statfs(path, &st) != 0)
		return -errno;
	return (uint32_t)st.f_type == RB_BPFFS_MAGIC;
}

#define RB_SYSFS_MAGIC 0x62656572u

static int make_mount_point(const char *dir, mode_t mode, const char *fs, struct rb_err *err)
{
	if (mkdir(dir, mode) != 0 && errno != EEXIST)
		return rb_errnof(err, RB_ESYS, errno, "cannot create %s to mount %s on", dir, fs);
	return 0;
}

static void note_mounted(FILE *note, const char *fs, const char *dir)
{
	if (note)
		fprintf(note, "rawbpf: mounted %s at %s\n", fs, dir);
}

/* In an initramfs nothing may be mounted: /sys/fs/bpf and /sys/kernel/tracing
 * only exist once sysfs is. */
int rb_sysfs_ensure(const struct rb_sys *sys, FILE *note, struct rb_err *err)
{
	struct statfs st;
	if (statfs("/sys", &st) == 0 && (uint32_t)st.f_type == RB_SYSFS_MAGIC)
		return 0;
	int rc = make_mount_point("/sys", 0555, "sysfs", err);
	if (rc < 0)
		return rc;
	long r = rb_sys_mount(sys, "sysfs", "/sys", "sysfs", 0, NULL);
	if (r < 0)
		return rb_errnof(err, RB_ESYS, (int)-r, "sysfs is not mounted and mounting it at /sys "
				 "failed (mount it: mount -t sysfs sysfs /sys)");
	note_mounted(note, "sysfs", "/sys");
	return 0;
}

static int mount_default(const struct rb_sys *sys, FILE *note, struct rb_err *err)
{
	int rc = rb_sysfs_ensure(sys, note, err);
	if (rc == 0)
		rc = make_mount_point(RB_BPFFS_DEFAULT, 0700, "bpffs", err);
	if (rc < 0)
		return rc;
	long r = rb_sys_mount(sys, "bpf", RB_BPFFS_DEFAULT, "bpf", 0, "mode=0700");
	if (r < 0)
		return rb_errnof(err, r == -EPERM ? RB_EKERNEL : RB_ESYS, (int)-r,
				 "cannot mount bpffs at %s (run as root, or mount it: "
				 "mount -t bpf bpf %s)", RB_BPFFS_DEFAULT, RB_BPFFS_DEFAULT);
	note_mounted(note, "bpffs", RB_BPFFS_DEFAULT);
	return 0;
}

int rb_bpffs_ensure_default(const struct rb_sys *sys, FILE *note, struct rb_err *err)
{
	if (rb_bpffs_is(RB_BPFFS_DEFAULT) == 1)
		return 0;
	return mount_default(sys, note, err);
}

static bool below_default(const char *path)
{
	size_t n = strlen(RB_BPFFS_DEFAULT);
	return strncmp(path, RB_BPFFS_DEFAULT, n) == 0 && (path[n] == '/' || path[n] == 0);
}

/* The directory part of path ("." when there is none), in buf. */
static const char *parent_of(const char *path, char *buf, size_t size)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	while (n > 0 && path[n - 1] != '/')
		n--;
	while (n > 1 && path[n - 1] == '/')
		n--;
	if (n == 0)
		return ".";
	if (n >= size)
		n = size - 1;
	memcpy(buf, path, n);
	buf[n] = 0;
	return buf;
}

int rb_bpffs_mkdir(const char *dir, struct rb_err *err)
{
	if (mkdir(dir, 0700) == 0 || errno == EEXIST)
		return 0;
	return rb_errnof(err, RB_ESYS, errno, "cannot create pin directory %s", dir);
}

int rb_bpffs_prepare_dir(const struct rb_sys *sys, const char *dir, const char *what,
			 FILE *note, struct rb_err *err)
{
	char buf[PATH_MAX];
	if (strlen(dir) >= sizeof(buf))
		return rb_errf(err, RB_EUSAGE, "%s %s: path too long", what, dir);
	if (below_default(dir)) {
		int r = rb_bpffs_ensure_default(sys, note, err);
		if (r < 0)
			return r;
	}
	const char *parent = parent_of(dir, buf, sizeof(buf));
	int fs = rb_bpffs_is(parent);
	if (fs == -ENOENT || fs == -ENOTDIR)
		return rb_errf(err, RB_ESYS, "%s %s: parent directory %s does not exist; "
			       "create it first (mkdir -p %s)", what, dir, parent, parent);
	if (fs < 0)
		return rb_errnof(err, RB_ESYS, -fs, "%s %s: cannot inspect %s", what, dir, parent);
	if (fs == 0)
		return rb_errf(err, RB_EUSAGE, "%s %s: %s is not on a BPF file system; pin below "
			       "%s or mount one there (mount -t bpf bpf DIR)", what, dir, parent,
			       RB_BPFFS_DEFAULT);
	return rb_bpffs_mkdir(dir, err);
}
