/* BTF-targeted programs: tp_btf, fentry/fexit/fmod_ret (Linux >= 5.5),
 * lsm (5.7), freplace (5.6).  All attach through a BPF trampoline link with
 * the target the loader resolved into attach_btf_id; raw_tp.c does the
 * link call. */
#include "loader/attach/attach.h"

static const char *tracing_kind(uint32_t attach_type)
{
	switch (attach_type) {
	case BPF_TRACE_RAW_TP:
		return "tp_btf";
	case BPF_TRACE_FENTRY:
		return "fentry";
	case BPF_TRACE_FEXIT:
		return "fexit";
	case BPF_MODIFY_RETURN:
		return "fmod_ret";
	case BPF_LSM_MAC:
		return "lsm";
	default:
		return "freplace";
	}
}

int rb_attach_tracing(struct rb_attach *a, const struct rb_attach_req *req, struct rb_err *err)
{
	return rb_attach_btf_link(a, req, tracing_kind(req->expected_attach_type), err);
}
