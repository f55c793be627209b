/* Name tables; see names.h. */
#include "asm/cbpf/names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"

struct named {
	const char *name;
	uint32_t value;
	unsigned protos;
};

/* Debian netbase's entries for the names people type most. */
static const struct named builtin_services[] = {
	{"ftp-data", 20, 1}, {"ftp", 21, 1}, {"ssh", 22, 1}, {"telnet", 23, 1},
	{"smtp", 25, 1}, {"mail", 25, 1}, {"time", 37, 3}, {"whois", 43, 1},
	{"domain", 53, 3}, {"bootps", 67, 2}, {"bootpc", 68, 2}, {"tftp", 69, 2},
	{"gopher", 70, 1}, {"finger", 79, 1}, {"http", 80, 1}, {"www", 80, 1},
	{"kerberos", 88, 3}, {"pop3", 110, 1}, {"sunrpc", 111, 3}, {"auth", 113, 1},
	{"nntp", 119, 1}, {"ntp", 123, 2}, {"epmap", 135, 3}, {"netbios-ns", 137, 2},
	{"netbios-dgm", 138, 2}, {"netbios-ssn", 139, 1}, {"imap2", 143, 1},
	{"imap", 143, 1}, {"snmp", 161, 3}, {"snmp-trap", 162, 3}, {"bgp", 179, 1},
	{"irc", 194, 1}, {"ldap", 389, 3}, {"https", 443, 3}, {"microsoft-ds", 445, 1},
	{"isakmp", 500, 2}, {"syslog", 514, 2}, {"printer", 515, 1}, {"submission", 587, 1},
	{"ldaps", 636, 3}, {"rsync", 873, 1}, {"imaps", 993, 1}, {"pop3s", 995, 1},
	{"openvpn", 1194, 3}, {"ms-sql-s", 1433, 1}, {"l2tp", 1701, 2}, {"radius", 1812, 3},
	{"nfs", 2049, 3}, {"mysql", 3306, 1}, {"sip", 5060, 3}, {"postgresql", 5432, 1},
	{"x11", 6000, 1}, {"http-alt", 8080, 1},
};

static const struct named builtin_protocols[] = {
	{"ip", 0, 0}, {"hopopt", 0, 0}, {"icmp", 1, 0}, {"igmp", 2, 0}, {"ggp", 3, 0},
	{"ipencap", 4, 0}, {"st", 5, 0}, {"tcp", 6, 0}, {"egp", 8, 0}, {"igp", 9, 0},
	{"pup", 12, 0}, {"udp", 17, 0}, {"hmp", 20, 0}, {"xns-idp", 22, 0}, {"rdp", 27, 0},
	{"iso-tp4", 29, 0}, {"dccp", 33, 0}, {"xtp", 36, 0}, {"ddp", 37, 0},
	{"idpr-cmtp", 38, 0}, {"ipv6", 41, 0}, {"ipv6-route", 43, 0}, {"ipv6-frag", 44, 0},
	{"idrp", 45, 0}, {"rsvp", 46, 0}, {"gre", 47, 0}, {"esp", 50, 0}, {"ah", 51, 0},
	{"skip", 57, 0}, {"ipv6-icmp", 58, 0}, {"ipv6-nonxt", 59, 0}, {"ipv6-opts", 60, 0},
	{"rspf", 73, 0}, {"vmtp", 81, 0}, {"eigrp", 88, 0}, {"ospf", 89, 0}, {"ax.25", 93, 0},
	{"ipip", 94, 0}, {"etherip", 97, 0}, {"encap", 98, 0}, {"pim", 103, 0},
	{"ipcomp", 108, 0}, {"vrrp", 112, 0}, {"l2tp", 115, 0}, {"isis", 124, 0},
	{"sctp", 132, 0}, {"fc", 133, 0}, {"mobility-header", 135, 0}, {"udplite", 136, 0},
	{"mpls-in-ip", 137, 0}, {"manet", 138, 0}, {"hip", 139, 0}, {"shim6", 140, 0},
	{"wesp", 141, 0}, {"rohc", 142, 0}, {"ethernet", 143, 0},
};

/* libpcap's ethertype and LLC SAP names (nametoaddr.c). */
static const struct named ether_names[] = {
	{"ip", 0x0800, 0}, {"ip6", 0x86dd, 0}, {"arp", 0x0806, 0}, {"rarp", 0x8035, 0},
	{"revarp", 0x8035, 0}, {"pup", 0x0200, 0}, {"xns", 0x0600, 0}, {"sprite", 0x0500, 0},
	{"mopdl", 0x6001, 0}, {"moprc", 0x6002, 0}, {"decnet", 0x6003, 0}, {"dn", 0x6003, 0},
	{"lat", 0x6004, 0}, {"sca", 0x6007, 0}, {"lanbridge", 0x8038, 0}, {"decdns", 0x803c, 0},
	{"decdts", 0x803e, 0}, {"vexp", 0x805b, 0}, {"vprod", 0x805c, 0}, {"atalk", 0x809b, 0},
	{"atalkarp", 0x80f3, 0}, {"aarp", 0x80f3, 0}, {"loopback", 0x9000, 0},
	{"iso", 0xfe, 0}, {"stp", 0x42, 0}, {"ipx", 0xe0, 0}, {"netbeui", 0xf0, 0},
};

static int find_builtin(const struct named *t, size_t n, const char *name, size_t len,
			const struct named **out)
{
	for (size_t i = 0; i < n; i++)
		if (strlen(t[i].name) == len && !strncmp(t[i].name, name, len)) {
			*out = &t[i];
			return 0;
		}
	return -1;
}

/* Splits a line of an /etc/services-like file into whitespace-separated
 * fields, stopping at '#'.  Returns the number of fields (at most max). */
static int split_fields(char *line, char **f, int max)
{
	int n = 0;
	char *hash = strchr(line, '#');
	if (hash)
		*hash = 0;
	char *save = NULL;
	for (char *p = strtok_r(line, " \t\r\n", &save); p && n < max;
	     p = strtok_r(NULL, " \t\r\n", &save))
		f[n++] = p;
	return n;
}

static bool names_match(char **f, int n, int first_alias, const char *name, size_t len)
{
	if (strlen(f[0]) == len && !strncmp(f[0], name, len))
		return true;
	for (int i = first_alias; i < n; i++)
		if (strlen(f[i]) == len && !strncmp(f[i], name, len))
			return true;
	return false;
}

/* Scans a services file: 0 and fills port/protos if found, -1 if not, -2
 * if the file cannot be read. */
static int scan_services(const char *path, const char *name, size_t len, uint32_t *port,
			 unsigned *protos)
{
	FILE *fp = fopen(path, "re");
	if (!fp)
		return -2;
	char line[512], *f[16];
	int found = -1;
	uint32_t tcp_port = 0, udp_port = 0;
	unsigned seen = 0;
	while (fgets(line, sizeof(line), fp)) {
		int n = split_fields(line, f, 16);
		if (n < 2 || !names_match(f, n, 2, name, len))
			continue;
		char *slash = strchr(f[1], '/');
		if (!slash)
			continue;
		*slash = 0;
		uint32_t p = (uint32_t)strtoul(f[1], NULL, 10);
		if (!strcmp(slash + 1, "tcp") && !(seen & RB_NAME_TCP))
			tcp_port = p, seen |= RB_NAME_TCP;
		else if (!strcmp(slash + 1, "udp") && !(seen & RB_NAME_UDP))
			udp_port = p, seen |= RB_NAME_UDP;
	}
	fclose(fp);
	if (seen) {
		found = 0;
		/* libpcap prefers the TCP port; UDP counts only if it agrees. */
		*port = (seen & RB_NAME_TCP) ? tcp_port : udp_port;
		*protos = seen;
		if (seen == (RB_NAME_TCP | RB_NAME_UDP) && tcp_port != udp_port)
			*protos = RB_NAME_TCP;
	}
	return found;
}

int rb_names_port(const char *name, size_t len, uint32_t *port, unsigned *protos)
{
	int r = scan_services("/etc/services", name, len, port, protos);
	if (r != -2)
		return r;
	const struct named *e;
	if (find_builtin(builtin_services, RB_ARRAY_SIZE(builtin_services), name, len, &e) < 0)
		return -1;
	*port = e->value;
	*protos = e->protos;
	return 0;
}

static int scan_protocols(const char *name, size_t len, uint32_t *proto)
{
	FILE *fp = fopen("/etc/protocols", "re");
	if (!fp)
		return -2;
	char line[512], *f[16];
	int found = -1;
	while (found < 0 && fgets(line, sizeof(line), fp)) {
		int n = split_fields(line, f, 16);
		if (n >= 2 && names_match(f, n, 2, name, len)) {
			*proto = (uint32_t)strtoul(f[1], NULL, 10);
			found = 0;
		}
	}
	fclose(fp);
	return found;
}

int rb_names_ipproto(const char *name, size_t len, uint32_t *proto)
{
	int r = scan_protocols(name, len, proto);
	if (r != -2)
		return r;
	const struct named *e;
	if (find_builtin(builtin_protocols, RB_ARRAY_SIZE(builtin_protocols), name, len, &e) < 0)
		return -1;
	*proto = e->value;
	return 0;
}

int rb_names_ethertype(const char *name, size_t len, uint32_t *value)
{
	const struct named *e;
	if (find_builtin(ether_names, RB_ARRAY_SIZE(ether_names), name, len, &e) < 0)
		return -1;
	*value = e->value;
	return 0;
}

static const struct named builtin_networks[] = {
	{"default", 0, 0}, {"loopback", 0x7f000000, 0}, {"link-local", 0xa9fe0000, 0},
};

/* inet_network(3): 1 to 4 dotted decimal parts, the last ones low. */
static int parse_network(const char *s, uint32_t *out)
{
	uint32_t v = 0;
	int parts = 0;
	while (*s) {
		char *end;
		unsigned long p = strtoul(s, &end, 10);
		if (end == s || p > 255 || ++parts > 4)
			return -1;
		v = v << 8 | (uint32_t)p;
		s = *end == '.' ? end + 1 : end;
		if (*end && *end != '.')
			return -1;
	}
	*out = v;
	return parts ? 0 : -1;
}

int rb_names_network(const char *name, size_t len, uint32_t *net)
{
	FILE *fp = fopen("/etc/networks", "re");
	if (!fp) {
		const struct named *e;
		if (find_builtin(builtin_networks, RB_ARRAY_SIZE(builtin_networks), name, len, &e) < 0)
			return -1;
		*net = e->value;
		return 0;
	}
	char line[512], *f[16];
	int found = -1;
	while (found < 0 && fgets(line, sizeof(line), fp)) {
		int n = split_fields(line, f, 16);
		if (n >= 2 && names_match(f, n, 2, name, len) && parse_network(f[1], net) == 0)
			found = 0;
	}
	fclose(fp);
	return found;
}
