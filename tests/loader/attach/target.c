/* Test target for uprobes and USDT: calls rawbpf_target_add(i) for
 * i = 1..N (argv[1], default 10), and rawbpf_target_sub(i) and
 * rawbpf_target_mul(i) for uprobe.multi globs, each call also passing a USDT probe
 * rawbpf_test:tick(i, 2*i) and a semaphore-guarded rawbpf_test:guarded(i).
 * The probes are written by hand (sys/sdt.h's note layout) so the test
 * needs no systemtap-sdt-dev.  argv[2] = seconds to sleep first (so a
 * tracer can attach with -p); argv[3] = a prompt for readline(). */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

/* One .note.stapsdt entry: pc, .stapsdt.base, semaphore, then provider,
 * name and the argument locations the compiler chose ("-4@%edx 8@%rax"). */
#define RB_STAP_NOTE(provider, name, sema, fmt, ...)                                  \
	__asm__ __volatile__("990: nop\n"                                              \
			     ".pushsection .note.stapsdt,\"?\",\"note\"\n"              \
			     ".balign 4\n"                                              \
			     ".4byte 992f-991f, 994f-993f, 3\n"                         \
			     "991: .asciz \"stapsdt\"\n"                                \
			     "992: .balign 4\n"                                         \
			     "993: .8byte 990b\n"                                       \
			     ".8byte _.stapsdt.base\n"                                  \
			     ".8byte " sema "\n"                                        \
			     ".asciz \"" provider "\"\n"                                \
			     ".asciz \"" name "\"\n"                                    \
			     ".asciz \"" fmt "\"\n"                                     \
			     "994: .balign 4\n"                                         \
			     ".popsection\n"                                            \
			     ".ifndef _.stapsdt.base\n"                                 \
			     ".pushsection .stapsdt.base,\"aG\",\"progbits\",.stapsdt.base,comdat\n" \
			     ".weak _.stapsdt.base\n"                                   \
			     ".hidden _.stapsdt.base\n"                                 \
			     "_.stapsdt.base: .space 1\n"                               \
			     ".size _.stapsdt.base, 1\n"                                \
			     ".popsection\n"                                            \
			     ".endif\n" ::__VA_ARGS__)

/* The semaphore the kernel counts up while a probe on `guarded` exists. */
unsigned short rawbpf_test_guarded_semaphore __attribute__((section(".probes"), used));

__attribute__((noinline)) long rawbpf_target_add(long a)
{
	__asm__ __volatile__("" ::: "memory");
	return a + 1;
}

/* More functions for uprobe.multi's glob "rawbpf_target_*"; their results
 * go to a sink so the printed sum stays the one of rawbpf_target_add. */
__attribute__((noinline)) long rawbpf_target_sub(long a)
{
	__asm__ __volatile__("" ::: "memory");
	return a - 1;
}

__attribute__((noinline)) long rawbpf_target_mul(long a)
{
	__asm__ __volatile__("" ::: "memory");
	return a * 3;
}

volatile long rawbpf_target_sink;

/* A readline look-alike for the bashreadline example's uretprobe. */
__attribute__((noinline)) const char *readline(const char *prompt)
{
	static char line[64];
	snprintf(line, sizeof(line), "%s rawbpf says hello", prompt);
	return line;
}

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10;
	if (argc > 2)
		sleep((unsigned)atoi(argv[2]));
	long sum = 0, guarded = 0;
	for (int i = 1; i <= n; i++) {
		int v = i;
		long w = 2L * i;
		RB_STAP_NOTE("rawbpf_test", "tick", "0", "-4@%0 8@%1", "nor"(v), "nor"(w));
		if (rawbpf_test_guarded_semaphore) {
			guarded++;
			RB_STAP_NOTE("rawbpf_test", "guarded", "rawbpf_test_guarded_semaphore", "-4@%0", "nor"(v));
		}
		sum += rawbpf_target_add(i);
		rawbpf_target_sink += rawbpf_target_sub(i) + rawbpf_target_mul(i);
	}
	printf("sum %ld guarded %ld\n", sum, guarded);
	if (argc > 3)
		puts(readline(argv[3]));
	return 0;
}
