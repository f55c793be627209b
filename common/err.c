#include "common/err.h"

#include <stdio.h>
#include <string.h>

int rb_verrf(struct rb_err *e, int code, const char *fmt, va_list ap)
{
	if (!e)
		return -code;
	if (e->code == 0) {
		e->code = code;
		vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	}
	return -code;
}

int rb_errf(struct rb_err *e, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int r = rb_verrf(e, code, fmt, ap);
	va_end(ap);
	return r;
}

int rb_errnof(struct rb_err *e, int code, int err_no, const char *fmt, ...)
{
	if (!e || e->code)
		return -code;
	va_list ap;
	va_start(ap, fmt);
	rb_verrf(e, code, fmt, ap);
	va_end(ap);
	size_t n = strlen(e->msg);
	snprintf(e->msg + n, sizeof(e->msg) - n, ": %s", strerror(err_no));
	e->sys_errno = err_no;
	return -code;
}

void rb_err_prefix(struct rb_err *e, const char *fmt, ...)
{
	if (!e || !e->code)
		return;
	char old[sizeof(e->msg)];
	memcpy(old, e->msg, sizeof(old));
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(e->msg) - 2)
		return;
	size_t left = sizeof(e->msg) - (size_t)n;
	e->msg[n] = ':';
	e->msg[n + 1] = ' ';
	memcpy(e->msg + n + 2, old, left - 2);
	e->msg[sizeof(e->msg) - 1] = 0;
}

void rb_err_clear(struct rb_err *e)
{
	e->code = 0;
	e->sys_errno = 0;
	e->msg[0] = 0;
}
