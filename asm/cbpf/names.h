/* Port, protocol and link-protocol names for the filter language.  Reads
 * /etc/services and /etc/protocols when they exist and falls back to
 * built-in tables of well-known names (an initramfs has no /etc). */
#ifndef RAWBPF_ASM_CBPF_NAMES_H
#define RAWBPF_ASM_CBPF_NAMES_H

#include <stddef.h>
#include <stdint.h>

#define RB_NAME_TCP 1u
#define RB_NAME_UDP 2u

/* Service name -> port.  *protos gets RB_NAME_TCP and/or RB_NAME_UDP for
 * the transports the name is registered for with that port.  0 or -1. */
int rb_names_port(const char *name, size_t len, uint32_t *port, unsigned *protos);
/* IP protocol name (tcp, udp, icmp, ...) -> number.  0 or -1. */
int rb_names_ipproto(const char *name, size_t len, uint32_t *proto);
/* Ethernet type name (ip, arp, atalk, ...) or LLC SAP name (iso, stp,
 * ipx, netbeui) -> value.  0 or -1. */
int rb_names_ethertype(const char *name, size_t len, uint32_t *value);
/* OSI protocol name after `iso proto` (esis, isis, clnp) -> NLPID. */
int rb_names_osi(const char *name, size_t len, uint32_t *value);

/* Network name (/etc/networks: loopback, link-local, ...) -> the network
 * number as written there, dotted parts left-aligned like inet_network
 * gives them (127 -> 0x7f).  0 or -1. */
int rb_names_network(const char *name, size_t len, uint32_t *net);

#endif
