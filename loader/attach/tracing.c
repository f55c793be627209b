/* BTF-targeted programs: tp_btf, fentry/fexit/fmod_ret (Linux >= 5.5),
 * lsm (5.7), freplace (5.6).  All attach through a BPF trampoline link with
 * the target the loader resolved into attach_btf_id; raw_tp.c does the
 * link call. */
#include "loader/attach/attach.h"

#include "common/strtab.h"

/* The five attach types are consecutive in enum bpf_attach_type, from
 * BPF_TRACE_RAW_TP to BPF_LSM_MAC; any other is freplace's. */
_Static_assert(BPF_LSM_MAC == BPF_TRACE_RAW_TP + 4, "tracing attach types moved");

static const char *tracing_kind(uint32_t attach_type)
{
	uint32_t i = attach_type - BPF_TRACE_RAW_TP;
	return rb_strtab_at("tp_btf\0fentry\0fexit\0fmod_ret\0lsm\0freplace\0", i < 5 ? i : 5);
}

int rb_attach_tracing(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	return rb_attach_btf_link(a, req, tracing_kind(req->expected_attach_type), err);
}
