/* Socket filters: an AF_PACKET socket bound to --iface with the program
 * attached by SO_ATTACH_BPF (Linux >= 3.19).  The program's return value is
 * how many bytes of each packet to keep (0 drops it); rawbpf reads the
 * socket while running and counts the packets that passed. */
#include "loader/attach/attach.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#ifndef SO_ATTACH_BPF
#define SO_ATTACH_BPF 50
#endif

static int fail_close(struct rb_attach *a, int fd, int e, const char *what, struct rb_err *err)
{
	rb_sys_close(a->sys, fd);
	return rb_errnof(err, RB_EKERNEL, e, "socket filter on %s: %s failed", a->opts->iface, what);
}

int rb_attach_socket(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	int ifindex;
	int rc = rb_attach_ifindex(a, req, &ifindex, err);
	if (rc < 0)
		return rc;
	long fd = rb_sys_call(a->sys, SYS_socket, AF_PACKET, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK,
			      htons(ETH_P_ALL), 0, 0, 0);
	if (fd < 0)
		return rb_errnof(err, RB_EKERNEL, (int)-fd, "socket filter: socket(AF_PACKET) failed");
	int prog = req->prog_fd;
	/* attach before bind so no unfiltered packet is queued */
	long r = rb_sys_call(a->sys, SYS_setsockopt, fd, SOL_SOCKET, SO_ATTACH_BPF, (long)&prog,
			     sizeof(prog), 0);
	if (r < 0)
		return fail_close(a, (int)fd, (int)-r, "SO_ATTACH_BPF", err);
	struct sockaddr_ll sll;
	memset(&sll, 0, sizeof(sll));
	sll.sll_family = AF_PACKET;
	sll.sll_protocol = htons(ETH_P_ALL);
	sll.sll_ifindex = ifindex;
	r = rb_sys_call(a->sys, SYS_bind, fd, (long)&sll, sizeof(sll), 0, 0, 0);
	if (r < 0)
		return fail_close(a, (int)fd, (int)-r, "bind", err);
	struct rb_link *l = rb_attach_add_link(a, RB_LINK_SOCKET, "socket", req);
	if (!l)
		return fail_close(a, (int)fd, ENOMEM, "recording the socket", err);
	l->fd = (int)fd;
	snprintf(l->what, sizeof(l->what), "%s", a->opts->iface);
	return 0;
}
