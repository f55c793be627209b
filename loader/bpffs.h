/* Finding (and mounting when missing) the BPF file system pins live on.
 *
 * rawbpf mounts bpffs at /sys/fs/bpf when a pin path lies below it and it is
 * not mounted yet (containers and minimal systems often lack it), and says
 * so once on the caller's note stream.  It never mounts over other
 * directories: a pin path elsewhere must already be on a bpffs. */
#ifndef RAWBPF_LOADER_BPFFS_H
#define RAWBPF_LOADER_BPFFS_H

#include <stdbool.h>
#include <stdio.h>

#include "common/err.h"
#include "loader/sys.h"

#define RB_BPFFS_DEFAULT "/sys/fs/bpf"
#define RB_BPFFS_MAGIC 0xcafe4a11u /* statfs f_type of bpffs */

/* 1 when path exists on a bpffs, 0 when it exists elsewhere, -errno when
 * statfs fails (ENOENT: it does not exist). */
int rb_bpffs_is(const char *path);

/* Makes sure RB_BPFFS_DEFAULT is a bpffs, mounting it when not (one line on
 * note when it does; note may be NULL).  Returns 0 or -RB_ESYS/-RB_EKERNEL. */
int rb_bpffs_ensure_default(const struct rb_sys *sys, FILE *note, struct rb_err *err);

/* Prepares dir as a pin directory: its parent must exist on a bpffs (below
 * /sys/fs/bpf it is mounted first when needed); dir itself is created when
 * missing.  what names the option for messages ("--pin").  Returns 0 or a
 * negative RB_E* code with a message naming the path and what to do. */
int rb_bpffs_prepare_dir(const struct rb_sys *sys, const char *dir, const char *what,
			 FILE *note, struct rb_err *err);

/* mkdir dir (0700) on a bpffs if it does not exist yet; 0 or -RB_ESYS. */
int rb_bpffs_mkdir(const char *dir, struct rb_err *err);

/* Mounts sysfs at /sys when it is not mounted (bare initramfs); notes it once. */
int rb_sysfs_ensure(const struct rb_sys *sys, FILE *note, struct rb_err *err);

#endif
