/* libFuzzer target: the cBPF interpreter and checker.  Input: one byte N,
 * N instructions of 8 bytes (struct sock_filter layout), then the packet.
 * Properties: nothing crashes or loops; the verdict is deterministic; a
 * program the checker accepts ends in a RET on every path, so running it
 * never falls off the end (checked by appending a "ret #0xdead" that a
 * valid program can never reach). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "asm/cbpf/interp.h"
#include "asm/cbpf/validate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t n = data[0];
	if (size < 1 + n * 8)
		return 0;
	struct rb_cbpf_insn *insns = calloc(n + 1, sizeof *insns);
	if (!insns)
		return 0;
	memcpy(insns, data + 1, n * 8);
	const uint8_t *pkt = data + 1 + n * 8;
	uint32_t caplen = (uint32_t)(size - 1 - n * 8);
	struct rb_cbpf_prog p = {.insns = insns, .len = n};
	struct rb_err err = {0};
	bool valid = rb_cbpf_validate(&p, &err) == 0;
	uint32_t v1 = rb_cbpf_run(&p, pkt, caplen, caplen + 7);
	struct rb_cbpf_skb skb = {.protocol = 0x800, .net_off = 14, .vlan_present = true};
	(void)rb_cbpf_run_skb(&p, pkt, caplen, caplen, &skb);
	if (v1 != rb_cbpf_run(&p, pkt, caplen, caplen + 7))
		abort();
	if (valid) {
		insns[n] = (struct rb_cbpf_insn){.code = 0x06, .k = 0xdead};
		p.len = n + 1;
		if (rb_cbpf_run(&p, pkt, caplen, caplen + 7) != v1)
			abort();
	} else if (!err.msg[0]) {
		abort();
	}
	free(insns);
	return 0;
}
