/* SEC("perf_event"): sampling at --freq HZ on every online CPU, one perf
 * event per CPU carrying the program (Linux >= 4.9).  Hardware cycles when
 * the machine has a CPU PMU, else the software cpu-clock (VMs, containers). */
#include "loader/attach/attach.h"

#include <errno.h>
#include <string.h>

#define RB_MAX_CPUS 1024

static long open_sampler(struct rb_attach *a, uint32_t type, uint64_t config, int cpu)
{
	struct perf_event_attr attr;
	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = type;
	attr.config = config;
	attr.freq = 1;
	attr.sample_freq = a->opts->freq ? a->opts->freq : 49;
	int pid = a->opts->pid > 0 ? a->opts->pid : -1;
	return rb_sys_perf_event_open(a->sys, &attr, pid, cpu, -1, PERF_FLAG_FD_CLOEXEC);
}

int rb_attach_perf_sampling(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	int cpus[RB_MAX_CPUS];
	int n = rb_attach_online_cpus(cpus, RB_MAX_CPUS);
	if (n <= 0)
		return rb_errnof(err, RB_ESYS, n < 0 ? -n : EINVAL, "perf_event: reading /sys/devices/system/cpu/online");
	uint32_t type = PERF_TYPE_HARDWARE;
	uint64_t config = PERF_COUNT_HW_CPU_CYCLES;
	for (int i = 0; i < n; i++) {
		long pfd = open_sampler(a, type, config, cpus[i]);
		if (pfd < 0 && i == 0 && type == PERF_TYPE_HARDWARE &&
		    (pfd == -ENOENT || pfd == -EOPNOTSUPP || pfd == -ENODEV)) {
			type = PERF_TYPE_SOFTWARE;  /* no hardware PMU here */
			config = PERF_COUNT_SW_CPU_CLOCK;
			pfd = open_sampler(a, type, config, cpus[i]);
		}
		if (pfd < 0)
			return rb_errnof(err, RB_EKERNEL, (int)-pfd, "perf_event: perf_event_open(%s) on CPU %d failed",
					 type == PERF_TYPE_HARDWARE ? "cycles" : "cpu-clock", cpus[i]);
		char what[64];
		snprintf(what, sizeof(what), "%s cpu%d",
			 type == PERF_TYPE_HARDWARE ? "cycles" : "cpu-clock", cpus[i]);
		int rc = rb_attach_perf_event(a, req, (int)pfd, "perf_event", what, err);
		if (rc < 0)
			return rc;
	}
	return 0;
}
