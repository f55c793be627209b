/* Byte order conversions for BPF programs.  Constants fold at compile time
 * (bpf_htons(ETH_P_IP) in a comparison costs nothing); variables use the
 * compiler's byte swap, which clang turns into one BPF_END instruction. */
#ifndef RAWBPF_ENDIAN_H
#define RAWBPF_ENDIAN_H

#include <linux/types.h>

#define ___rawbpf_swab16(x) ((__u16)((((__u16)(x) & 0x00ffU) << 8) | (((__u16)(x) & 0xff00U) >> 8)))
#define ___rawbpf_swab32(x)                                                        \
	((__u32)((((__u32)(x) & 0x000000ffU) << 24) | (((__u32)(x) & 0x0000ff00U) << 8) | \
		 (((__u32)(x) & 0x00ff0000U) >> 8) | (((__u32)(x) & 0xff000000U) >> 24)))
#define ___rawbpf_swab64(x) \
	((__u64)(((__u64)___rawbpf_swab32((__u64)(x) & 0xffffffffULL) << 32) | ___rawbpf_swab32((__u64)(x) >> 32)))

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ___rawbpf_be16(x) (__builtin_constant_p(x) ? ___rawbpf_swab16(x) : __builtin_bswap16(x))
#define ___rawbpf_be32(x) (__builtin_constant_p(x) ? ___rawbpf_swab32(x) : __builtin_bswap32(x))
#define ___rawbpf_be64(x) (__builtin_constant_p(x) ? ___rawbpf_swab64(x) : __builtin_bswap64(x))
#else
#define ___rawbpf_be16(x) ((__u16)(x))
#define ___rawbpf_be32(x) ((__u32)(x))
#define ___rawbpf_be64(x) ((__u64)(x))
#endif

#define bpf_htons(x) ___rawbpf_be16(x)
#define bpf_ntohs(x) ___rawbpf_be16(x)
#define bpf_htonl(x) ___rawbpf_be32(x)
#define bpf_ntohl(x) ___rawbpf_be32(x)
#define bpf_cpu_to_be64(x) ___rawbpf_be64(x)
#define bpf_be64_to_cpu(x) ___rawbpf_be64(x)

#endif
