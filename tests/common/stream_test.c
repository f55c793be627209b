/* common/stream.h: reading against the C library's stdio on the same files,
 * what reaches the descriptor when (musl's buffering rules, seen through a
 * pipe), the file written against glibc's for the same calls, modes, errors. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "check_main.h"
#include "common/stream.h"

static char dir[] = "/tmp/rb_stream_XXXXXX";

static void make_dir(void)
{
	ck_assert_ptr_nonnull(mkdtemp(dir));
}

static void remove_dir(void)
{
	char cmd[64];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *path_of(const char *name)
{
	static char path[64];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return path;
}

/* Random lines: empty ones, long ones, maybe no final newline. */
static size_t random_text(char *t, size_t cap)
{
	size_t n = (size_t)rand() % cap;
	for (size_t i = 0; i < n; i++) {
		int r = rand() % 100;
		t[i] = r < 8 ? '\n' : r < 10 ? '\0' : (char)('a' + r % 26);
	}
	return n;
}

static void write_file(const char *path, const char *t, size_t n)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(t, 1, n, f), n);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(gets_matches_libc)
{
	static char text[5000];
	srand(11);
	for (int round = 0; round < 300; round++) {
		size_t n = random_text(text, sizeof(text));
		const char *path = path_of("lines");
		write_file(path, text, n);
		FILE *ref = fopen(path, "r");
		struct rb_stream *s = rb_stream_open(path, round % 2 ? "re" : "r");
		ck_assert_ptr_nonnull(s);
		int size = round % 3 == 0 ? 1 + rand() % 4 : 1 + rand() % 300;
		char a[400], b[400];
		for (;;) {
			memset(a, 'x', sizeof(a));
			memset(b, 'x', sizeof(b));
			char *ra = fgets(a, size, ref), *rb = rb_stream_gets(b, size, s);
			ck_assert_int_eq(ra != NULL, rb != NULL);
			if (!ra)
				break;
			ck_assert_mem_eq(a, b, (size_t)size);
			if (size == 1)
				break; /* "" for ever */
		}
		if (size > 1) {
			ck_assert_int_eq(feof(ref) != 0, (s->flags & RB_STREAM_EOF) != 0);
			ck_assert_int_eq(rb_stream_getc(s), -1); /* end of file stays */
		}
		fclose(ref);
		ck_assert_int_eq(rb_stream_close(s), 0);
	}
}
END_TEST

START_TEST(gets_edges)
{
	const char *path = path_of("edges");
	write_file(path, "ab\ncd", 5);
	struct rb_stream *s = rb_stream_open(path, "r");
	char line[8] = "zzzzzzz";
	ck_assert_ptr_null(rb_stream_gets(line, 0, s));
	ck_assert_str_eq(rb_stream_gets(line, 1, s), "");
	ck_assert_str_eq(rb_stream_gets(line, 2, s), "a");
	ck_assert_str_eq(rb_stream_gets(line, 8, s), "b\n");
	ck_assert_str_eq(rb_stream_gets(line, 8, s), "cd");    /* end of file keeps the partial line */
	ck_assert_ptr_null(rb_stream_gets(line, 8, s));
	/* bytes appended later are not seen: end of file is sticky, as in musl */
	int fd = open(path, O_WRONLY | O_APPEND);
	ck_assert_int_eq(write(fd, "ef\n", 3), 3);
	close(fd);
	ck_assert_ptr_null(rb_stream_gets(line, 8, s));
	s->flags &= ~(unsigned)RB_STREAM_EOF; /* clearerr */
	ck_assert_str_eq(rb_stream_gets(line, 8, s), "ef\n");
	ck_assert_int_eq(s->flags & RB_STREAM_ERR, 0);
	/* a write-only stream cannot be read */
	ck_assert_int_eq(rb_stream_close(s), 0);
	s = rb_stream_open(path, "a");
	ck_assert_ptr_null(rb_stream_gets(line, 8, s));
	ck_assert_int_ne(s->flags & RB_STREAM_ERR, 0);
	ck_assert_int_eq(rb_stream_close(s), 0);
}
END_TEST

/* A flush gives back what was read ahead, so the descriptor goes on from there. */
START_TEST(flush_gives_back_read_ahead)
{
	const char *path = path_of("back");
	write_file(path, "one\ntwo\n", 8);
	struct rb_stream *s = rb_stream_open(path, "r");
	char line[8];
	ck_assert_str_eq(rb_stream_gets(line, 8, s), "one\n");
	ck_assert_int_eq(rb_stream_flush(s), 0);
	ck_assert_int_eq(read(s->fd, line, 8), 4);
	ck_assert_mem_eq(line, "two\n", 4);
	ck_assert_int_eq(rb_stream_close(s), 0);
}
END_TEST

/* What the pipe holds now (its read end is non-blocking). */
static size_t drain(int fd, char *out, size_t cap)
{
	ssize_t k = read(fd, out, cap);
	return k < 0 ? 0 : (size_t)k;
}

static struct rb_stream piped(int p[2], unsigned flags, unsigned char *buf, size_t size)
{
	ck_assert_int_eq(pipe2(p, O_NONBLOCK), 0);
	return (struct rb_stream){.fd = p[1], .flags = flags, .buf = buf, .size = size};
}

START_TEST(full_buffering_goes_out_when_it_does_not_fit)
{
	int p[2];
	unsigned char buf[16];
	char got[64];
	struct rb_stream s = piped(p, RB_STREAM_NORD, buf, sizeof(buf));
	ck_assert_uint_eq(rb_stream_write(&s, "0123456789\n", 11), 11);
	ck_assert_uint_eq(drain(p[0], got, sizeof(got)), 0);
	ck_assert_uint_eq(rb_stream_write(&s, "abcde", 5), 5); /* exactly fills */
	ck_assert_uint_eq(drain(p[0], got, sizeof(got)), 0);
	ck_assert_uint_eq(rb_stream_write(&s, "X", 1), 1);    /* buffer + X at once */
	ck_assert_uint_eq(drain(p[0], got, sizeof(got)), 17);
	ck_assert_mem_eq(got, "0123456789\nabcdeX", 17);
	ck_assert_uint_eq(rb_stream_write(&s, "yz", 2), 2);
	ck_assert_int_eq(rb_stream_flush(&s), 0);
	ck_assert_uint_eq(drain(p[0], got, sizeof(got)), 2);
	ck_assert_int_eq(rb_stream_flush(&s), 0); /* nothing held: no write */
	ck_assert_uint_eq(drain(p[0], got, sizeof(got)), 0);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(line_buffering_goes_out_through_the_last_newline)
{
	int p[2];
	unsigned char buf[16];
	char got[64];
	struct rb_stream s = piped(p, RB_STREAM_NORD | RB_STREAM_LINE, buf, sizeof(buf));
	ck_assert_uint_eq(rb_stream_write(&s, "ab", 2), 2);
	ck_assert_uint_eq(drain(p[0], got, sizeof(got)), 0);
	ck_assert_uint_eq(rb_stream_write(&s, "c\nd\ne", 5), 5);
	ck_assert_uint_eq(drain(p[0], got, sizeof(got)), 6);
	ck_assert_mem_eq(got, "abc\nd\n", 6);
	ck_assert_uint_eq(rb_stream_write(&s, "\n", 1), 1);
	ck_assert_uint_eq(drain(p[0], got, sizeof(got)), 2);
	ck_assert_mem_eq(got, "e\n", 2);
	close(p[0]);
	close(p[1]);
}
END_TEST

/* stdout: line-buffered until its first write out finds no terminal. */
START_TEST(stdout_rule)
{
	int p[2];
	unsigned char buf[16];
	char got[64];
	struct rb_stream s = piped(p, RB_STREAM_NORD | RB_STREAM_LINE | RB_STREAM_TTY_LATER, buf,
				   sizeof(buf));
	errno = 1234;
	ck_assert_uint_eq(rb_stream_write(&s, "a\nb", 3), 3);
	ck_assert_int_eq(errno, 1234);
	ck_assert_uint_eq(drain(p[0], got, sizeof(got)), 2);
	ck_assert_uint_eq(rb_stream_write(&s, "\nc\n", 3), 3);
	ck_assert_uint_eq(drain(p[0], got, sizeof(got)), 0);
	ck_assert_int_eq(rb_stream_flush(&s), 0);
	ck_assert_uint_eq(drain(p[0], got, sizeof(got)), 4);
	ck_assert_mem_eq(got, "b\nc\n", 4);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(unbuffered_writes_each_time)
{
	int p[2];
	char got[64];
	struct rb_stream s = piped(p, RB_STREAM_NORD, NULL, 0);
	ck_assert_uint_eq(rb_stream_write(&s, "ab", 2), 2);
	ck_assert_uint_eq(drain(p[0], got, sizeof(got)), 2);
	ck_assert_uint_eq(rb_stream_write(&s, "", 0), 0);
	ck_assert_int_eq(rb_stream_flush(&s), 0);
	ck_assert_uint_eq(drain(p[0], got, sizeof(got)), 0);
	close(p[0]);
	close(p[1]);
}
END_TEST

START_TEST(write_errors)
{
	int p[2];
	unsigned char buf[16];
	struct rb_stream s = piped(p, RB_STREAM_NORD, buf, sizeof(buf));
	close(p[0]);
	close(p[1]); /* every write now fails with EBADF */
	ck_assert_uint_eq(rb_stream_write(&s, "held", 4), 4);
	ck_assert_int_eq(s.flags & RB_STREAM_ERR, 0);
	ck_assert_int_eq(rb_stream_flush(&s), -1);
	ck_assert_int_ne(s.flags & RB_STREAM_ERR, 0);
	ck_assert_uint_eq(s.wlen, 0);                  /* the buffer was dropped */
	ck_assert_int_eq(rb_stream_flush(&s), 0);      /* nothing left to fail */
	ck_assert_uint_eq(rb_stream_write(&s, "0123456789abcdefXY", 18), 0);
	/* a read-only stream cannot be written */
	const char *path = path_of("ro");
	write_file(path, "x", 1);
	struct rb_stream *r = rb_stream_open(path, "r");
	ck_assert_uint_eq(rb_stream_write(r, "y", 1), 0);
	ck_assert_int_ne(r->flags & RB_STREAM_ERR, 0);
	ck_assert_int_eq(rb_stream_close(r), 0);
}
END_TEST

/* The same calls through glibc's stdio and through a stream give the same file. */
START_TEST(written_file_matches_libc)
{
	static char text[3000];
	srand(5);
	for (int round = 0; round < 200; round++) {
		FILE *ref = fopen(path_of("ref"), "w");
		struct rb_stream *s = rb_stream_open(path_of("ours"), round % 2 ? "wbe" : "w");
		ck_assert_ptr_nonnull(s);
		for (int calls = rand() % 20; calls > 0; calls--) {
			size_t n = random_text(text, rand() % 2 ? 40 : sizeof(text));
			ck_assert_uint_eq(fwrite(text, 1, n, ref), n);
			ck_assert_uint_eq(rb_stream_write(s, text, n), n);
			if (rand() % 5 == 0) {
				ck_assert_int_eq(fflush(ref), 0);
				ck_assert_int_eq(rb_stream_flush(s), 0);
			}
		}
		fclose(ref);
		ck_assert_int_eq(rb_stream_close(s), 0);
		char cmd[128];
		snprintf(cmd, sizeof(cmd), "cmp -s %s/ref %s/ours", dir, dir);
		ck_assert_int_eq(system(cmd), 0);
	}
}
END_TEST

/* Modes as musl's __fmodeflags, errno as the C library's. */
START_TEST(modes)
{
	const char *path = path_of("modes");
	char line[16];
	ck_assert_ptr_null(rb_stream_open(path, "r"));
	ck_assert_int_eq(errno, ENOENT);
	struct rb_stream *s = rb_stream_open(path, "wx");
	ck_assert_ptr_nonnull(s);
	ck_assert_uint_eq(rb_stream_write(s, "one\n", 4), 4);
	ck_assert_int_eq(rb_stream_close(s), 0);
	ck_assert_ptr_null(rb_stream_open(path, "wx"));
	ck_assert_int_eq(errno, EEXIST);
	s = rb_stream_open(path, "ae");
	ck_assert_int_ne(fcntl(s->fd, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_uint_eq(rb_stream_write(s, "two\n", 4), 4);
	ck_assert_int_eq(rb_stream_close(s), 0);
	s = rb_stream_open(path, "rb");
	ck_assert_int_eq(fcntl(s->fd, F_GETFD) & FD_CLOEXEC, 0);
	ck_assert_str_eq(rb_stream_gets(line, 16, s), "one\n");
	ck_assert_str_eq(rb_stream_gets(line, 16, s), "two\n");
	ck_assert_int_eq(rb_stream_close(s), 0);
	s = rb_stream_open(path, "w");
	ck_assert_int_eq(rb_stream_close(s), 0);
	s = rb_stream_open(path, "r");
	ck_assert_ptr_null(rb_stream_gets(line, 16, s)); /* "w" truncated it */
	ck_assert_int_eq(rb_stream_close(s), 0);
	static const char *bad[] = {"", "z", "r+", "w+", "a+b"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		errno = 0;
		ck_assert_ptr_null(rb_stream_open(path, bad[i]));
		ck_assert_int_eq(errno, EINVAL);
	}
	ck_assert_ptr_null(rb_stream_open(dir, "w"));
	ck_assert_int_eq(errno, EISDIR);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("stream");
	TCase *tc = tcase_create("stream");
	tcase_add_unchecked_fixture(tc, make_dir, remove_dir);
	tcase_add_test(tc, gets_matches_libc);
	tcase_add_test(tc, gets_edges);
	tcase_add_test(tc, flush_gives_back_read_ahead);
	tcase_add_test(tc, full_buffering_goes_out_when_it_does_not_fit);
	tcase_add_test(tc, line_buffering_goes_out_through_the_last_newline);
	tcase_add_test(tc, stdout_rule);
	tcase_add_test(tc, unbuffered_writes_each_time);
	tcase_add_test(tc, write_errors);
	tcase_add_test(tc, written_file_matches_libc);
	tcase_add_test(tc, modes);
	suite_add_tcase(s, tc);
	return s;
}

RB_CHECK_MAIN(suite)
