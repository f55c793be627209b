/* A BTF object of the kernel, by id: the BTF of a map or program. */
#include "loader/inspect/inspect.h"

#include <errno.h>
#include <string.h>

#include "elf/btf.h"
#include "loader/bpf.h"

/* The object's bytes through BPF_OBJ_GET_INFO_BY_FD: once for the size,
 * once into a buffer of that size. */
static int fetch_btf_bytes(const struct rb_sys *sys, uint32_t btf_id, struct rb_buf *out)
{
	int fd = rb_bpf_btf_fd_by_id(sys, btf_id);
	if (fd < 0)
		return fd;
	struct bpf_btf_info info;
	memset(&info, 0, sizeof(info));
	uint32_t len = sizeof(info);
	int r = rb_bpf_obj_get_info(sys, fd, &info, &len);
	uint32_t size = info.btf_size;
	if (r == 0 && (size == 0 || size > (256u << 20) || !rb_buf_reserve(out, size)))
		r = -ENOMEM;
	if (r == 0) {
		memset(&info, 0, sizeof(info));
		info.btf = (uint64_t)(uintptr_t)out->data;
		info.btf_size = size;
		len = sizeof(info);
		r = rb_bpf_obj_get_info(sys, fd, &info, &len);
		out->len = r == 0 && info.btf_size <= size ? info.btf_size : 0;
	}
	rb_sys_close(sys, fd);
	return r < 0 ? r : out->len ? 0 : -EINVAL;
}

int rb_btf_get_by_id(const struct rb_sys *sys, uint32_t btf_id, struct rb_btf **btf,
		     struct rb_btf **base)
{
	struct rb_buf raw = {0};
	struct rb_err ignored = {0};
	*btf = *base = NULL;
	int r = fetch_btf_bytes(sys, btf_id, &raw);
	if (r == 0 && rb_btf_parse(btf, raw.data, raw.len, NULL, "kernel BTF", &ignored) < 0) {
		rb_err_clear(&ignored);
		r = rb_btf_load_vmlinux(base, &ignored);
		if (r == 0 && (r = rb_btf_parse(btf, raw.data, raw.len, *base, "kernel BTF", &ignored)) < 0) {
			rb_btf_free(*base);
			*base = NULL;
		}
	}
	rb_buf_free(&raw);
	return r < 0 ? r : 0;
}
