/* USDT probes for programs run by `rawbpf run`: SEC("usdt/PATH:PROVIDER:NAME").
 *
 * rawbpf attaches a uprobe at every site of the probe (and counts its
 * semaphore up while attached).  Each site keeps its arguments in its own
 * registers or stack slots ("-4@%edi 8@-8(%rbp)" in the .note.stapsdt
 * note), so rawbpf parses every site's spec into this header's struct
 * rawbpf_usdt_spec, stores it in the map rawbpf_usdt_specs declared below at
 * a slot of its choosing, and gives the site's uprobe that slot as its BPF
 * cookie (Linux >= 5.15).  rawbpf_usdt_arg(ctx, N, &v) finds the spec with
 * bpf_get_attach_cookie() and reads argument N (0-based) from pt_regs, user
 * memory or the constant, sign- or zero-extended to 64 bits.
 *
 * Include this header once per object; raise RAWBPF_USDT_MAX_SITES before
 * including when the probes have more sites in total. */
#ifndef RAWBPF_USDT_H
#define RAWBPF_USDT_H

#include <linux/bpf.h>
#include <rawbpf/helpers.h>

#define RAWBPF_USDT_MAX_ARGS 12
#ifndef RAWBPF_USDT_MAX_SITES
#define RAWBPF_USDT_MAX_SITES 256  /* slot 0 stays unused */
#endif

enum rawbpf_usdt_arg_kind {
	RAWBPF_USDT_CONST = 0,      /* val_off is the value */
	RAWBPF_USDT_REG = 1,        /* the register at reg_off in struct pt_regs */
	RAWBPF_USDT_REG_DEREF = 2,  /* user memory at register + val_off */
};

/* Layout shared with loader/attach/attach.h (struct rb_usdt_spec). */
struct rawbpf_usdt_arg {
	__u64 val_off;
	__u32 kind;
	__s16 reg_off;
	__u8 size;       /* 1, 2, 4 or 8 bytes */
	__u8 is_signed;
};

struct rawbpf_usdt_spec {
	struct rawbpf_usdt_arg args[RAWBPF_USDT_MAX_ARGS];
	__u16 nr_args;
	__u16 pad[3];
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, RAWBPF_USDT_MAX_SITES);
	__type(key, __u32);
	__type(value, struct rawbpf_usdt_spec);
} rawbpf_usdt_specs SEC(".maps");

/* Number of arguments of the site that fired, or a negative error. */
static __always_inline int rawbpf_usdt_arg_cnt(void *ctx)
{
	__u32 slot = (__u32)bpf_get_attach_cookie(ctx);
	struct rawbpf_usdt_spec *s = bpf_map_lookup_elem(&rawbpf_usdt_specs, &slot);
	return s ? s->nr_args : -2;
}

/* Argument n of the site that fired into *res; 0 or a negative error. */
static __always_inline int rawbpf_usdt_arg(void *ctx, __u64 n, long *res)
{
	__u32 slot = (__u32)bpf_get_attach_cookie(ctx);
	struct rawbpf_usdt_spec *s = bpf_map_lookup_elem(&rawbpf_usdt_specs, &slot);
	*res = 0;
	if (!s || n >= RAWBPF_USDT_MAX_ARGS || n >= s->nr_args)
		return -2;
	struct rawbpf_usdt_arg *a = &s->args[n];
	__u64 v = 0;
	int err = 0;
	if (a->kind == RAWBPF_USDT_CONST) {
		v = a->val_off;
	} else {
		err = bpf_probe_read_kernel(&v, sizeof(v), (char *)ctx + a->reg_off);
		if (!err && a->kind == RAWBPF_USDT_REG_DEREF)
			err = bpf_probe_read_user(&v, sizeof(v), (void *)(v + a->val_off));
	}
	if (err)
		return err;
	int shift = 64 - a->size * 8;
	if (shift > 0 && shift < 64) {
		if (a->is_signed)
			v = (__u64)((__s64)(v << shift) >> shift);
		else
			v = (v << shift) >> shift;
	}
	*res = (long)v;
	return 0;
}

#endif
