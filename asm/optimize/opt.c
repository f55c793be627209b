#include "asm/optimize/opt.h"
int rb_opt_run(struct rb_ir *ir, struct rb_err *err)
{
	(void)err;
	return ir->oom ? -1 : 0;
}
