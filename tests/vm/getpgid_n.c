/* Guest-side trigger for the attach tests: getpgid(0) N times (the qemu
 * images have no python3).  Built static by scripts/vm/mkinitramfs.sh. */
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	long n = argc > 1 ? strtol(argv[1], NULL, 10) : 1;
	for (long i = 0; i < n; i++)
		getpgid(0);
	return 0;
}
