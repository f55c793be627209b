/* `prog run`: BPF_PROG_TEST_RUN with data and context from the command line. */
#include "loader/inspect/inspect.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "loader/bpf.h"

static void hex_string(struct rb_json *j, const char *key, const uint8_t *p, size_t n)
{
	struct rb_buf b = {0};
	rb_hex_append(&b, p, n, "");
	rb_json_kstr(j, key, rb_buf_str(&b));
	rb_buf_free(&b);
}

/* Output bytes: a hex string in JSON (even when empty), a "KEY 01 02" line
 * of text (none when empty). */
static void put_bytes(const struct rb_show_out *o, struct rb_json *j, const char *key, const uint8_t *p,
		      size_t n)
{
	if (o->json)
		hex_string(j, key, p, n);
	else if (n) {
		fprintf(o->out, "%s ", key);
		rb_print_hex_bytes(o->out, p, n);
		fputc('\n', o->out);
	}
}

static void print_result(const struct rb_prog_test_run_opts *r, const struct rb_show_out *o)
{
	size_t data_n = r->data_out ? r->data_size_out : 0;
	size_t ctx_n = r->ctx_out ? r->ctx_size_out : 0;
	struct rb_json j;
	rb_json_init(&j, o->out, o->pretty);
	if (o->json) {
		rb_json_obj_begin(&j);
		rb_json_ku64(&j, "retval", r->retval);
		rb_json_ku64(&j, "duration", r->duration);
		rb_json_ku64(&j, "data_size_out", data_n);
	} else
		fprintf(o->out, "retval %u  duration %uns\n", r->retval, r->duration);
	put_bytes(o, &j, "data_out", r->data_out, data_n);
	if (r->ctx_out || !o->json) /* JSON: "ctx_out" only when asked for */
		put_bytes(o, &j, "ctx_out", r->ctx_out, ctx_n);
	if (o->json) {
		rb_json_obj_end(&j);
		rb_json_finish(&j);
	}
}

static int run_failed(int e, struct rb_err *err)
{
	if (e == EINVAL)
		return rb_errnof(err, RB_EKERNEL, e, "the kernel refused the test run (BPF_PROG_TEST_RUN); "
				 "packet programs need data_in holding a whole Ethernet header "
				 "and, for IPv4/IPv6 ethertypes, a whole IP header (e.g. 34 bytes), "
				 "and some types need ctx_in or cannot be test-run");
	if (e == ENOTSUP || e == 524)
		return rb_errf(err, RB_ENOTSUP, "this program type cannot be test-run (BPF_PROG_TEST_RUN: %s)",
			       e == 524 ? "ENOTSUPP" : "EOPNOTSUPP");
	if (e == ENOSPC)
		return rb_errnof(err, RB_EUSAGE, e, "the output is larger than data_size_out; give a bigger data_size_out");
	return rb_errnof(err, RB_EKERNEL, e, "BPF_PROG_TEST_RUN failed");
}

/* The kernel's inputs from the command line's; output buffers sized. */
static void set_inputs(struct rb_prog_test_run_opts *r, const struct rb_test_run *t)
{
	if (t->cpu >= 0) {
		r->flags = BPF_F_TEST_RUN_ON_CPU;
		r->cpu = (uint32_t)t->cpu;
	}
	if (t->data_in.len) {
		r->data_in = t->data_in.data;
		r->data_size_in = (uint32_t)t->data_in.len;
		r->data_size_out = t->data_size_out ? t->data_size_out : (uint32_t)t->data_in.len + 256;
	} else
		r->data_size_out = t->data_size_out;
	if (t->ctx_in.len) {
		r->ctx_in = t->ctx_in.data;
		r->ctx_size_in = (uint32_t)t->ctx_in.len;
	}
	/* Only on request: raw_tp and others refuse a ctx_out buffer. */
	r->ctx_size_out = t->ctx_size_out;
}

int rb_prog_test_run_print(const struct rb_sys *sys, int prog_fd, const struct rb_test_run *t,
			   const struct rb_show_out *o, struct rb_err *err)
{
	struct rb_prog_test_run_opts r = {.prog_fd = prog_fd, .repeat = t->repeat};
	set_inputs(&r, t);
	uint32_t data_cap = r.data_size_out, ctx_cap = r.ctx_size_out;
	r.data_out = data_cap ? calloc(1, data_cap) : NULL;
	r.ctx_out = ctx_cap ? calloc(1, ctx_cap) : NULL;
	int ret;
	if ((data_cap && !r.data_out) || (ctx_cap && !r.ctx_out))
		ret = rb_errf(err, RB_ESYS, "out of memory for %u bytes of output", data_cap + ctx_cap);
	else if ((ret = rb_bpf_prog_test_run(sys, &r)) < 0)
		ret = run_failed(-ret, err);
	else {
		/* Never trust a size to stay within the buffer it describes. */
		r.data_size_out = r.data_size_out < data_cap ? r.data_size_out : data_cap;
		r.ctx_size_out = r.ctx_size_out < ctx_cap ? r.ctx_size_out : ctx_cap;
		print_result(&r, o);
	}
	free(r.data_out);
	free(r.ctx_out);
	return ret < 0 ? ret : 0;
}
