/* freplace/FUNC (BPF_PROG_TYPE_EXT, Linux >= 5.6): the program replaces the
 * global function FUNC of an already loaded program (rb_load_opts.
 * target_prog_fd, `--target-prog`).  The kernel wants, at BPF_PROG_LOAD,
 * the target program's fd (attach_prog_fd) and FUNC's id in the target
 * program's own BTF (attach_btf_id) - the way libbpf's
 * bpf_program__set_attach_target does it.  Attaching later needs no target:
 * the link goes to the one given at load. */
#include "loader/externs/resolve_int.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>

#include "loader/bpf.h"
#include "loader/inspect/inspect.h"

static int target_btf_id(const struct rb_resolver *rs, int prog_fd, uint32_t *btf_id,
			 uint32_t *prog_id)
{
	struct bpf_prog_info info;
	memset(&info, 0, sizeof(info));
	uint32_t len = sizeof(info);
	int r = rb_bpf_obj_get_info(rs->sys, prog_fd, &info, &len);
	*btf_id = info.btf_id;
	*prog_id = info.id;
	return r;
}

/* FUNC's id in the target's BTF: > 0, or 0 with why filled. */
static uint32_t find_func(const struct rb_btf *btf, const char *func, char *why, size_t cap)
{
	uint32_t id = rb_btf_find(btf, func, BTF_KIND_FUNC);
	const struct btf_type *t = id ? rb_btf_type(btf, id) : NULL;
	if (!t) {
		snprintf(why, cap, "has no function '%s' in its BTF", func);
		return 0;
	}
	/* the kernel replaces global functions only: static ones may be inlined
	 * or have a private calling convention */
	if (rb_btf_vlen(t) == BTF_FUNC_STATIC) {
		snprintf(why, cap, "has '%s' only as a static function; freplace needs a global "
			 "(non-static, __noinline) one", func);
		return 0;
	}
	return id;
}

static int bad_target(const struct rb_loaded *ld, const struct rb_prog *p, uint32_t prog_id,
		      const char *why, struct rb_err *err)
{
	return rb_errf(err, RB_EUSAGE, "%s: program '%s' (SEC(\"%s\")): the --target-prog program "
		       "(id %u) %s", ld->obj->path, p->name, p->sec_name, prog_id, why);
}

int rb_resolve_freplace(struct rb_resolver *rs, struct rb_loaded *ld, struct rb_loaded_prog *lp,
			struct rb_err *err)
{
	const struct rb_prog *p = lp->prog;
	const char *func = p->attach_target ? p->attach_target : "";
	int tfd = ld->opts->target_prog_fd;
	if (!func[0])
		return rb_errf(err, RB_EINPUT, "%s: program '%s': section '%s' names no function to "
			       "replace; write SEC(\"freplace/FUNC\")", ld->obj->path, p->name, p->sec_name);
	if (tfd <= 0) {
		snprintf(lp->skip_buf, sizeof(lp->skip_buf), "freplace needs the program whose '%.48s' it "
			 "replaces: --target-prog ID|PINNED_PATH", func);
		return 1;
	}
	uint32_t btf_id = 0, prog_id = 0;
	int r = target_btf_id(rs, tfd, &btf_id, &prog_id);
	if (r < 0)
		return rb_errnof(err, RB_EKERNEL, -r, "--target-prog: reading the program's info");
	if (!btf_id)
		return bad_target(ld, p, prog_id, "was loaded without BTF; freplace needs its function "
				  "types (compile it with -g)", err);
	struct rb_btf *btf, *base;
	if (rb_btf_get_by_id(rs->sys, btf_id, &btf, &base) < 0)
		return rb_errf(err, RB_EKERNEL, "--target-prog: cannot read or parse BTF object %u of "
			       "program %u", btf_id, prog_id);
	char why[160];
	uint32_t id = find_func(btf, func, why, sizeof(why));
	rb_btf_free(btf);
	rb_btf_free(base);
	if (!id)
		return bad_target(ld, p, prog_id, why, err);
	lp->attach_btf_id = id;
	lp->attach_prog_fd = (int)rb_sys_call(rs->sys, SYS_fcntl, tfd, F_DUPFD_CLOEXEC, 3, 0, 0, 0);
	if (lp->attach_prog_fd < 0)
		return rb_errnof(err, RB_ESYS, -lp->attach_prog_fd, "--target-prog: duplicating its fd");
	return 0;
}
