/* The resolve phase: attach targets, CO-RE, .kconfig and .ksyms, in that
 * order (programs skipped for a missing target are not relocated). */
#include "loader/externs/resolve_int.h"

#include <stdlib.h>

int rb_resolver_new(struct rb_resolver **out, const struct rb_sys *sys,
		    const struct rb_resolver_opts *opts, struct rb_err *err)
{
	struct rb_resolver *rs = calloc(1, sizeof(*rs));
	if (!rs)
		return rb_errf(err, RB_ESYS, "out of memory");
	rs->opts = *opts;
	rs->sys = sys;
	int r = rb_kbtf_new(&rs->kbtf, sys, opts->btf_path, err);
	if (r) {
		free(rs);
		return r;
	}
	if (opts->btf_dir)
		rb_kbtf_set_dir(rs->kbtf, opts->btf_dir);
	*out = rs;
	return 0;
}

void rb_resolver_free(struct rb_resolver *rs)
{
	if (!rs)
		return;
	rb_kbtf_free(rs->kbtf);
	rb_buf_free(&rs->kallsyms);
	rb_kconfig_free(rs->kconfig);
	free(rs);
}

int rb_resolve(struct rb_loaded *ld, void *resolver, struct rb_err *err)
{
	struct rb_resolver *rs = resolver;
	int r = rb_resolve_attach_targets(rs, ld, err);
	if (!r)
		r = rb_resolve_struct_ops(rs, ld, err);
	if (!r)
		r = rb_resolve_core(rs, ld, err);
	if (!r)
		r = rb_resolve_kconfig(rs, ld, err);
	if (!r)
		r = rb_resolve_ksyms(rs, ld, err);
	return r;
}

int rb_load_resolve_default(struct rb_loaded *ld, void *ctx, struct rb_err *err)
{
	struct rb_resolver *rs;
	struct rb_resolver_opts opts = {.note = ld->opts->note};
	if (ctx)
		return rb_resolve(ld, ctx, err);
	int r = rb_resolver_new(&rs, ld->sys, &opts, err);
	if (r)
		return r;
	r = rb_resolve(ld, rs, err);
	rb_resolver_free(rs);
	return r;
}
