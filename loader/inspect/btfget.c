/* A BTF object of the kernel, by id: the BTF of a map or program. */
#include "loader/inspect/inspect.h"

#include <errno.h>
#include <string.h>

#include "elf/btf.h"
#include "loader/bpf.h"

int rb_btf_info_read(const struct rb_sys *sys, int fd, struct bpf_btf_info *info, char *name,
		     uint32_t name_len, struct rb_buf *data)
{
	memset(info, 0, sizeof(*info));
	for (int pass = 0; pass < (data ? 2 : 1); pass++) {
		uint32_t size = info->btf_size;
		if (pass && (size == 0 || size > (256u << 20) || !rb_buf_reserve(data, size)))
			return -ENOMEM;
		memset(info, 0, sizeof(*info));
		if (pass) {
			info->btf = (uint64_t)(uintptr_t)data->data;
			info->btf_size = size;
		}
		if (name) {
			info->name = (uint64_t)(uintptr_t)name;
			info->name_len = name_len;
		}
		uint32_t len = sizeof(*info);
		int r = rb_bpf_obj_get_info(sys, fd, info, &len);
		if (r < 0)
			return r;
		if (pass)
			data->len = info->btf_size <= size ? info->btf_size : 0;
	}
	return 0;
}

/* The object's bytes through BPF_OBJ_GET_INFO_BY_FD. */
static int fetch_btf_bytes(const struct rb_sys *sys, uint32_t btf_id, struct rb_buf *out)
{
	int fd = rb_bpf_btf_fd_by_id(sys, btf_id);
	if (fd < 0)
		return fd;
	struct bpf_btf_info info;
	int r = rb_btf_info_read(sys, fd, &info, NULL, 0, out);
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
