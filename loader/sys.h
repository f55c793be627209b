/* The one chokepoint every kernel call of rawbpf passes through.
 *
 * Each call goes through sys->call, so tests replace it (fault injection:
 * refuse BPF_LINK_CREATE with EINVAL and watch the fallback), and
 * --trace-syscalls decodes every call to sys->trace.  Wrappers return the
 * kernel's result (fd, 0, count) or -errno; they never touch errno for the
 * caller to read. */
#ifndef RAWBPF_LOADER_SYS_H
#define RAWBPF_LOADER_SYS_H

#include <stdint.h>
#include <stdio.h>
#include <linux/bpf.h>
#include <linux/perf_event.h>

struct rb_sys;

/* args[0..5] are the raw syscall arguments; returns result or -errno. */
typedef long (*rb_syscall_fn)(const struct rb_sys *sys, long nr, const long args[6]);

struct rb_sys {
	rb_syscall_fn call;  /* rb_sys_raw by default */
	void *ctx;           /* owned by whoever replaced call */
	FILE *trace;         /* non-NULL: decode each call and its result here */
};

/* A struct rb_sys that calls the kernel directly, without tracing. */
void rb_sys_init(struct rb_sys *sys);
long rb_sys_raw(const struct rb_sys *sys, long nr, const long args[6]);

/* Generic entry: every typed wrapper below ends here (tracing happens here). */
long rb_sys_call(const struct rb_sys *sys, long nr, long a0, long a1, long a2,
		 long a3, long a4, long a5);

long rb_sys_bpf(const struct rb_sys *sys, int cmd, union bpf_attr *attr, unsigned int size);
long rb_sys_perf_event_open(const struct rb_sys *sys, struct perf_event_attr *attr,
			    int pid, int cpu, int group_fd, unsigned long flags);
long rb_sys_ioctl(const struct rb_sys *sys, int fd, unsigned long req, long arg);
long rb_sys_close(const struct rb_sys *sys, int fd);
long rb_sys_mount(const struct rb_sys *sys, const char *src, const char *target,
		  const char *fstype, unsigned long flags, const void *data);

/* Writes a decoded line for one call; implemented in sys_trace.c. */
void rb_sys_trace_call(FILE *out, long nr, const long args[6], long ret);

#endif
