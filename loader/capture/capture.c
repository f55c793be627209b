/* rb_capture_run: `rawbpf filter -r FILE` runs rawbpf's own interpreter
 * over every packet (files carry no socket metadata, so ancillary loads
 * reject, as in libpcap); `-i IFACE` is in live.c. */
#include "loader/capture/capture_int.h"

#include "asm/cbpf/interp.h"

#define DEFAULT_SNAPLEN 262144u

/* ------------------------------------------------------------ sink */

int rb_cap_sink_open(struct rb_cap_sink *s, const struct rb_capture_opts *opts, int dlt,
		     uint32_t snaplen, bool nano, struct rb_err *err)
{
	*s = (struct rb_cap_sink){.out = opts->out ? opts->out : stdout, .limit = opts->count};
	if (!opts->write_file)
		return 0;
	s->writing = true;
	return rb_pcap_writer_open(&s->w, opts->write_file, dlt, snaplen, nano, err);
}

int rb_cap_sink_put(struct rb_cap_sink *s, const struct rb_pkt *pkt, struct rb_err *err)
{
	s->matched++;
	if (s->writing)
		return rb_pcap_write(&s->w, pkt, err);
	s->line.len = 0;
	rb_pkt_summary(pkt, &s->line);
	rb_buf_printf(&s->line, "\n");
	if (s->line.oom)
		return rb_errf(err, RB_ESYS, "out of memory formatting a packet summary");
	if (fwrite(s->line.data, 1, s->line.len, s->out) != s->line.len ||
	    (s->flush_lines && fflush(s->out) != 0))
		return rb_errf(err, RB_ESYS, "cannot write packet summaries (output closed?)");
	return 0;
}

bool rb_cap_sink_full(const struct rb_cap_sink *s)
{
	return s->limit > 0 && s->matched >= (uint64_t)s->limit;
}

int rb_cap_sink_close(struct rb_cap_sink *s, struct rb_err *err)
{
	int rc = 0;
	rb_buf_free(&s->line);
	if (s->writing)
		rc = rb_pcap_writer_close(&s->w, err);
	else if (fflush(s->out) != 0)
		rc = rb_errf(err, RB_ESYS, "cannot write packet summaries (output closed?)");
	return rc;
}

/* ------------------------------------------------------------ files */

int rb_capture_file_dlt(const char *path, int *dlt, struct rb_err *err)
{
	struct rb_pcap_reader r;
	int rc = rb_pcap_open_file(&r, path, err);
	if (rc)
		return rc;
	*dlt = r.dlt;
	rb_pcap_close(&r);
	if (*dlt < 0)
		return rb_errf(err, RB_EINPUT, "%s: the pcapng file describes no interface, so it "
			       "has no link type to compile the filter for", path);
	return 0;
}

static int mixed_link(const struct rb_pcap_reader *r, const struct rb_pkt *pkt, struct rb_err *err)
{
	return rb_errf(err, RB_EINPUT, "%s: record %llu: interface %u has link type %d but the "
		       "filter was compiled for %d (the first interface's); split the file per "
		       "interface", r->name, (unsigned long long)r->recno, pkt->iface, pkt->dlt, r->dlt);
}

static int filter_file(struct rb_pcap_reader *r, const struct rb_cbpf_prog *prog,
		       struct rb_cap_sink *sink, uint64_t *nread, struct rb_err *err)
{
	struct rb_pkt pkt;
	int rc;
	while (!rb_cap_sink_full(sink) && (rc = rb_pcap_next(r, &pkt, err)) == 1) {
		++*nread;
		if (pkt.dlt != r->dlt)
			return mixed_link(r, &pkt, err);
		if (rb_cbpf_run_skb(prog, pkt.data, pkt.caplen, pkt.wirelen, NULL) == 0)
			continue;
		rc = rb_cap_sink_put(sink, &pkt, err);
		if (rc)
			return rc;
	}
	return rb_cap_sink_full(sink) ? 0 : rc;
}

static int run_file(const struct rb_capture_opts *opts, const struct rb_cbpf_prog *prog,
		    struct rb_err *err)
{
	struct rb_pcap_reader r;
	struct rb_cap_sink sink;
	uint64_t nread = 0;
	int rc = rb_pcap_open_file(&r, opts->read_file, err);
	if (rc)
		return rc;
	uint32_t snaplen = opts->snaplen ? opts->snaplen : r.snaplen ? r.snaplen : DEFAULT_SNAPLEN;
	rc = rb_cap_sink_open(&sink, opts, r.dlt, snaplen, r.fmt == RB_CAPFMT_PCAP && r.nano, err);
	if (rc) {
		rb_pcap_close(&r);
		return rc;
	}
	rc = filter_file(&r, prog, &sink, &nread, err);
	struct rb_err cerr = {0};
	int crc = rb_cap_sink_close(&sink, rc ? &cerr : err);
	if (!opts->quiet)
		fprintf(opts->stats ? opts->stats : stderr, "%llu packets read, %llu matched\n",
			(unsigned long long)nread, (unsigned long long)sink.matched);
	rb_pcap_close(&r);
	return rc ? rc : crc;
}

int rb_capture_run(const struct rb_capture_opts *opts, const struct rb_cbpf_prog *prog,
		   struct rb_err *err)
{
	if (!prog || !prog->insns || !prog->len)
		return rb_errf(err, RB_EUSAGE, "no filter program to run");
	if (!opts->read_file == !opts->iface)
		return rb_errf(err, RB_EUSAGE, "give exactly one of a capture file (-r) and an "
			       "interface (-i)");
	if (opts->count < 0)
		return rb_errf(err, RB_EUSAGE, "packet count %ld is negative", opts->count);
	return opts->read_file ? run_file(opts, prog, err) : rb_capture_live(opts, prog, err);
}
