#include "loader/sys.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

long rb_sys_raw(const struct rb_sys *sys, long nr, const long args[6])
{
	(void)sys;
	long r = syscall(nr, args[0], args[1], args[2], args[3], args[4], args[5]);
	return r < 0 ? -errno : r;
}

void rb_sys_init(struct rb_sys *sys)
{
	*sys = (struct rb_sys){.call = rb_sys_raw};
}

long rb_sys_call(const struct rb_sys *sys, long nr, long a0, long a1, long a2,
		 long a3, long a4, long a5)
{
	const long args[6] = {a0, a1, a2, a3, a4, a5};
	long r;
	do
		r = sys->call ? sys->call(sys, nr, args) : rb_sys_raw(sys, nr, args);
	while (r == -EINTR && nr != SYS_close);
	if (sys->trace)
		rb_sys_trace_call(sys->trace, nr, args, r);
	return r;
}

long rb_sys_bpf(const struct rb_sys *sys, int cmd, union bpf_attr *attr, unsigned int size)
{
	return rb_sys_call(sys, SYS_bpf, cmd, (long)attr, size, 0, 0, 0);
}

long rb_sys_perf_event_open(const struct rb_sys *sys, struct perf_event_attr *attr,
			    int pid, int cpu, int group_fd, unsigned long flags)
{
	return rb_sys_call(sys, SYS_perf_event_open, (long)attr, pid, cpu, group_fd, (long)flags, 0);
}

long rb_sys_ioctl(const struct rb_sys *sys, int fd, unsigned long req, long arg)
{
	return rb_sys_call(sys, SYS_ioctl, fd, (long)req, arg, 0, 0, 0);
}

long rb_sys_close(const struct rb_sys *sys, int fd)
{
	return rb_sys_call(sys, SYS_close, fd, 0, 0, 0, 0, 0);
}

long rb_sys_mount(const struct rb_sys *sys, const char *src, const char *target,
		  const char *fstype, unsigned long flags, const void *data)
{
	return rb_sys_call(sys, SYS_mount, (long)src, (long)target, (long)fstype,
			   (long)flags, (long)data, 0);
}
