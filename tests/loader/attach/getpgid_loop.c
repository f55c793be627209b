/* Event source for the stress test and the benchmark: N getpgid(2) calls
 * as fast as one thread can make them. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/syscall.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 1000000;
	for (long i = 0; i < n; i++)
		syscall(SYS_getpgid, 0);
	return 0;
}
