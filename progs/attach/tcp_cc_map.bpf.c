/* tcp_cc.bpf.c in a plain SEC(".struct_ops") map: registered by the map
 * update itself (Linux >= 5.6), unregistered by deleting the element. */
#define RB_CC_SEC ".struct_ops"
#define RB_CC_NAME "rawbpf_cc_map"
#include "tcp_cc.bpf.c"
