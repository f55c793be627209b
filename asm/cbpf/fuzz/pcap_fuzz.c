/* libFuzzer target: the pcap/pcapng readers and the packet summary printer
 * on arbitrary bytes.  Every packet handed out must lie inside the input;
 * errors must carry a message. */
#include <stdint.h>
#include <stdlib.h>

#include "loader/capture/capture.h"

static void summarize_all(struct rb_pcap_reader *r, const uint8_t *data, size_t size)
{
	struct rb_buf line = {0};
	struct rb_err err = {0};
	struct rb_pkt pkt;
	int rc;
	while ((rc = rb_pcap_next(r, &pkt, &err)) == 1) {
		if (pkt.caplen && (pkt.data < data || pkt.data + pkt.caplen > data + size))
			abort();
		line.len = 0;
		rb_pkt_summary(&pkt, &line);
	}
	if (rc < 0 && !err.msg[0])
		abort();
	rb_buf_free(&line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rb_pcap_reader r;
	struct rb_err err = {0};
	if (rb_pcap_open_mem(&r, data, size, "fuzz", &err) == 0)
		summarize_all(&r, data, size);
	else if (!err.msg[0])
		abort();
	rb_pcap_close(&r);
	return 0;
}
