/* fmod_ret: counts file opens on security_file_open and returns 0, which
 * leaves the result alone.  The kernel takes fmod_ret only on error-injection
 * functions and security_* ones.  This host refuses it with EPERM; the qemu
 * guests run it. */
#include "hits.h"

SEC("fmod_ret/security_file_open")
int count_fmod_ret(__u64 *ctx)
{
	hit(0, 1);
	return 0;
}

LICENSE("GPL");
