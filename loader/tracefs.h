/* tracefs: where tracepoint ids, kprobe_events/uprobe_events and
 * trace_pipe live.  rawbpf mounts it when nobody has (tracefs at
 * /sys/kernel/tracing, or debugfs at /sys/kernel/debug whose tracing/
 * folder the kernel automounts), and tells the caller which it used so the
 * CLI can say so once. */
#ifndef RAWBPF_LOADER_TRACEFS_H
#define RAWBPF_LOADER_TRACEFS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/err.h"
#include "loader/sys.h"

struct rb_tracefs {
	char root[64];        /* "/sys/kernel/tracing" or "/sys/kernel/debug/tracing" */
	bool mounted_by_us;   /* we had to mount it */
	bool via_debugfs;     /* tracefs itself could not be mounted */
};

/* Finds tracefs, mounting it when absent. */
int rb_tracefs_open(struct rb_tracefs *t, const struct rb_sys *sys, struct rb_err *err);
/* One line for the user when we had to mount or fall back, else NULL. */
const char *rb_tracefs_note(const struct rb_tracefs *t);
/* Writes text to root/file (O_APPEND when append: *_events files). */
int rb_tracefs_write(const struct rb_tracefs *t, const char *file, const char *text,
		     bool append, struct rb_err *err);
/* Reads the numeric id of events/CATEGORY/NAME/id (or events/PATH/id). */
int rb_tracefs_event_id(const struct rb_tracefs *t, const char *path, uint64_t *id,
			struct rb_err *err);
/* Builds root/file into out. */
int rb_tracefs_path(const struct rb_tracefs *t, const char *file, char *out, size_t cap);

#endif
