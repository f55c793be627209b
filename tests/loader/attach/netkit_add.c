/* Test helper: creates a netkit pair over rtnetlink (Debian 12's iproute2
 * predates netkit), L3 mode, default policies (forward):
 *     netkit_add PRIMARY PEER [NETNS_FILE]
 * The peer goes into the network namespace NETNS_FILE (/proc/PID/ns/net,
 * /run/netns/NAME) when given.  Exit 0 made, 2 the kernel has no netkit
 * (Linux < 6.7 or CONFIG_NETKIT off), 1 any other error.  Test-only: it
 * talks to the kernel directly, not through rawbpf's loader/sys.h. */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <linux/if_link.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>

/* enum in linux/if_link.h since 6.7 */
#define NK_PEER_INFO 1
#define NK_MODE 5
#define NK_L3 1

struct msg {
	struct nlmsghdr nh;
	struct ifinfomsg ifi;
	char attrs[512];
};

static struct rtattr *put(struct msg *m, unsigned short type, const void *data, size_t len)
{
	struct rtattr *a = (struct rtattr *)((char *)m + NLMSG_ALIGN(m->nh.nlmsg_len));
	if (NLMSG_ALIGN(m->nh.nlmsg_len) + RTA_SPACE(len) > sizeof(*m))
		return NULL;
	a->rta_type = type;
	a->rta_len = (unsigned short)RTA_LENGTH(len);
	if (len)
		memcpy(RTA_DATA(a), data, len);
	m->nh.nlmsg_len = (unsigned)(NLMSG_ALIGN(m->nh.nlmsg_len) + RTA_ALIGN(a->rta_len));
	return a;
}

static void end_nest(struct msg *m, struct rtattr *nest)
{
	nest->rta_len = (unsigned short)((char *)m + m->nh.nlmsg_len - (char *)nest);
}

/* IFLA_NETKIT_PEER_INFO carries a struct ifinfomsg, then the peer's attributes. */
static int build(struct msg *m, const char *primary, const char *peer, int nsfd)
{
	struct ifinfomsg peer_ifi = {.ifi_family = AF_UNSPEC};
	uint32_t mode = NK_L3, fd = (uint32_t)nsfd;
	put(m, IFLA_IFNAME, primary, strlen(primary) + 1);
	struct rtattr *linkinfo = put(m, IFLA_LINKINFO, NULL, 0);
	put(m, IFLA_INFO_KIND, "netkit", 7);
	struct rtattr *data = put(m, IFLA_INFO_DATA, NULL, 0);
	struct rtattr *pinfo = put(m, NK_PEER_INFO, &peer_ifi, sizeof(peer_ifi));
	put(m, IFLA_IFNAME, peer, strlen(peer) + 1);
	if (!pinfo || (nsfd >= 0 && !put(m, IFLA_NET_NS_FD, &fd, sizeof(fd))))
		return -1;
	end_nest(m, pinfo);
	if (!put(m, NK_MODE, &mode, sizeof(mode)))
		return -1;
	end_nest(m, data);
	end_nest(m, linkinfo);
	return 0;
}

static int talk(struct msg *m)
{
	int s = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (s < 0 || send(s, m, m->nh.nlmsg_len, 0) < 0)
		return -errno;
	char buf[4096];
	ssize_t n = recv(s, buf, sizeof(buf), 0);
	close(s);
	struct nlmsghdr *h = (struct nlmsghdr *)buf;
	if (n < (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) || h->nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	return ((struct nlmsgerr *)NLMSG_DATA(h))->error;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: netkit_add PRIMARY PEER [NETNS_FILE]\n");
		return 1;
	}
	int nsfd = argc > 3 ? open(argv[3], O_RDONLY | O_CLOEXEC) : -1;
	if (argc > 3 && nsfd < 0) {
		perror(argv[3]);
		return 1;
	}
	struct msg m = {.nh = {.nlmsg_len = NLMSG_LENGTH(sizeof(struct ifinfomsg)), .nlmsg_type = RTM_NEWLINK,
			       .nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL, .nlmsg_seq = 1},
			.ifi = {.ifi_family = AF_UNSPEC}};
	if (build(&m, argv[1], argv[2], nsfd) < 0) {
		fprintf(stderr, "netkit_add: names too long\n");
		return 1;
	}
	int rc = talk(&m);
	if (rc == 0)
		return 0;
	fprintf(stderr, "netkit_add: RTM_NEWLINK kind netkit: %s\n", strerror(-rc));
	return rc == -EOPNOTSUPP ? 2 : 1;
}
