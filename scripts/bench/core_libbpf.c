/* The smallest libbpf loader (bench oracle, not part of rawbpf): open an
 * object, load it (CO-RE against the running kernel's BTF), pin its
 * programs in DIR and its maps in DIR/maps - what `rawbpf load OBJ --pin
 * DIR` does.  Built by scripts/bench/core.sh against libbpf-dev.
 *   core_libbpf OBJ DIR */
#include <stdio.h>
#include <bpf/libbpf.h>

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: core_libbpf OBJ DIR\n");
		return 1;
	}
	char maps[4096];
	snprintf(maps, sizeof(maps), "%s/maps", argv[2]);
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj) {
		fprintf(stderr, "core_libbpf: cannot open %s\n", argv[1]);
		return 2;
	}
	int r = bpf_object__load(obj);
	if (!r)
		r = bpf_object__pin_programs(obj, argv[2]);
	if (!r)
		r = bpf_object__pin_maps(obj, maps);
	if (r)
		fprintf(stderr, "core_libbpf: %s: error %d\n", argv[1], r);
	bpf_object__close(obj);
	return r ? 3 : 0;
}
