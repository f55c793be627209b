/* Live capture: an AF_PACKET SOCK_RAW socket bound to one interface with
 * the program attached by SO_ATTACH_FILTER, so the kernel drops what does
 * not match before it is copied to us.
 *
 * The socket is created with protocol 0 (it receives nothing), the filter
 * is attached, and only then is it bound with ETH_P_ALL: no packet can slip
 * in unfiltered between socket() and setsockopt().
 *
 * socket/bind/ioctl/setsockopt/getsockopt go through loader/sys.h
 * (rb_sys_call), so --trace-syscalls shows them and tests can inject
 * faults; the per-packet recvfrom/poll and the signalfd read are direct
 * calls on the hot path.  Needs CAP_NET_RAW. */
#include "loader/capture/capture_int.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <linux/if_ether.h>
#include <net/if.h>
#include <net/if_arp.h>
#include <linux/if_packet.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "asm/cbpf/validate.h"

#define DEFAULT_SNAPLEN 262144u

struct live {
	const struct rb_sys *sys;
	const char *iface;
	int fd, sigfd;
	int ifindex, dlt;
	sigset_t old_mask;
	bool mask_saved;
	uint64_t captured;
};

static int packet_socket(const struct rb_sys *sys, const char *iface, struct rb_err *err)
{
	long fd = rb_sys_call(sys, SYS_socket, AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0, 0, 0, 0);
	if (fd < 0 && (fd == -EPERM || fd == -EACCES))
		return rb_errnof(err, RB_EKERNEL, (int)-fd, "%s: cannot open a packet socket: live "
				 "capture needs root or CAP_NET_RAW", iface);
	if (fd < 0)
		return rb_errnof(err, RB_ESYS, (int)-fd, "%s: cannot open a packet socket", iface);
	return (int)fd;
}

static int iface_query(const struct rb_sys *sys, int fd, const char *iface, unsigned long req,
		       struct ifreq *ifr, struct rb_err *err)
{
	memset(ifr, 0, sizeof *ifr);
	if (strlen(iface) >= sizeof ifr->ifr_name)
		return rb_errf(err, RB_EUSAGE, "interface name '%s' is longer than %zu characters",
			       iface, sizeof ifr->ifr_name - 1);
	memcpy(ifr->ifr_name, iface, strlen(iface));
	long rc = rb_sys_ioctl(sys, fd, req, (long)ifr);
	if (rc == -ENODEV)
		return rb_errf(err, RB_EUSAGE, "no interface '%s' in this network namespace (see "
			       "`ip link`)", iface);
	if (rc < 0)
		return rb_errnof(err, RB_ESYS, (int)-rc, "%s: interface query failed", iface);
	return 0;
}

/* What AF_PACKET SOCK_RAW hands to the filter on this device type. */
static int arphrd_to_dlt(unsigned type)
{
	switch (type) {
	case ARPHRD_ETHER:
	case ARPHRD_LOOPBACK:  /* loopback frames carry a zeroed Ethernet header */
		return RB_DLT_EN10MB;
	case ARPHRD_NONE:      /* tun, wireguard: bare IPv4/IPv6 */
	case ARPHRD_TUNNEL:
	case ARPHRD_TUNNEL6:
	case ARPHRD_SIT:
	case ARPHRD_PPP:
		return RB_DLT_RAW;
	default:
		return -1;
	}
}

static int iface_info(struct live *lv, struct rb_err *err)
{
	struct ifreq ifr;
	int rc = iface_query(lv->sys, lv->fd, lv->iface, SIOCGIFINDEX, &ifr, err);
	if (rc)
		return rc;
	lv->ifindex = ifr.ifr_ifindex;
	rc = iface_query(lv->sys, lv->fd, lv->iface, SIOCGIFHWADDR, &ifr, err);
	if (rc)
		return rc;
	lv->dlt = arphrd_to_dlt(ifr.ifr_hwaddr.sa_family);
	if (lv->dlt < 0)
		return rb_errf(err, RB_ENOTSUP, "%s: device type %u (ARPHRD_*) is not one rawbpf "
			       "captures on: Ethernet, loopback and header-less (tun) devices are",
			       lv->iface, ifr.ifr_hwaddr.sa_family);
	return 0;
}

int rb_capture_iface_dlt(const struct rb_sys *sys, const char *iface, int *dlt,
			 struct rb_err *err)
{
	struct rb_sys direct;
	if (!sys) {
		rb_sys_init(&direct);
		sys = &direct;
	}
	struct live lv = {.sys = sys, .iface = iface};
	lv.fd = packet_socket(sys, iface, err);
	if (lv.fd < 0)
		return lv.fd;
	int rc = iface_info(&lv, err);
	rb_sys_close(sys, lv.fd);
	*dlt = lv.dlt;
	return rc;
}

static int attach_filter(struct live *lv, const struct rb_cbpf_prog *prog, struct rb_err *err)
{
	struct sock_fprog fprog = {.len = (unsigned short)prog->len,
				   .filter = (struct sock_filter *)prog->insns};
	_Static_assert(sizeof(struct sock_filter) == sizeof(struct rb_cbpf_insn), "sock_filter layout");
	if (prog->len > BPF_MAXINSNS)
		return rb_cbpf_validate(prog, err);
	long rc = rb_sys_call(lv->sys, SYS_setsockopt, lv->fd, SOL_SOCKET, SO_ATTACH_FILTER,
			      (long)&fprog, sizeof fprog, 0);
	if (rc == 0)
		return 0;
	int vrc;
	if (rc == -EINVAL && (vrc = rb_cbpf_validate(prog, err)) != 0)
		return vrc;
	return rb_errnof(err, RB_EKERNEL, (int)-rc, "%s: SO_ATTACH_FILTER refused the program",
			 lv->iface);
}

/* A burst larger than the default receive buffer (~200 KiB) would be
 * dropped before we read it; tcpdump asks for 2 MiB too.  Best effort: the
 * kernel caps it at net.core.rmem_max and the drop count says if it was
 * not enough. */
static void set_int_opt(struct live *lv, int level, int name, int v)
{
	rb_sys_call(lv->sys, SYS_setsockopt, lv->fd, level, name, (long)&v, sizeof v, 0);
}

static void grow_rcvbuf(struct live *lv)
{
	set_int_opt(lv, SOL_SOCKET, SO_RCVBUF, 2 << 20);
}

/* Kernel timestamps and the VLAN tag the receive path took off.  Best
 * effort: without them, read time and the untagged frame are used. */
static void ask_metadata(struct live *lv)
{
	set_int_opt(lv, SOL_PACKET, PACKET_AUXDATA, 1);
	set_int_opt(lv, SOL_SOCKET, SO_TIMESTAMPNS, 1);
}

static int bind_iface(struct live *lv, struct rb_err *err)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = lv->ifindex};
	long rc = rb_sys_call(lv->sys, SYS_bind, lv->fd, (long)&sll, sizeof sll, 0, 0, 0);
	if (rc < 0)
		return rb_errnof(err, RB_ESYS, (int)-rc, "%s: cannot bind the packet socket",
				 lv->iface);
	return 0;
}

/* SIGINT/SIGTERM become readable on a signalfd, so the loop ends cleanly
 * (stats printed, -w file complete) without a global flag. */
static int catch_signals(struct live *lv, struct rb_err *err)
{
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	if (sigprocmask(SIG_BLOCK, &set, &lv->old_mask) != 0)
		return rb_errnof(err, RB_ESYS, errno, "cannot block SIGINT/SIGTERM");
	lv->mask_saved = true;
	lv->sigfd = signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK);
	if (lv->sigfd < 0)
		return rb_errnof(err, RB_ESYS, errno, "cannot create a signalfd");
	return 0;
}

static int open_live(struct live *lv, const struct rb_cbpf_prog *prog, struct rb_err *err)
{
	lv->fd = packet_socket(lv->sys, lv->iface, err);
	if (lv->fd < 0)
		return lv->fd;
	int rc = iface_info(lv, err);
	if (!rc)
		rc = attach_filter(lv, prog, err);
	if (!rc) {
		grow_rcvbuf(lv);
		ask_metadata(lv);
		rc = bind_iface(lv, err);
	}
	if (!rc)
		rc = catch_signals(lv, err);
	return rc;
}

static void close_live(struct live *lv)
{
	if (lv->sigfd >= 0)
		close(lv->sigfd);
	if (lv->mask_saved)
		sigprocmask(SIG_SETMASK, &lv->old_mask, NULL);
	if (lv->fd >= 0)
		rb_sys_close(lv->sys, lv->fd);
}

/* What the kernel says about a packet beside its bytes. */
struct rx_meta {
	struct timespec ts;
	bool have_ts, have_vlan;
	uint16_t tci, tpid;
};

#define VLAN_HLEN 4

static void parse_cmsgs(struct msghdr *m, struct rx_meta *meta)
{
	for (struct cmsghdr *c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_TIMESTAMPNS &&
		    c->cmsg_len >= CMSG_LEN(sizeof meta->ts)) {
			memcpy(&meta->ts, CMSG_DATA(c), sizeof meta->ts);
			meta->have_ts = true;
		} else if (c->cmsg_level == SOL_PACKET && c->cmsg_type == PACKET_AUXDATA &&
			   c->cmsg_len >= CMSG_LEN(sizeof(struct tpacket_auxdata))) {
			struct tpacket_auxdata aux;
			memcpy(&aux, CMSG_DATA(c), sizeof aux);
			meta->have_vlan = (aux.tp_status & TP_STATUS_VLAN_VALID) != 0;
			meta->tci = aux.tp_vlan_tci;
			meta->tpid = (aux.tp_status & TP_STATUS_VLAN_TPID_VALID) ? aux.tp_vlan_tpid
										 : 0x8100;
		}
	}
}

/* The receive path moved the outer 802.1Q tag into skb metadata; put it
 * back after the MAC addresses so -w files and summaries show the frame as
 * it was on the wire (what tcpdump does).  The bytes were received at
 * buf + VLAN_HLEN, leaving room in front. */
static const uint8_t *restore_vlan(uint8_t *buf, const struct rx_meta *meta, uint32_t snaplen,
				   struct rb_pkt *pkt)
{
	if (!meta->have_vlan || pkt->dlt != RB_DLT_EN10MB || pkt->caplen < 12)
		return buf + VLAN_HLEN;
	memmove(buf, buf + VLAN_HLEN, 12);
	uint8_t tag[VLAN_HLEN] = {meta->tpid >> 8, meta->tpid & 0xff, meta->tci >> 8, meta->tci & 0xff};
	memcpy(buf + 12, tag, VLAN_HLEN);
	pkt->caplen = pkt->caplen + VLAN_HLEN < snaplen ? pkt->caplen + VLAN_HLEN : snaplen;
	pkt->wirelen += VLAN_HLEN;
	return buf;
}

/* Reads one packet into buf (snaplen + VLAN_HLEN bytes); 1 = got one,
 * 0 = nothing queued, < 0 = error. */
static int read_packet(struct live *lv, uint8_t *buf, uint32_t snaplen, struct rb_pkt *pkt,
		       struct rb_err *err)
{
	union {
		struct cmsghdr align;
		char b[CMSG_SPACE(sizeof(struct tpacket_auxdata)) + CMSG_SPACE(sizeof(struct timespec))];
	} ctl;
	struct iovec iov = {.iov_base = buf + VLAN_HLEN, .iov_len = snaplen};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1, .msg_control = &ctl,
			   .msg_controllen = sizeof ctl};
	ssize_t n = recvmsg(lv->fd, &m, MSG_TRUNC | MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return 0;
	if (n < 0)
		return rb_errnof(err, RB_ESYS, errno, "%s: reading the packet socket", lv->iface);
	struct rx_meta meta = {0};
	parse_cmsgs(&m, &meta);
	if (!meta.have_ts)
		clock_gettime(CLOCK_REALTIME, &meta.ts);
	*pkt = (struct rb_pkt){.wirelen = (uint32_t)n, .dlt = lv->dlt,
			       .caplen = (uint32_t)n < snaplen ? (uint32_t)n : snaplen,
			       .ts_sec = meta.ts.tv_sec, .ts_nsec = (uint32_t)meta.ts.tv_nsec};
	pkt->data = restore_vlan(buf, &meta, snaplen, pkt);
	lv->captured++;
	return 1;
}

static bool stop_requested(struct live *lv)
{
	struct signalfd_siginfo si;
	return read(lv->sigfd, &si, sizeof si) == (ssize_t)sizeof si;
}

static int capture_loop(struct live *lv, struct rb_cap_sink *sink, uint32_t snaplen,
			struct rb_err *err)
{
	uint8_t *buf = malloc((size_t)snaplen + VLAN_HLEN);
	if (!buf)
		return rb_errf(err, RB_ESYS, "out of memory for a %u-byte packet buffer", snaplen);
	int rc = 0;
	while (!rc && !rb_cap_sink_full(sink)) {
		struct pollfd pfd[2] = {{.fd = lv->fd, .events = POLLIN}, {.fd = lv->sigfd, .events = POLLIN}};
		if (poll(pfd, 2, -1) < 0 && errno != EINTR) {
			rc = rb_errnof(err, RB_ESYS, errno, "%s: poll", lv->iface);
			break;
		}
		if (pfd[1].revents && stop_requested(lv))
			break;
		struct rb_pkt pkt;
		if (pfd[0].revents && (rc = read_packet(lv, buf, snaplen, &pkt, err)) == 1)
			rc = rb_cap_sink_put(sink, &pkt, err);
	}
	free(buf);
	return rc;
}

static void print_stats(const struct live *lv, const struct rb_capture_opts *opts)
{
	struct tpacket_stats st = {0};
	socklen_t len = sizeof st;
	long rc = rb_sys_call(lv->sys, SYS_getsockopt, lv->fd, SOL_PACKET, PACKET_STATISTICS,
			      (long)&st, (long)&len, 0);
	FILE *f = opts->stats ? opts->stats : stderr;
	fprintf(f, "%llu packets captured, %llu matched\n", (unsigned long long)lv->captured,
		(unsigned long long)lv->captured);
	if (rc == 0)
		fprintf(f, "%u packets received by filter\n%u packets dropped by kernel\n",
			st.tp_packets, st.tp_drops);
	else
		fprintf(f, "kernel drop count unavailable (PACKET_STATISTICS: %s)\n", strerror((int)-rc));
}

int rb_capture_live(const struct rb_capture_opts *opts, const struct rb_cbpf_prog *prog,
		    struct rb_err *err)
{
	struct rb_sys direct;
	rb_sys_init(&direct);
	struct live lv = {.sys = opts->sys ? opts->sys : &direct, .iface = opts->iface,
			  .fd = -1, .sigfd = -1};
	uint32_t snaplen = opts->snaplen ? opts->snaplen : DEFAULT_SNAPLEN;
	struct rb_cap_sink sink;
	int rc = open_live(&lv, prog, err);
	if (!rc)
		rc = rb_cap_sink_open(&sink, opts, lv.dlt, snaplen, false, err);
	if (rc) {
		close_live(&lv);
		return rc;
	}
	sink.flush_lines = true;
	rc = capture_loop(&lv, &sink, snaplen, err);
	struct rb_err cerr = {0};
	int crc = rb_cap_sink_close(&sink, rc ? &cerr : err);
	if (!opts->quiet)
		print_stats(&lv, opts);
	close_live(&lv);
	return rc ? rc : crc;
}
