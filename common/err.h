/* Error reporting: every layer returns a negative RB_E* code and fills one
 * struct rb_err with a message that says what, where and what to do.  Only
 * the CLI prints it, once.  Codes double as the process exit status. */
#ifndef RAWBPF_COMMON_ERR_H
#define RAWBPF_COMMON_ERR_H

#include <stdarg.h>
#include <stddef.h>

/* Exit codes (documented in `rawbpf --help` and the man page). */
enum rb_code {
	RB_OK = 0,
	RB_EUSAGE = 1,   /* bad command line or filter expression */
	RB_EINPUT = 2,   /* malformed input file: ELF, BTF, pcap, asm */
	RB_EKERNEL = 3,  /* the kernel refused: verifier, permissions, EEXIST */
	RB_ESYS = 4,     /* I/O, missing file, out of memory */
	RB_ENOTSUP = 5,  /* the running kernel lacks a needed feature */
};

struct rb_err {
	int code;        /* enum rb_code, 0 while no error */
	int sys_errno;   /* errno of the failing call, 0 if none */
	char msg[1024];
};

/* Sets the message (first error wins: context added later goes in front
 * through rb_err_prefix) and returns -code, so callers can `return rb_errf(...)`. */
int rb_errf(struct rb_err *e, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int rb_verrf(struct rb_err *e, int code, const char *fmt, va_list ap);
/* Like rb_errf, appending ": strerror(errno)" and recording errno. */
int rb_errnof(struct rb_err *e, int code, int err_no, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* Puts "what: " in front of an existing message (e.g. the file name). */
void rb_err_prefix(struct rb_err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void rb_err_clear(struct rb_err *e);

#endif
