/* Name tables; see names.h. */
#include "asm/cbpf/names.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/strtab.h"

/* The built-in tables are X(name, value[, protos]) lists, laid out as one
 * packed string of names beside arrays of values: no pointer per entry. */
#define NAME_TEXT(name, ...) name "\0"
#define NAME_VALUE(name, value, ...) value,
#define NAME_PROTOS(name, value, protos) protos,

/* Debian netbase's entries for the names people type most. */
#define SERVICES(X) \
	X("ftp-data", 20, 1) X("ftp", 21, 1) X("ssh", 22, 1) X("telnet", 23, 1) \
	X("smtp", 25, 1) X("mail", 25, 1) X("time", 37, 3) X("whois", 43, 1) \
	X("domain", 53, 3) X("bootps", 67, 2) X("bootpc", 68, 2) X("tftp", 69, 2) \
	X("gopher", 70, 1) X("finger", 79, 1) X("http", 80, 1) X("www", 80, 1) \
	X("kerberos", 88, 3) X("pop3", 110, 1) X("sunrpc", 111, 3) X("auth", 113, 1) \
	X("nntp", 119, 1) X("ntp", 123, 2) X("epmap", 135, 3) X("netbios-ns", 137, 2) \
	X("netbios-dgm", 138, 2) X("netbios-ssn", 139, 1) X("imap2", 143, 1) \
	X("imap", 143, 1) X("snmp", 161, 3) X("snmp-trap", 162, 3) X("bgp", 179, 1) \
	X("irc", 194, 1) X("ldap", 389, 3) X("https", 443, 3) X("microsoft-ds", 445, 1) \
	X("isakmp", 500, 2) X("syslog", 514, 2) X("printer", 515, 1) X("submission", 587, 1) \
	X("ldaps", 636, 3) X("rsync", 873, 1) X("imaps", 993, 1) X("pop3s", 995, 1) \
	X("openvpn", 1194, 3) X("ms-sql-s", 1433, 1) X("l2tp", 1701, 2) X("radius", 1812, 3) \
	X("nfs", 2049, 3) X("mysql", 3306, 1) X("sip", 5060, 3) X("postgresql", 5432, 1) \
	X("x11", 6000, 1) X("http-alt", 8080, 1) \

static const char service_names[] = SERVICES(NAME_TEXT);
static const uint16_t service_ports[] = {SERVICES(NAME_VALUE)};
static const uint8_t service_protos[] = {SERVICES(NAME_PROTOS)};

#define PROTOCOLS(X) \
	X("ip", 0) X("hopopt", 0) X("icmp", 1) X("igmp", 2) X("ggp", 3) \
	X("ipencap", 4) X("st", 5) X("tcp", 6) X("egp", 8) X("igp", 9) \
	X("pup", 12) X("udp", 17) X("hmp", 20) X("xns-idp", 22) X("rdp", 27) \
	X("iso-tp4", 29) X("dccp", 33) X("xtp", 36) X("ddp", 37) \
	X("idpr-cmtp", 38) X("ipv6", 41) X("ipv6-route", 43) X("ipv6-frag", 44) \
	X("idrp", 45) X("rsvp", 46) X("gre", 47) X("esp", 50) X("ah", 51) \
	X("skip", 57) X("ipv6-icmp", 58) X("ipv6-nonxt", 59) X("ipv6-opts", 60) \
	X("rspf", 73) X("vmtp", 81) X("eigrp", 88) X("ospf", 89) X("ax.25", 93) \
	X("ipip", 94) X("etherip", 97) X("encap", 98) X("pim", 103) \
	X("ipcomp", 108) X("vrrp", 112) X("l2tp", 115) X("isis", 124) \
	X("sctp", 132) X("fc", 133) X("mobility-header", 135) X("udplite", 136) \
	X("mpls-in-ip", 137) X("manet", 138) X("hip", 139) X("shim6", 140) \
	X("wesp", 141) X("rohc", 142) X("ethernet", 143) \

static const char protocol_names[] = PROTOCOLS(NAME_TEXT);
static const uint8_t protocol_numbers[] = {PROTOCOLS(NAME_VALUE)};

/* libpcap's ethertype and LLC SAP names (nametoaddr.c). */
#define ETHER_NAMES(X) \
	X("ip", 0x0800) X("ip6", 0x86dd) X("arp", 0x0806) X("rarp", 0x8035) \
	X("revarp", 0x8035) X("pup", 0x0200) X("xns", 0x0600) X("sprite", 0x0500) \
	X("mopdl", 0x6001) X("moprc", 0x6002) X("decnet", 0x6003) X("dn", 0x6003) \
	X("lat", 0x6004) X("sca", 0x6007) X("lanbridge", 0x8038) X("decdns", 0x803c) \
	X("decdts", 0x803e) X("vexp", 0x805b) X("vprod", 0x805c) X("atalk", 0x809b) \
	X("atalkarp", 0x80f3) X("aarp", 0x80f3) X("loopback", 0x9000) \
	X("iso", 0xfe) X("stp", 0x42) X("ipx", 0xe0) X("netbeui", 0xf0) \

static const char ether_names[] = ETHER_NAMES(NAME_TEXT);
static const uint16_t ether_values[] = {ETHER_NAMES(NAME_VALUE)};

/* OSI network-layer protocols (`iso proto NAME`). */
#define OSI_NAMES(X) X("esis", 0x82) X("isis", 0x83) X("clnp", 0x81)

static const char osi_names[] = OSI_NAMES(NAME_TEXT);
static const uint8_t osi_values[] = {OSI_NAMES(NAME_VALUE)};

#define NETWORKS(X) \
	X("default", 0) X("loopback", 0x7f000000) X("link-local", 0xa9fe0000) \

static const char network_names[] = NETWORKS(NAME_TEXT);
static const uint32_t network_numbers[] = {NETWORKS(NAME_VALUE)};

/* The index of name[0..len) in a packed name table, or -1. */
static int find_builtin(const char *tab, const char *name, size_t len)
{
	for (int i = 0; *tab; tab = rb_strtab_next(tab), i++)
		if (strlen(tab) == len && !strncmp(tab, name, len))
			return i;
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

/* Reads an /etc/services-like file; each line that names `name` (first
 * field, or an alias from the third on) goes to take(fields, ctx), until
 * take returns true.  -2 if the file cannot be read, else 0. */
static int scan_file(const char *path, const char *name, size_t len,
		     bool (*take)(char **f, void *ctx), void *ctx)
{
	FILE *fp = fopen(path, "re");
	if (!fp)
		return -2;
	char line[512], *f[16];
	bool done = false;
	while (!done && fgets(line, sizeof(line), fp)) {
		int n = split_fields(line, f, 16);
		done = n >= 2 && names_match(f, n, 2, name, len) && take(f, ctx);
	}
	fclose(fp);
	return 0;
}

struct service {
	uint32_t port[2];   /* tcp, udp */
	unsigned seen;      /* RB_NAME_TCP | RB_NAME_UDP */
};

/* "port/proto": the first port of each protocol counts. */
static bool take_service(char **f, void *ctx)
{
	struct service *sv = ctx;
	char *slash = strchr(f[1], '/');
	if (!slash)
		return false;
	*slash = 0;
	uint32_t p = (uint32_t)strtoul(f[1], NULL, 10);
	if (!strcmp(slash + 1, "tcp") && !(sv->seen & RB_NAME_TCP)) {
		sv->port[0] = p;
		sv->seen |= RB_NAME_TCP;
	} else if (!strcmp(slash + 1, "udp") && !(sv->seen & RB_NAME_UDP)) {
		sv->port[1] = p;
		sv->seen |= RB_NAME_UDP;
	}
	return false;
}

/* Scans a services file: 0 and fills port/protos if found, -1 if not, -2
 * if the file cannot be read. */
static int scan_services(const char *path, const char *name, size_t len, uint32_t *port,
			 unsigned *protos)
{
	struct service sv = {{0, 0}, 0};
	if (scan_file(path, name, len, take_service, &sv) < 0)
		return -2;
	if (!sv.seen)
		return -1;
	/* libpcap prefers the TCP port; UDP counts only if it agrees. */
	*port = (sv.seen & RB_NAME_TCP) ? sv.port[0] : sv.port[1];
	*protos = sv.seen;
	if (sv.seen == (RB_NAME_TCP | RB_NAME_UDP) && sv.port[0] != sv.port[1])
		*protos = RB_NAME_TCP;
	return 0;
}

int rb_names_port(const char *name, size_t len, uint32_t *port, unsigned *protos)
{
	int r = scan_services("/etc/services", name, len, port, protos);
	if (r != -2)
		return r;
	int i = find_builtin(service_names, name, len);
	if (i < 0)
		return -1;
	*port = service_ports[i];
	*protos = service_protos[i];
	return 0;
}

static int parse_decimal(const char *s, uint32_t *out)
{
	*out = (uint32_t)strtoul(s, NULL, 10);
	return 0;
}

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

struct number {
	int (*parse)(const char *, uint32_t *);
	uint32_t *out;
	bool found;
};

static bool take_number(char **f, void *ctx)
{
	struct number *num = ctx;
	num->found = num->parse(f[1], num->out) == 0;
	return num->found;
}

/* Scans an /etc/protocols-like file (name, number, aliases) for the first
 * line naming name whose number parses: 0, -1 if none, -2 if the file
 * cannot be read. */
static int scan_numbers(const char *path, const char *name, size_t len,
			int (*parse)(const char *, uint32_t *), uint32_t *out)
{
	struct number num = {parse, out, false};
	if (scan_file(path, name, len, take_number, &num) < 0)
		return -2;
	return num.found ? 0 : -1;
}

int rb_names_ipproto(const char *name, size_t len, uint32_t *proto)
{
	int r = scan_numbers("/etc/protocols", name, len, parse_decimal, proto);
	if (r != -2)
		return r;
	int i = find_builtin(protocol_names, name, len);
	if (i < 0)
		return -1;
	*proto = protocol_numbers[i];
	return 0;
}

int rb_names_network(const char *name, size_t len, uint32_t *net)
{
	int r = scan_numbers("/etc/networks", name, len, parse_network, net);
	if (r != -2)
		return r;
	int i = find_builtin(network_names, name, len);
	if (i < 0)
		return -1;
	*net = network_numbers[i];
	return 0;
}

int rb_names_ethertype(const char *name, size_t len, uint32_t *value)
{
	int i = find_builtin(ether_names, name, len);
	if (i < 0)
		return -1;
	*value = ether_values[i];
	return 0;
}

int rb_names_osi(const char *name, size_t len, uint32_t *value)
{
	int i = find_builtin(osi_names, name, len);
	if (i < 0)
		return -1;
	*value = osi_values[i];
	return 0;
}
