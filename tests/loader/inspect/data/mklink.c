/* Test helper for tests/loader/inspect/inspect.sh: makes a BPF link from a
 * pinned program and pins it, so `rawbpf link show` has something to show
 * without depending on rawbpf's own attach code.
 *   mklink raw_tp PROG_PIN TRACEPOINT LINK_PIN
 *   mklink xdp PROG_PIN IFNAME LINK_PIN        (BPF_LINK_CREATE, BPF_XDP)
 *   mklink cgroup PROG_PIN CGROUP_DIR LINK_PIN (BPF_LINK_CREATE, BPF_CGROUP_INET_EGRESS) */
#include <linux/bpf.h>
#include <fcntl.h>
#include <net/if.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static long bpf(int cmd, union bpf_attr *a)
{
	return syscall(SYS_bpf, cmd, a, sizeof(*a));
}

static int obj_get(const char *path)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t)path;
	return (int)bpf(BPF_OBJ_GET, &a);
}

static int link_for(const char *kind, int prog, const char *target)
{
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	if (!strcmp(kind, "raw_tp")) {
		a.raw_tracepoint.name = (uintptr_t)target;
		a.raw_tracepoint.prog_fd = (uint32_t)prog;
		return (int)bpf(BPF_RAW_TRACEPOINT_OPEN, &a);
	}
	a.link_create.prog_fd = (uint32_t)prog;
	if (!strcmp(kind, "cgroup")) {
		int cg = open(target, O_RDONLY | O_DIRECTORY);
		if (cg < 0)
			return -1;
		a.link_create.target_fd = (uint32_t)cg;
		a.link_create.attach_type = BPF_CGROUP_INET_EGRESS;
	} else {
		a.link_create.target_ifindex = if_nametoindex(target);
		a.link_create.attach_type = BPF_XDP;
	}
	return (int)bpf(BPF_LINK_CREATE, &a);
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: mklink raw_tp|xdp|cgroup PROG_PIN TARGET LINK_PIN\n");
		return 2;
	}
	int prog = obj_get(argv[2]);
	int link = prog < 0 ? -1 : link_for(argv[1], prog, argv[3]);
	if (link < 0) {
		perror("mklink");
		return 1;
	}
	union bpf_attr a;
	memset(&a, 0, sizeof(a));
	a.pathname = (uintptr_t)argv[4];
	a.bpf_fd = (uint32_t)link;
	if (bpf(BPF_OBJ_PIN, &a) < 0) {
		perror("mklink: pin");
		return 1;
	}
	return 0;
}
