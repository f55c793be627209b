/* --trace-syscalls: one decoded line per kernel call (strace-like). */
#include "loader/sys.h"

#include <string.h>
#include <sys/syscall.h>

static const char *bpf_cmd_name(long cmd)
{
	static const char *const names[] = {
		[BPF_MAP_CREATE] = "BPF_MAP_CREATE", [BPF_MAP_LOOKUP_ELEM] = "BPF_MAP_LOOKUP_ELEM",
		[BPF_MAP_UPDATE_ELEM] = "BPF_MAP_UPDATE_ELEM", [BPF_MAP_DELETE_ELEM] = "BPF_MAP_DELETE_ELEM",
		[BPF_MAP_GET_NEXT_KEY] = "BPF_MAP_GET_NEXT_KEY", [BPF_PROG_LOAD] = "BPF_PROG_LOAD",
		[BPF_OBJ_PIN] = "BPF_OBJ_PIN", [BPF_OBJ_GET] = "BPF_OBJ_GET",
		[BPF_PROG_ATTACH] = "BPF_PROG_ATTACH", [BPF_PROG_DETACH] = "BPF_PROG_DETACH",
		[BPF_PROG_TEST_RUN] = "BPF_PROG_TEST_RUN", [BPF_PROG_GET_NEXT_ID] = "BPF_PROG_GET_NEXT_ID",
		[BPF_MAP_GET_NEXT_ID] = "BPF_MAP_GET_NEXT_ID", [BPF_PROG_GET_FD_BY_ID] = "BPF_PROG_GET_FD_BY_ID",
		[BPF_MAP_GET_FD_BY_ID] = "BPF_MAP_GET_FD_BY_ID", [BPF_OBJ_GET_INFO_BY_FD] = "BPF_OBJ_GET_INFO_BY_FD",
		[BPF_PROG_QUERY] = "BPF_PROG_QUERY", [BPF_RAW_TRACEPOINT_OPEN] = "BPF_RAW_TRACEPOINT_OPEN",
		[BPF_BTF_LOAD] = "BPF_BTF_LOAD", [BPF_BTF_GET_FD_BY_ID] = "BPF_BTF_GET_FD_BY_ID",
		[BPF_TASK_FD_QUERY] = "BPF_TASK_FD_QUERY",
		[BPF_MAP_LOOKUP_AND_DELETE_ELEM] = "BPF_MAP_LOOKUP_AND_DELETE_ELEM",
		[BPF_MAP_FREEZE] = "BPF_MAP_FREEZE", [BPF_BTF_GET_NEXT_ID] = "BPF_BTF_GET_NEXT_ID",
		[BPF_MAP_LOOKUP_BATCH] = "BPF_MAP_LOOKUP_BATCH", [BPF_LINK_CREATE] = "BPF_LINK_CREATE",
		[BPF_LINK_UPDATE] = "BPF_LINK_UPDATE", [BPF_LINK_GET_FD_BY_ID] = "BPF_LINK_GET_FD_BY_ID",
		[BPF_LINK_GET_NEXT_ID] = "BPF_LINK_GET_NEXT_ID", [BPF_ENABLE_STATS] = "BPF_ENABLE_STATS",
		[BPF_ITER_CREATE] = "BPF_ITER_CREATE", [BPF_LINK_DETACH] = "BPF_LINK_DETACH",
		[BPF_PROG_BIND_MAP] = "BPF_PROG_BIND_MAP",
	};
	if (cmd >= 0 && (size_t)cmd < sizeof(names) / sizeof(names[0]) && names[cmd])
		return names[cmd];
	return NULL;
}

static void trace_result(FILE *out, long ret)
{
	if (ret < 0)
		fprintf(out, " = -%ld (%s)\n", -ret, strerror((int)-ret));
	else
		fprintf(out, " = %ld\n", ret);
}

void rb_sys_trace_call(FILE *out, long nr, const long args[6], long ret)
{
	switch (nr) {
	case SYS_bpf: {
		const char *n = bpf_cmd_name(args[0]);
		if (n)
			fprintf(out, "bpf(%s, size=%ld)", n, args[2]);
		else
			fprintf(out, "bpf(%ld, size=%ld)", args[0], args[2]);
		break;
	}
	case SYS_perf_event_open:
		fprintf(out, "perf_event_open(pid=%ld, cpu=%ld, group_fd=%ld, flags=%#lx)",
			args[1], args[2], args[3], args[4]);
		break;
	case SYS_ioctl:
		fprintf(out, "ioctl(%ld, %#lx, %#lx)", args[0], args[1], args[2]);
		break;
	case SYS_close:
		fprintf(out, "close(%ld)", args[0]);
		break;
	default:
		fprintf(out, "syscall(%ld)", nr);
	}
	trace_result(out, ret);
}
