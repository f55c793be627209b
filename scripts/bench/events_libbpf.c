/* Test-only reference consumer for scripts/bench/events.sh, linked with
 * -lbpf (never part of rawbpf): loads the same benchmark object with
 * libbpf, attaches it, and drains its ring buffer `rb` or perf buffer `pb`
 * with libbpf's defaults (perf: 64 pages per CPU, one wake-up per record)
 * until SIGINT, then prints the same summary lines as `rawbpf run --count`. */
#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

static volatile sig_atomic_t stop;
static unsigned long long records, lost;

static void on_sig(int s) { (void)s; stop = 1; }
static int on_ring(void *ctx, void *data, size_t len) { (void)ctx; (void)data; (void)len; records++; return 0; }
static void on_perf(void *ctx, int cpu, void *data, __u32 len) { (void)ctx; (void)cpu; (void)data; (void)len; records++; }
static void on_lost(void *ctx, int cpu, __u64 n) { (void)ctx; (void)cpu; lost += n; }

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec + (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int main(int argc, char **argv)
{
	if (argc != 2)
		return fprintf(stderr, "usage: %s OBJ\n", argv[0]), 1;
	struct bpf_object *obj = bpf_object__open_file(argv[1], NULL);
	if (!obj || bpf_object__load(obj))
		return fprintf(stderr, "libbpf: cannot load %s\n", argv[1]), 1;
	struct bpf_program *p;
	bpf_object__for_each_program(p, obj)
		if (!bpf_program__attach(p))
			return fprintf(stderr, "libbpf: cannot attach\n"), 1;
	struct bpf_map *rbm = bpf_object__find_map_by_name(obj, "rb");
	struct bpf_map *pbm = bpf_object__find_map_by_name(obj, "pb");
	struct ring_buffer *rb = rbm ? ring_buffer__new(bpf_map__fd(rbm), on_ring, NULL, NULL) : NULL;
	struct perf_buffer *pb = pbm ? perf_buffer__new(bpf_map__fd(pbm), 64, on_perf, on_lost, NULL, NULL) : NULL;
	if (!rb && !pb)
		return fprintf(stderr, "libbpf: no rb/pb map\n"), 1;
	signal(SIGINT, on_sig);
	signal(SIGTERM, on_sig);
	fprintf(stderr, "attached libbpf consumer\n");
	double start = cpu_seconds();
	while (!stop) {
		if (rb)
			ring_buffer__poll(rb, 100);
		else
			perf_buffer__poll(pb, 100);
	}
	if (rb)
		ring_buffer__consume(rb);
	else
		perf_buffer__consume(pb);
	double ns = (cpu_seconds() - start) * 1e9;
	fprintf(stderr, "consumer: %llu records, %.1f ns CPU per record\n", records, records ? ns / records : 0);
	fprintf(stderr, "%s: %llu records, %llu lost\n", rb ? "rb" : "pb", records, lost);
	return 0;
}
