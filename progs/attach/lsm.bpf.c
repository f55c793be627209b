/* lsm: counts file opens through the BPF LSM hook and allows them (kernels
 * booted with "bpf" in lsm=; the qemu guests are). */
#include "hits.h"

SEC("lsm/file_open")
int count_lsm(__u64 *ctx)
{
	hit(0, 1);
	return 0;
}

LICENSE("GPL");
