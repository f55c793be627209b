/* netfilter.bpf.c's ICMP drop with its hook in the section name
 * (rawbpf's convention: netfilter/FAMILY:HOOK[:PRIORITY]). */
#define RB_NF_SEC "netfilter/ipv4:local_in:100"
#include "netfilter.bpf.c"
